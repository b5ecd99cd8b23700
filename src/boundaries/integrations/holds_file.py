"""``held-nudges.json``: a nudge held for Do Not Disturb must survive a restart or a crash."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from boundaries.core.holds import Holds
from boundaries.integrations.atomic import atomic_write_text
from boundaries.integrations.paths import HELD_NUDGES_FILE

log = logging.getLogger(__name__)


class HoldsFile:
    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / HELD_NUDGES_FILE

    def read(self) -> Holds:
        """The saved hold, or none if there is none or it is unreadable."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return Holds()
        except (OSError, ValueError) as error:
            log.warning("ignoring unreadable %s: %s", self.path, error)
            return Holds()
        return Holds.from_json(data) if isinstance(data, dict) else Holds()

    def write(self, holds: Holds) -> None:
        """Saved while something is held; removed once nothing is, so that the next start does
        not load the holds machinery for nothing (it looks for this file)."""
        if holds.empty:
            self.path.unlink(missing_ok=True)
            return
        atomic_write_text(self.path, json.dumps(holds.to_json(), indent=2) + "\n")
