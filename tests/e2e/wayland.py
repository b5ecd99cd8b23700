"""Real processes for the Wayland end-to-end tests: headless sway, waybar's tray, SNI probes.

sway refuses to run as root, so when the tests run as root (CI) sway and waybar run as the
unprivileged ``nobody`` (``setpriv``), in a runtime folder of their own; the app under test
gets the absolute ``WAYLAND_DISPLAY`` path. waybar's ``tray`` module is the
StatusNotifierWatcher and the host, on a private bus that any user may join. What a tray host
does is done here over D-Bus the same way: read the item's menu with
``com.canonical.dbusmenu.GetLayout``, click an entry with ``Event``, left-click the icon with
``org.kde.StatusNotifierItem.Activate``. Windows are read from sway's tree (``swaymsg``),
screenshots taken with grim.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.e2e import harness
from tests.e2e.harness import wait_for

# Binary -> Debian package that provides it.
WAYLAND_TOOLS: dict[str, str] = {
    "sway": "sway",
    "swaymsg": "sway",
    "swaybg": "swaybg",
    "waybar": "waybar",
    "grim": "grim",
    "wtype": "wtype",
    "setpriv": "util-linux",
    "dbus-daemon": "dbus",
}
NOBODY = 65534
SCREEN = (1280, 800)
BAR_HEIGHT = 30

SWAY_CONFIG = """\
output HEADLESS-1 resolution {w}x{h} bg #5b6b7a solid_color
font pango:DejaVu Sans 10
default_border normal 2
# Let windows that ask for focus (xdg-activation) have it, as KDE and GNOME do for a token
# from the user's own click; sway's default only marks them urgent.
focus_on_window_activation focus
for_window [app_id="boundaries"] floating enable
"""

WAYBAR_CONFIG = {
    "layer": "top",
    "position": "top",
    "height": BAR_HEIGHT,
    "modules-left": ["sway/workspaces"],
    "modules-right": ["tray"],
    "tray": {"icon-size": 20, "spacing": 8},
}
WAYBAR_STYLE = """\
* { font-family: "DejaVu Sans"; font-size: 13px; border: none; border-radius: 0; }
window#waybar { background: #2e3440; color: #eceff4; }
#workspaces button { padding: 0 8px; color: #eceff4; }
#tray { padding: 0 10px; }
"""


def missing_tools() -> list[str]:
    return [f"{tool} (apt: {pkg})" for tool, pkg in WAYLAND_TOOLS.items() if not shutil.which(tool)]


def unprivileged(cmd: list[str]) -> list[str]:
    """``cmd`` as ``nobody`` when we are root (sway will not run as root), else as is."""
    if os.geteuid() != 0:
        return cmd
    return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *cmd]


def _shared_dir(prefix: str) -> Path:
    """A folder under /tmp that the unprivileged user owns (or may read, for config)."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    path.chmod(0o755)
    return path


