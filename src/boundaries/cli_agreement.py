"""``boundaries agreement check|show|export-ics|init``: the team agreement from the command line.

``check`` is for the team's CI (exit 0/2, ``FILE:LINE: path: reason``); ``show`` answers "who
is around and when do we overlap" from the agreement; ``export-ics`` writes a calendar so
calendars stop offering focus time for meetings; ``init`` starts a file from the current team.
None of them needs the running app, and none ever writes over an existing file.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_APP, EXIT_USAGE = 0, 1, 2


def add_agreement_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    agreement = sub.add_parser(
        "agreement", parents=[common], help="the team agreement: check, show, export, start one"
    )
    actions = agreement.add_subparsers(dest="agreement_action", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check",
        parents=[common],
        help="check an agreement file (for the team's CI)",
        description="Print FILE:LINE: path: reason per problem (exit 2) and warnings about days "
        "with no common window or unknown zones (exit 0). Nothing is written.",
    )
    check.add_argument("file", metavar="FILE", type=Path)
    show = actions.add_parser(
        "show", parents=[common], help="members' local time and status, team blocks, overlap"
    )
    show.add_argument("--json", action="store_true", help="machine-readable output")
    show.add_argument("--at", metavar="ISO-8601", help="answer for this instant instead of now")
    show.add_argument("--file", metavar="FILE", type=Path, help="default: the one in Settings")
    export = actions.add_parser(
        "export-ics", parents=[common], help="members' hours and team focus blocks as .ics"
    )
    export.add_argument("output", metavar="FILE", type=Path, help="the .ics file to write")
    export.add_argument("--file", metavar="FILE", type=Path, help="default: the one in Settings")
    init = actions.add_parser(
        "init", parents=[common], help="write a commented starting agreement from your team"
    )
    init.add_argument("file", metavar="FILE", type=Path, help="e.g. team.boundaries.toml")
    init.add_argument("--me", metavar="NAME", help="your name in it (default: your login)")


def run_agreement(args: argparse.Namespace, config_dir: Path) -> int:
    action = args.agreement_action
    if action == "check":
        return _check(args.file)
    if action == "init":
        return _init(args.file, args.me, config_dir)
    if action == "show":
        return _show(args, config_dir)
    return _export(args, config_dir)


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"boundaries: {message}", file=sys.stderr)
    return code


def _today() -> date:
    return datetime.now(UTC).date()


def _check(path: Path) -> int:
    from boundaries.integrations.agreement_file import load_agreement

    load = load_agreement(path, _today())
    for line in load.lines(load.problems):
        print(line, file=sys.stderr)
    for line in load.lines(load.warnings, prefix="warning: "):
        print(line)
    if load.ok and not load.warnings:
        print(f"{path}: no problems")
    return EXIT_OK if load.ok else EXIT_USAGE


def _file_settings(config_dir: Path) -> Any:
    from boundaries.integrations.config_store import ConfigStore

    return ConfigStore(config_dir).load()


def _chosen_agreement(args: argparse.Namespace, config_dir: Path) -> tuple[Any, Any, Path] | int:
    """(settings file result, agreement, path) for show/export, or an exit code."""
    from boundaries.integrations.agreement_file import agreement_path, load_agreement

    result = _file_settings(config_dir)
    if not result.ok:
        return _fail(result.message())
    path = args.file or agreement_path(result.settings, config_dir)
    if path is None:
        return _fail(
            "no team agreement is set: pass --file FILE, or set [agreement] file in Settings"
        )
    load = load_agreement(path, _today())
    for line in load.lines(load.problems):
        print(line, file=sys.stderr)
    if load.agreement is None:
        return EXIT_USAGE
    return result, load.agreement, path


def _show(args: argparse.Namespace, config_dir: Path) -> int:
    from boundaries.core.agreement import apply_agreement
    from boundaries.core.agreement_view import agreement_report, agreement_text
    from boundaries.integrations.system_zone import user_zone

    chosen = _chosen_agreement(args, config_dir)
    if isinstance(chosen, int):
        return chosen
    result, agreement, path = chosen
    settings = apply_agreement(result.settings, agreement, result.explicit)
    tz = user_zone(settings.general.timezone)
    from boundaries.cli import _instant  # the one reading of --at, shared with status/team

    try:
        at = _instant(args.at, tz)
    except ValueError as error:
        return _fail(str(error))
    report = agreement_report(agreement, settings, at, tz)
    report["file"] = str(path)
    if args.json:
        json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(agreement_text(report, settings.general.time_format))
    return EXIT_OK


def _export(args: argparse.Namespace, config_dir: Path) -> int:
    from boundaries.core.agreement_ics import agreement_calendar
    from boundaries.integrations.atomic import atomic_write_bytes

    chosen = _chosen_agreement(args, config_dir)
    if isinstance(chosen, int):
        return chosen
    _result, agreement, _path = chosen
    output: Path = args.output
    if output.suffix.lower() != ".ics":
        return _fail(f"{output}: a calendar file ends in .ics")
    now = datetime.now(UTC)
    data = agreement_calendar(agreement, now.date(), now)
    try:
        atomic_write_bytes(output, data, 0o644)  # meant to be shared: readable by others
    except OSError as error:
        return _fail(f"cannot write {output}: {error.strerror or error}", EXIT_APP)
    members, blocks = len(agreement.members), len(agreement.focus_blocks)
    print(
        f"Wrote {output}: the working hours of {members} member{'s' if members != 1 else ''}"
        f" and {blocks} team focus block{'s' if blocks != 1 else ''}."
    )
    return EXIT_OK


def _init(path: Path, me: str | None, config_dir: Path) -> int:
    import getpass

    from boundaries.core.agreement import Agreement, starting_agreement
    from boundaries.core.settings_doc import render_document
    from boundaries.integrations.atomic import atomic_write_text
    from boundaries.integrations.system_zone import user_zone

    if path.exists() or path.is_symlink():
        return _fail(f"{path} already exists; Boundaries never writes over a team's file")
    result = _file_settings(config_dir)
    if not result.ok:
        return _fail(result.message())
    settings = result.settings
    name = me or settings.agreement.me or getpass.getuser()
    zone = settings.general.timezone or str(user_zone(""))
    agreement = starting_agreement(replace(settings), name, zone)
    text = render_document(Agreement, agreement, _INIT_HEADER)
    try:
        atomic_write_text(path, text, 0o644)
    except OSError as error:
        return _fail(f"cannot write {path}: {error.strerror or error}", EXIT_APP)
    count = len(agreement.members)
    print(
        f"Wrote {path} with {count} member{'s' if count != 1 else ''}. Edit it, commit it to "
        f'the team\'s repo, and set [agreement] file = "{path.resolve()}" (and me = "{name}").'
    )
    return EXIT_OK


_INIT_HEADER = """\
# The team's working agreement for Boundaries: keep it in the team's repo, change it by review.
# Every member's app reads it: `boundaries agreement check FILE` in CI says what is wrong.
# Times are 24-hour HH:MM; days are mon tue wed thu fri sat sun; zones are IANA names.
"""
