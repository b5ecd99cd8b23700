"""Tray and window icons, loaded from the bundled SVGs.

Icons come from our own files, never from the desktop's icon theme, so a tray never shows a
placeholder. The SVG bytes are read through importlib.resources, which works from a source tree,
a wheel, a zip and a frozen build alike, and rendered by QtSvg once per size that trays and HiDPI
screens ask for (16 px at 2x scale uses the 32 px rendering, so it stays crisp). Template variants
are black on transparent for macOS menu bars, where the system tints them to match the bar.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Final

from PySide6.QtCore import QByteArray, QRectF
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

STATES: Final = ("idle", "focusing", "signed_off", "paused")
"""Every state the tray icon can show."""

_ICON_DIR: Final = "icons"
TEMPLATE_SUFFIX: Final = "-template"
_SIZES: Final = (16, 22, 24, 32, 48, 64, 128)  # Qt scales the nearest larger one


def icon_resource(name: str) -> Traversable:
    """The bundled file ``resources/icons/<name>.svg`` (may live inside a zip or wheel)."""
    return resources.files("boundaries.resources").joinpath(_ICON_DIR, f"{name}.svg")


def icon_svg(name: str) -> bytes:
    """The SVG bytes of a bundled icon; FileNotFoundError names the missing file."""
    res = icon_resource(name)
    if not res.is_file():
        raise FileNotFoundError(f"bundled icon missing: resources/{_ICON_DIR}/{name}.svg")
    return res.read_bytes()


def render_svg(svg: bytes, size: int) -> QPixmap:
    """Render SVG bytes into a transparent ``size``×``size`` pixmap."""
    renderer = QSvgRenderer(QByteArray(svg))
    if not renderer.isValid():
        raise ValueError("not a valid SVG")
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(0, 0, 0, 0))  # transparent, without Qt.* (costly to touch at start)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return pixmap


@cache
def _load(name: str) -> QIcon:
    # Pixmaps at every size trays and HiDPI screens ask for (16 px at 2x is the 32 px one), so
    # no path depends on a file on disk or on Qt's SVG icon-engine plugin being bundled.
    svg = icon_svg(name)
    icon = QIcon()
    for size in _SIZES:
        icon.addPixmap(render_svg(svg, size))
    if name.endswith(TEMPLATE_SUFFIX):
        icon.setIsMask(True)  # macOS: the menu bar tints it for light and dark mode
    return icon


def icon_for_state(state: str, template: bool = False) -> QIcon:
    """The tray icon for ``state`` (one of STATES); ``template`` gives the monochrome variant."""
    if state not in STATES:
        raise ValueError(f"unknown tray state {state!r}; expected one of {', '.join(STATES)}")
    # A copy (cheap, implicitly shared) so a caller's change never reaches the cache.
    return QIcon(_load(state + TEMPLATE_SUFFIX if template else state))


def app_icon() -> QIcon:
    """The application icon (windows, dialogs, launchers)."""
    return QIcon(_load("app"))
