"""The settings model: every setting of ``settings.toml``, its default, and its validation.

``parse_settings`` never raises on bad data: it returns the settings with defaults in place of
each broken part, plus one :class:`SettingsProblem` per problem, each naming the setting's path
(``focus.blocks[1].start``) and a reason the user can act on. ``settings_to_dict`` is its inverse
and is what the config store writes.
"""

from __future__ import annotations

import dataclasses
import itertools
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import time
from typing import Any, Literal, TypeVar

from boundaries.core.timeparse import (
    WEEKDAYS,
    check_zone,
    format_hhmm,
    format_hours_range,
    parse_hhmm,
    parse_hours_range,
    parse_weekday,
)

CURRENT_VERSION = 1
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
WORKWEEK: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")
TimeFormat = Literal["24h", "12h"]
SLACK_STATUS_MAX = 100


@dataclass(frozen=True)
class SettingsProblem:
    """One thing wrong in the settings: where (dotted path) and why."""

    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.path}: {self.reason}" if self.path else f"{where}{self.reason}"


@dataclass(frozen=True)
class GeneralSettings:
    timezone: str = ""  # IANA name; "" means the system's zone
    time_format: TimeFormat = "24h"
    notifications: bool = True
    start_at_login: bool = True


@dataclass(frozen=True)
class WorkdaySettings:
    days: tuple[str, ...] = WORKWEEK
    start: time = time(9, 0)
    signoff: time = time(17, 30)
    signoff_by_day: Mapping[str, time] = field(default_factory=dict)
    heads_up_minutes: int = 15
    escalate_after_minutes: tuple[int, ...] = (30, 60)

    def signoff_on(self, weekday: str) -> time:
        """The sign-off wall time for a weekday key ("mon"...), honouring overrides."""
        return self.signoff_by_day.get(weekday, self.signoff)


@dataclass(frozen=True)
class FocusBlock:
    days: tuple[str, ...] = WORKWEEK
    start: time = time(9, 0)
    end: time = time(11, 0)  # end <= start means the block runs past midnight


DEFAULT_FOCUS_BLOCKS: tuple[FocusBlock, ...] = (
    FocusBlock(WORKWEEK, time(9, 0), time(11, 0)),
    FocusBlock(WORKWEEK, time(14, 0), time(16, 0)),
)


@dataclass(frozen=True)
class FocusSettings:
    status_text: str = "Focusing until {end} - replies after that; urgent? say 'urgent'"
    status_emoji: str = ":headphones:"
    pause_notifications: bool = True
    replace_own_status: bool = False
    blocks: tuple[FocusBlock, ...] = DEFAULT_FOCUS_BLOCKS


@dataclass(frozen=True)
class SignoffSettings:
    set_status: bool = True
    status_text: str = "Signed off - back {back}"
    status_emoji: str = ":house_with_garden:"


@dataclass(frozen=True)
class SlackSettings:
    enabled: bool = False
    api_url: str = DEFAULT_SLACK_API_URL


@dataclass(frozen=True)
class Teammate:
    name: str
    timezone: str
    hours_start: time = time(9, 0)
    hours_end: time = time(17, 30)
    days: tuple[str, ...] = WORKWEEK
    slack_user: str = ""


@dataclass(frozen=True)
class Settings:
    version: int = CURRENT_VERSION
    general: GeneralSettings = field(default_factory=GeneralSettings)
    workday: WorkdaySettings = field(default_factory=WorkdaySettings)
    focus: FocusSettings = field(default_factory=FocusSettings)
    signoff: SignoffSettings = field(default_factory=SignoffSettings)
    slack: SlackSettings = field(default_factory=SlackSettings)
    team: tuple[Teammate, ...] = ()


# --------------------------------------------------------------------------- parsing

T = TypeVar("T")


class _Collector:
    """Collects problems while parsing; each getter returns the default on a bad value."""

    def __init__(self) -> None:
        self.problems: list[SettingsProblem] = []

    def problem(self, path: str, reason: str) -> None:
        self.problems.append(SettingsProblem(path, reason))

    def table(self, data: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, Mapping):
            self.problem(path, f"must be a table, not {_describe(value)}")
            return {}
        return value

    def unknown_keys(self, data: Mapping[str, Any], known: set[str], path: str) -> None:
        for key in data:
            if key not in known:
                self.problem(_join(path, key), "is not a known setting (ignored)")

    def get(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        default: T,
        convert: Callable[[Any], T],
    ) -> T:
        if key not in data:
            return default
        try:
            return convert(data[key])
        except ValueError as error:
            self.problem(_join(path, key), str(error))
            return default


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _describe(value: Any) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list"}
    for kind, name in names.items():
        if type(value) is kind:
            return f"{name} ({value!r})" if kind is not list else name
    if isinstance(value, Mapping):
        return "a table"
    return type(value).__name__


