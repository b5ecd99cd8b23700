"""What the kernel knows about a process: resident memory, context switches and CPU time.

Parsers take the file text so tests can feed them samples; readers sum over every thread
(``/proc/<pid>/task/*``) because Qt, D-Bus and worker threads wake up on their own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def status_fields(text: str) -> dict[str, str]:
    """``/proc/<pid>/status`` as ``{"VmRSS": "51234 kB", ...}``."""
    fields: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip()] = value.strip()
    return fields


def kib(value: str) -> int:
    """``"51234 kB"`` -> 51234."""
    number, _, unit = value.partition(" ")
    if unit not in ("kB", ""):
        raise ValueError(f"unexpected unit in {value!r}")
    return int(number)


def stat_cpu_ticks(text: str) -> tuple[int, int]:
    """(utime, stime) in clock ticks from a ``stat`` line.

    The command name (field 2) is in parentheses and may contain spaces or ")", so fields are
    counted from the last ")".
    """
    rest = text[text.rindex(")") + 2 :].split()
    # rest[0] is field 3 (state); utime and stime are fields 14 and 15.
    return int(rest[11]), int(rest[12])


@dataclass(frozen=True)
class Counters:
    """Sums over a process's live threads at one moment."""

    voluntary: int
    involuntary: int
    utime_ticks: int
    stime_ticks: int
    threads: int

    @property
    def switches(self) -> int:
        return self.voluntary + self.involuntary

    @property
    def cpu_seconds(self) -> float:
        return (self.utime_ticks + self.stime_ticks) / CLOCK_TICKS

    def __sub__(self, earlier: Counters) -> Counters:
        return Counters(
            self.voluntary - earlier.voluntary,
            self.involuntary - earlier.involuntary,
            self.utime_ticks - earlier.utime_ticks,
            self.stime_ticks - earlier.stime_ticks,
            self.threads,
        )


def thread_counters(status_text: str, stat_text: str) -> Counters:
    fields = status_fields(status_text)
    utime, stime = stat_cpu_ticks(stat_text)
    return Counters(
        int(fields["voluntary_ctxt_switches"]),
        int(fields["nonvoluntary_ctxt_switches"]),
        utime,
        stime,
        1,
    )


def process_counters(pid: int, proc: Path = PROC) -> Counters:
    """Context switches and CPU ticks summed over all live threads of ``pid``."""
    total = Counters(0, 0, 0, 0, 0)
    for task in sorted((proc / str(pid) / "task").iterdir()):
        try:
            one = thread_counters((task / "status").read_text(), (task / "stat").read_text())
        except (FileNotFoundError, ProcessLookupError):
            continue  # the thread ended while we looked
        total = Counters(
            total.voluntary + one.voluntary,
            total.involuntary + one.involuntary,
            total.utime_ticks + one.utime_ticks,
            total.stime_ticks + one.stime_ticks,
            total.threads + 1,
        )
    return total


def cpu_ns(pid: int, proc: Path = PROC) -> int:
    """CPU time (user + system) in nanoseconds, summed over all live threads of ``pid``.

    From ``schedstat`` (the scheduler's run time): the 10 ms clock ticks of ``stat`` are too
    coarse for a few milliseconds per menu open, where one tick more or less is a 20 % swing.
    """
    total = 0
    for task in (proc / str(pid) / "task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            continue  # the thread ended while we looked
    return total


def rss_kib(pid: int, proc: Path = PROC) -> int:
    """VmRSS of ``pid`` in KiB."""
    return kib(status_fields((proc / str(pid) / "status").read_text())["VmRSS"])


def thread_switches(pid: int, proc: Path = PROC) -> dict[str, int]:
    """``{"<thread name>/<tid>": context switches}``: which thread wakes up."""
    out: dict[str, int] = {}
    for task in (proc / str(pid) / "task").iterdir():
        try:
            fields = status_fields((task / "status").read_text())
        except (FileNotFoundError, ProcessLookupError):
            continue
        switches = int(fields["voluntary_ctxt_switches"]) + int(
            fields["nonvoluntary_ctxt_switches"]
        )
        out[f"{fields.get('Name', '?')}/{task.name}"] = switches
    return out


def children(pid: int, proc: Path = PROC) -> list[int]:
    """The direct children of ``pid``, whichever of its threads started them."""
    found: list[int] = []
    try:
        tasks = list((proc / str(pid) / "task").iterdir())
    except (FileNotFoundError, ProcessLookupError):
        return found
    for task in tasks:
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return found


def tree_rss_kib(pid: int, proc: Path = PROC) -> dict[int, int]:
    """``{pid: VmRSS KiB}`` for ``pid`` and every live descendant (the app and its agent)."""
    out: dict[int, int] = {}
    todo = [pid]
    while todo:
        one = todo.pop()
        try:
            out[one] = rss_kib(one, proc)
        except (FileNotFoundError, ProcessLookupError, KeyError):
            continue  # gone, or a zombie (no VmRSS)
        todo += children(one, proc)
    return out
