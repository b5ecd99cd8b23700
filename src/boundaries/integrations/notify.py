"""Desktop notifications that can report a click.

plyer cannot tell us when a notification is clicked, and on Linux it shells out to
``notify-send`` unless dbus-python is built. So on Linux we speak the freedesktop
Notifications protocol directly over D-Bus with jeepney (pure Python; already a dependency of
keyring there), which gives action buttons and ``ActionInvoked``. Elsewhere, or when no
notification service answers, plyer is used, and ``QSystemTrayIcon.showMessage`` is the last
resort. Sending happens on a worker thread: the GUI thread never waits on the bus.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal, Slot

from boundaries.core.kinds import NotificationAction, NotificationKind
from boundaries.integrations.lazy_pool import LazyThreadPool
from boundaries.integrations.notification_server import BUS_NAME, OBJECT_PATH

log = logging.getLogger(__name__)

APP_NAME = "Boundaries"


@dataclass(frozen=True)
class Notification:
    """One desktop notification; ``tag`` comes back when it is clicked."""

    tag: NotificationKind  # comes back with a click
    title: str
    body: str
    actions: tuple[tuple[NotificationAction, str], ...] = ()  # (key, label)
    urgency: int = 1  # 0 low, 1 normal, 2 critical
    icon: str = ""  # absolute path of an icon file
    sound: bool = False  # the desktop's message sound with it (general.sound)
    replace: bool = False  # replaces the last notification of the same tag still shown


# The freedesktop sound naming spec's name for "a message arrived"; the server plays it.
MESSAGE_SOUND = "message-new-instant"


class Backend(Protocol):
    def send(self, note: Notification) -> None: ...
    def withdraw(self, tag: str) -> None: ...
    def close(self) -> None: ...


class DBusBackend:
    """freedesktop Notifications over jeepney; clicks come back through ``on_action``."""

    def __init__(self, on_action: Callable[[str, str], None]) -> None:
        from jeepney import DBusAddress, MatchRule

        from boundaries.integrations.dbus_watch import SignalWatch  # not on the start path

        self._address = DBusAddress(OBJECT_PATH, bus_name=BUS_NAME, interface=BUS_NAME)
        self._on_action = on_action
        self._tags: dict[int, str] = {}
        self._shown: dict[str, int] = {}  # tag -> id of its newest notification still shown
        self._lock = threading.Lock()
        self._bus = SignalWatch(self._on_signal, "SESSION", "a D-Bus notification signal")
        self._bus.start([MatchRule(type="signal", interface=BUS_NAME, path=OBJECT_PATH)], 5)

    def send(self, note: Notification) -> None:
        from jeepney import new_method_call

        actions: list[str] = []
        for key, label in note.actions:
            actions += [key, label]
        hints: dict[str, tuple[str, Any]] = {
            "urgency": ("y", note.urgency),
            "desktop-entry": ("s", "boundaries"),
        }
        if note.sound:
            hints["sound-name"] = ("s", MESSAGE_SOUND)
        else:
            hints["suppress-sound"] = ("b", True)  # sound is opt-in: servers may play one anyway
        with self._lock:
            replaces = self._shown.get(note.tag, 0) if note.replace else 0
        msg = new_method_call(
            self._address,
            "Notify",
            "susssasa{sv}i",
            (APP_NAME, replaces, note.icon, note.title, note.body, actions, hints, -1),
        )
        reply = self._bus.call(msg, timeout=5)
        if reply.header.message_type.name == "error":
            raise OSError(f"notification service refused: {reply.body}")
        (notification_id,) = reply.body
        with self._lock:
            self._tags[int(notification_id)] = note.tag
            self._shown[note.tag] = int(notification_id)

    def withdraw(self, tag: str) -> None:
        """Close the newest notification of ``tag`` if it is still shown (CloseNotification)."""
        from jeepney import new_method_call

        with self._lock:
            notification_id = self._shown.pop(tag, None)
        if notification_id is None:
            return
        msg = new_method_call(self._address, "CloseNotification", "u", (notification_id,))
        self._bus.call(msg, timeout=5)

    def _on_signal(self, message: Any) -> None:
        member = message.header.fields.get(_member_field())
        if member == "ActionInvoked":
            notification_id, key = message.body
            with self._lock:
                tag = self._tags.get(int(notification_id))
            if tag is not None:
                self._on_action(tag, str(key))
        elif member == "NotificationClosed":
            closed = int(message.body[0])
            with self._lock:
                tag = self._tags.pop(closed, None)
                if tag is not None and self._shown.get(tag) == closed:
                    del self._shown[tag]

    def close(self) -> None:
        self._bus.close()


def _member_field() -> Any:
    from jeepney.low_level import HeaderFields

    return HeaderFields.member


class PlyerBackend:
    """plyer's notification facade (macOS, Windows, or Linux without a D-Bus service)."""

    def send(self, note: Notification) -> None:
        from plyer import notification

        notification.notify(title=note.title, message=note.body, app_name=APP_NAME, timeout=10)

    def withdraw(self, tag: str) -> None:
        pass  # plyer cannot close what it showed; its notifications time out by themselves

    def close(self) -> None:
        pass