def _as_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, not {_describe(value)}")
    return value


def _as_str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be text in quotes, not {_describe(value)}")
    return value


def _as_time(value: Any) -> time:
    return parse_hhmm(_as_str(value))


def _as_minutes(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"must be a whole number of minutes, not {_describe(value)}")
    if not 0 <= value <= 24 * 60:
        raise ValueError(f"must be between 0 and 1440 minutes, not {value}")
    return value


def _as_minutes_list(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list):
        raise ValueError(f"must be a list of minutes like [30, 60], not {_describe(value)}")
    minutes = tuple(_as_minutes(item) for item in value)
    if any(later <= earlier for earlier, later in itertools.pairwise(minutes)):
        raise ValueError("must be increasing, like [30, 60]")
    if any(m == 0 for m in minutes):
        raise ValueError("must be more than 0 minutes after sign-off")
    return minutes


def _as_days(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError(f'must be a list of weekdays like ["mon", "tue"], not {_describe(value)}')
    days = {parse_weekday(_as_str(item)) for item in value}
    return tuple(day for day in WEEKDAYS if day in days)


def _as_zone(value: Any) -> str:
    name = _as_str(value).strip()
    if name:
        check_zone(name)
    return name


def _as_status_text(value: Any) -> str:
    text = _as_str(value)
    if len(text) > SLACK_STATUS_MAX:
        raise ValueError(f"is {len(text)} characters; Slack allows at most {SLACK_STATUS_MAX}")
    for placeholder in _placeholders(text):
        if placeholder not in ("end", "back"):
            raise ValueError(
                f"has an unknown placeholder {{{placeholder}}} (use {{end}} or {{back}})"
            )
    return text


def _placeholders(text: str) -> list[str]:
    try:
        return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError:
        raise ValueError("has an unmatched { or }; write {{ or }} for a literal brace") from None


def _as_emoji(value: Any) -> str:
    text = _as_str(value).strip()
    if text and not (text.startswith(":") and text.endswith(":") and len(text) > 2):
        raise ValueError(f'"{text}" is not an emoji code like ":headphones:"')
    return text


def _as_url(value: Any) -> str:
    text = _as_str(value).strip()
    if not text.startswith(("https://", "http://")):
        raise ValueError(f'"{text}" is not a web address (https://...)')
    return text if text.endswith("/") else text + "/"


def _as_time_format(value: Any) -> TimeFormat:
    text = _as_str(value)
    if text == "24h":
        return "24h"
    if text == "12h":
        return "12h"
    raise ValueError(f'must be "24h" or "12h", not "{text}"')


def _parse_general(c: _Collector, data: Mapping[str, Any]) -> GeneralSettings:
    d, path = GeneralSettings(), "general"
    c.unknown_keys(data, {f.name for f in dataclasses.fields(d)}, path)
    return GeneralSettings(
        timezone=c.get(data, "timezone", path, d.timezone, _as_zone),
        time_format=c.get(data, "time_format", path, d.time_format, _as_time_format),
        notifications=c.get(data, "notifications", path, d.notifications, _as_bool),
        start_at_login=c.get(data, "start_at_login", path, d.start_at_login, _as_bool),
    )


def _parse_workday(c: _Collector, data: Mapping[str, Any]) -> WorkdaySettings:
    d, path = WorkdaySettings(), "workday"
    c.unknown_keys(data, {f.name for f in dataclasses.fields(d)}, path)
    start = c.get(data, "start", path, d.start, _as_time)
    signoff = c.get(data, "signoff", path, d.signoff, _as_time)
    if signoff <= start:
        c.problem(f"{path}.signoff", f"{format_hhmm(signoff)} must be after the workday start")
        start, signoff = d.start, d.signoff
    overrides: dict[str, time] = {}
    raw = c.table(data, "signoff_by_day", f"{path}.signoff_by_day")
    for key, value in raw.items():
        item_path = f"{path}.signoff_by_day.{key}"
        try:
            day = parse_weekday(key)
            at = _as_time(value)
        except ValueError as error:
            c.problem(item_path, str(error))
            continue
        if at <= start:
            c.problem(item_path, f"{format_hhmm(at)} must be after the workday start")
            continue
        overrides[day] = at
    return WorkdaySettings(
        days=c.get(data, "days", path, d.days, _as_days),
        start=start,
        signoff=signoff,
        signoff_by_day=overrides,
        heads_up_minutes=c.get(data, "heads_up_minutes", path, d.heads_up_minutes, _as_minutes),
        escalate_after_minutes=c.get(
            data, "escalate_after_minutes", path, d.escalate_after_minutes, _as_minutes_list
        ),
    )


def _parse_block(c: _Collector, data: Any, path: str) -> FocusBlock | None:
    if not isinstance(data, Mapping):
        c.problem(path, f"must be a table with days, start and end, not {_describe(data)}")
        return None
    before = len(c.problems)
    c.unknown_keys(data, {"days", "start", "end"}, path)
    for key in ("start", "end"):
        if key not in data:
            c.problem(f"{path}.{key}", "is missing")
    d = FocusBlock()
    block = FocusBlock(
        days=c.get(data, "days", path, d.days, _as_days),
        start=c.get(data, "start", path, d.start, _as_time),
        end=c.get(data, "end", path, d.end, _as_time),
    )
    if len(c.problems) == before and block.start == block.end:
        c.problem(f"{path}.end", "must differ from start")
    broken = any(
        p.path.startswith(path) and "not a known setting" not in p.reason
        for p in c.problems[before:]
    )
    return None if broken else block


def _parse_focus(c: _Collector, data: Mapping[str, Any]) -> FocusSettings:
    d, path = FocusSettings(), "focus"
    c.unknown_keys(data, {f.name for f in dataclasses.fields(d)}, path)
    blocks = d.blocks
    if "blocks" in data:
        raw = data["blocks"]
        if not isinstance(raw, list):
            c.problem(f"{path}.blocks", f"must be a list of [[focus.blocks]], not {_describe(raw)}")
        else:
            parsed = [_parse_block(c, item, f"{path}.blocks[{i}]") for i, item in enumerate(raw)]
            blocks = tuple(block for block in parsed if block is not None)
    return FocusSettings(
        status_text=c.get(data, "status_text", path, d.status_text, _as_status_text),
        status_emoji=c.get(data, "status_emoji", path, d.status_emoji, _as_emoji),
        pause_notifications=c.get(
            data, "pause_notifications", path, d.pause_notifications, _as_bool
        ),
        replace_own_status=c.get(data, "replace_own_status", path, d.replace_own_status, _as_bool),
        blocks=blocks,
    )


def _parse_signoff(c: _Collector, data: Mapping[str, Any]) -> SignoffSettings:
    d, path = SignoffSettings(), "signoff"
    c.unknown_keys(data, {f.name for f in dataclasses.fields(d)}, path)
    return SignoffSettings(
        set_status=c.get(data, "set_status", path, d.set_status, _as_bool),
        status_text=c.get(data, "status_text", path, d.status_text, _as_status_text),
        status_emoji=c.get(data, "status_emoji", path, d.status_emoji, _as_emoji),
    )


def _parse_slack(c: _Collector, data: Mapping[str, Any]) -> SlackSettings:
    d, path = SlackSettings(), "slack"
    c.unknown_keys(data, {f.name for f in dataclasses.fields(d)} | {"token"}, path)
    if "token" in data:
        c.problem(f"{path}.token", "tokens never go in this file; paste it in Settings > Slack")
    return SlackSettings(
        enabled=c.get(data, "enabled", path, d.enabled, _as_bool),
        api_url=c.get(data, "api_url", path, d.api_url, _as_url),
    )


def _parse_teammate(c: _Collector, data: Any, path: str) -> Teammate | None:
    if not isinstance(data, Mapping):
        c.problem(path, f"must be a table with name and timezone, not {_describe(data)}")
        return None
    before = len(c.problems)
    c.unknown_keys(data, {"name", "timezone", "hours", "days", "slack_user"}, path)
    name = c.get(data, "name", path, "", _as_str).strip()
    if not name and "name" in data:
        c.problem(f"{path}.name", "must not be empty")
    zone = c.get(data, "timezone", path, "", _as_zone)
    for key in ("name", "timezone"):
        if key not in data:
            c.problem(f"{path}.{key}", "is missing")
    start, end = c.get(data, "hours", path, (time(9, 0), time(17, 30)), _as_hours)
    teammate = Teammate(
        name=name,
        timezone=zone,
        hours_start=start,
        hours_end=end,
        days=c.get(data, "days", path, WORKWEEK, _as_days),
        slack_user=c.get(data, "slack_user", path, "", _as_str).strip(),
    )
    broken = any("not a known setting" not in p.reason for p in c.problems[before:])
    return None if broken or not zone else teammate


def _as_hours(value: Any) -> tuple[time, time]:
    return parse_hours_range(_as_str(value))


def parse_settings(data: Mapping[str, Any]) -> tuple[Settings, list[SettingsProblem]]:
    """Build settings from a parsed TOML document; broken parts fall back to defaults."""
    c = _Collector()
    known = {f.name for f in dataclasses.fields(Settings)}
    c.unknown_keys(data, known, "")
    version = data.get("version", CURRENT_VERSION)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        c.problem("version", f"must be a whole number like 1, not {_describe(version)}")
        version = CURRENT_VERSION
    elif version > CURRENT_VERSION:
        c.problem("version", f"{version} is newer than this app understands ({CURRENT_VERSION})")
    team: list[Teammate] = []
    raw_team = data.get("team", [])
    if not isinstance(raw_team, list):
        c.problem("team", f"must be a list of [[team]] tables, not {_describe(raw_team)}")
    else:
        for i, item in enumerate(raw_team):
            mate = _parse_teammate(c, item, f"team[{i}]")
            if mate is not None:
                team.append(mate)
    settings = Settings(
        version=CURRENT_VERSION,
        general=_parse_general(c, c.table(data, "general", "general")),
        workday=_parse_workday(c, c.table(data, "workday", "workday")),
        focus=_parse_focus(c, c.table(data, "focus", "focus")),
        signoff=_parse_signoff(c, c.table(data, "signoff", "signoff")),
        slack=_parse_slack(c, c.table(data, "slack", "slack")),
        team=tuple(team),
    )
    return settings, c.problems


# --------------------------------------------------------------------------- writing


def settings_to_dict(settings: Settings) -> dict[str, Any]:
    """The TOML-ready form of ``settings`` (the inverse of :func:`parse_settings`)."""
    g, w, f, s, k = (
        settings.general,
        settings.workday,
        settings.focus,
        settings.signoff,
        settings.slack,
    )
    team: list[dict[str, Any]] = []
    for mate in settings.team:
        entry: dict[str, Any] = {
            "name": mate.name,
            "timezone": mate.timezone,
            "hours": format_hours_range(mate.hours_start, mate.hours_end),
        }
        if mate.days != WORKWEEK:
            entry["days"] = list(mate.days)
        if mate.slack_user:
            entry["slack_user"] = mate.slack_user
        team.append(entry)
    return {
        "version": settings.version,
        "general": {
            "timezone": g.timezone,
            "time_format": g.time_format,
            "notifications": g.notifications,
            "start_at_login": g.start_at_login,
        },
        "workday": {
            "days": list(w.days),
            "start": format_hhmm(w.start),
            "signoff": format_hhmm(w.signoff),
            "signoff_by_day": {day: format_hhmm(at) for day, at in w.signoff_by_day.items()},
            "heads_up_minutes": w.heads_up_minutes,
            "escalate_after_minutes": list(w.escalate_after_minutes),
        },
        "focus": {
            "status_text": f.status_text,
            "status_emoji": f.status_emoji,
            "pause_notifications": f.pause_notifications,
            "replace_own_status": f.replace_own_status,
            "blocks": [
                {"days": list(b.days), "start": format_hhmm(b.start), "end": format_hhmm(b.end)}
                for b in f.blocks
            ],
        },
        "signoff": {
            "set_status": s.set_status,
            "status_text": s.status_text,
            "status_emoji": s.status_emoji,
        },
        "slack": {"enabled": k.enabled, "api_url": k.api_url},
        "team": team,
    }
