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
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from boundaries import __version__
from boundaries.core import commands as cmd
from boundaries.core.limits import (
    FOCUS_MINUTES,
    PAUSE_MINUTES,
    SNOOZE_DEFAULT_MINUTES,
    SNOOZE_MINUTES,
)
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
    focus.add_argument(
        "--until", metavar="TIME", help='focus until this local time ("17:30", "5:30pm")'
    )
    focus.add_argument("--end", action="store_true", help="end focus now")

    signoff = sub.add_parser("signoff", parents=[common], help="sign off for the day")
    signoff.add_argument("--back", action="store_true", help="undo: I'm back at work")

    pause = sub.add_parser(
        "pause", parents=[common], help="no focus blocks and no nudges for a while"
    )
    pause.add_argument(
        "duration",
        nargs="?",
        default="tomorrow",
        help='"1h", "2h", "90m", 90 (minutes) or "tomorrow" (the default: until midnight)',
    )
    sub.add_parser("resume", parents=[common], help="end a pause")
    snooze = sub.add_parser("snooze", parents=[common], help="snooze the sign-off nudge")
    snooze.add_argument(
        "minutes", nargs="?", type=int, default=SNOOZE_DEFAULT_MINUTES, help="minutes (15)"
    )
    sub.add_parser("skip", parents=[common], help="skip the next scheduled focus block")

    for name, text in (("status", "today's plan and state"), ("team", "teammates' times")):
        cmd = sub.add_parser(name, parents=[common], help=text)
        cmd.add_argument("--json", action="store_true", help="machine-readable output")
        cmd.add_argument("--at", metavar="ISO-8601", help="answer for this instant instead of now")
        if name == "team":
            _add_team_file_actions(cmd, common)

    slack = sub.add_parser(
        "slack", parents=[common], help="create the Slack app; store or forget the token"
    )
    slack.add_argument(
        "action",
        choices=["setup", "login", "logout"],
        help="setup: open Slack's create-app page filled in with Boundaries' manifest; "
        "login: read a user token (xoxp-…) from standard input into the keyring; "
        "logout: remove it",
    )
    slack.add_argument(
        "--print-url", action="store_true", help="setup: print the address, open no browser"
    )

    convert = sub.add_parser("convert", parents=[common], help='a time for the team: "Fri 17:00"')
    convert.add_argument("text", nargs="+", help='e.g. "Fri 17:00", "tomorrow 9am Ana"')

    report = sub.add_parser("report", parents=[common], help="sign-off history: late days, focus")
    report.add_argument("--json", action="store_true", help="machine-readable output")
    report.add_argument("--weeks", type=int, default=1, metavar="N", help="weeks to show (1-52)")

    from boundaries.cli_agreement import add_agreement_parser
    from boundaries.cli_meeting import add_meeting_parser
    from boundaries.cli_settings import add_settings_parser
    from boundaries.cli_update import add_update_parser

    add_settings_parser(sub, common)
    add_agreement_parser(sub, common)
    add_meeting_parser(sub, common)
    add_update_parser(sub, common)
    return parser


def _add_team_file_actions(team: argparse.ArgumentParser, common: _Parser) -> None:
    """``team import FILE [--yes]`` and ``team export FILE``; plain ``team`` stays as it was."""
    actions = team.add_subparsers(dest="team_action", metavar="ACTION", parser_class=_Parser)
    load = actions.add_parser(
        "import",
        parents=[common],
        help="add or update teammates (by name) from a team file",
        description="Read a team file (name,timezone,hours,slack_user CSV, or [[team]] TOML), "
        "print its bad rows and what would change; with --yes, save the good rows.",
    )
    load.add_argument("file", metavar="FILE", type=Path, help="a .csv or .toml team file")
    load.add_argument("--yes", action="store_true", help="save the good rows to settings.toml")
    save = actions.add_parser("export", parents=[common], help="write the team to a file")
    save.add_argument("file", metavar="FILE", type=Path, help="ends in .csv or .toml")


