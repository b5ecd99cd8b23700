"""Real processes for end-to-end tests: Xvfb, a private D-Bus, trayer, the app, and X11 probes.

Everything here waits by polling a condition with short waits (``wait_for``), never by sleeping a
fixed time. The pytest fixtures in ``conftest.py`` wrap these; scripts can use them directly.
"""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "tests" / "e2e" / "artifacts"

# The command lines the fixtures know how to start. The real app is `python -m boundaries`
# (the `boundaries` console script in .venv/bin does the same).
BOUNDARIES_CMD: tuple[str, ...] = (sys.executable, "-m", "boundaries")
STANDIN_TRAY_CMD: tuple[str, ...] = (sys.executable, "-m", "tests.e2e.standin_tray")
RECORDER_CMD: tuple[str, ...] = (sys.executable, "-m", "tests.fakes.notify_recorder")
LOGIND_CMD: tuple[str, ...] = (sys.executable, "-m", "tests.fakes.logind")

# Binary -> Debian package that provides it.
REQUIRED_TOOLS: dict[str, str] = {
    "Xvfb": "xvfb",
    "dbus-daemon": "dbus",
    "trayer": "trayer",
    "xwininfo": "x11-utils",
    "xprop": "x11-utils",
    "xdotool": "xdotool",
    "import": "imagemagick",
}

T = TypeVar("T")


def titled(name: str) -> str:
    """A window's title as the desktop shows it: Qt appends the application's display name."""
    return f"{name} \N{EM DASH} Boundaries"


def missing_tools() -> list[str]:
    """``["trayer (apt: trayer)", ...]`` for every tool the e2e tests need and cannot find."""
    return [
        f"{tool} (apt: {pkg})" for tool, pkg in REQUIRED_TOOLS.items() if not shutil.which(tool)
    ]


def wait_for(
    predicate: Callable[[], T],
    timeout: float = 10.0,
    interval: float = 0.05,
    message: str | Callable[[], str] = "condition",
) -> T:
    """Poll ``predicate`` until it returns something truthy and return that value.

    Raises TimeoutError naming ``message`` (a string, or a callable for a late diagnosis, e.g.
    the app's stderr) after ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            text = message() if callable(message) else message
            raise TimeoutError(f"timed out after {timeout:.1f}s waiting for {text}")
        time.sleep(interval)


def _read_line(stream: IO[bytes], timeout: float, what: str) -> str:
    """One line from a child's pipe, or TimeoutError: a child that hangs must not hang pytest."""
    ready, _, _ = select.select([stream], [], [], timeout)
    if not ready:
        raise TimeoutError(f"{what} printed nothing within {timeout:.1f}s")
    return stream.readline().decode(errors="replace").strip()


def stop(proc: subprocess.Popen[Any] | None, timeout: float = 5.0) -> int | None:
    """SIGTERM, then SIGKILL after ``timeout``; returns the exit code. Safe on dead processes."""
    if proc is None:
        return None
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()
    return proc.returncode


# --- Xvfb -------------------------------------------------------------------------------------
@dataclass
class Xvfb:
    display: str
    proc: subprocess.Popen[bytes]


def start_xvfb(
    screen: str = "1280x800x24", log_path: Path | None = None, timeout: float = 10.0
) -> Xvfb:
    """Start Xvfb on a free display (``-displayfd`` picks it) and wait until it accepts clients."""
    read_fd, write_fd = os.pipe()
    log = log_path.open("wb") if log_path else subprocess.DEVNULL
    try:
        proc = subprocess.Popen(
            [
                "Xvfb",
                "-displayfd",
                str(write_fd),
                "-screen",
                "0",
                screen,
                "-nolisten",
                "tcp",
                "-noreset",
            ],
            pass_fds=(write_fd,),
            stdout=log,
            stderr=log,
        )
    finally:
        os.close(write_fd)
        if log_path:
            log.close()  # type: ignore[union-attr]
    try:
        with os.fdopen(read_fd, "rb") as pipe:
            number = _read_line(pipe, timeout, "Xvfb -displayfd")
        if not number.isdigit():
            raise RuntimeError(f"Xvfb did not start (exit {proc.poll()}), see {log_path}")
    except BaseException:
        stop(proc)
        raise
    return Xvfb(display=f":{number}", proc=proc)


# --- D-Bus ------------------------------------------------------------------------------------
_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">{any_user}
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


@dataclass
class DBusDaemon:
    address: str
    proc: subprocess.Popen[bytes]
    workdir: Path


