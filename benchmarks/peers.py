"""Peers measured in the same harness: Debian's ``workrave`` and ``safeeyes``, when installed.

``BENCH_PEERS=1`` adds them to the start-up rounds (interleaved with Boundaries and the floor)
and to the idle minute. They are started like the contestants (fresh HOME and XDG folders, the
bench's X server, tray and session bus); Safe Eyes insists on a system bus for its suspend
handling, so every peer gets the private session bus as its system bus too. Peers print no
ready marker: their "icon" time is when trayer reparented their icon window (the same X event
as Boundaries' ``icon_embedded_s``).
"""

from __future__ import annotations

import os
import shutil

PEERS: dict[str, tuple[str, ...]] = {"workrave": ("workrave",), "safeeyes": ("safeeyes",)}
LABELS = {"workrave": "Workrave", "safeeyes": "Safe Eyes"}
ENV = "BENCH_PEERS"


def wanted() -> bool:
    return os.environ.get(ENV) == "1"


def installed() -> list[str]:
    """Peers on PATH, in a fixed order."""
    return [kind for kind, cmd in PEERS.items() if shutil.which(cmd[0])]


def missing() -> list[str]:
    return [kind for kind in PEERS if kind not in installed()]


def active() -> tuple[str, ...]:
    """The peers this run measures: none unless ``BENCH_PEERS=1``."""
    return tuple(installed()) if wanted() else ()