def main(argv: list[str] | None = None) -> int:
    args = _build_parser().parse_args(argv)
    from boundaries.integrations.private_dir import private_umask

    previous = private_umask()  # every file and folder we create is the user's alone
    try:
        return _run(args)
    except _Exit as done:
        return done.code
    except BrokenPipeError:  # `boundaries team | head`: the reader left; not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the exit-time flush has nowhere to fail
        return EXIT_OK
    finally:
        if previous is not None:
            os.umask(previous)  # main() called in-process (tests) leaves the caller's as it was


def _run(args: argparse.Namespace) -> int:
    dirs = resolve_dirs(getattr(args, "config_dir", None))
    command = args.command
    if command is None:
        from boundaries.app.application import run_app

        return run_app(dirs)
    if command == "focus":
        return _focus(args, dirs)
    if command == "signoff":
        return _send(dirs, cmd.BackToWork() if args.back else cmd.SignOff())
    if command == "pause":
        return _pause(args.duration, dirs)
    if command == "resume":
        return _send(dirs, cmd.Resume())
    if command == "snooze":
        if args.minutes not in SNOOZE_MINUTES:
            return _fail(SNOOZE_MINUTES.message(args.minutes))
        return _send(dirs, cmd.Snooze(args.minutes))
    if command == "skip":
        return _send(dirs, cmd.SkipBlock())
    if command == "status":
        return _status(args, dirs)
    if command == "team" and getattr(args, "team_action", None) == "import":
        return _team_import(args.file, bool(args.yes), dirs)
    if command == "team" and getattr(args, "team_action", None) == "export":
        return _team_export(args.file, dirs)
    if command == "team":
        return _team(args, dirs)
    if command == "convert":
        return _convert(args, dirs)
    if command == "slack" and args.action == "setup":
        from boundaries.cli_update import run_slack_setup

        return run_slack_setup(bool(args.print_url))
    if command == "slack":
        return _slack(args.action, dirs)
    if command == "update":
        from boundaries.cli_update import run_update

        return run_update(args, dirs)
    if command == "report":
        return _report(args, dirs)
    if command == "settings":
        from boundaries.cli_settings import run_settings

        return run_settings(args, dirs.config)
    if command == "agreement":
        from boundaries.cli_agreement import run_agreement

        return run_agreement(args, dirs.config)
    if command == "meeting":
        from boundaries.cli_meeting import run_meeting

        return run_meeting(args, _load_settings(dirs))
    return EXIT_USAGE  # pragma: no cover - argparse rejects unknown commands


# ---------------------------------------------------------------------------- helpers


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"boundaries: {message}", file=sys.stderr)
    return code


def _load_settings(dirs: AppDirs, *, with_agreement: bool = True) -> Any:
    """The settings the running app uses, to answer with: a problem in the file is printed and
    the rest of it used, exactly as the app does (``settings check`` is the one that exits 2).

    With a team agreement set, its members, team blocks and norms are part of them; a problem
    in the agreement is printed and the rest of it used.
    """
    from boundaries.integrations.config_store import ConfigStore

    result = ConfigStore(dirs.config).load()
    if not result.ok:
        print(f"boundaries: {result.message()}", file=sys.stderr)
    if not with_agreement or not result.settings.agreement.file:
        return result.settings
    from boundaries.integrations.agreement_file import with_agreement as apply

    settings, load = apply(result, dirs.config, datetime.now(UTC).date())
    if load is not None and not load.ok:
        print(f"boundaries: {load.message()}", file=sys.stderr)
    return settings


def _load_settings_to_edit(dirs: AppDirs, path: str) -> Any:
    """The settings, to change ``path`` in; None (with the reason) if that would lose anything.

    Only the changed keys are written, so problems elsewhere in the file are no obstacle; a
    file that is not TOML at all, or a problem inside ``path`` itself, is.
    """
    from boundaries.integrations.config_store import ConfigStore

    result = ConfigStore(dirs.config).load()
    inside = [
        p for p in result.problems if p.path == path or p.path.startswith((path + ".", path + "["))
    ]
    if result.unreadable or inside:
        print(f"boundaries: {result.message()}", file=sys.stderr)
        print(f"boundaries: fix {result.path} first; nothing was changed", file=sys.stderr)
        return None
    if not result.ok:
        print(
            f"boundaries: note: {result.path} has other problems, left as they are: "
            + "; ".join(str(problem) for problem in result.problems),
            file=sys.stderr,
        )
    return result.settings


