"""``boundaries __settings-window``: the Settings window as a process of its own.

The app starts it on demand (``app/settings_process.py``) and tells it what to do with one
JSON object per line on its stdin: ``{"op": "present", "activation_token": "..."}`` raises the
window, ``{"op": "token_changed"}`` re-reads the token; the end of stdin (the app quit or
died) closes the window. It reaches the app over the command socket and exits when the window
is closed, giving back all the memory Settings used. Why: docs/decisions/0018.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import threading
from typing import Any

from PySide6.QtCore import QObject, Signal

from boundaries.app.settings_host import SettingsHost

log = logging.getLogger(__name__)


class Orders(QObject):
    """The app's lines on stdin, read on a thread, delivered on the GUI thread; ``None``
    once stdin ends."""

    received = Signal(object)

    def start(self) -> None:
        threading.Thread(target=self._read, name="settings-orders", daemon=True).start()

    def _read(self) -> None:
        for line in sys.stdin.buffer:
            try:
                order = json.loads(line)
            except ValueError:
                log.warning("not an order from the app: %r", line[:80])
                continue
            if isinstance(order, dict):
                self.received.emit(order)
        self.received.emit(None)


def follow(host: SettingsHost, order: dict[str, Any] | None) -> None:
    if order is None:
        host.close()
    elif order.get("op") == "present":
        host.present(str(order.get("activation_token") or ""))
    elif order.get("op") == "token_changed":
        host.refresh_token()
    else:
        log.warning("unknown order from the app: %r", order.get("op"))


def main(argv: list[str]) -> int:
    """``boundaries __settings-window [--config-dir DIR]``."""
    import gc

    gc.disable()  # as at the app's start (entry.py): the start allocates only long-lived objects
    from PySide6.QtWidgets import QApplication

    from boundaries import __version__
    from boundaries.app.settings_host import SocketLink
    from boundaries.app.slack_account import SlackAccountService
    from boundaries.app.team_files import TeamFileService
    from boundaries.app.workers import WorkerPool
    from boundaries.integrations.config_store import ConfigStore
    from boundaries.integrations.paths import resolve_dirs
    from boundaries.ui.ports import SettingsServices

    parser = argparse.ArgumentParser(prog="boundaries __settings-window")
    parser.add_argument("--config-dir", default=None)
    options = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if os.environ.get("BOUNDARIES_DEBUG") == "1" else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    dirs = resolve_dirs(options.config_dir)
    qapp = QApplication(sys.argv[:1])
    qapp.setApplicationName("Boundaries")
    qapp.setApplicationDisplayName("Boundaries")  # Qt appends " — Boundaries" to titles
    qapp.setApplicationVersion(__version__)
    qapp.setDesktopFileName("boundaries")
    qapp.setQuitOnLastWindowClosed(False)  # a message box after OK closed the window
    store = ConfigStore(dirs.config)
    load = store.load()  # before there is a window: nothing on screen waits for it
    workers = WorkerPool(name="settings-io")
    services = SettingsServices(workers, SlackAccountService(), TeamFileService())
    autostart = None
    if dirs.is_default:  # a separate profile (tests, scripts) never touches start at login
        from boundaries.integrations.autostart import autostart_for_platform

        autostart = autostart_for_platform()
    host = SettingsHost(store, load, SocketLink(dirs.state, workers), services, autostart=autostart)
    orders = Orders()
    orders.received.connect(lambda order: follow(host, order))
    host.finished.connect(qapp.quit)
    host.present()  # a launcher's XDG_ACTIVATION_TOKEN came in the environment
    orders.start()
    gc.enable()
    code = int(qapp.exec())
    workers.shutdown()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # the Slack agent sees its stdin end and leaves too
