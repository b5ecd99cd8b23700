"""``status --at`` / ``team --at`` at the ends of time: exit 2 with a reason, never a traceback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boundaries.cli import main

SETTINGS = """\
[general]
timezone = "Pacific/Kiritimati"

[[focus.blocks]]
days = ["mon", "tue", "wed", "thu", "fri"]
start = "09:00"
end = "11:00"

[[team]]
name = "Ana"
timezone = "Pacific/Pago_Pago"
"""


@pytest.mark.parametrize("command", ["status", "team"])
@pytest.mark.parametrize(
    "at", ["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+00:00", "9999-12-31", "0001-01-01"]
)
def test_an_instant_at_the_end_of_time_is_a_bad_argument(
    config_dir: Path, capsys: pytest.CaptureFixture[str], command: str, at: str
) -> None:
    assert main([command, "--at", at]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f'boundaries: --at "{at}" must be between the years 1971 and 9997'


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.datetimes(timezones=st.just(UTC)), st.sampled_from(["status", "team"]))
def test_any_instant_answers_or_exits_2(
    config_dir: Path, capsys: pytest.CaptureFixture[str], moment: datetime, command: str
) -> None:
    code = main([command, "--json", "--at", moment.isoformat()])
    captured = capsys.readouterr()
    assert code in (0, 2), captured.err
    if code == 2:
        assert "must be between the years" in captured.err


@pytest.mark.parametrize("command", ["status", "team"])
def test_the_last_planned_day_still_answers(
    config_dir: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    last = datetime(9998, 1, 1, tzinfo=UTC) - timedelta(seconds=1)
    assert main([command, "--at", last.isoformat()]) == 0, capsys.readouterr().err