def start_dbus(workdir: Path, timeout: float = 10.0, any_user: bool = False) -> DBusDaemon:
    """A private, hermetic session bus: no service activation, so nothing (no notification
    daemon, no keyring) starts behind the test's back. Socket lives in ``workdir``.

    ``any_user``: also for other users' processes (sway's panel runs unprivileged), so
    ``workdir`` is made world-traversable too."""
    workdir.mkdir(parents=True, exist_ok=True)
    if any_user:
        workdir.chmod(0o755)
    config = workdir / "session.conf"
    users = '\n    <allow user="*"/>' if any_user else ""
    config.write_text(_BUS_CONFIG.format(dir=workdir, any_user=users), encoding="utf-8")
    proc = subprocess.Popen(
        ["dbus-daemon", f"--config-file={config}", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # it warns that root cannot raise its fd limit
    )
    assert proc.stdout is not None
    try:
        address = _read_line(proc.stdout, timeout, "dbus-daemon --print-address")
        if not address.startswith("unix:"):
            raise RuntimeError(f"dbus-daemon did not start (exit {proc.poll()})")
    except BaseException:
        stop(proc)
        raise
    return DBusDaemon(address=address, proc=proc, workdir=workdir)


# --- the notification recorder ----------------------------------------------------------------
@dataclass
class NotifyRecorder:
    """The fake notification server on the private bus, and what it recorded."""

    bus_address: str
    log_path: Path
    proc: subprocess.Popen[bytes]

    def events(self) -> list[dict[str, Any]]:
        return recorded_events(self.log_path)

    def notifications(self) -> list[dict[str, Any]]:
        return recorded_notifications(self.log_path)

    def wait_for_notification(
        self,
        predicate: Callable[[dict[str, Any]], bool] = lambda n: True,
        timeout: float = 10.0,
        after: int = 0,
    ) -> dict[str, Any]:
        """The first recorded notification (from index ``after``) matching ``predicate``."""

        def find() -> dict[str, Any] | None:
            return next((n for n in self.notifications()[after:] if predicate(n)), None)

        return wait_for(
            find, timeout, message=lambda: f"a matching notification; got {self.notifications()}"
        )

    def invoke_action(self, notification_id: int, key: str = "default") -> None:
        """'Click' a notification: the server emits ActionInvoked(id, key), then closes it."""
        from tests.fakes.notify_recorder import call_test_method

        call_test_method(self.bus_address, "Invoke", "us", (notification_id, key))

    def dismiss(self, notification_id: int) -> None:
        """The user closes the notification without choosing an action."""
        from tests.fakes.notify_recorder import call_test_method

        call_test_method(self.bus_address, "Dismiss", "u", (notification_id,))


def start_notify_recorder(
    bus_address: str,
    log_path: Path,
    capabilities: str | None = None,
    timeout: float = 15.0,
    inhibited: bool = True,
) -> NotifyRecorder:
    """Start the recorder on ``bus_address`` and wait for its ``READY`` line.

    ``inhibited=False``: a server without KDE's ``Inhibited`` property and ``Inhibit``."""
    cmd = [*RECORDER_CMD, "--log", str(log_path), "--bus", bus_address]
    if capabilities is not None:
        cmd += ["--capabilities", capabilities]
    if not inhibited:
        cmd.append("--no-inhibited")
    proc, _line = _start_announcing(
        cmd, log_path.with_suffix(".stderr.log"), "notify_recorder", "READY", timeout
    )
    return NotifyRecorder(bus_address=bus_address, log_path=log_path, proc=proc)


def _start_announcing(
    cmd: Sequence[str], stderr_path: Path, what: str, ready: str, timeout: float
) -> tuple[subprocess.Popen[bytes], str]:
    """Start one of our fakes and wait for its first stdout line to start with ``ready``; the
    process and that line. A fake that says something else or nothing is stopped, and the
    error quotes its stderr."""
    with stderr_path.open("wb") as stderr:
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=stderr)
    assert proc.stdout is not None
    try:
        line = _read_line(proc.stdout, timeout, what)
        if not line.startswith(ready):
            raise RuntimeError(f"{what} failed: {line!r} {stderr_path.read_text(errors='replace')}")
    except BaseException:
        stop(proc)
        raise
    return proc, line


def recorded_events(log_path: Path) -> list[dict[str, Any]]:
    """Every event the recorder wrote (notify, closed, action), oldest first."""
    if not log_path.exists():
        return []
    lines = log_path.read_text(encoding="utf-8").splitlines()
    # A line being written right now may be incomplete: ignore a torn last line.
    events = []
    for line in lines:
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return events


