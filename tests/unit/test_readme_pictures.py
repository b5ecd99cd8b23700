"""The README shows only pictures the e2e tests take, and docs/screenshots holds only those."""

from __future__ import annotations

import re

from tests.e2e.harness import REPO_ROOT
from tests.e2e.screenshots import README_PICTURES, SHOTS_DIR


def test_every_readme_picture_is_one_the_e2e_tests_take() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"\]\(docs/screenshots/([^)\s]+)\)", readme))
    assert shown == README_PICTURES
    assert {path.name for path in SHOTS_DIR.iterdir()} == README_PICTURES  # nothing stale
