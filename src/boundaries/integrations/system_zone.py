"""The system's IANA time zone name, read without Qt so the CLI stays light."""

from __future__ import annotations

import os
import zoneinfo
from pathlib import Path

_ZONEINFO_MARKERS = ("zoneinfo/", "zoneinfo.default/")


def system_zone_name() -> str:
    """``$TZ``, else the ``/etc/localtime`` link target, else ``/etc/timezone``, else "UTC"."""
    env = os.environ.get("TZ", "").lstrip(":")
    if env and _is_zone(env):
        return env
    try:
        target = os.readlink("/etc/localtime")
    except OSError:
        target = ""
    for marker in _ZONEINFO_MARKERS:
        if marker in target:
            name = target.split(marker, 1)[1]
            if _is_zone(name):
                return name
    try:
        name = Path("/etc/timezone").read_text(encoding="utf-8").strip()
    except OSError:
        name = ""
    return name if name and _is_zone(name) else "UTC"


def unnamed_tz() -> str | None:
    """``$TZ`` when it is set but names no zone (a POSIX rule like ``CET-1CEST,M3.5.0,M10.5.0/3``,
    a path): the C library follows it, but a schedule needs a named zone, so the system's
    zone is used instead and the user should hear so."""
    env = os.environ.get("TZ", "").lstrip(":")
    return env if env and not _is_zone(env) else None


def unnamed_tz_notice(configured: str) -> str | None:
    """What to tell the user when ``$TZ`` holds a rule and Settings names no zone (else None):
    the schedule follows the system's zone, which may be an hour or more off their clock."""
    rule = unnamed_tz()
    if rule is None or configured:
        return None
    return (
        f'TZ is set to "{rule}", which is not a time zone name, so your schedule follows '
        f"{system_zone_name()} (the system's zone). "
        "Choose your time zone in Settings > General."
    )


def _is_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def user_zone(configured: str) -> zoneinfo.ZoneInfo:
    """The zone the user's schedule lives in: the configured one, else the system's."""
    return zoneinfo.ZoneInfo(configured or system_zone_name())
