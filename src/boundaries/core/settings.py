"""The settings schema: every setting of ``settings.toml``, declared once.

Each field below is one setting: its type, default, kind (which carries its bounds), its
one-line description and its label in the Settings window. Parsing, validation, the TOML
form, the changed keys a save writes, the commented template, the README's reference and the
Settings window's generic rows all come from these declarations (:mod:`boundaries.core.schema`).

Adding a setting is one ``setting(...)`` line in the right class; a hand-made widget is needed
only when its kind has no generic editor (``"custom"``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, time
from typing import TYPE_CHECKING, Any, Literal

from boundaries.core.limits import STATUS_TEXT_MAX
from boundaries.core.schema import (
    Choice,
    Clock,
    Day,
    Days,
    DayTimes,
    Duration,
    Emoji,
    Flag,
    HoursRange,
    Number,
    Numbers,
    SettingsProblem,
    TableList,
    Text,
    Version,
    WebAddress,
    Zone,
    dump_table,
    parse_table,
    section,
    setting,
    table_rules,
)
from boundaries.core.timefmt import format_time

if TYPE_CHECKING:  # loaded with the team agreement, not at start
    from boundaries.core.meeting_spec import Meeting

__all__ = [
    "CURRENT_VERSION",
    "DEFAULT_FOCUS_BLOCKS",
    "DEFAULT_SLACK_API_URL",
    "MAX_FOCUS_BLOCKS",
    "MAX_TEAMMATES",
    "STATUS_PLACEHOLDERS",
    "WORKWEEK",
    "AgreementSettings",
    "Away",
    "FocusBlock",
    "FocusSettings",
    "GeneralSettings",
    "Norms",
    "QuietSettings",
    "Settings",
    "SettingsProblem",
    "SignoffSettings",
    "SlackSettings",
    "Teammate",
    "TimeFormat",
    "UpdateSettings",
    "WorkdaySettings",
    "parse_settings",
    "settings_to_dict",
]

CURRENT_VERSION = 1
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
WORKWEEK: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")
TimeFormat = Literal["24h", "12h"]

# Bounds, each defined once.
MINUTES_PER_DAY = 24 * 60
MAX_ESCALATIONS = 10
MAX_FOCUS_BLOCKS = 200
MAX_TEAMMATES = 300
MAX_NAME = 80
MAX_SLACK_USER = 32
MAX_AWAY = 100
MAX_PATH = 4096
MAX_NORM = 80  # a norm goes into a 100-character Slack status

NO_DAYS = "needs at least one day (a schedule with no days never happens)"

# {end}/{back}: when focus ends / you are back; {reply_within}/{urgent}: the team agreement's norms.
STATUS_PLACEHOLDERS = ("end", "back", "reply_within", "urgent")


@dataclass(frozen=True)
class GeneralSettings:
    """``[general]``: how Boundaries behaves on this desktop."""

    timezone: str = setting(
        "",
        Zone(allow_empty=True),
        'Your IANA time zone, like "Europe/Berlin"; empty means the system\'s.',
        label="Your time &zone",
    )
    time_format: TimeFormat = setting(
        "24h",
        Choice[TimeFormat]((("24h", "24-hour (17:30)"), ("12h", "12-hour (5:30 PM)"))),
        'How times are shown: "24h" or "12h".',
        label="Show &times as",
    )
    notifications: bool = setting(
        True,
        Flag(),
        "Show desktop notifications (heads-up, sign-off nudges).",
        label="Show desktop &notifications",
    )
    sound: bool = setting(
        False,
        Flag(),
        "Play the desktop's message sound with a nudge (where the desktop has one).",
        label="Play a &sound with nudges",
    )
    start_at_login: bool = setting(
        True, Flag(), "Start Boundaries when you log in.", label="Start Boundaries when I &log in"
    )


def _check_workday(workday: WorkdaySettings) -> tuple[WorkdaySettings, list[tuple[str, str]]]:
    """A workday needs days (the times are checked with the whole file: :func:`_check_hours`)."""
    if not workday.days:
        return replace(workday, days=WORKWEEK), [("days", NO_DAYS)]
    return workday, []


def _check_hours(settings: Settings) -> tuple[Settings, list[tuple[str, str]]]:
    """The workday must end after it starts, on every day that has its own sign-off.

    Checked on the whole file, not the ``[workday]`` table alone, so the reason shows the times
    the way the user reads them (``general.time_format``): "5:30 PM must be after 6:00 PM".
    """
    workday, fmt = settings.workday, settings.general.time_format
    problems: list[tuple[str, str]] = []
    start = format_time(workday.start, fmt)
    if workday.signoff <= workday.start:
        problems.append(
            (
                "workday.signoff",
                f"{format_time(workday.signoff, fmt)} must be after the workday start ({start})",
            )
        )
        default = WorkdaySettings()
        workday = replace(workday, start=default.start, signoff=default.signoff)
    kept: dict[str, time] = {}
    for day, at in workday.signoff_by_day.items():
        if at <= settings.workday.start:  # the start as written, which the reason names
            problems.append(
                (
                    f"workday.signoff_by_day.{day}",
                    f"{format_time(at, fmt)} must be after the workday start ({start})",
                )
            )
        else:
            kept[day] = at
    return replace(settings, workday=replace(workday, signoff_by_day=kept)), problems


@table_rules(check=_check_workday)
@dataclass(frozen=True)
class WorkdaySettings:
    """``[workday]``: your working days and when the workday ends."""

    days: tuple[str, ...] = setting(
        WORKWEEK,
        Days(),
        "The days you work; nudges and focus blocks happen only on these.",
        label="Workday",
    )
    start: time = setting(
        time(9, 0),
        Clock(),
        "When your workday starts (also when you are back after signing off).",
        label="Workday &starts at",
    )
    signoff: time = setting(time(17, 30), Clock(), "When you sign off.", label="Sign &off at")
    signoff_by_day: Mapping[str, time] = setting(
        {}, DayTimes(), 'Other sign-off times for some days, like { fri = "16:00" }.'
    )
    heads_up_minutes: int = setting(
        15,
        Number(0, MINUTES_PER_DAY),
        "Minutes before sign-off for the heads-up notification (0 for none).",
        label="&Heads-up before sign-off",
    )
    escalate_after_minutes: tuple[int, ...] = setting(
        (30, 60),
        Numbers(MINUTES_PER_DAY, MAX_ESCALATIONS),
        "Minutes after sign-off to nudge again while you keep working.",
        label="&Remind again after (min)",
    )

    def signoff_on(self, weekday: str) -> time:
        """The sign-off wall time for a weekday key ("mon"...), honouring overrides."""
        return self.signoff_by_day.get(weekday, self.signoff)


def _check_block(block: FocusBlock) -> tuple[FocusBlock, list[tuple[str, str]]]:
    problems = [("days", NO_DAYS)] if not block.days else []
    if block.start == block.end:
        problems.append(("end", "must differ from start"))
    return block, problems


@table_rules(strict=True, check=_check_block)
@dataclass(frozen=True)
class FocusBlock:
    """One ``[[focus.blocks]]`` entry: a focus block on some weekdays."""

    days: tuple[str, ...] = setting(WORKWEEK, Days(), "The days this block happens.")
    start: time = setting(time(9, 0), Clock(), "When the block starts.", required=True)
    end: time = setting(
        time(11, 0),
        Clock(),
        "When it ends (an end before the start runs past midnight).",
        required=True,
    )
    zone: str = setting(
        "",
        Zone(allow_empty=True),
        "The zone start and end are in; empty means each person's own.",
        omit_default=True,
    )
    team: bool = False  # from the team agreement (not a key in any file)


DEFAULT_FOCUS_BLOCKS: tuple[FocusBlock, ...] = (
    FocusBlock(WORKWEEK, time(9, 0), time(11, 0)),
    FocusBlock(WORKWEEK, time(14, 0), time(16, 0)),
)


@dataclass(frozen=True)
class FocusSettings:
    """``[focus]``: the focus blocks, and what focusing does in Slack and the desktop."""

    status_text: str = setting(
        "Focusing until {end} - replies after that; urgent? say 'urgent'",
        Text(STATUS_TEXT_MAX, STATUS_PLACEHOLDERS, limited_by="Slack"),
        "Slack status while focusing; {end} becomes the end time.",
        label="Status &text",
    )
    status_emoji: str = setting(
        ":headphones:",
        Emoji(),
        'Slack status emoji while focusing, like ":headphones:".',
        label="&Emoji",
    )
    pause_notifications: bool = setting(
        True,
        Flag(),
        "Pause Slack notifications (Do Not Disturb) while focusing.",
        label="&Pause Slack notifications (Do Not Disturb)",
    )
    replace_own_status: bool = setting(
        False,
        Flag(),
        "Replace a Slack status you set yourself (normally yours wins).",
        label="Replace a status I &set myself (otherwise it is left alone)",
    )
    silence_desktop: bool = setting(
        False,
        Flag(),
        "Silence the desktop's notifications while focusing (KDE, GNOME, XFCE); put back after.",
        label="Silence the &desktop's notifications while focusing",
    )
    blocks: tuple[FocusBlock, ...] = setting(
        DEFAULT_FOCUS_BLOCKS,
        TableList(FocusBlock, MAX_FOCUS_BLOCKS, "focus blocks"),
        "Weekly focus blocks, one [[focus.blocks]] each; blocks = [] for none.",
    )


@dataclass(frozen=True)
class SignoffSettings:
    """``[signoff]``: what signing off does."""

    set_status: bool = setting(
        True, Flag(), "Set a Slack status when you sign off.", label="Set a status when I sign &off"
    )
    status_text: str = setting(
        "Signed off - back {back}",
        Text(STATUS_TEXT_MAX, STATUS_PLACEHOLDERS, limited_by="Slack"),
        "Slack status after signing off; {back} becomes when you are back.",
        label="Status te&xt",
    )
    status_emoji: str = setting(
        ":house_with_garden:", Emoji(), "Slack status emoji after signing off.", label="Emo&ji"
    )


@table_rules(forbidden={"token": "tokens never go in this file; paste it in Settings > Slack"})
@dataclass(frozen=True)
class SlackSettings:
    """``[slack]``: the optional Slack integration (the token lives in the keyring)."""

    enabled: bool = setting(
        False,
        Flag(),
        "Use Slack for status and Do Not Disturb.",
        label="&Use Slack: set my status and pause notifications",
    )
    api_url: str = setting(
        DEFAULT_SLACK_API_URL,
        WebAddress(),
        "Slack Web API address (change it only for Enterprise Grid or GovSlack).",
        label="API U&RL",
    )


AwayKind = Literal["off", "elsewhere"]


def _check_away(away: Away) -> tuple[Away, list[tuple[str, str]]]:
    """``kind`` follows from ``timezone`` when it is left out; the dates must be in order."""
    if away.end < away.start:
        return away, [("to", f"{away.end} is before the first day away ({away.start})")]
    kind: str = away.kind or ("elsewhere" if away.timezone else "off")
    if kind == "off" and away.timezone:
        return away, [("timezone", 'is only for kind = "elsewhere" (working from another zone)')]
    if kind == "elsewhere" and not away.timezone:
        return away, [("timezone", 'is required for kind = "elsewhere"')]
    return replace(away, kind=kind), []


@table_rules(strict=True, check=_check_away)
@dataclass(frozen=True)
class Away:
    """Dated time away: off, or working from another zone."""

    start: date = setting(
        date(2000, 1, 1), Day(), "The first day away, like 2026-12-21.", key="from", required=True
    )
    end: date = setting(date(2000, 1, 1), Day(), "The last day away.", key="to", required=True)
    kind: str = setting(
        "",
        Choice[AwayKind]((("off", "Off"), ("elsewhere", "Working from another zone"))),
        '"off", or "elsewhere" with a timezone; left out, it follows from timezone.',
        omit_default=True,
    )
    timezone: str = setting(
        "", Zone(allow_empty=True), "Where they work from meanwhile (elsewhere).", omit_default=True
    )

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


_WEEKDAY_CHOICES: tuple[tuple[str, str], ...] = (
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
)
MAX_CHANNEL = 80  # Slack channel names are at most 80 characters; IDs are shorter


@dataclass(frozen=True)
class UpdateSettings:
    """``[update]``: the weekly async update, its reminder and where it is posted."""

    reminder: bool = setting(
        True,
        Flag(),
        "Remind me to write the weekly update (never during focus).",
        label="&Remind me to write my weekly update",
    )
    reminder_day: str = setting(
        "fri",
        Choice[str](_WEEKDAY_CHOICES),
        'The day of the reminder, like "fri".',
        label="Reminder &day",
    )
    reminder_before_signoff: int = setting(
        60,
        Number(0, MINUTES_PER_DAY),
        "Minutes before that day's sign-off for the reminder.",
        label="Reminder &before sign-off",
    )
    channel: str = setting(
        "",
        Text(MAX_CHANNEL, strip=True),
        'Slack channel to post the update to: an ID like "C0123ABC" or "#team-updates".',
        label="Post to &channel",
    )
    post_day: str = setting(
        "mon",
        Choice[str](_WEEKDAY_CHOICES),
        'The day "Post later" schedules the update for, like "mon".',
        label="Post later &on",
    )
    post_time: time = setting(
        time(9, 0), Clock(), 'The time "Post later" schedules it for.', label="Post later &at"
    )
    post_timezone: str = setting(
        "",
        Zone(allow_empty=True),
        'The team\'s time zone for "Post later", like "Europe/London"; empty means yours.',
        label="Team's time &zone",
    )


def _check_teammate(mate: Teammate) -> tuple[Teammate, list[tuple[str, str]]]:
    return mate, [("name", "must not be empty")] if not mate.name else []


@table_rules(strict=True, check=_check_teammate)
@dataclass(frozen=True)
class Teammate:
    """One ``[[team]]`` entry: a teammate, their zone and hours."""

    name: str = setting(
        "", Text(MAX_NAME, strip=True), "Their name, as shown in the menu.", required=True
    )
    timezone: str = setting(
        "",
        Zone(allow_empty=False),
        'Their IANA time zone, like "America/New_York".',
        required=True,
    )
    hours_start: time = setting(
        time(9, 0),
        HoursRange(),
        "Their working hours in their own time zone.",
        key="hours",
        spans=("hours_start", "hours_end"),
    )
    hours_end: time = time(17, 30)  # filled by "hours" above
    days: tuple[str, ...] = setting(
        WORKWEEK, Days(), "Their working days (default mon to fri).", omit_default=True
    )
    slack_user: str = setting(
        "",
        Text(MAX_SLACK_USER, strip=True),
        "Their Slack member ID (optional).",
        omit_default=True,
    )
    away: tuple[Away, ...] = setting(
        (),
        TableList(Away, MAX_AWAY, "periods away"),
        "Dated time away, one table each: off, or working from another zone.",
        omit_default=True,
    )
    from_agreement: bool = False  # listed from the team agreement (not a key in any file)

    def away_on(self, day: date) -> Away | None:
        """The time away that covers a date of theirs, if any."""
        return next((away for away in self.away if away.covers(day)), None)


@dataclass(frozen=True)
class Norms:
    """A team agreement's ``[norms]``; the app reads them into its running settings."""

    reply_within: str = setting(
        "", Duration(), 'How soon replies come during the reader\'s working hours, like "4h".'
    )
    urgent: str = setting("", Text(MAX_NORM, strip=True), "How to reach someone when it is urgent.")
    after_signoff: str = setting(
        "", Text(MAX_NORM, strip=True), "What the team expects after someone signs off."
    )


