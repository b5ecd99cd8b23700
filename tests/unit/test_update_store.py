"""The weekly update on disk: a private folder, the draft, one Markdown file per week."""

from __future__ import annotations

import stat
from pathlib import Path

from boundaries.core.weekly_update import Draft, IsoWeek
from boundaries.integrations.update_store import UpdateStore

W49, W50 = IsoWeek.parse("2026-W49"), IsoWeek.parse("2026-W50")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_draft_survives_a_new_store_and_its_files_are_private(tmp_path: Path) -> None:
    (tmp_path / "updates").mkdir(mode=0o755)  # an older, looser folder is tightened
    UpdateStore(tmp_path).save_draft(Draft(W50, shipped="Billing ✓"))
    store = UpdateStore(tmp_path)  # "after a restart"
    assert store.load_draft() == Draft(W50, shipped="Billing ✓")
    assert mode(store.folder) == 0o700
    assert mode(store.draft_path) == 0o600
    kept = store.keep(W50, "## Weekly update 2026-W50\n")
    assert mode(kept) == 0o600


def test_a_damaged_draft_is_set_aside_not_lost(tmp_path: Path) -> None:
    store = UpdateStore(tmp_path)
    store.save_draft(Draft(W50))
    store.draft_path.write_text("{ not json")
    assert store.load_draft() is None
    assert (store.folder / "draft.json.damaged").read_text() == "{ not json"


def test_past_updates_newest_first_and_a_draft_is_cleared_only_for_its_week(
    tmp_path: Path,
) -> None:
    store = UpdateStore(tmp_path)
    assert store.past() == []
    store.keep(W49, "49")
    store.keep(W50, "50")
    (store.folder / "notes.md").write_text("not a week")
    assert [str(p.week) for p in store.past()] == ["2026-W50", "2026-W49"]
    assert store.read(W49) == "49"
    store.save_draft(Draft(W50, shipped="x"))
    store.clear_draft(W49)
    assert store.load_draft() is not None
    store.clear_draft(W50)
    assert store.load_draft() is None