# --- sway -------------------------------------------------------------------------------------
@dataclass
class Sway:
    wayland_display: str  # absolute socket path
    swaysock: str
    runtime_dir: Path
    proc: subprocess.Popen[bytes]
    config_dir: Path

    def msg(self, *args: str) -> Any:
        out = subprocess.run(
            ["swaymsg", "-s", self.swaysock, "-r", *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
        return json.loads(out) if out.strip() else None

    def views(self) -> list[View]:
        """Every window (sway "view") in the tree, tiled or floating."""
        found: list[View] = []

        def walk(node: dict[str, Any]) -> None:
            if node.get("type") in ("con", "floating_con") and node.get("pid"):
                found.append(View.from_node(node))
            for child in node.get("nodes", []) + node.get("floating_nodes", []):
                walk(child)

        walk(self.msg("-t", "get_tree"))
        return found

    def view(self, title: str, pid: int | None = None, timeout: float = 15.0) -> View:
        def find() -> View | None:
            return next((v for v in self.views() if v.name == title and pid in (None, v.pid)), None)

        return wait_for(find, timeout, message=lambda: f"window {title!r}; have {self.views()}")

    def focused(self) -> View | None:
        return next((v for v in self.views() if v.focused), None)

    def screenshot(self, path: Path, crop: tuple[int, int, int, int] | None = None) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        cmd = ["grim"]
        if crop is not None:
            x, y, w, h = crop
            cmd += ["-g", f"{x},{y} {w}x{h}"]
        subprocess.run(
            [*cmd, str(path)],
            env={**os.environ, "WAYLAND_DISPLAY": self.wayland_display},
            check=True,
            timeout=30,
            capture_output=True,
        )
        return path

    def type_key(self, key: str = "Escape") -> None:
        """A key press from a virtual keyboard: input the compositor counts as activity."""
        subprocess.run(
            ["wtype", "-k", key],
            env={**os.environ, "WAYLAND_DISPLAY": self.wayland_display},
            check=True,
            timeout=10,
        )


@dataclass
class View:
    name: str
    app_id: str | None
    pid: int
    focused: bool
    urgent: bool
    rect: tuple[int, int, int, int]  # x, y, width, height, including decorations

    @classmethod
    def from_node(cls, node: dict[str, Any]) -> View:
        r = node.get("rect", {})
        deco = node.get("deco_rect", {})
        top = r.get("y", 0) - deco.get("height", 0)
        return cls(
            name=node.get("name") or "",
            app_id=node.get("app_id"),
            pid=int(node["pid"]),
            focused=bool(node.get("focused")),
            urgent=bool(node.get("urgent")),
            rect=(
                r.get("x", 0),
                top,
                r.get("width", 0),
                r.get("height", 0) + deco.get("height", 0),
            ),
        )


def start_sway(log_path: Path, timeout: float = 15.0) -> Sway:
    """Headless sway (pixman renderer, no input devices) on a 1280x800 output."""
    runtime = _shared_dir("bnd-sway-rt-")
    if os.geteuid() == 0:
        os.chown(runtime, NOBODY, NOBODY)
    runtime.chmod(0o700)
    config_dir = _shared_dir("bnd-sway-cfg-")
    config = config_dir / "config"
    config.write_text(SWAY_CONFIG.format(w=SCREEN[0], h=SCREEN[1]), encoding="utf-8")
    config.chmod(0o644)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(config_dir),
        "XDG_RUNTIME_DIR": str(runtime),
        "WLR_BACKENDS": "headless",
        "WLR_LIBINPUT_NO_DEVICES": "1",
        "WLR_RENDERER": "pixman",
        "LANG": "C.UTF-8",
    }
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            unprivileged(["sway", "--config", str(config)]),
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    def sockets() -> tuple[str, str] | None:
        if proc.poll() is not None:
            raise RuntimeError(f"sway exited {proc.returncode}: {log_path.read_text()}")
        wl = [p for p in runtime.glob("wayland-*") if not p.name.endswith(".lock")]
        ipc = list(runtime.glob("sway-ipc.*.sock"))
        return (str(wl[0]), str(ipc[0])) if wl and ipc else None

    try:
        display, swaysock = wait_for(sockets, timeout, message="sway's sockets")
        sway = Sway(display, swaysock, runtime, proc, config_dir)
        wait_for(lambda: _answers(sway), timeout, message="sway's IPC")
    except BaseException:
        harness.stop(proc)
        raise
    return sway


def _answers(sway: Sway) -> bool:
    try:
        return bool(sway.msg("-t", "get_outputs"))
    except subprocess.CalledProcessError:
        return False


def stop_sway(sway: Sway) -> None:
    harness.stop(sway.proc)
    shutil.rmtree(sway.runtime_dir, ignore_errors=True)
    shutil.rmtree(sway.config_dir, ignore_errors=True)


# --- waybar -----------------------------------------------------------------------------------
@dataclass
class Waybar:
    proc: subprocess.Popen[bytes]
    log_path: Path


def start_waybar(sway: Sway, bus: str, log_path: Path, timeout: float = 15.0) -> Waybar:
    """waybar with a tray on top of sway's output; returns once its watcher is on ``bus``."""
    config_dir = sway.config_dir
    (config_dir / "waybar.json").write_text(json.dumps(WAYBAR_CONFIG), encoding="utf-8")
    (config_dir / "waybar.css").write_text(WAYBAR_STYLE, encoding="utf-8")
    for name in ("waybar.json", "waybar.css"):
        (config_dir / name).chmod(0o644)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(config_dir),
        "XDG_RUNTIME_DIR": str(sway.runtime_dir),
        "WAYLAND_DISPLAY": sway.wayland_display,
        "SWAYSOCK": sway.swaysock,
        "DBUS_SESSION_BUS_ADDRESS": bus,
        "NO_AT_BRIDGE": "1",
        "GTK_A11Y": "none",
        "LANG": "C.UTF-8",
    }
    cmd = ["waybar", "-c", str(config_dir / "waybar.json"), "-s", str(config_dir / "waybar.css")]
    with log_path.open("ab") as log:
        proc = subprocess.Popen(
            unprivileged(cmd),
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    def watching() -> bool:
        if proc.poll() is not None:
            raise RuntimeError(f"waybar exited {proc.returncode}: {log_path.read_text()}")
        return SniBus(bus).host_registered()

    try:
        wait_for(watching, timeout, message="waybar's StatusNotifierWatcher")
    except BaseException:
        harness.stop(proc)
        raise
    return Waybar(proc, log_path)


# --- StatusNotifierItem and dbusmenu, as a tray host sees them --------------------------------
WATCHER = "org.kde.StatusNotifierWatcher"
ITEM_INTERFACE = "org.kde.StatusNotifierItem"
MENU_INTERFACE = "com.canonical.dbusmenu"


@dataclass
class MenuEntry:
    id: int
    label: str  # mnemonics removed: "Start focus"
    enabled: bool
    visible: bool
    separator: bool
    children: list[MenuEntry] = field(default_factory=list)

    def walk(self) -> Iterator[MenuEntry]:
        yield self
        for child in self.children:
            yield from child.walk()

    def shown(self) -> list[str]:
        """The labels a user sees at this level (visible, not separators)."""
        return [c.label for c in self.children if c.visible and not c.separator]

    def find(self, label: str) -> MenuEntry:
        for entry in self.walk():
            if entry.label == label and entry.visible:
                return entry
        raise AssertionError(f"no visible entry {label!r} in {[e.label for e in self.walk()]}")


def _unmnemonic(label: str) -> str:
    """dbusmenu marks the access key with "_" (and a literal underscore as "__")."""
    return label.replace("__", "\0").replace("_", "").replace("\0", "_")


def _entry(raw: tuple[int, dict[str, tuple[str, Any]], list[tuple[str, Any]]]) -> MenuEntry:
    ident, props, children = raw

    def prop(name: str, default: Any) -> Any:
        value = props.get(name)
        return value[1] if value is not None else default

    return MenuEntry(
        id=ident,
        label=_unmnemonic(str(prop("label", ""))),
        enabled=bool(prop("enabled", True)),
        visible=bool(prop("visible", True)),
        separator=prop("type", "standard") == "separator",
        children=[_entry(child[1]) for child in children],
    )


@dataclass
class SniItem:
    bus: SniBus
    service: str
    path: str

    def _address(self, path: str, interface: str) -> Any:
        from jeepney import DBusAddress

        return DBusAddress(path, bus_name=self.service, interface=interface)

    def prop(self, name: str) -> Any:
        from jeepney import Properties

        reply = self.bus.call(Properties(self._address(self.path, ITEM_INTERFACE)).get(name))
        return reply[0][1]

    def pid(self) -> int:
        return self.bus.pid_of(self.service)

    def tooltip(self) -> str:
        """The tooltip's title: (icon name, icon pixmaps, title, text)."""
        return str(self.prop("ToolTip")[2])

    def menu_path(self) -> str:
        return str(self.prop("Menu"))

    def menu(self, about_to_show: bool = True) -> MenuEntry:
        """The whole menu, as a host reads it (after telling the app it is about to show)."""
        from jeepney import new_method_call

        address = self._address(self.menu_path(), MENU_INTERFACE)
        if about_to_show:
            self.bus.call(new_method_call(address, "AboutToShow", "i", (0,)))
        reply = self.bus.call(new_method_call(address, "GetLayout", "iias", (0, -1, [])))
        return _entry(reply[1])

    def about_to_show(self, entry: MenuEntry) -> None:
        """The host opens a submenu: the app fills it (our Teammates submenu does)."""
        from jeepney import new_method_call

        address = self._address(self.menu_path(), MENU_INTERFACE)
        self.bus.call(new_method_call(address, "AboutToShow", "i", (entry.id,)))

    def click(self, entry: MenuEntry) -> None:
        """A click on a menu entry, the way a host sends it."""
        from jeepney import new_method_call

        address = self._address(self.menu_path(), MENU_INTERFACE)
        stamp = int(time.time()) & 0xFFFFFFFF
        self.bus.call(
            new_method_call(address, "Event", "isvu", (entry.id, "clicked", ("i", 0), stamp))
        )

    def provide_activation_token(self, token: str) -> None:
        """KDE's host hands the item an xdg-activation token just before ``Activate``."""
        from jeepney import new_method_call

        address = self._address(self.path, ITEM_INTERFACE)
        self.bus.call(new_method_call(address, "ProvideXdgActivationToken", "s", (token,)))

    def activate(self, method: str = "Activate", x: int = 0, y: int = 0) -> None:
        """A left (``Activate``) or middle (``SecondaryActivate``) click on the icon."""
        from jeepney import new_method_call

        self.bus.call(
            new_method_call(self._address(self.path, ITEM_INTERFACE), method, "ii", (x, y))
        )


class SniBus:
    """A blocking jeepney connection to the test's bus, one call at a time."""

    def __init__(self, address: str) -> None:
        self.address = address

    def call(self, message: Any, timeout: float = 10.0) -> Any:
        from jeepney import MessageType
        from jeepney.io.blocking import open_dbus_connection

        with open_dbus_connection(bus=self.address) as conn:
            reply = conn.send_and_get_reply(message, timeout=timeout)
        if reply.header.message_type is MessageType.error:
            raise RuntimeError(f"D-Bus error: {reply.header.fields} {reply.body}")
        return reply.body

    def _watcher_prop(self, name: str) -> Any:
        from jeepney import DBusAddress, Properties

        address = DBusAddress("/StatusNotifierWatcher", bus_name=WATCHER, interface=WATCHER)
        return self.call(Properties(address).get(name))[0][1]

    def host_registered(self) -> bool:
        try:
            return bool(self._watcher_prop("IsStatusNotifierHostRegistered"))
        except (RuntimeError, OSError):
            return False

    def items(self) -> list[SniItem]:
        """The items the watcher knows (waybar lists them as "<service>/<path>")."""
        try:
            names = self._watcher_prop("RegisteredStatusNotifierItems")
        except (RuntimeError, OSError):
            return []
        found = []
        for name in names:
            service, _, path = str(name).partition("/")
            found.append(SniItem(self, service, "/" + path if path else "/StatusNotifierItem"))
        return found

    def pid_of(self, service: str) -> int:
        from jeepney.bus_messages import message_bus

        return int(self.call(message_bus.GetConnectionUnixProcessID(service))[0])

    def item_of(self, pid: int, timeout: float = 30.0) -> SniItem:
        """Wait until process ``pid`` has an item registered with the watcher whose menu answers.

        The item registers as soon as the icon is shown; the rest of the app's start-up work
        follows on the same thread (seconds under libfaketime on a loaded machine), and a host
        that asks meanwhile waits for it.
        """

        def find() -> SniItem | None:
            for item in self.items():
                try:
                    if item.pid() == pid:
                        item.menu(about_to_show=False)
                        return item
                except (RuntimeError, TimeoutError):
                    continue  # an item whose owner just left, or is still busy starting
            return None

        return wait_for(find, timeout, message=f"a tray item of pid {pid} that answers")


def activation_token(sway: Sway, app_id: str = "boundaries") -> str:
    """A real xdg-activation token from the compositor, as a launcher passes to what it starts."""
    from pywayland.client.display import Display
    from pywayland.protocol.xdg_activation_v1 import XdgActivationV1

    display = Display(sway.wayland_display)
    display.connect()
    try:
        offered: dict[str, int] = {}
        registry = display.get_registry()
        registry.dispatcher["global"] = lambda _r, name, iface, _v: offered.setdefault(iface, name)
        display.roundtrip()
        activation = registry.bind(offered["xdg_activation_v1"], XdgActivationV1, 1)
        token_object = activation.get_activation_token()
        tokens: list[str] = []
        token_object.dispatcher["done"] = lambda _t, token: tokens.append(token)
        token_object.set_app_id(app_id)
        token_object.commit()
        display.roundtrip()
        assert tokens, "the compositor gave no activation token"
        return tokens[0]
    finally:
        display.disconnect()


# --- pixels: where the icon is on the bar, where a menu opened -------------------------------
BAR_BACKGROUND = (0x2E, 0x34, 0x40)
Box = tuple[int, int, int, int]  # x, y, width, height


@dataclass
class Frame:
    """An RGB screenshot (grim's PPM), to find things by their pixels."""

    width: int
    height: int
    rgb: bytes
    origin: tuple[int, int] = (0, 0)

    def pixel(self, x: int, y: int) -> tuple[int, int, int]:
        i = 3 * (y * self.width + x)
        return self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]

    def box_where(self, keep: Any) -> Box | None:
        """The bounding box (in screen coordinates) of the pixels for which ``keep(x, y)``."""
        xs: list[int] = []
        ys: list[int] = []
        for y in range(self.height):
            for x in range(self.width):
                if keep(x, y):
                    xs.append(x)
                    ys.append(y)
        if not xs:
            return None
        ox, oy = self.origin
        return ox + min(xs), oy + min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1


def grab(sway: Sway, crop: Box) -> Frame:
    x, y, w, h = crop
    data = subprocess.run(
        ["grim", "-t", "ppm", "-g", f"{x},{y} {w}x{h}", "-"],
        env={**os.environ, "WAYLAND_DISPLAY": sway.wayland_display},
        capture_output=True,
        check=True,
        timeout=30,
    ).stdout
    # P6 header: magic, width, height, maxval, each followed by whitespace.
    magic, width, height, _maxval, rgb = data.split(maxsplit=4)
    assert magic == b"P6", magic
    return Frame(int(width), int(height), rgb, origin=(x, y))


def tray_icon_box(sway: Sway, width: int = 240) -> Box | None:
    """Where the (rightmost) tray icon is drawn on the bar, or None while there is none."""
    frame = grab(sway, (SCREEN[0] - width, 0, width, BAR_HEIGHT))
    return frame.box_where(lambda x, y: frame.pixel(x, y) != BAR_BACKGROUND)


def changed_box(before: Frame, after: Frame) -> Box | None:
    """What changed between two frames of the same region (e.g. a menu that opened)."""
    return after.box_where(lambda x, y: after.pixel(x, y) != before.pixel(x, y))
