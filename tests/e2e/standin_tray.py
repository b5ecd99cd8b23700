"""A stand-in tray app that proves the e2e harness without the real Boundaries app.

    python -m tests.e2e.standin_tray [--notify-on-start]

A bare QSystemTrayIcon with a context menu (same shape as the real one: a status line, an action
that sends a notification, Quit). It prints one line per event on stdout, flushed, so a test can
wait for them:

    TRAY_VISIBLE           the tray icon was shown (QSystemTrayIcon.isSystemTrayAvailable())
    NO_TRAY                no system tray on this display
    MENU_SHOWN             the context menu opened
    NOTIFIED <id>          a notification was sent over D-Bus and the server answered with <id>
    ACTION <id> <key>      the server emitted ActionInvoked for one of our notifications

Notifications go over the session bus the way the real app must send them: ``Notify`` with the
spec's exact signature ``susssasa{sv}i``. PySide6 cannot marshal a Python int as D-Bus ``u``
(it always becomes ``i``, which real servers reject), so the call is made with jeepney, while
``ActionInvoked`` is received with QtDBus on the Qt event loop.
"""

from __future__ import annotations

import argparse
import sys

from jeepney import DBusAddress, MessageType, new_method_call
from jeepney.io.blocking import open_dbus_connection
from PySide6.QtCore import SLOT, QObject, QTimer, Slot
from PySide6.QtDBus import QDBusConnection, QDBusMessage
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

from boundaries.ui.icons import icon_for_state

NOTIFY = DBusAddress(
    "/org/freedesktop/Notifications",
    bus_name="org.freedesktop.Notifications",
    interface="org.freedesktop.Notifications",
)


def say(line: str) -> None:
    print(line, flush=True)


class StandIn(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.sent: set[int] = set()
        self.tray = QSystemTrayIcon(icon_for_state("focusing"))
        self.tray.setToolTip("Stand-in · Focus until 11:00")
        self.menu = QMenu()
        status = self.menu.addAction("Focus until 11:00 · Sign-off 17:30")
        status.setEnabled(False)
        self.menu.addSeparator()
        notify = QAction("Send test notification", self.menu)
        notify.triggered.connect(self.send_notification)
        self.menu.addAction(notify)
        self.menu.addAction("Pause for today")
        self.menu.addSeparator()
        self.menu.addAction("Quit").triggered.connect(QApplication.quit)
        self.menu.aboutToShow.connect(lambda: say("MENU_SHOWN"))
        self.tray.setContextMenu(self.menu)

        bus = QDBusConnection.sessionBus()
        ok = bus.connect(
            "org.freedesktop.Notifications",
            "/org/freedesktop/Notifications",
            "org.freedesktop.Notifications",
            "ActionInvoked",
            self,
            SLOT("on_action_invoked(QDBusMessage)"),
        )
        if not ok:
            say(f"DBUS_CONNECT_FAILED {bus.lastError().message()}")

    @Slot(QDBusMessage)
    def on_action_invoked(self, message: QDBusMessage) -> None:
        nid, key = message.arguments()
        if int(nid) in self.sent:
            say(f"ACTION {int(nid)} {key}")

    @Slot()
    def send_notification(self) -> None:
        call = new_method_call(
            NOTIFY,
            "Notify",
            "susssasa{sv}i",
            (
                "Boundaries stand-in",
                0,
                "",
                "Time to sign off",
                "It is 17:30. Sign off now, or snooze 15 min.",
                ["default", "Open", "snooze", "Snooze 15 min"],
                {"urgency": ("y", 1), "category": ("s", "presence")},
                -1,
            ),
        )
        with open_dbus_connection("SESSION") as conn:
            reply = conn.send_and_get_reply(call, timeout=5)
        if reply.header.message_type is MessageType.error:
            say(f"NOTIFY_FAILED {reply.body}")
            return
        nid = int(reply.body[0])
        self.sent.add(nid)
        say(f"NOTIFIED {nid}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="stand-in tray for the e2e harness")
    parser.add_argument("--notify-on-start", action="store_true")
    args = parser.parse_args(argv)

    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    if not QSystemTrayIcon.isSystemTrayAvailable():
        say("NO_TRAY")
    standin = StandIn()
    standin.tray.show()
    say("TRAY_VISIBLE")
    if args.notify_on_start:
        QTimer.singleShot(0, standin.send_notification)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