@dataclass(frozen=True)
class AgreementSettings:
    """``[agreement]``: the team agreement file the team keeps in its repo."""

    file: str = setting(
        "",
        Text(MAX_PATH, strip=True),
        "The team agreement file (e.g. in the team's repo); empty for none.",
        label="Team &agreement file",
    )
    me: str = setting(
        "",
        Text(MAX_NAME, strip=True),
        "Which member of the agreement you are: a name or a Slack member ID.",
        label="I am",
    )


@dataclass(frozen=True)
class QuietSettings:
    """``[quiet]``: nudges held while you present or are in Do Not Disturb."""

    hold_nudges: bool = setting(
        True,
        Flag(),
        "Hold nudges while you present, are in Do Not Disturb or have a full-screen window.",
        label="&Hold nudges while I present or am in Do Not Disturb",
    )
    hold_cap_minutes: int = setting(
        120,
        Number(1, MINUTES_PER_DAY),
        "A held nudge comes anyway, quietly, after this many minutes.",
        label="Deliver a held nudge quietly &after",
    )


@table_rules(check=_check_hours)
@dataclass(frozen=True)
class Settings:
    """The whole settings file, one frozen value (docs/decisions/0001-settings-schema.md)."""

    version: int = setting(
        CURRENT_VERSION,
        Version(CURRENT_VERSION),
        "Format of this file; Boundaries upgrades older versions when it saves.",
    )
    general: GeneralSettings = section(GeneralSettings, "How Boundaries behaves on this desktop.")
    workday: WorkdaySettings = section(
        WorkdaySettings, "Your working days and when the workday ends."
    )
    focus: FocusSettings = section(
        FocusSettings, "Focus blocks: Slack status and Do Not Disturb while you focus."
    )
    signoff: SignoffSettings = section(SignoffSettings, "What signing off does.")
    quiet: QuietSettings = section(
        QuietSettings, "Quiet when it matters: nudges held while you present or are in DND."
    )
    slack: SlackSettings = section(
        SlackSettings,
        "Slack (optional). The token is stored in the OS keyring, never in this file.",
    )
    agreement: AgreementSettings = section(
        AgreementSettings, "The team agreement your team keeps in its repo (optional)."
    )
    update: UpdateSettings = section(
        UpdateSettings, "The weekly async update: its reminder and where it is posted."
    )
    team: tuple[Teammate, ...] = setting(
        (),
        TableList(
            Teammate,
            MAX_TEAMMATES,
            "teammates",
            example={
                "name": "Ana",
                "timezone": "Europe/London",
                "hours": "09:00-17:30",
                "days": ["mon", "tue", "wed", "thu", "fri"],
                "slack_user": "U0123ABC",
            },
            unique="name",
        ),
        "Teammates, one [[team]] each, to see their local time and the overlap window.",
    )

    norms: Norms = Norms()  # the team agreement's, while one is in use (not a key in the file)
    meetings: tuple[Meeting, ...] = ()  # the team agreement's, with their attendees (not a key)


def parse_settings(data: Mapping[str, Any]) -> tuple[Settings, list[SettingsProblem]]:
    """Build settings from a parsed TOML document; broken parts fall back to defaults."""
    problems: list[SettingsProblem] = []
    settings = parse_table(Settings, data, "", problems)
    return settings or Settings(), problems


def settings_to_dict(settings: Settings) -> dict[str, Any]:
    """The TOML-ready form of ``settings`` (the inverse of :func:`parse_settings`)."""
    return dump_table(settings)
