"""``boundaries settings check [FILE]`` and ``boundaries settings defaults``.

Both work without the running app and write nothing: ``check`` is for a hand edit (or a
dotfiles repo's CI) before the app sees it, ``defaults`` prints the commented file a new user
gets, every setting with its default and what it does.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_USAGE = 0, 2


def add_settings_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    settings = sub.add_parser(
        "settings", parents=[common], help="check a settings file, or print the defaults"
    )
    actions = settings.add_subparsers(dest="settings_action", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check",
        parents=[common],
        help="say what is wrong in a settings file (default: yours), by line",
        description="Print FILE:LINE: path: reason for each problem; exit 0 if there is none, "
        "2 if there are. Nothing is written.",
    )
    check.add_argument("file", metavar="FILE", type=Path, nargs="?", help="default: yours")
    actions.add_parser(
        "defaults", parents=[common], help="print a commented settings file with every default"
    )


def run_settings(args: argparse.Namespace, config_dir: Path) -> int:
    from boundaries.integrations.config_store import ConfigStore

    store = ConfigStore(config_dir)
    if args.settings_action == "defaults":
        from boundaries.core.settings import Settings
        from boundaries.core.settings_doc import render_template

        sys.stdout.write(render_template(Settings()))
        return EXIT_OK
    path: Path = args.file or store.path
    if args.file is None and not path.exists() and not path.is_symlink():
        print(f"{path}: no settings file yet; Boundaries uses the defaults")
        return EXIT_OK
    result = store.check(path)
    if result.ok:
        print(f"{path}: no problems")
        return EXIT_OK
    for problem in result.problems:
        where = f"{path}:{problem.line}" if problem.line else str(path)
        what = f"{problem.path}: {problem.reason}" if problem.path else problem.reason
        print(f"{where}: {what}", file=sys.stderr)
    return EXIT_USAGE