def recorded_notifications(log_path: Path) -> list[dict[str, Any]]:
    """The notifications (``Notify`` calls) the recorder saw, oldest first."""
    return [e for e in recorded_events(log_path) if e.get("event") == "notify"]


# --- the fake logind (a system bus without systemd) --------------------------------------------
@dataclass
class FakeLogind:
    """``tests.fakes.logind`` owning org.freedesktop.login1 on its own private bus: give the
    app ``DBUS_SYSTEM_BUS_ADDRESS=<system_bus>`` and it takes that bus for the system's."""

    system_bus: str
    proc: subprocess.Popen[bytes]
    unique_name: str

    def prepare_for_sleep(self, start: bool) -> float:
        """logind's ``PrepareForSleep(start)``: true before a suspend, false after the resume.
        Returns the unix time the signal was sent."""
        from tests.fakes.logind import prepare_for_sleep

        return prepare_for_sleep(self.system_bus, start)


def start_logind(system_bus: str, log_path: Path, timeout: float = 15.0) -> FakeLogind:
    """Start the fake logind on ``system_bus`` and wait for its ``READY`` line."""
    cmd = [*LOGIND_CMD, "--bus", system_bus]
    proc, line = _start_announcing(cmd, log_path, "the fake logind", "READY ", timeout)
    return FakeLogind(system_bus=system_bus, proc=proc, unique_name=line.split()[1])


# --- trayer -----------------------------------------------------------------------------------
TRAYER_ARGS: tuple[str, ...] = (
    *("--edge", "top", "--align", "right", "--widthtype", "request", "--height", "24"),
    # A light grey panel: "transparent" with an opaque tint is how trayer takes a colour.
    *("--transparent", "true", "--alpha", "0", "--tint", "0xe0e0e0", "--SetDockType", "true"),
)


@dataclass
class Trayer:
    display: str
    proc: subprocess.Popen[bytes]
    window: str  # the X window id of trayer's panel, e.g. "0x200003"


def start_trayer(display: str, log_path: Path, timeout: float = 10.0) -> Trayer:
    """Start trayer (an XEmbed system tray) on ``display`` and wait for its panel window."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DISPLAY": display,
        "NO_AT_BRIDGE": "1",  # GTK must not look for the accessibility bus
        "HOME": str(log_path.parent),
    }
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            ["trayer", *TRAYER_ARGS], env=env, stdout=log, stderr=subprocess.STDOUT
        )

    def panel() -> XWindow | None:
        if proc.poll() is not None:
            raise RuntimeError(f"trayer exited {proc.returncode}: {log_path.read_text()}")
        return trayer_panel(display)

    try:
        found = wait_for(panel, timeout, message="trayer's panel window")
    except BaseException:
        stop(proc)
        raise
    return Trayer(display=display, proc=proc, window=found.id)


# --- X11 probes -------------------------------------------------------------------------------
@dataclass
class XWindow:
    """One line of ``xwininfo -root -tree``, with its children."""

    id: str
    name: str | None
    wm_class: tuple[str, ...]
    width: int
    height: int
    abs_x: int
    abs_y: int
    depth: int
    children: list[XWindow] = field(default_factory=list)

    def walk(self) -> Iterable[XWindow]:
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def center(self) -> tuple[int, int]:
        return self.abs_x + self.width // 2, self.abs_y + self.height // 2


_TREE_LINE = re.compile(
    r"^(?P<indent>\s*)(?P<id>0x[0-9a-f]+) (?:\"(?P<name>.*)\"|\(has no name\)): "
    r"\((?P<cls>[^)]*)\)\s+(?P<w>\d+)x(?P<h>\d+)[+-]-?\d+[+-]-?\d+\s+"
    r"\+(?P<ax>-?\d+)\+(?P<ay>-?\d+)$"
)


def x_tree(display: str) -> list[XWindow]:
    """The root window's children as a tree (parsed from ``xwininfo -root -tree``).

    xwininfo exits 1 (BadWindow) when a window it is walking is destroyed meanwhile, e.g. a
    menu closing: asked again, the tree no longer has it.
    """
    for attempt in range(3):
        done = subprocess.run(
            ["xwininfo", "-display", display, "-root", "-tree"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        if done.returncode == 0 or attempt == 2:
            done.check_returncode()
            break
    out = done.stdout
    roots: list[XWindow] = []
    stack: list[XWindow] = []
    for line in out.splitlines():
        m = _TREE_LINE.match(line)
        if not m:
            continue
        win = XWindow(
            id=m["id"],
            name=m["name"],
            wm_class=tuple(re.findall(r'"([^"]*)"', m["cls"])),
            width=int(m["w"]),
            height=int(m["h"]),
            abs_x=int(m["ax"]),
            abs_y=int(m["ay"]),
            depth=len(m["indent"]),
        )
        while stack and stack[-1].depth >= win.depth:
            stack.pop()
        (stack[-1].children if stack else roots).append(win)
        stack.append(win)
    return roots


def trayer_panel(display: str) -> XWindow | None:
    """trayer's panel: the top-level window of WM_CLASS ("panel", "trayer")."""
    return next((w for w in x_tree(display) if w.wm_class == ("panel", "trayer")), None)


