"""The app's idle source is chosen on the first question, once."""

from __future__ import annotations

import pytest

from boundaries.integrations import idle


def test_lazy_source_is_built_on_first_use_and_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[int] = []

    class Fixed:
        def idle_seconds(self) -> float | None:
            return 42.0

    def factory() -> Fixed:
        built.append(1)
        return Fixed()

    monkeypatch.setattr(idle, "idle_source_for_platform", factory)
    lazy = idle.LazyIdleSource()
    assert built == []
    assert lazy.idle_seconds() == 42.0
    assert lazy.idle_seconds() == 42.0
    assert built == [1]
