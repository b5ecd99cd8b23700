"""Where the freedesktop notification server answers on the session bus.

The notifier, the nudge hold (its ``Inhibited`` property) and the desktop silence (its DND
setting on some desktops) all talk to the same service; its name is also its interface's.
"""

from __future__ import annotations

BUS_NAME = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"