def window_pid(display: str, window: str) -> int | None:
    """The _NET_WM_PID that Qt (and most toolkits) set on their windows."""
    out = subprocess.run(
        ["xprop", "-display", display, "-id", window, "_NET_WM_PID"],
        capture_output=True,
        text=True,
        timeout=10,
    ).stdout
    m = re.search(r"= (\d+)", out)
    return int(m.group(1)) if m else None


def tray_icons(display: str, pid: int | None = None) -> list[XWindow]:
    """Client windows embedded in trayer (XEmbed icons) with a real size; only ``pid``'s if set.

    trayer wraps every icon in a socket window of its own; the icon is that socket's child.
    """
    panel = trayer_panel(display)
    if panel is None:
        return []
    icons = [
        icon
        for socket in panel.children
        for icon in socket.children
        if icon.width > 1 and icon.height > 1
    ]
    if pid is not None:
        icons = [i for i in icons if window_pid(display, i.id) == pid]
    return icons


def tray_icon_embedded(display: str, pid: int | None = None) -> bool:
    """True when trayer holds a nonzero-size icon (of process ``pid``, when given)."""
    return bool(tray_icons(display, pid))


def tray_icon(display: str, pid: int | None = None, timeout: float = 10.0) -> XWindow:
    """Wait for the (first) embedded icon, of ``pid`` when given."""
    return wait_for(
        lambda: next(iter(tray_icons(display, pid)), None),
        timeout,
        message=lambda: f"a tray icon{f' of pid {pid}' if pid else ''}; tree: {x_tree(display)}",
    )


def click_tray_icon(
    display: str, button: int = 3, pid: int | None = None, timeout: float = 10.0
) -> XWindow:
    """Move the pointer onto the tray icon and click (3 = right: the context menu, 1 = left)."""
    icon = tray_icon(display, pid, timeout)
    # Near the lower-left corner: the menu opens at the pointer, so the icon stays visible in
    # screenshots.
    x, y = icon.abs_x + 3, icon.abs_y + icon.height - 3
    # No --sync: it waits for the pointer to *move*, which never happens if it is already there.
    xdotool(display, "mousemove", str(x), str(y), "click", str(button))
    return icon


def press_keys(display: str, *keys: str) -> None:
    """Type keys (xdotool names: "Down", "Return", "Escape", "ctrl+q") into the focused window
    or the open menu, which grabs the keyboard: steadier than clicking at guessed offsets."""
    xdotool(display, "key", "--delay", "50", *keys)


def xdotool(display: str, *args: str) -> None:
    subprocess.run(
        ["xdotool", *args], env={**os.environ, "DISPLAY": display}, check=True, timeout=10
    )


def popup_windows(display: str, pid: int | None = None) -> list[XWindow]:
    """Mapped top-level windows bigger than a few pixels (e.g. an open menu), of ``pid`` if set.

    xwininfo lists unmapped windows too; Qt creates a popup when the menu first opens, so a
    window that appears after a click and has a real size is the menu.
    """
    wins = [
        w
        for w in x_tree(display)
        if w.width > 20
        and w.height > 20
        and w.wm_class != ("panel", "trayer")
        and _is_viewable(display, w.id)
    ]
    if pid is not None:
        wins = [w for w in wins if window_pid(display, w.id) == pid]
    return wins


def _is_viewable(display: str, window: str) -> bool:
    out = subprocess.run(
        ["xwininfo", "-display", display, "-id", window],
        capture_output=True,
        text=True,
        timeout=10,
    ).stdout
    return "Map State: IsViewable" in out


