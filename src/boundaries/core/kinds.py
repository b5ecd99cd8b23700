"""The closed sets of names that cross module boundaries, as enums rather than strings.

A notification's kind and its action keys go out to the desktop and come back with a click;
a Slack intent names what Slack should show. Values are the strings on the wire (D-Bus action
keys, the Slack journal file), so they never change once released.
"""

from __future__ import annotations

from enum import StrEnum


class NotificationKind(StrEnum):
    """What a notification is about; it comes back with a click."""

    SIGNOFF = "signoff"  # heads-up, sign-off and escalation nudges
    SETTINGS = "settings"  # settings.toml has problems
    HISTORY = "history"  # the sign-off history could not be written
    STATE = "state"  # state.json had parts that could not be used
    UPDATE = "update"  # time to write the weekly update
    WELCOME = "welcome"  # the first run, with no tray to show the icon in


class NotificationAction(StrEnum):
    """The buttons a notification offers; OPEN is a click on the bubble itself."""

    OPEN = "default"
    SIGN_OFF = "signoff"
    SNOOZE = "snooze"


class SlackIntentKind(StrEnum):
    """What Slack should show for the app's state."""

    FOCUS = "focus"
    SIGNOFF = "signoff"
    RESTORE = "restore"  # nothing of ours: put back what the user had


class SlackOutcome(StrEnum):
    """How an applied intent ended (``SlackSync.settled``)."""

    FOCUS = "focus"
    SIGNOFF = "signoff"
    RESTORE = "restore"
    SKIPPED = "skipped"  # nothing to do, or superseded by a newer intent
    OFF = "off"  # Slack is turned off in Settings
