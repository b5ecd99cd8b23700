"""KDE's ``org_kde_kwin_idle`` Wayland protocol, declared for pywayland.

pywayland ships ``ext-idle-notify-v1`` but not this older protocol, which wlroots compositors
up to 0.16 (sway 1.7 in Debian 12 and Ubuntu 22.04) and KWin 5 offer instead of, or beside,
it. Same idea: a timeout object that says ``idle`` after that long without input and
``resumed`` at the next input. Declared the way pywayland's scanner declares protocols.
"""

from __future__ import annotations

from pywayland.protocol.wayland import WlSeat, WlSeatProxy
from pywayland.protocol_core.argument import Argument
from pywayland.protocol_core.interface import Interface
from pywayland.protocol_core.proxy import Proxy
from pywayland.scanner.argument import ArgumentType


class OrgKdeKwinIdleTimeout(Interface):
    name = "org_kde_kwin_idle_timeout"
    version = 1


class OrgKdeKwinIdle(Interface):
    name = "org_kde_kwin_idle"
    version = 1


class OrgKdeKwinIdleTimeoutProxy(Proxy[OrgKdeKwinIdleTimeout]):
    interface = OrgKdeKwinIdleTimeout

    @OrgKdeKwinIdleTimeout.request()
    def release(self) -> None:
        self._marshal(0)
        self._destroy()

    @OrgKdeKwinIdleTimeout.request()
    def simulate_user_activity(self) -> None:
        self._marshal(1)

    @OrgKdeKwinIdleTimeout.event()
    def idle(self) -> None:
        """No input for the timeout."""

    @OrgKdeKwinIdleTimeout.event()
    def resumed(self) -> None:
        """Input again after ``idle``."""


class OrgKdeKwinIdleProxy(Proxy[OrgKdeKwinIdle]):
    interface = OrgKdeKwinIdle

    @OrgKdeKwinIdle.request(
        Argument(ArgumentType.NewId, interface=OrgKdeKwinIdleTimeout),
        Argument(ArgumentType.Object, interface=WlSeat),
        Argument(ArgumentType.Uint),
    )
    def get_idle_timeout(self, seat: WlSeatProxy, timeout: int) -> OrgKdeKwinIdleTimeoutProxy:
        proxy: OrgKdeKwinIdleTimeoutProxy = self._marshal_constructor(
            0, OrgKdeKwinIdleTimeout, seat, timeout
        )
        return proxy


OrgKdeKwinIdleTimeout._gen_c()
OrgKdeKwinIdleTimeout.proxy_class = OrgKdeKwinIdleTimeoutProxy
OrgKdeKwinIdle._gen_c()
OrgKdeKwinIdle.proxy_class = OrgKdeKwinIdleProxy