def screenshot(display: str, path: Path, crop: tuple[int, int, int, int] | None = None) -> Path:
    """Save the whole screen (or ``crop`` = (x, y, width, height)) of ``display`` as PNG."""
    path.parent.mkdir(parents=True, exist_ok=True)
    cmd = ["import", "-display", display, "-window", "root"]
    if crop is not None:
        x, y, w, h = crop
        cmd += ["-crop", f"{w}x{h}+{x}+{y}", "+repage"]
    subprocess.run([*cmd, str(path)], check=True, timeout=30, capture_output=True)
    return path


def colour_count(path: Path) -> int:
    """How many distinct colours a picture has (a window not painted yet has one or two)."""
    out = subprocess.run(
        ["identify", "-format", "%k", str(path)],
        check=True,
        timeout=30,
        capture_output=True,
        text=True,
    ).stdout
    return int(out.strip() or 0)


def painted_screenshot(
    display: str, path: Path, crop: tuple[int, int, int, int], timeout: float = 10.0
) -> Path:
    """A screenshot of ``crop`` once something is painted there (a mapped window may still be
    black for a moment)."""
    return wait_for(
        lambda: next((p for p in [screenshot(display, path, crop)] if colour_count(p) > 16), None),
        timeout=timeout,
        message=f"{path.name} to show a painted window",
    )


def region_around(windows: Iterable[XWindow], margin: int = 16) -> tuple[int, int, int, int]:
    """A crop rectangle covering ``windows`` plus a margin, clamped at the screen's origin."""
    wins = list(windows)
    left = max(0, min(w.abs_x for w in wins) - margin)
    top = max(0, min(w.abs_y for w in wins) - margin)
    right = max(w.abs_x + w.width for w in wins) + margin
    bottom = max(w.abs_y + w.height for w in wins) + margin
    return left, top, right - left, bottom - top


# --- the app under test -----------------------------------------------------------------------
def short_runtime_dir() -> Path:
    """A fresh 0700 XDG_RUNTIME_DIR under /tmp: pytest's tmp_path can be too long for a Unix
    socket path (108 bytes), and QLocalServer sockets live here."""
    return Path(tempfile.mkdtemp(prefix="bnd-rt-", dir="/tmp"))


def make_app_env(
    *,
    display: str,
    bus_address: str,
    config_dir: Path,
    home: Path,
    runtime_dir: Path,
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """A clean environment for the app: nothing from the developer's desktop leaks in.

    HOME and the XDG folders point into the test's tmp dir (so autostart files, keyrings and
    caches land there), there are no proxies, and output is unbuffered so logs are complete.
    """
    for d in (home, config_dir):
        d.mkdir(parents=True, exist_ok=True)
    runtime_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    runtime_dir.chmod(0o700)
    env = {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_RUNTIME_DIR": str(runtime_dir),
        "DISPLAY": display,
        "DBUS_SESSION_BUS_ADDRESS": bus_address,
        "BOUNDARIES_CONFIG_DIR": str(config_dir),
        "QT_QPA_PLATFORM": "xcb",
        "QT_ACCESSIBILITY": "0",
        "NO_AT_BRIDGE": "1",
        "PYTHONUNBUFFERED": "1",
        "PYTHONFAULTHANDLER": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": str(REPO_ROOT),  # so `-m tests.…` helpers import from any cwd
    }
    if "TZ" in os.environ:
        env["TZ"] = os.environ["TZ"]
    if extra:
        env.update(extra)
    return env


# What the app's stderr may not show unless a test expects it (``Launched.expect_stderr``):
# a Python traceback, a log record at WARNING or above (run_app's logging format), or a Qt
# warning ("qt.qpa.xcb: ...", "QObject::connect: ...").
_TRACEBACK = "Traceback (most recent call last)"
_BAD_LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d [\d:,]+ (WARNING|ERROR|CRITICAL) "
    r"|^qt\.[\w.]+: "
    r"|^Q[A-Za-z]+::[A-Za-z]+: "
)


def stderr_problems(text: str, expected: Sequence[str] = ()) -> list[str]:
    """Lines of ``text`` that show a traceback or an unexpected warning or error."""
    patterns = [re.compile(p) for p in expected]
    return [
        line
        for line in text.splitlines()
        if (_TRACEBACK in line or _BAD_LOG_LINE.search(line))
        and not any(p.search(line) for p in patterns)
    ]


