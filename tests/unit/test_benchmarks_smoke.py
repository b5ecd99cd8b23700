"""The benchmark code itself works: /proc parsing, xev parsing, summaries and the result files.

No timing is asserted here; the numbers come from ``python -m benchmarks``.
"""

from __future__ import annotations

import json
import os
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from benchmarks import instructions, report, scale
from benchmarks.procfs import (
    Counters,
    cpu_ns,
    kib,
    process_counters,
    rss_kib,
    stat_cpu_ticks,
    status_fields,
    thread_counters,
)
from benchmarks.stats import ratio, summary
from benchmarks.xevents import block_complete, parse_block
from hypothesis import example, given, settings
from hypothesis import strategies as st

from boundaries.core.schedule import EventKind, current_focus_block, events_after
from boundaries.core.settings import parse_settings
from tests.e2e.app_under_test import quiet_settings

STATUS = """\
Name:\tpython3
State:\tS (sleeping)
VmRSS:\t   51234 kB
Threads:\t4
voluntary_ctxt_switches:\t120
nonvoluntary_ctxt_switches:\t7
"""
# A command name with a space and a parenthesis: fields must be counted from the last ")".
STAT = "4242 (weird) name) S 1 4242 4242 0 -1 4194560 900 0 0 0 31 12 0 0 20 0 4 0 100 0 0"


def test_status_and_stat_parsing_finds_memory_switches_and_cpu_ticks() -> None:
    fields = status_fields(STATUS)
    assert kib(fields["VmRSS"]) == 51234
    assert stat_cpu_ticks(STAT) == (31, 12)
    one = thread_counters(STATUS, STAT)
    assert (one.voluntary, one.involuntary, one.switches) == (120, 7, 127)
    later = Counters(130, 9, 40, 12, 4)
    assert (later - one).switches == 12
    assert (later - one).utime_ticks == 9


def test_reading_this_process_sums_its_threads(tmp_path: Path) -> None:
    counters = process_counters(os.getpid())
    assert counters.threads >= 1
    assert counters.switches > 0
    assert rss_kib(os.getpid()) > 1000
    # A fake /proc with two threads: the sums add up.
    task = tmp_path / "77" / "task"
    for tid, (vol, ut) in {"77": (10, 3), "78": (5, 4)}.items():
        (task / tid).mkdir(parents=True)
        (task / tid / "status").write_text(
            f"voluntary_ctxt_switches:\t{vol}\nnonvoluntary_ctxt_switches:\t1\n"
        )
        (task / tid / "stat").write_text(f"{tid} (x) S " + " ".join(["0"] * 10) + f" {ut} 2 0")
    total = process_counters(77, proc=tmp_path)
    assert (total.voluntary, total.involuntary, total.utime_ticks, total.stime_ticks) == (
        15,
        2,
        7,
        4,
    )
    assert total.threads == 2


def test_cpu_nanoseconds_add_up_over_the_threads(tmp_path: Path) -> None:
    assert cpu_ns(os.getpid()) > 0
    task = tmp_path / "77" / "task"
    for tid, ns in {"77": 1_500_000, "78": 250_000}.items():
        (task / tid).mkdir(parents=True)
        (task / tid / "schedstat").write_text(f"{ns} 99 7\n")
    assert cpu_ns(77, proc=tmp_path) == 1_750_000


def test_xev_blocks_are_complete_on_their_last_line_and_parse_the_subject_window() -> None:
    mapped = [
        "MapNotify event, serial 18, synthetic NO, window 0x50d,",
        "event 0x50d, window 0x600014, override YES",
    ]
    assert not block_complete(mapped[:1])
    assert block_complete(mapped)
    event = parse_block(mapped, 12.5)
    assert event is not None
    assert (event.kind, event.window, event.override, event.at) == (
        "MapNotify",
        "0x600014",
        True,
        12.5,
    )
    reparent = [
        "ReparentNotify event, serial 18, synthetic NO, window 0x50d,",
        "event 0x50d, window 0x600007, parent 0x20002a,",
        "(0,0), override YES",
    ]
    assert not block_complete(reparent[:2])
    event = parse_block(reparent, 1.0)
    assert event is not None and event.parent == "0x20002a" and event.window == "0x600007"
    destroyed = [
        "DestroyNotify event, serial 18, synthetic NO, window 0x50d,",
        "event 0x50d, window 0x600005",
    ]
    assert block_complete(destroyed)
    assert parse_block(["not an event"], 0.0) is None


def test_summary_and_ratio() -> None:
    s = summary([0.3, 0.1, 0.2])
    assert (s["median"], s["min"], s["max"], s["n"]) == (0.2, 0.1, 0.3, 3)
    assert summary([])["median"] is None
    assert ratio(0.3, 0.2) == 1.5
    assert ratio(None, 0.2) is None and ratio(1.0, 0.0) is None


