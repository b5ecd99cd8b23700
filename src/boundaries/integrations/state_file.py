"""``state.json``: the app state that must survive a restart or a crash."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from boundaries.core.focus import AppState
from boundaries.integrations.atomic import atomic_write_text

log = logging.getLogger(__name__)


class StateFile:
    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / "state.json"

    def read(self) -> AppState | None:
        """The saved state, or ``None`` if there is none or it is unreadable (then: idle)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            log.warning("ignoring unreadable %s: %s", self.path, error)
            return None
        return AppState.from_json(data) if isinstance(data, dict) else None

    def write(self, state: AppState) -> None:
        atomic_write_text(self.path, json.dumps(state.to_json(), indent=2) + "\n")