@dataclass(eq=False)  # a report, never compared (eq=False: cheaper import)
class _Sent:
    """How one send went: which backend showed it, or why none could."""

    note: Notification
    ok: bool
    error: str = ""
    backend: str = field(default="")


class Notifier(QObject):
    """Sends notifications off the GUI thread; reports clicks and failures as signals.

    ``clicked(tag, action_key)``: the user clicked the bubble ("default") or a button.
    ``fallback_needed(title, body)``: no service could show it; the tray shows it instead.
    """

    clicked = Signal(str, str)
    fallback_needed = Signal(str, str)
    sent = Signal(str, str)  # (tag, backend name)
    _done = Signal(object)

    def __init__(self, parent: QObject | None = None, prefer_dbus: bool | None = None) -> None:
        super().__init__(parent)
        self._pool = LazyThreadPool(1, "notify")  # its thread with the first notification
        self._backends: list[tuple[str, Backend]] | None = None
        if prefer_dbus is None:
            prefer_dbus = sys.platform.startswith("linux") and bool(
                os.environ.get("DBUS_SESSION_BUS_ADDRESS")
            )
        self._prefer_dbus = prefer_dbus
        self._done.connect(self._on_done)
        self.enabled = True
        self._closing = False

    def notify(self, note: Notification) -> None:
        if not self.enabled or self._closing:
            return
        self._pool.submit(self._send, note)

    def withdraw(self, tag: NotificationKind) -> None:
        """Take back the notification of ``tag`` still on screen (e.g. a nudge after sign-off),
        so its buttons cannot be clicked any more. Runs after any send queued before it."""
        if (self._backends is None and not self.enabled) or self._closing:
            return
        self._pool.submit(self._withdraw, tag)

    def _withdraw(self, tag: str) -> None:
        if self._closing:
            return
        for name, backend in self._backends or []:
            try:
                backend.withdraw(tag)
            except Exception as error:
                log.info("could not withdraw a %s notification (%s): %s", tag, name, error)

    def _make_backends(self) -> list[tuple[str, Backend]]:
        backends: list[tuple[str, Backend]] = []
        if self._prefer_dbus:
            try:
                backends.append(("dbus", DBusBackend(self.clicked.emit)))
            except Exception as error:  # no bus, no jeepney: fall through to plyer
                log.info("D-Bus notifications unavailable: %s", error)
        if not os.path.isdir("/app"):  # plyer silently does nothing when /app exists
            backends.append(("plyer", PlyerBackend()))
        return backends

    def _send(self, note: Notification) -> None:
        if self._closing:
            return
        if self._backends is None:
            self._backends = self._make_backends()
        errors = []
        for name, backend in self._backends:
            try:
                backend.send(note)
            except Exception as error:
                errors.append(f"{name}: {error}")
                continue
            self._done.emit(_Sent(note, True, backend=name))
            return
        self._done.emit(_Sent(note, False, "; ".join(errors)))

    @Slot(object)
    def _on_done(self, result: _Sent) -> None:
        if result.ok:
            self.sent.emit(result.note.tag, result.backend)
        else:
            log.warning("no notification service showed %r (%s)", result.note.title, result.error)
            self.fallback_needed.emit(result.note.title, result.note.body)

    def shutdown(self) -> None:
        """Quit: queued notifications are dropped; the backends close on the notify thread
        after the one being sent, never under it (jeepney's receiver thread raised when its
        connection closed between a reply and its caller). Quit does not wait for it."""
        if self._closing:
            return
        self._closing = True  # queued sends and withdrawals do nothing now
        self._pool.submit(self._close_backends)
        self._pool.shutdown(wait=False)

    def _close_backends(self) -> None:
        for _, backend in self._backends or []:
            try:
                backend.close()
            except Exception:
                log.debug("closing a notification backend failed", exc_info=True)
