"""A virtual mouse on sway (wlr-virtual-pointer-unstable-v1), to click waybar like a user.

The headless backend has no input devices; this protocol gives the seat a pointer whose
moves and clicks the compositor delivers as real input (with the serials a panel needs to
open its menu). pywayland does not ship this protocol, so its two interfaces are declared
here the way pywayland's scanner declares protocols.
"""

from __future__ import annotations

import time
from typing import Any

from pywayland.client.display import Display
from pywayland.protocol.wayland import WlSeat
from pywayland.protocol_core.argument import Argument
from pywayland.protocol_core.interface import Interface
from pywayland.protocol_core.proxy import Proxy
from pywayland.scanner.argument import ArgumentType

BTN_LEFT = 0x110
BTN_RIGHT = 0x111


class ZwlrVirtualPointerV1(Interface):
    name = "zwlr_virtual_pointer_v1"
    version = 1


class ZwlrVirtualPointerManagerV1(Interface):
    name = "zwlr_virtual_pointer_manager_v1"
    version = 1


class ZwlrVirtualPointerV1Proxy(Proxy[ZwlrVirtualPointerV1]):
    interface = ZwlrVirtualPointerV1

    @ZwlrVirtualPointerV1.request(
        Argument(ArgumentType.Uint), Argument(ArgumentType.Fixed), Argument(ArgumentType.Fixed)
    )
    def motion(self, time: int, dx: float, dy: float) -> None:
        self._marshal(0, time, dx, dy)

    @ZwlrVirtualPointerV1.request(*(Argument(ArgumentType.Uint) for _ in range(5)))
    def motion_absolute(self, time: int, x: int, y: int, width: int, height: int) -> None:
        self._marshal(1, time, x, y, width, height)

    @ZwlrVirtualPointerV1.request(*(Argument(ArgumentType.Uint) for _ in range(3)))
    def button(self, time: int, button: int, state: int) -> None:
        self._marshal(2, time, button, state)

    @ZwlrVirtualPointerV1.request(
        Argument(ArgumentType.Uint), Argument(ArgumentType.Uint), Argument(ArgumentType.Fixed)
    )
    def axis(self, time: int, axis: int, value: float) -> None:
        self._marshal(3, time, axis, value)

    @ZwlrVirtualPointerV1.request()
    def frame(self) -> None:
        self._marshal(4)


class ZwlrVirtualPointerManagerV1Proxy(Proxy[ZwlrVirtualPointerManagerV1]):
    interface = ZwlrVirtualPointerManagerV1

    @ZwlrVirtualPointerManagerV1.request(
        Argument(ArgumentType.Object, interface=WlSeat, nullable=True),
        Argument(ArgumentType.NewId, interface=ZwlrVirtualPointerV1),
    )
    def create_virtual_pointer(self, seat: Any) -> ZwlrVirtualPointerV1Proxy:
        proxy: ZwlrVirtualPointerV1Proxy = self._marshal_constructor(0, ZwlrVirtualPointerV1, seat)
        return proxy


ZwlrVirtualPointerV1._gen_c()
ZwlrVirtualPointerV1.proxy_class = ZwlrVirtualPointerV1Proxy
ZwlrVirtualPointerManagerV1._gen_c()
ZwlrVirtualPointerManagerV1.proxy_class = ZwlrVirtualPointerManagerV1Proxy


class VirtualPointer:
    """``with VirtualPointer(display, (1280, 800)) as mouse: mouse.click(x, y, BTN_RIGHT)``.

    Keep it open while what the click opened must stay open: a seat that loses its only
    pointer closes the menus it opened.
    """

    def __init__(self, wayland_display: str, screen: tuple[int, int]) -> None:
        self._screen = screen
        self._display = Display(wayland_display)
        self._display.connect()
        offered: dict[str, int] = {}
        registry = self._display.get_registry()
        registry.dispatcher["global"] = lambda _r, name, iface, _v: offered.setdefault(iface, name)
        self._display.roundtrip()
        manager = registry.bind(
            offered["zwlr_virtual_pointer_manager_v1"], ZwlrVirtualPointerManagerV1, 1
        )
        self._keep = [registry, manager]
        self._pointer = manager.create_virtual_pointer(None)
        self._display.roundtrip()

    def __enter__(self) -> VirtualPointer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._display.disconnect()

    def _now(self) -> int:
        return int(time.monotonic() * 1000) & 0xFFFFFFFF

    def move(self, x: int, y: int) -> None:
        width, height = self._screen
        self._pointer.motion_absolute(self._now(), x, y, width, height)
        self._pointer.frame()
        self._display.roundtrip()

    def click(self, x: int, y: int, button: int = BTN_LEFT) -> None:
        self.move(x, y)
        for state in (1, 0):  # pressed, released
            self._pointer.button(self._now(), button, state)
            self._pointer.frame()
            self._display.roundtrip()