@dataclass
class Launched:
    """A started process and where its output goes (read them in assertion messages)."""

    proc: subprocess.Popen[bytes]
    stdout_path: Path
    stderr_path: Path
    expected_stderr: list[str] = field(default_factory=list)

    def expect_stderr(self, pattern: str) -> None:
        """A warning this test provokes on purpose (a regex); others fail the test."""
        self.expected_stderr.append(pattern)

    def stderr_problems(self) -> list[str]:
        return stderr_problems(self.stderr(), self.expected_stderr)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stdout(self) -> str:
        return self.stdout_path.read_text(errors="replace")

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def output(self) -> str:
        """Both streams, for a failure message."""
        return f"--- stdout ---\n{self.stdout()}\n--- stderr ---\n{self.stderr()}"

    def wait_for_line(self, text: str, timeout: float = 10.0) -> str:
        """Wait until a stdout line contains ``text``; fail early if the process died."""

        def find() -> str | None:
            line = next((ln for ln in self.stdout().splitlines() if text in ln), None)
            if line is None and self.proc.poll() is not None:
                raise RuntimeError(f"exited {self.proc.returncode} first\n{self.output()}")
            return line

        return wait_for(find, timeout, message=lambda: f"{text!r} in stdout\n{self.output()}")


def launch(
    args: Sequence[str], env: Mapping[str, str], log_dir: Path, name: str | None = None
) -> Launched:
    """Start ``args`` with ``env``; stdout/stderr go to ``log_dir/<name>.stdout|stderr.log``."""
    log_dir.mkdir(parents=True, exist_ok=True)
    name = name or _name_for(args)
    stdout_path = _unique(log_dir / f"{name}.stdout.log")
    stderr_path = stdout_path.with_name(stdout_path.name.replace(".stdout.", ".stderr."))
    with stdout_path.open("wb") as out, stderr_path.open("wb") as err:
        proc = subprocess.Popen(
            list(args),
            env=dict(env),
            cwd=REPO_ROOT,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    return Launched(proc, stdout_path, stderr_path)


def _name_for(args: Sequence[str]) -> str:
    """``python -m boundaries focus 1`` -> ``boundaries_focus_1``: readable log file names."""
    words = list(args[args.index("-m") + 1 :] if "-m" in args else [Path(args[0]).name, *args[1:]])
    return re.sub(r"[^A-Za-z0-9.-]+", "_", "_".join(words))[:80].strip("_") or "proc"


def _unique(path: Path) -> Path:
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(path.name.replace(".stdout.", f"-{n}.stdout."))
    return candidate


def run(
    args: Sequence[str], env: Mapping[str, str], timeout: float = 20.0
) -> subprocess.CompletedProcess[str]:
    """Run a short command (e.g. ``boundaries status --json``) to completion, output captured."""
    return subprocess.run(
        list(args),
        env=dict(env),
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


FAKETIME_LIB = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1")


def faketime_env(clock_file: Path, tz: str | None = "Europe/Berlin") -> dict[str, str]:
    """libfaketime on the wall clock only: the monotonic clock stays real, as in a suspend.

    ``clock_file`` holds ``@YYYY-MM-DD hh:mm:ss`` (a start that then runs) or ``+N`` seconds;
    it is re-read once a second, so rewriting it (atomically) makes the clock jump within a
    second. No ``FAKETIME`` variable may be set alongside.

    Not ``FAKETIME_NO_CACHE``: re-reading the file on every time call, under the GIL, starves
    any second thread (an import on a worker took 20 s instead of 0.8 s). ``NO_FAKE_STAT``
    leaves file times real, so imports' stat() calls do not read the file either.

    ``FAKETIME_FORCE_MONOTONIC_FIX=0``: with the monotonic clock real there is nothing to fix,
    and libfaketime 0.9.10's run-time guess turns the fix on, which makes every timed wait on a
    monotonic condition variable return at once. CPython's GIL waits that way, so any two busy
    threads thrash: two threads' loop took 3.9 s instead of 0.3 s, and a nudge's hand-offs
    between threads 1-3 s instead of ~0.2 s. With 0, the GIL switches every 5 ms as without it.
    """
    if not FAKETIME_LIB.exists():
        raise RuntimeError(f"{FAKETIME_LIB} missing: apt-get install faketime")
    env = {
        "LD_PRELOAD": str(FAKETIME_LIB),
        "FAKETIME_TIMESTAMP_FILE": str(clock_file),
        "FAKETIME_CACHE_DURATION": "1",
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        "FAKETIME_FORCE_MONOTONIC_FIX": "0",
        "NO_FAKE_STAT": "1",
    }
    if tz is not None:
        env["TZ"] = tz
    return env
