"""Driving the tray like a user (xdotool) and timing what the X server shows (xev)."""

from __future__ import annotations

import time

from tests.e2e import harness

from benchmarks.procfs import children
from benchmarks.session import Bench, Proc
from benchmarks.xevents import XEvent
from boundaries.core import commands as cmd

AWAY = ("mousemove", "640", "600")  # off the icon, so no tooltip pops up between cycles
# Qt takes a second click within the double-click interval (400 ms) as a double click, which
# opens no menu: clicks are spaced at least this far apart.
CLICK_SPACING_S = 0.5
_last_click = 0.0


def icon_polled(bench: Bench, proc: Proc, timeout: float = 30.0) -> float:
    """When ``harness.tray_icon`` (polling xwininfo every 50 ms) first saw the icon."""
    return icon_window(bench, proc, timeout)[0]


def icon_window(bench: Bench, proc: Proc, timeout: float = 30.0) -> tuple[float, str]:
    """(when ``harness.tray_icon`` first saw the process's icon, the icon's window id)."""
    window = harness.tray_icon(bench.display, pid=proc.pid, timeout=timeout)
    return time.time(), window.id


def icon_embedded(
    bench: Bench, proc: Proc, after: int, timeout: float = 10.0, window: str | None = None
) -> float:
    """When trayer reparented the process's icon window into its panel (exact, from xev).

    With ``window`` (the icon's id), only that window counts: a GTK peer reparents other
    windows of its own too.
    """
    event = bench.xev.wait_for(
        lambda e: (
            e.kind == "ReparentNotify"
            and (e.window == window if window else bench.xev.pid_of(e.window) == proc.pid)
        ),
        after=after,
        timeout=timeout,
    )
    return event.at


def _mapped_popup(bench: Bench, proc: Proc, after: int, timeout: float = 10.0) -> XEvent:
    return bench.xev.wait_for(
        lambda e: e.kind == "MapNotify" and e.override and bench.xev.pid_of(e.window) == proc.pid,
        after=after,
        timeout=timeout,
    )


def open_menu(bench: Bench, proc: Proc, timeout: float = 10.0) -> tuple[float, XEvent]:
    """Right-click the icon; (time just before the click, the menu's MapNotify)."""
    global _last_click
    settle_until(_last_click + CLICK_SPACING_S)
    mark = bench.xev.mark()
    t_click = time.time()
    harness.click_tray_icon(bench.display, button=3, pid=proc.pid)
    _last_click = time.time()
    return t_click, _mapped_popup(bench, proc, mark, timeout)


def close_menu(bench: Bench, menu: XEvent) -> None:
    mark = bench.xev.mark()
    harness.press_keys(bench.display, "Escape")
    bench.xev.wait_for(lambda e: e.kind == "UnmapNotify" and e.window == menu.window, mark)
    harness.xdotool(bench.display, *AWAY)


def menu_cycle(bench: Bench, proc: Proc) -> float:
    """Open and close the tray menu once; seconds from the click to the menu on screen."""
    t_click, menu = open_menu(bench, proc)
    close_menu(bench, menu)
    return menu.at - t_click


def settings_cycle(bench: Bench, proc: Proc) -> float:
    """Open Settings (what a second ``boundaries`` start does) and close it with Escape.

    The window belongs to Settings' own process, a child of the app (docs/decisions/0018);
    the cycle ends once that process is gone, so its memory is not counted as the app's.
    Returns seconds from the request to the window on screen.
    """
    bench.xev.forget()  # each Settings process is a new X client: window ids get reused
    mark = bench.xev.mark()
    t0 = time.time()
    reply = proc.command(cmd.encode_request(cmd.Activate()))
    if not reply.get("ok"):
        raise RuntimeError(f"activate failed: {reply}")
    window = bench.xev.wait_for(
        lambda e: (
            e.kind == "MapNotify"
            and not e.override
            and bench.xev.pid_of(e.window) in (proc.pid, *children(proc.pid))
        ),
        after=mark,
    )
    owner = bench.xev.pid_of(window.window)
    mark = bench.xev.mark()
    harness.xdotool(bench.display, "windowfocus", "--sync", window.window, "key", "Escape")
    bench.xev.wait_for(
        lambda e: e.kind in ("UnmapNotify", "DestroyNotify") and e.window == window.window, mark
    )
    harness.wait_for(
        lambda: owner == proc.pid or owner not in children(proc.pid),
        timeout=10,
        interval=0.02,
        message="the Settings process to end",
    )
    return window.at - t0


def settle_until(deadline: float) -> None:
    """Wait (in this process) until the unix time ``deadline``."""
    remaining = deadline - time.time()
    if remaining > 0:
        time.sleep(remaining)
