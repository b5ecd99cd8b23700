"""The ``boundaries`` command: alone it starts the tray app at once, anything else is the CLI.

Autostart and the desktop launcher run ``boundaries`` with no arguments; that path skips
argparse and the command-line module (~15 ms of a ~250 ms start on the benchmark machine).
"""

from __future__ import annotations

import sys

AGENT_ARG = "__slack-agent"
"""Runs ``boundaries`` (or the frozen bundle) as the app's Slack agent (app/slack_agent.py)."""
SETTINGS_ARG = "__settings-window"
"""Runs ``boundaries`` as the Settings window's own process (app/settings_window.py)."""


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == [AGENT_ARG]:
        from boundaries.app.slack_agent import main as agent_main

        return agent_main(args[1:])
    if args[:1] == [SETTINGS_ARG]:
        from boundaries.app.settings_window import main as settings_main

        return settings_main(args[1:])
    if not args:
        import gc

        # Start-up allocates tens of thousands of objects that live all session: the cyclic
        # GC would walk them ~50 times before the icon (~20 ms). It is off until the first
        # memory release, ~1 s after the icon, collects once (app.memory_release).
        gc.disable()
        from boundaries.app.no_tls import keep_tls_out

        keep_tls_out()  # before APScheduler's asyncio can load OpenSSL (~4 MiB all session)
        _import_qt_free_start_path()
        from boundaries.app.application import run_app
        from boundaries.integrations.paths import resolve_dirs

        return run_app(resolve_dirs(None))  # what `boundaries.cli` does with no command
    from boundaries.cli import main as cli_main

    return cli_main(args)


def _import_qt_free_start_path() -> None:
    """Import the start path's Qt-free modules before PySide6 (~14 M instructions, ~6 ms).

    Once PySide6 is loaded, its import hook runs for every import statement and reads the
    source of every newly imported module (PYSIDE-2029). These modules (and the stdlib
    modules they pull in: tomli, json, platformdirs, zoneinfo) never touch Qt, so loading
    them first skips that work; one left out here only costs that little time again.
    """
    import boundaries.core.status
    import boundaries.core.update_reminder
    import boundaries.integrations.config_store
    import boundaries.integrations.history
    import boundaries.integrations.idle
    import boundaries.integrations.paths
    import boundaries.integrations.state_file
    import boundaries.integrations.system_zone  # noqa: F401