def _zone(settings: Any) -> ZoneInfo:
    """The user's zone, as the app finds it; says so on stderr when ``$TZ`` names none."""
    from boundaries.integrations.system_zone import unnamed_tz_notice, user_zone

    notice = unnamed_tz_notice(settings.general.timezone)
    if notice is not None:
        print(f"boundaries: {notice}", file=sys.stderr)
    return user_zone(settings.general.timezone)


def _instant(text: str | None, tz: ZoneInfo) -> datetime:
    if text is None:
        return datetime.now(UTC).astimezone(tz)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f'--at "{text}" is not an ISO-8601 time like 2026-11-27T17:00') from None
    from boundaries.core.instant import RANGE_TEXT, in_range

    aware = parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
    if not in_range(aware):
        raise ValueError(f'--at "{text}" must be {RANGE_TEXT}')
    return aware.astimezone(tz)


def _app_running(state_dir: Path) -> bool:
    """Cheap check (no Qt import) whether a live process holds the instance lock."""
    try:
        pid = int((state_dir / "boundaries.lock").read_text().split()[0])
        os.kill(pid, 0)
    except (OSError, ValueError, IndexError):
        return False
    return True


def _ask_app(dirs: AppDirs, command: cmd.Command) -> cmd.Reply | None:
    """The running app's typed reply, or None when no app runs for this folder.

    An app that holds the lock but does not listen yet is starting (it listens right after
    its icon shows): the command waits for it, as a second start does, rather than telling
    someone who just logged in that Boundaries is not running."""
    if not _app_running(dirs.state):
        return None
    from PySide6.QtCore import QCoreApplication

    from boundaries.app.ipc import STARTING_WAIT_S, failure_reply, wait_for_app

    _qt = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    raw = wait_for_app(dirs.state, cmd.encode_request(command)) or failure_reply(
        cmd.ErrorCode.INTERNAL,
        f"Boundaries is running but has not answered for {STARTING_WAIT_S:.0f} s; if it is "
        "stuck, end it and start it again",
    )
    return cmd.decode_reply(raw)


def _send(dirs: AppDirs, command: cmd.Command) -> int:
    reply = _ask_app(dirs, command)
    if reply is None:
        return _fail("Boundaries is not running; start it with `boundaries`.", EXIT_APP)
    if not reply.ok or reply.status is None:
        return _fail(reply.message or "the app refused the command", EXIT_APP)
    if reply.message:
        print(reply.message)
    _print_status_text(reply.status, _time_format(dirs))
    return EXIT_OK


def _pause(duration: str, dirs: AppDirs) -> int:
    """``pause 1h`` / ``pause 90m`` / ``pause 90`` / ``pause tomorrow``."""
    text = duration.strip().lower()
    if text in ("tomorrow", "today"):
        return _send(dirs, cmd.Pause())
    scale = 60 if text.endswith("h") else 1
    number = text.rstrip("hm").strip()
    if not number.isdigit():
        return _fail(
            f'pause takes "1h", "90m", a number of minutes or "tomorrow", not {duration!r}'
        )
    minutes = int(number) * scale
    if minutes not in PAUSE_MINUTES:
        return _fail(PAUSE_MINUTES.message(minutes))
    return _send(dirs, cmd.PauseFor(minutes))


def _time_format(dirs: AppDirs) -> str:
    """The user's time format for printing; 24-hour when the settings cannot be read."""
    from boundaries.integrations.config_store import ConfigStore

    format_: str = ConfigStore(dirs.config).load().settings.general.time_format
    return format_


def _focus(args: argparse.Namespace, dirs: AppDirs) -> int:
    chosen = sum([args.minutes is not None, args.until is not None, bool(args.end)])
    if chosen != 1:
        return _fail("focus takes exactly one of: MINUTES, --until TIME, --end")
    if args.end:
        return _send(dirs, cmd.EndFocus())
    if args.until is not None:
        from boundaries.core.timeparse import parse_clock

        try:
            until = parse_clock(args.until)
        except ValueError as error:
            return _fail(f"--until {error}")
        return _send(dirs, cmd.FocusUntil(until))
    if args.minutes not in FOCUS_MINUTES:
        return _fail(FOCUS_MINUTES.message(args.minutes))
    return _send(dirs, cmd.FocusFor(args.minutes))


