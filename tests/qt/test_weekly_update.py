"""The weekly update in the running app: reminder, window, draft on disk, Slack, Settings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from boundaries.app.agent_client import SlackAgentClient
from boundaries.app.application import BoundariesApp
from boundaries.app.weekly_update import WeeklyUpdateService
from boundaries.core.kinds import NotificationAction, NotificationKind
from boundaries.core.weekly_update import Draft, IsoWeek
from boundaries.core.workday_record import FocusSession
from boundaries.integrations.notify import Notification
from boundaries.integrations.secrets import TokenStore
from boundaries.integrations.update_store import UpdateStore
from boundaries.ui.weekly_update import WeeklyUpdateWindow
from tests.fakes.slack_api import FAKE_TOKEN, FakeSlack
from tests.qt.settings_in_process import InProcessSettings, open_settings

BERLIN = ZoneInfo("Europe/Berlin")
FRIDAY = datetime(2026, 12, 11, 16, 20, tzinfo=BERLIN)  # ten minutes before the reminder
WEEK = IsoWeek.parse("2026-W50")
SETTINGS = '[general]\ntimezone = "Europe/Berlin"\n[update]\nchannel = "#team-updates"\n'


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def start_app(qtbot: QtBot, tmp_path: Path) -> Iterator[object]:
    """``start_app(clock, settings)``: the real app with a clock the test moves."""
    from PySide6.QtWidgets import QApplication

    from boundaries.integrations.config_store import ConfigStore
    from boundaries.integrations.paths import resolve_dirs

    apps: list[BoundariesApp] = []
    stopped: list[BoundariesApp] = []

    def start(clock: Clock, settings: str = SETTINGS, **injected: object) -> BoundariesApp:
        dirs = resolve_dirs(tmp_path / "config")
        dirs.config.mkdir(parents=True, exist_ok=True)
        path = dirs.config / "settings.toml"
        if not path.exists() or path.read_text() != settings:  # a restart leaves it alone
            path.write_text(settings)
        qapp = QApplication.instance()
        assert isinstance(qapp, QApplication)
        injected.setdefault("settings_window", InProcessSettings)
        app = BoundariesApp(qapp, dirs, ConfigStore(dirs.config).load(), clock=clock, **injected)
        notes: list[Notification] = []
        app.notes = notes  # type: ignore[attr-defined]
        app.notifier.notify = notes.append  # type: ignore[method-assign]
        app.start()
        apps.append(app)
        original = app.shutdown

        def shutdown_once() -> None:
            stopped.append(app)
            original()

        app.shutdown = shutdown_once  # type: ignore[method-assign]
        return app

    yield start
    for app in apps:
        if app not in stopped:
            app.shutdown()


def test_the_friday_reminder_is_a_notification_that_opens_the_window(
    start_app: object, qtbot: QtBot
) -> None:
    clock = Clock(FRIDAY)
    app = start_app(clock)  # type: ignore[operator]
    assert app.planner.next_wake == datetime(2026, 12, 11, 16, 30, tzinfo=BERLIN)
    clock.now = FRIDAY + timedelta(minutes=10)
    app.controller.wake("due")
    qtbot.waitUntil(lambda: bool(app.notes))  # past the hold gate (nothing holds here)
    (note,) = [n for n in app.notes if n.tag is NotificationKind.UPDATE]
    assert note.title == "Weekly update"
    assert note.actions == ((NotificationAction.OPEN, "Write it"),)
    app._on_notification_clicked(NotificationKind.UPDATE.value, NotificationAction.OPEN.value)
    window = app._weekly_window
    assert isinstance(window, WeeklyUpdateWindow)
    qtbot.waitUntil(lambda: window.fields["shipped"].isEnabled())
    assert window.windowTitle() == "Weekly update 2026-W50"


def test_no_reminder_during_focus_it_waits_for_the_focus_to_end(
    start_app: object, qtbot: QtBot
) -> None:
    clock = Clock(FRIDAY)
    app = start_app(clock)  # type: ignore[operator]
    app.controller.start_focus_minutes(25)  # until 16:45
    clock.now = FRIDAY + timedelta(minutes=11)
    app.controller.wake("due")
    assert [n for n in app.notes if n.tag is NotificationKind.UPDATE] == []
    clock.now = FRIDAY + timedelta(minutes=20)
    app.controller.end_focus()
    qtbot.waitUntil(lambda: bool(app.notes))  # past the hold gate (nothing holds here)
    assert [n.tag for n in app.notes if n.tag is NotificationKind.UPDATE] == ["update"]


def quit_while_a_reminder_waits_for_focus(start_app: object, qtbot: QtBot, clock: Clock) -> None:
    """Focus 16:20-16:45; the 16:30 reminder waits for its end; the app quits at 16:31 (a
    crash loses nothing more: the state was written when it changed)."""
    app = start_app(clock)  # type: ignore[operator]
    qtbot.waitUntil(lambda: app.server is not None)  # started up
    app.controller.start_focus_minutes(25)
    clock.now = FRIDAY + timedelta(minutes=11)
    app.controller.wake("due")
    assert [n for n in app.notes if n.tag is NotificationKind.UPDATE] == []
    app.shutdown()


def test_a_reminder_waiting_for_focus_to_end_survives_a_restart(
    start_app: object, qtbot: QtBot
) -> None:
    clock = Clock(FRIDAY)
    quit_while_a_reminder_waits_for_focus(start_app, qtbot, clock)
    clock.now = FRIDAY + timedelta(minutes=20)
    again = start_app(clock)  # type: ignore[operator]
    qtbot.waitUntil(lambda: again.server is not None)
    assert again.controller.state.focusing
    assert [n for n in again.notes if n.tag is NotificationKind.UPDATE] == []
    clock.now = FRIDAY + timedelta(minutes=26)
    again.controller.wake("due")  # the focus is over
    qtbot.waitUntil(lambda: bool(again.notes))
    assert [n.tag for n in again.notes if n.tag is NotificationKind.UPDATE] == ["update"]
    assert again.controller.state.update_reminder_held is None


def test_a_kept_reminder_is_shown_at_start_after_its_focus_but_never_in_the_next_week(
    start_app: object, qtbot: QtBot
) -> None:
    clock = Clock(FRIDAY)
    quit_while_a_reminder_waits_for_focus(start_app, qtbot, clock)
    clock.now = FRIDAY + timedelta(minutes=40)  # the focus ended while the app was off
    later = start_app(clock)  # type: ignore[operator]
    qtbot.waitUntil(lambda: bool(later.notes) and later.server is not None)
    assert [n.tag for n in later.notes if n.tag is NotificationKind.UPDATE] == ["update"]
    later.controller.start_focus_minutes(25)
    clock.now = FRIDAY + timedelta(minutes=41)
    later.controller.hold_update_reminder(FRIDAY + timedelta(minutes=10))  # back from a hold
    later.shutdown()

    clock.now = FRIDAY + timedelta(days=3)  # Monday: last week's update is history
    monday = start_app(clock)  # type: ignore[operator]
    qtbot.waitUntil(lambda: monday.server is not None)
    assert [n for n in monday.notes if n.tag is NotificationKind.UPDATE] == []
    assert monday.controller.state.update_reminder_held is None


def test_typed_text_survives_a_restart(start_app: object, qtbot: QtBot) -> None:
    app = start_app(Clock(FRIDAY))  # type: ignore[operator]
    app.open_weekly_update()
    window = app._weekly_window
    assert isinstance(window, WeeklyUpdateWindow)
    qtbot.waitUntil(lambda: window.fields["shipped"].isEnabled())
    qtbot.keyClicks(window.fields["shipped"], "Billing export")
    qtbot.keyClicks(window.fields["blockers"], "Waiting on API keys")
    assert "Billing export" in window.preview.toMarkdown()
    app.shutdown()  # Quit: the writer finishes; nothing is lost

    again = start_app(Clock(FRIDAY + timedelta(hours=1)))  # type: ignore[operator]
    again.open_weekly_update()
    restored = again._weekly_window
    assert isinstance(restored, WeeklyUpdateWindow)
    qtbot.waitUntil(lambda: restored.fields["shipped"].toPlainText() == "Billing export")
    assert restored.fields["blockers"].toPlainText() == "Waiting on API keys"


def test_hints_are_offered_not_included_and_private_ones_say_so(
    start_app: object, qtbot: QtBot
) -> None:
    app = start_app(Clock(FRIDAY))  # type: ignore[operator]
    start = datetime(2026, 12, 8, 9, 0, tzinfo=BERLIN)
    session = FocusSession(start, start + timedelta(hours=2), start + timedelta(hours=2), False)
    app.history.record_focus(start.date(), session)
    app.open_weekly_update()
    window = app._weekly_window
    assert isinstance(window, WeeklyUpdateWindow)
    qtbot.waitUntil(lambda: window.hints.count() > 0 and window.hints.item(0).text() != "")
    texts = [window.hints.item(i).text() for i in range(window.hints.count())]
    assert "• 2 hours of focus time this week" in texts
    assert "focus" not in window.draft().shipped and "focus" not in window.preview.toPlainText()
    window.hints.setCurrentRow(texts.index("• 2 hours of focus time this week"))
    window.insert_hint()
    assert window.fields["shipped"].toPlainText() == "- 2 hours of focus time this week"


def test_private_hints_are_marked(qtbot: QtBot, tmp_path: Path) -> None:
    from boundaries.core.weekly_update import Hint

    window = WeeklyUpdateWindow(_StaticService(tmp_path), _InlineWorkers(), WEEK)
    qtbot.addWidget(window)
    window._show_hints([Hint("late_days", "signed off on time on 4 of 5 days", private=True)])
    assert window.hints.item(0).text() == "• signed off on time on 4 of 5 days (private)"
    assert "signed off" not in window.preview.toPlainText()


def test_post_later_and_the_week_read_in_the_users_time_format(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = WeeklyUpdateWindow(_StaticService(tmp_path), _InlineWorkers(), WEEK, time_format="12h")
    qtbot.addWidget(window)
    assert window.post_later.text() == "Post &later (Mon 4:20 PM CET)"  # FRIDAY + 3 days
    assert "Mon 7 Dec to Sun 13 Dec" in window.week_label.text()


def test_post_to_slack_confirms_keeps_the_week_and_clears_the_draft(
    start_app: object,
    qtbot: QtBot,
    fake_slack: FakeSlack,
    tmp_path: Path,
    agent: SlackAgentClient,
    agent_store: TokenStore,
) -> None:
    agent_store.set(FAKE_TOKEN)  # the agent posts with the token from the keyring
    settings = SETTINGS + f'[slack]\nenabled = true\napi_url = "{fake_slack.url}"\n'
    app = start_app(Clock(FRIDAY), settings)  # type: ignore[operator]
    service = WeeklyUpdateService(
        app.dirs.state,
        lambda: app.controller.settings,
        lambda: app.controller.tz,
        app.controller.now,
        app.history,
        agent=agent,
    )
    app._weekly = service
    fake_slack.fail_next("ratelimited", method="chat.postMessage", retry_after=90)
    app.open_weekly_update()
    window = app._weekly_window
    assert isinstance(window, WeeklyUpdateWindow)
    qtbot.waitUntil(lambda: window.fields["shipped"].isEnabled())
    qtbot.keyClicks(window.fields["shipped"], "Billing export")
    window.post_now.click()
    # slack_sdk waits Retry-After up to 30 s; 90 s is handed back: the window retries later.
    qtbot.waitUntil(lambda: "retrying in 90 s" in window.status.text(), timeout=15_000)
    assert "draft is kept" in window.status.text()
    assert UpdateStore(app.dirs.state).load_draft() == Draft(WEEK, shipped="Billing export")
    window._retry.start(0)  # the retry, without waiting 90 s
    with qtbot.waitSignal(window.posted, timeout=15_000):
        pass
    assert window.status.text().startswith("Posted to #team-updates.")
    (message,) = fake_slack.posted()
    assert message.channel == "C0TEAM" and "• Billing export" in message.text
    store = UpdateStore(app.dirs.state)
    assert "Billing export" in store.read(WEEK)
    qtbot.waitUntil(lambda: window.past.count() == 1)
    assert window.fields["shipped"].toPlainText() == ""


def test_settings_has_the_update_section_and_opens_slacks_create_app_page(
    start_app: object, qtbot: QtBot
) -> None:
    from boundaries.integrations.slack_manifest import create_app_url

    opened: list[str] = []
    app = start_app(  # type: ignore[operator]
        Clock(FRIDAY), settings_window=lambda app: InProcessSettings(app, opened.append)
    )
    dialog = open_settings(app)
    page = dialog.slack_page  # type: ignore[union-attr]
    assert page.fields["update.channel"].raw() == "#team-updates"
    assert page.fields["update.reminder_day"].raw() == "fri"
    page.create_app.click()
    assert opened == [create_app_url()]


class _InlineWorkers:
    def submit(self, fn, on_done=None, on_error=None, context=None):  # type: ignore[no-untyped-def]
        try:
            result = fn()
        except Exception as error:
            if on_error is not None:
                on_error(error)
            return None
        if on_done is not None:
            on_done(result)
        return None


class _StaticService:
    def __init__(self, tmp_path: Path) -> None:
        self.store = UpdateStore(tmp_path)

    def keep_draft(self, draft: Draft) -> None:
        self.store.save_draft(draft)

    def load_draft(self) -> Draft | None:
        return None

    def hints(self, week: IsoWeek) -> list[object]:
        return []

    def channel(self) -> str:
        return ""

    def post_later_time(self) -> datetime:
        return FRIDAY + timedelta(days=3)

    def post(self, draft: Draft, at: datetime | None) -> str:
        raise AssertionError("not posted")

    def past(self) -> list[IsoWeek]:
        return []

    def read_past(self, week: IsoWeek) -> str:
        return ""
