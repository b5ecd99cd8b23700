"""Command line: ``boundaries`` starts the tray app; subcommands answer or drive it.

``status``, ``team`` and ``convert`` work without a display or a running app (Qt is not even
imported unless a running app must be asked). Exit codes: 0 success, 1 the running app is
needed but absent or refused, 2 bad arguments or a broken settings file.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from boundaries import __version__
from boundaries.integrations.paths import AppDirs, resolve_dirs

EXIT_OK, EXIT_APP, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"boundaries: {message}\n")


def _build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--config-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="folder for settings and state (default: $BOUNDARIES_CONFIG_DIR or the platform's)",
    )
    parser = _Parser(
        prog="boundaries",
        description="Protect your focus time and the end of your workday.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"boundaries {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    focus = sub.add_parser("focus", parents=[common], help="start or end focus in the running app")
    focus.add_argument("minutes", nargs="?", type=int, help="focus for this many minutes")
    focus.add_argument("--until", metavar="HH:MM", help="focus until this local time")
    focus.add_argument("--end", action="store_true", help="end focus now")

    signoff = sub.add_parser("signoff", parents=[common], help="sign off for the day")
    signoff.add_argument("--back", action="store_true", help="undo: I'm back at work")

    for name, text in (("status", "today's plan and state"), ("team", "teammates' times")):
        cmd = sub.add_parser(name, parents=[common], help=text)
        cmd.add_argument("--json", action="store_true", help="machine-readable output")
        cmd.add_argument("--at", metavar="ISO-8601", help="answer for this instant instead of now")

    slack = sub.add_parser("slack", parents=[common], help="store or forget the Slack token")
    slack.add_argument(
        "action",
        choices=["login", "logout"],
        help="login: read a user token (xoxp-…) from standard input into the keyring; "
        "logout: remove it",
    )

    convert = sub.add_parser("convert", parents=[common], help='a time for the team: "Fri 17:00"')
    convert.add_argument("text", nargs="+", help='e.g. "Fri 17:00", "tomorrow 9am Ana"')
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _build_parser().parse_args(argv)
    dirs = resolve_dirs(getattr(args, "config_dir", None))
    command = args.command
    if command is None:
        from boundaries.app.application import run_app

        return run_app(dirs)
    if command == "focus":
        return _focus(args, dirs)
    if command == "signoff":
        return _send(dirs, {"command": "signoff", "back": bool(args.back)})
    if command == "status":
        return _status(args, dirs)
    if command == "team":
        return _team(args, dirs)
    if command == "convert":
        return _convert(args, dirs)
    if command == "slack":
        return _slack(args.action, dirs)
    return EXIT_USAGE  # pragma: no cover - argparse rejects unknown commands


# ---------------------------------------------------------------------------- helpers


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"boundaries: {message}", file=sys.stderr)
    return code


def _load_settings(dirs: AppDirs) -> Any:
    """The settings, or ``None`` after printing why the file is broken (exit 2)."""
    from boundaries.integrations.config_store import ConfigStore

    result = ConfigStore(dirs.config).load()
    if not result.ok:
        print(f"boundaries: {result.message()}", file=sys.stderr)
        return None
    return result.settings


def _zone(settings: Any) -> ZoneInfo:
    from boundaries.integrations.system_zone import user_zone

    return user_zone(settings.general.timezone)


def _instant(text: str | None, tz: ZoneInfo) -> datetime:
    if text is None:
        return datetime.now(UTC).astimezone(tz)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f'--at "{text}" is not an ISO-8601 time like 2026-11-27T17:00') from None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)).astimezone(tz)


def _app_running(state_dir: Path) -> bool:
    """Cheap check (no Qt import) whether a live process holds the instance lock."""
    try:
        pid = int((state_dir / "boundaries.lock").read_text().split()[0])
        os.kill(pid, 0)
    except (OSError, ValueError, IndexError):
        return False
    return True


def _ask_app(dirs: AppDirs, request: dict[str, Any]) -> dict[str, Any] | None:
    if not _app_running(dirs.state):
        return None
    from PySide6.QtCore import QCoreApplication

    from boundaries.app.ipc import send_command

    _qt = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    return send_command(dirs.state, request)


def _send(dirs: AppDirs, request: dict[str, Any]) -> int:
    reply = _ask_app(dirs, request)
    if reply is None:
        return _fail("Boundaries is not running; start it with `boundaries`.", EXIT_APP)
    if not reply.get("ok"):
        return _fail(str(reply.get("error", "the app refused the command")), EXIT_APP)
    _print_status_text(reply["status"])
    return EXIT_OK


def _focus(args: argparse.Namespace, dirs: AppDirs) -> int:
    chosen = sum([args.minutes is not None, args.until is not None, bool(args.end)])
    if chosen != 1:
        return _fail("focus takes exactly one of: MINUTES, --until HH:MM, --end")
    if args.minutes is not None and not 1 <= args.minutes <= 1440:
        return _fail("focus minutes must be between 1 and 1440")
    if args.until is not None:
        from boundaries.core.timeparse import parse_hhmm

        try:
            parse_hhmm(args.until)
        except ValueError as error:
            return _fail(f"--until {error}")
    request: dict[str, Any] = {"command": "focus"}
    if args.end:
        request["end"] = True
    elif args.until:
        request["until"] = args.until
    else:
        request["minutes"] = args.minutes
    return _send(dirs, request)


def _print_status_text(report: dict[str, Any]) -> None:
    state = report["state"].replace("_", " ")
    print(f"{report['now']}  ({report['timezone']})  state: {state}")
    if report.get("focus_until"):
        print(f"focusing until {report['focus_until']}")
    if report.get("back_at"):
        print(f"back at {report['back_at']}")
    for block in report["focus_blocks"]:
        print(f"focus block {block['start']} -> {block['end']}")
    print(f"sign-off {report['signoff'] or 'none today'}")
    upcoming = report["next_event"]
    if upcoming:
        print(f"next: {upcoming['kind'].replace('_', ' ')} at {upcoming['at']}")


def _status(args: argparse.Namespace, dirs: AppDirs) -> int:
    settings = _load_settings(dirs)
    if settings is None:
        return EXIT_USAGE
    tz = _zone(settings)
    try:
        at = _instant(args.at, tz)
    except ValueError as error:
        return _fail(str(error))
    report = None
    if args.at is None:
        reply = _ask_app(dirs, {"command": "status"})
        if reply and reply.get("ok"):
            report = reply["status"]
    if report is None:
        from boundaries.core.report import status_report
        from boundaries.integrations.state_file import StateFile

        report = status_report(settings, StateFile(dirs.state).read(), at, tz)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        _print_status_text(report)
    return EXIT_OK


def _team(args: argparse.Namespace, dirs: AppDirs) -> int:
    settings = _load_settings(dirs)
    if settings is None:
        return EXIT_USAGE
    tz = _zone(settings)
    try:
        at = _instant(args.at, tz)
    except ValueError as error:
        return _fail(str(error))
    from boundaries.core.report import team_report

    report = team_report(settings, at, tz)
    if args.json:
        print(json.dumps(report, indent=2))
        return EXIT_OK
    from boundaries.core.team_view import overlap_line, teammate_lines

    if not settings.team:
        print("No teammates yet: add them in Settings > Team or in settings.toml ([[team]]).")
        return EXIT_OK
    print(overlap_line(settings, at, tz))
    for line in teammate_lines(settings, at, tz):
        print(line)
    return EXIT_OK


def _convert(args: argparse.Namespace, dirs: AppDirs) -> int:
    settings = _load_settings(dirs)
    if settings is None:
        return EXIT_USAGE
    from boundaries.core.convert import TimeQueryError, parse_time_query, render_team_line

    tz = _zone(settings)
    text = " ".join(args.text)
    try:
        instant = parse_time_query(text, datetime.now(UTC).astimezone(tz), tz, settings.team)
    except TimeQueryError as error:
        return _fail(str(error))
    print(render_team_line(instant, tz, settings.team, settings.general.time_format))
    return EXIT_OK


def _slack(action: str, dirs: AppDirs) -> int:
    """``slack login`` reads the token from stdin (never argv: it would show in ``ps``)."""
    from boundaries.integrations.secrets import InvalidToken, KeyringUnavailable, TokenStore

    store = TokenStore()
    try:
        if action == "logout":
            store.delete()
            print("Slack token removed from the keyring.")
        else:
            if sys.stdin.isatty():
                import getpass

                token = getpass.getpass("Slack user token (xoxp-…, not shown): ")
            else:
                token = sys.stdin.readline()
            store.set(token)
            print("Slack token saved in the keyring.")
    except (InvalidToken, KeyringUnavailable) as error:
        return _fail(str(error), EXIT_APP)
    reply = _ask_app(dirs, {"command": "slack-resync"})
    if reply is not None and reply.get("ok"):
        print("The running app uses it now.")
    return EXIT_OK