_NEXT_WORDS = {
    "workday_start": "workday starts",
    "focus_start": "focus block starts",
    "focus_end": "focus ends",
    "heads_up": "sign-off heads-up",
    "signoff": "sign-off",
    "escalation": "sign-off reminder",
    "snooze_end": "snoozed sign-off comes back",
    "back": "back at work",
    "resume": "pause ends",
}


def _print_status_text(report: Mapping[str, Any], time_format: str = "24h") -> None:
    """What the tray menu says, then today's plan, in the user's time format."""
    from boundaries.core.timefmt import format_day_time, format_time

    now = datetime.fromisoformat(report["now"])

    def when(text: str) -> str:
        return format_day_time(datetime.fromisoformat(text), time_format, now)

    print(report.get("summary") or report["state"].replace("_", " "))
    blocks = [
        f"{when(b['start'])}–{format_time(datetime.fromisoformat(b['end']), time_format)}"
        + (" (team)" if b.get("source") == "team" else "")
        for b in report["focus_blocks"]
    ]
    print(f"focus blocks today: {', '.join(blocks) or 'none'}")
    print(f"sign-off: {when(report['signoff']) if report['signoff'] else 'none today'}")
    upcoming = report["next_event"]
    if upcoming:
        words = _NEXT_WORDS.get(upcoming["kind"], upcoming["kind"].replace("_", " "))
        print(f"next: {words} at {when(upcoming['at'])}")
    state = report["state"].replace("_", " ")
    print(f"now: {when(report['now'])} ({report['timezone']}) · state: {state}")


def _settings_at(args: argparse.Namespace, dirs: AppDirs) -> tuple[Any, ZoneInfo, datetime]:
    """Settings, the user's zone and the instant asked about (``--at`` or now).

    Raises ``_Exit`` with the code after printing why ``--at`` cannot be read.
    """
    settings = _load_settings(dirs)
    tz = _zone(settings)
    try:
        return settings, tz, _instant(args.at, tz)
    except ValueError as error:
        raise _Exit(_fail(str(error))) from None