def _tiny_result() -> dict[str, object]:
    t = summary([0.25, 0.24])
    f = summary([0.2, 0.21])
    startup = {
        "boundaries": {
            m: t
            for m in ("ready_s", "icon_embedded_s", "icon_polled_s", "menu_s", "click_to_menu_s")
        }
        | {"rss_mib": summary([60.0, 61.0])},
        "floor": {
            m: f
            for m in ("ready_s", "icon_embedded_s", "icon_polled_s", "menu_s", "click_to_menu_s")
        }
        | {"rss_mib": summary([50.0, 51.0])},
        "ratio": {
            m: 1.2
            for m in (
                "ready_s",
                "icon_embedded_s",
                "icon_polled_s",
                "menu_s",
                "click_to_menu_s",
                "rss_mib",
            )
        },
    }
    idle = {
        "seconds": 60.0,
        "boundaries": {"wakeups_per_min": 3.0, "cpu_percent": 0.01},
        "floor": {"wakeups_per_min": 2.0, "cpu_percent": 0.0},
        "above_floor_wakeups_per_min": 1.0,
    }
    return {
        "finished": "2026-11-24T12:00:00+00:00",
        "machine": report.machine_info(),
        "config": {"runs": 2},
        "startup": startup,
        "idle": idle,
    }


def test_result_writer_makes_a_run_pair_and_the_latest_pair(tmp_path: Path) -> None:
    latest_json, latest_md = report.write(_tiny_result(), tmp_path)
    assert json.loads(latest_json.read_text())["startup"]["ratio"]["ready_s"] == 1.2
    table = latest_md.read_text()
    assert (
        "| exec → tray icon (READY marker) | 245 ms (240–250) | 205 ms (200–210) | 1.2× |" in table
    )
    assert "| idle wakeups / min (60 s, all threads) | 3 | 2 | +1 |" in table
    assert "memory" not in table.lower().split("|")[0]  # sections not run are left out
    assert len(list(tmp_path.glob("run-*.json"))) == 1
    assert len(list(tmp_path.glob("run-*.md"))) == 1
    info = report.machine_info()
    assert info["cores"] and info["python"]


def test_instruction_counts_are_read_from_callgrind_output_and_tabled(tmp_path: Path) -> None:
    out = tmp_path / "callgrind.out"
    out.write_text("version: 1\ncreator: callgrind-3.19.0\nevents: Ir\nsummary: 879123456\n")
    assert instructions.read_total(out) == 879_123_456
    (tmp_path / "empty.out").write_text("events: Ir\n")
    with pytest.raises(RuntimeError, match="no instruction total"):
        instructions.read_total(tmp_path / "empty.out")

    def counts(ours: int, base: int, keys: tuple[str, str]) -> dict[str, object]:
        return {keys[0]: ours, keys[1]: base, "ratio": ratio(ours, base)}

    result = _tiny_result() | {
        "instructions": {
            "icon": counts(742_000_000, 594_000_000, ("boundaries", "floor")),
            "scale_icon": counts(1_016_000_000, 879_000_000, ("scale", "ordinary")),
            "scale_status": counts(635_000_000, 554_000_000, ("scale", "ordinary")),
            "scale_team": counts(607_000_000, 512_000_000, ("scale", "ordinary")),
        }
    }
    table = report.markdown(result)
    assert "| exec → tray icon, against the floor | 742 M | 594 M | 1.25× | ≤ 1.25× |" in table
    assert "| scale: `boundaries team` | 607 M | 512 M | 1.19× | ≤ 1.2× |" in table
    missing = report.markdown(_tiny_result() | {"instructions": {"missing": "no valgrind"}})
    assert "Not measured: no valgrind." in missing


NOWS = st.datetimes(datetime(2026, 1, 1), datetime(2028, 1, 1), timezones=st.just(UTC))


@settings(max_examples=60, deadline=None)
@given(now=NOWS)
@example(now=datetime(2026, 3, 29, 0, 20, tzinfo=UTC))  # Berlin springs forward at 01:00 UTC
@example(now=datetime(2026, 10, 25, 0, 20, tzinfo=UTC))  # and falls back
def test_scale_case_keeps_its_blocks_clear_of_the_run_whatever_the_time(now: datetime) -> None:
    """The scale case must not find a block in progress or due within the run (the app would
    then load APScheduler or start focusing, and the case would measure the time of day).
    The workday's nudges are the same in both cases and are not the scale case's business."""
    first_start = scale.quiet_first_start(now)
    loaded, problems = parse_settings(tomllib.loads(scale.scale_settings(first_start=first_start)))
    assert problems == []
    assert len(loaded.focus.blocks) == scale.BLOCKS
    assert current_focus_block(loaded, now, scale.SCALE_ZONE) is None
    focus_kinds = {EventKind.FOCUS_START, EventKind.FOCUS_END}
    upcoming = next(e for e in events_after(loaded, now, scale.SCALE_ZONE) if e.kind in focus_kinds)
    assert upcoming.at.astimezone(UTC) - now >= scale.SCALE_MARGIN


@settings(max_examples=30, deadline=None)
@given(now=NOWS)
def test_quiet_settings_are_valid_and_plan_nothing_for_two_days(now: datetime) -> None:
    """A settings problem at start would send a notification and fall back to the defaults'
    workdays and nudges: the quiet runs would measure those instead."""
    loaded, problems = parse_settings(tomllib.loads(quiet_settings(now)))
    assert problems == []
    zone = ZoneInfo(loaded.general.timezone)
    upcoming = next(events_after(loaded, now, zone))
    assert upcoming.at.astimezone(UTC) - now >= timedelta(days=2)


def test_every_module_the_wave_row_looks_for_exists() -> None:
    """A renamed module would make the "this wave's features at start" row read "none" for
    ever; each one it looks for must be a module of the app."""
    import importlib.util

    from benchmarks.startup import WAVE_FEATURES

    missing = [
        name
        for modules in WAVE_FEATURES.values()
        for name in modules
        if importlib.util.find_spec(name) is None
    ]
    assert missing == []
