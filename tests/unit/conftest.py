"""Fixtures for the unit tests.

``config_dir``: a profile folder for the CLI (``BOUNDARIES_CONFIG_DIR`` points at it) whose
settings.toml is the test module's ``SETTINGS``.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def config_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Path:
    settings = getattr(request.module, "SETTINGS", None)
    assert isinstance(settings, str), f"{request.module.__name__} needs a SETTINGS text"
    (tmp_path / "settings.toml").write_text(settings, encoding="utf-8")
    monkeypatch.setenv("BOUNDARIES_CONFIG_DIR", str(tmp_path))
    return tmp_path