class _Exit(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def _status(args: argparse.Namespace, dirs: AppDirs) -> int:
    settings, tz, at = _settings_at(args, dirs)
    report: Mapping[str, Any] | None = None
    if args.at is None:
        reply = _ask_app(dirs, cmd.Status())
        if reply is not None and reply.ok:
            report = reply.status
        elif reply is not None:  # e.g. a socket of another user: say so, then the files' plan
            print(f"boundaries: {reply.message}", file=sys.stderr)
    if report is None:
        from boundaries.core.report import status_report
        from boundaries.integrations.state_file import StateFile

        report = status_report(settings, StateFile(dirs.state).read(), at, tz)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        _print_status_text(report, settings.general.time_format)
    return EXIT_OK


def _team(args: argparse.Namespace, dirs: AppDirs) -> int:
    settings, tz, at = _settings_at(args, dirs)
    if args.json:
        from boundaries.core.report import team_report

        print(json.dumps(team_report(settings, at, tz), indent=2))
        return EXIT_OK
    from boundaries.core.team_view import overlap_line, teammate_lines

    if not settings.team:
        print("No teammates yet: add them in Settings > Team or in settings.toml ([[team]]).")
        return EXIT_OK
    print(overlap_line(settings, at, tz))
    for line in teammate_lines(settings, at, tz):
        print(line)
    return EXIT_OK


def _read_team_file(path: Path) -> Any:
    """The parsed team file, or ``None`` after printing why it cannot be read."""
    from boundaries.core.team_file import format_for, parse_team

    try:
        kind = format_for(path.name)
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        _fail(f"{path} is not UTF-8 text; save it as UTF-8 CSV or TOML")
        return None
    except ValueError as error:
        _fail(str(error))
        return None
    except OSError as error:
        _fail(f"cannot read {path}: {error.strerror or error}")
        return None
    return parse_team(text, kind)


def _team_import(path: Path, save: bool, dirs: AppDirs) -> int:
    parsed = _read_team_file(path)
    if parsed is None:
        return EXIT_USAGE
    settings = (
        _load_settings_to_edit(dirs, "team") if save else _load_settings(dirs, with_agreement=False)
    )
    if settings is None:
        return EXIT_USAGE
    for row in parsed.bad_rows:
        print(f"{path}:{row.line}: {row.reason}", file=sys.stderr)
    if not parsed.teammates:
        return _fail(f"no teammates to import from {path}")
    from dataclasses import replace

    from boundaries.core.team_file import merge_team

    merged = merge_team(settings.team, parsed.teammates)
    added, updated = ("Added", "Updated") if save else ("Would add", "Would update")
    for verb, names in ((added, merged.added), (updated, merged.updated)):
        if names:
            print(f"{verb} {len(names)}: {', '.join(names)}")
    if merged.unchanged:
        print(f"Already the same {len(merged.unchanged)}: {', '.join(merged.unchanged)}")
    if parsed.bad_rows:
        print(f"Skipped {len(parsed.bad_rows)} bad row(s), listed above.")
    if not merged.added and not merged.updated:
        print("Nothing to change.")
        return EXIT_OK
    if not save:
        print(f"Nothing saved yet: run `boundaries team import {path} --yes` to save this.")
        return EXIT_OK
    from boundaries.integrations.config_store import ConfigStore, ConfigWriteError

    store = ConfigStore(dirs.config)
    try:
        store.save(replace(settings, team=merged.team), before=settings)
    except ConfigWriteError as error:
        return _fail(str(error), EXIT_APP)
    print(f"Saved to {store.path}.")
    return EXIT_OK


def _team_export(path: Path, dirs: AppDirs) -> int:
    from boundaries.core.team_file import format_for, render_team_csv, render_team_toml

    try:
        kind = format_for(path.name)
    except ValueError as error:
        return _fail(str(error))
    # The personal team only, and all of it: a teammate left out for a broken value would be
    # missing from the exported file.
    settings = _load_settings_to_edit(dirs, "team")
    if settings is None:
        return EXIT_USAGE
    from boundaries.integrations.atomic import atomic_write_text

    render = render_team_csv if kind == "csv" else render_team_toml
    try:
        atomic_write_text(path, render(settings.team), 0o644)
    except OSError as error:
        return _fail(f"cannot write {path}: {error.strerror or error}", EXIT_APP)
    print(f"Wrote {len(settings.team)} teammate(s) to {path}.")
    return EXIT_OK


def _convert(args: argparse.Namespace, dirs: AppDirs) -> int:
    settings = _load_settings(dirs)
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
            if not store.delete():
                print("No Slack token was stored; nothing to remove.")
                return EXIT_OK
            print("Slack token removed from the keyring.")
        else:
            if sys.stdin.isatty():
                import getpass

                token = getpass.getpass("Slack user token (xoxp-…, not shown): ")
            else:
                token = sys.stdin.readline()
            store.set(token)
            print("Slack token saved in the keyring.")
    except InvalidToken as error:  # bad input
        return _fail(str(error), EXIT_USAGE)
    except KeyringUnavailable as error:
        return _fail(str(error), EXIT_APP)
    reply = _ask_app(dirs, cmd.SlackResync())
    if reply is not None and reply.ok:
        print("The running app uses it now.")
    return EXIT_OK


def _report(args: argparse.Namespace, dirs: AppDirs) -> int:
    """The weekly numbers from history.sqlite3, read-only (works without the app; exit 1 if
    the history file is damaged or from a newer version)."""
    if not 1 <= args.weeks <= 52:
        return _fail("--weeks must be between 1 and 52")
    settings = _load_settings(dirs)
    from datetime import timedelta

    from boundaries.core.workday_summary import recent_range, report, report_lines, week_start
    from boundaries.integrations.history import HistoryUnavailable, read_records

    tz = _zone(settings)
    today = datetime.now(UTC).astimezone(tz).date()
    first = min(recent_range(today)[0], week_start(today) - timedelta(weeks=args.weeks - 1))
    try:
        records = read_records(dirs.state, first, today)
    except HistoryUnavailable as error:
        return _fail(str(error), EXIT_APP)
    data = report(records, today, args.weeks, settings, tz)
    print(json.dumps(data, indent=2) if args.json else "\n".join(report_lines(data)))
    return EXIT_OK
