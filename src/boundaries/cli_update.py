"""``boundaries update draft|post|list`` and ``boundaries slack setup``: standalone, no Qt.

They read the same files the app writes (the draft, the week files, the history, read-only),
so they work with or without the app running. Weeks are the user's own ISO weeks in the
user's zone.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from boundaries.integrations.paths import AppDirs

EXIT_OK, EXIT_APP, EXIT_USAGE = 0, 1, 2


def add_update_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    update = sub.add_parser("update", parents=[common], help="the weekly async update")
    actions = update.add_subparsers(dest="update_action", metavar="ACTION", required=True)
    draft = actions.add_parser(
        "draft", parents=[common], help="print this week's draft and the week's hints"
    )
    draft.add_argument("--week", metavar="YYYY-Www", help="another week, like 2026-W49")
    draft.add_argument("--json", action="store_true", help="machine-readable output")
    post = actions.add_parser(
        "post",
        parents=[common],
        help="post the draft (or FILE, or - for standard input) to Slack as you",
    )
    post.add_argument("file", metavar="FILE", nargs="?", help="text to post; - reads stdin")
    post.add_argument("--channel", metavar="CHANNEL", help="default: update.channel")
    post.add_argument("--at", metavar="ISO-8601", help="have Slack post it at this time")
    actions.add_parser("list", parents=[common], help="the updates kept, newest first")


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"boundaries: {message}", file=sys.stderr)
    return code


def _settings(dirs: AppDirs) -> Any:
    from boundaries.integrations.config_store import ConfigStore

    result = ConfigStore(dirs.config).load()
    if not result.ok:
        print(f"boundaries: {result.message()}", file=sys.stderr)
        return None
    return result.settings


def run_update(args: argparse.Namespace, dirs: AppDirs) -> int:
    settings = _settings(dirs)
    if settings is None:
        return EXIT_USAGE
    from boundaries.integrations.system_zone import user_zone
    from boundaries.integrations.update_store import UpdateStore

    tz = user_zone(settings.general.timezone)
    now = datetime.now(UTC).astimezone(tz)
    store = UpdateStore(dirs.state)
    if args.update_action == "list":
        return _list(store)
    if args.update_action == "draft":
        return _draft(args, dirs, store, settings, tz, now)
    return _post(args, store, settings, tz, now)


def _list(store: Any) -> int:
    past = store.past()
    if not past:
        print("No updates kept yet.")
    for item in past:
        print(f"{item.week}  {item.path}")
    return EXIT_OK


def _draft(
    args: argparse.Namespace, dirs: AppDirs, store: Any, settings: Any, tz: Any, now: datetime
) -> int:
    from boundaries.core.weekly_update import Draft, IsoWeek, hints, week_figures
    from boundaries.integrations.history import HistoryUnavailable, read_records

    try:
        week = IsoWeek.parse(args.week) if args.week else IsoWeek.containing(now, tz)
    except ValueError as error:
        return _fail(f"--week: {error}")
    saved = store.load_draft()
    draft = saved if saved is not None and saved.week == week else Draft(week)
    try:
        records = read_records(dirs.state, week.monday, week.sunday)
    except HistoryUnavailable as error:
        print(f"boundaries: note: {error}; no hints", file=sys.stderr)
        records = []
    figures = week_figures(records, week, settings, tz)
    if args.json:
        print(json.dumps({**draft.to_json(), "hints": figures.to_json()}, indent=2))
        return EXIT_OK
    from boundaries.core.timefmt import format_day

    span = f"{format_day(week.monday)} to {format_day(week.sunday)} {week.sunday.year}"
    print(f"Week {week} ({span}, {tz.key})")  # locale-independent, like the app's texts
    for key, label in (("shipped", "Shipped"), ("next", "Next week"), ("blockers", "Blockers")):
        print(f"\n{label}:\n{getattr(draft, key).strip() or '(empty)'}")
    found = hints(figures)
    if found:
        print("\nHints (not in the update unless you add them):")
        for hint in found:
            print(f"  - {hint.text}{'  [private]' if hint.private else ''}")
    return EXIT_OK


def _read_text(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    return Path(name).read_text(encoding="utf-8")


def _post(args: argparse.Namespace, store: Any, settings: Any, tz: Any, now: datetime) -> int:
    from dataclasses import replace

    from boundaries.core.weekly_update import IsoWeek, parse_post_at
    from boundaries.integrations.secrets import InvalidToken, KeyringUnavailable, TokenStore
    from boundaries.integrations.slack import POST_TIMEOUT_S, SlackError, default_client
    from boundaries.integrations.update_slack import post_draft, post_text

    channel = (args.channel or settings.update.channel).strip()
    if not channel:
        return _fail("no channel: pass --channel C0123ABC or set update.channel in Settings")
    try:
        at = parse_post_at(args.at, tz, now) if args.at else None
    except ValueError as error:
        return _fail(f"--at: {error}")
    text: str | None = None
    if args.file is not None:
        try:
            text = _read_text(args.file)
        except (OSError, UnicodeDecodeError) as error:
            return _fail(f"cannot read {args.file}: {error}")
        if not text.strip():
            return _fail("nothing to post: the text is empty")
    draft = store.load_draft()
    if text is None and (draft is None or draft.is_empty):
        return _fail("no draft to post: write one in the update window, or pass FILE or -")
    try:
        token = TokenStore().get()
    except KeyringUnavailable as error:
        return _fail(str(error), EXIT_APP)
    if not token:
        return _fail("no Slack token: run `boundaries slack login` first", EXIT_APP)
    try:
        client = default_client(token, settings.slack.api_url, POST_TIMEOUT_S)
    except (ValueError, InvalidToken) as error:
        return _fail(str(error), EXIT_APP)
    try:
        if text is not None:
            posted = post_text(client, channel, text.strip(), at)
            week = IsoWeek.containing(now, tz)
            kept = store.keep(week, f"{text.strip()}\n\n_{posted.sentence()}_\n")
            posted = replace(posted, kept=kept)
        else:
            posted = post_draft(store, client, draft, channel, at)
    except SlackError as error:
        return _fail(f"{error} The draft is kept.", EXIT_APP)
    finally:
        client.close()
    print(posted.sentence())
    if posted.kept is not None:
        print(f"Kept as {posted.kept}.")
    return EXIT_OK


def run_slack_setup(print_only: bool) -> int:
    """Print the create-app address and open it, unless ``print_only``."""
    from boundaries.integrations.slack_manifest import create_app_url, user_scopes

    url = create_app_url()
    print(
        "Create the Boundaries Slack app in one step (user scopes: "
        + ", ".join(user_scopes())
        + "):"
    )
    print(url)
    print(
        "Then: pick your workspace, Create, Install to Workspace, copy the User OAuth Token "
        "(xoxp-…) and run `boundaries slack login`."
    )
    if not print_only:
        import webbrowser

        if not webbrowser.open(url):
            print(
                "boundaries: no web browser could be opened; open the address above.",
                file=sys.stderr,
            )
    return EXIT_OK
