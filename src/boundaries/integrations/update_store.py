"""The weekly update on disk: the draft being written and one Markdown file per past week.

Everything lives in ``<state>/updates`` (mode 0700, files 0600): an update may name projects
and people, so it is as private as the history. The draft is written atomically on every
change, so a crash, a logout or Quit loses at most the keystroke being typed. Blocking: the app
calls this from a worker, never from the GUI thread.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from boundaries.core.weekly_update import Draft, IsoWeek
from boundaries.integrations.atomic import atomic_write_text

FOLDER = "updates"
DRAFT_NAME = "draft.json"
FOLDER_MODE = 0o700
FILE_MODE = 0o600
_WEEK_FILE = re.compile(r"^(\d{4}-W\d{2})\.md$")


@dataclass(frozen=True)
class PastUpdate:
    week: IsoWeek
    path: Path


class UpdateStore:
    """The draft (``draft.json``) and the kept updates (``2026-W49.md``)."""

    def __init__(self, state_dir: Path) -> None:
        self.folder = state_dir / FOLDER

    def _ensure_folder(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
        os.chmod(self.folder, FOLDER_MODE)  # also when it existed with a looser mode

    # ------------------------------------------------------------------ the draft
    @property
    def draft_path(self) -> Path:
        return self.folder / DRAFT_NAME

    def load_draft(self) -> Draft | None:
        """The saved draft, or None (none yet, or unreadable: a damaged one is set aside)."""
        try:
            data = json.loads(self.draft_path.read_text(encoding="utf-8"))
            return Draft.from_json(data)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, AttributeError):
            with contextlib.suppress(OSError):
                self.draft_path.replace(self.draft_path.with_suffix(".json.damaged"))
            return None

    def save_draft(self, draft: Draft) -> None:
        self._ensure_folder()
        atomic_write_text(
            self.draft_path, json.dumps(draft.to_json(), ensure_ascii=False, indent=1), FILE_MODE
        )

    def clear_draft(self, week: IsoWeek) -> None:
        """Forget the draft once Slack confirmed it, unless a newer week's draft replaced it."""
        current = self.load_draft()
        if current is not None and current.week == week:
            with contextlib.suppress(FileNotFoundError):
                self.draft_path.unlink()

    # ------------------------------------------------------------------ past updates
    def week_path(self, week: IsoWeek) -> Path:
        return self.folder / f"{week}.md"

    def keep(self, week: IsoWeek, markdown: str) -> Path:
        """Write the week's Markdown file (replacing an earlier version of that week)."""
        self._ensure_folder()
        path = self.week_path(week)
        atomic_write_text(path, markdown, FILE_MODE)
        return path

    def past(self) -> list[PastUpdate]:
        """Kept updates, newest week first."""
        if not self.folder.is_dir():
            return []
        found = []
        for path in self.folder.iterdir():
            match = _WEEK_FILE.match(path.name)
            if match is None:
                continue
            with contextlib.suppress(ValueError):
                found.append(PastUpdate(IsoWeek.parse(match[1]), path))
        return sorted(found, key=lambda item: item.week, reverse=True)

    def read(self, week: IsoWeek) -> str:
        return self.week_path(week).read_text(encoding="utf-8")
