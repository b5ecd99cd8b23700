"""Silence the desktop's notifications during focus, and always put back what the user had.

KDE: ``org.freedesktop.Notifications.Inhibit`` on a connection of ours; the server ends the
inhibition when that connection closes, so a crash cannot leave it on. GNOME: ``show-banners``
set to false; XFCE: xfconf ``/do-not-disturb`` set to true. For those two what the user had is
written to ``desktop-silence.json`` *before* the change (atomically, 0600), and ``restore``
(at focus end, and at the next start after a crash) puts exactly that back. Blocking: call it
from a worker thread.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from boundaries.integrations.atomic import atomic_write_text
from boundaries.integrations.hold_settings import (
    GNOME_KEY,
    GNOME_SCHEMA,
    XFCE_CHANNEL,
    XFCE_PROPERTY,
    on_desktop,
    run_tool,
)
from boundaries.integrations.notification_server import BUS_NAME, OBJECT_PATH
from boundaries.integrations.paths import DESKTOP_SILENCE_JOURNAL

log = logging.getLogger(__name__)

JOURNAL_NAME = DESKTOP_SILENCE_JOURNAL
_GNOME = ("gnome", "unity", "budgie", "pantheon", "cinnamon")


class DesktopSilence:
    """``silence()`` and ``restore()``; what was changed is journaled in ``state_dir``."""

    def __init__(
        self, state_dir: Path, env: Mapping[str, str] | None = None, bus: str = "SESSION"
    ) -> None:
        self.journal = state_dir / JOURNAL_NAME
        self._env = env if env is not None else os.environ
        self._bus = bus
        self._kde: tuple[Any, int] | None = None  # (connection, cookie)

    @property
    def active(self) -> bool:
        return self._kde is not None or self.journal.exists()

    # ------------------------------------------------------------------ journal
    def _read_journal(self) -> dict[str, Any]:
        try:
            data = json.loads(self.journal.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            log.warning("ignoring unreadable %s: %s", self.journal, error)
            return {}
        return data if isinstance(data, dict) else {}

    def _write_journal(self, data: dict[str, Any]) -> None:
        atomic_write_text(self.journal, json.dumps(data, indent=2) + "\n")

    # ------------------------------------------------------------------ silence
    def silence(self) -> list[str]:
        """Silence what this desktop offers; returns what was silenced (for the log)."""
        done = []
        if self._kde_inhibit():
            done.append("notification server")
        journal = self._read_journal()
        if on_desktop(_GNOME, self._env) and "gnome_show_banners" not in journal:
            code, old = run_tool(("gsettings", "get", GNOME_SCHEMA, GNOME_KEY), self._env)
            if code == 0 and old in ("true", "false"):
                journal["gnome_show_banners"] = old
                self._write_journal(journal)  # before the change: a crash can restore it
                if old == "true":
                    run_tool(("gsettings", "set", GNOME_SCHEMA, GNOME_KEY, "false"), self._env)
                done.append("GNOME")
        if on_desktop(("xfce",), self._env) and "xfce_dnd" not in journal:
            code, old = run_tool(
                ("xfconf-query", "-c", XFCE_CHANNEL, "-p", XFCE_PROPERTY), self._env
            )
            if code == 0 or "does not exist" in old:
                journal["xfce_dnd"] = old if code == 0 else None  # None: the property was unset
                self._write_journal(journal)
                if old != "true":
                    run_tool(
                        (
                            "xfconf-query",
                            "-c",
                            XFCE_CHANNEL,
                            "-p",
                            XFCE_PROPERTY,
                            "-n",
                            "-t",
                            "bool",
                            "-s",
                            "true",
                        ),
                        self._env,
                    )
                done.append("XFCE")
        return done

    def restore(self) -> None:
        """Put back what the user had (also after a crash: the journal says what)."""
        self._kde_uninhibit()
        journal = self._read_journal()
        old = journal.get("gnome_show_banners")
        if old in ("true", "false"):
            code, why = run_tool(("gsettings", "set", GNOME_SCHEMA, GNOME_KEY, old), self._env)
            if code != 0:
                raise OSError(f"could not restore GNOME's banners: {why}")
        if "xfce_dnd" in journal:
            old = journal["xfce_dnd"]
            base = ("xfconf-query", "-c", XFCE_CHANNEL, "-p", XFCE_PROPERTY)
            argv = (*base, "-r") if old is None else (*base, "-s", str(old))
            code, why = run_tool(argv, self._env)
            if code != 0 and old is not None:
                raise OSError(f"could not restore XFCE's Do Not Disturb: {why}")
        self.journal.unlink(missing_ok=True)

    # ------------------------------------------------------------------ KDE
    def _kde_inhibit(self) -> bool:
        if self._kde is not None:
            return True
        try:
            from jeepney import DBusAddress, new_method_call
            from jeepney.io.blocking import open_dbus_connection
        except ImportError:
            return False
        try:
            connection = open_dbus_connection(bus=self._bus)
        except Exception as error:
            log.debug("no session bus to silence the notification server: %s", error)
            return False
        address = DBusAddress(OBJECT_PATH, bus_name=BUS_NAME, interface=BUS_NAME)
        call = new_method_call(address, "Inhibit", "ssa{sv}", ("boundaries", "Focus time", {}))
        try:
            reply = connection.send_and_get_reply(call, timeout=3)
        except Exception as error:
            connection.close()
            log.debug("Inhibit failed: %s", error)
            return False
        if reply.header.message_type.name == "error":
            connection.close()  # a server without Inhibit (GNOME's, dunst)
            return False
        self._kde = (connection, int(reply.body[0]))
        return True

    def _kde_uninhibit(self) -> None:
        if self._kde is None:
            return
        connection, cookie = self._kde
        self._kde = None
        try:
            from jeepney import DBusAddress, new_method_call

            address = DBusAddress(OBJECT_PATH, bus_name=BUS_NAME, interface=BUS_NAME)
            connection.send_and_get_reply(
                new_method_call(address, "UnInhibit", "u", (cookie,)), timeout=3
            )
        except Exception as error:
            log.debug("UnInhibit failed (closing the connection ends it anyway): %s", error)
        finally:
            connection.close()  # the server ends our inhibition with the connection

    def close(self) -> None:
        """Quit: the KDE inhibition ends with our connection; the journal stays if silenced."""
        self._kde_uninhibit()
