"""Tray and window icons, loaded from the bundled SVGs.

Icons come from our own files, never from the desktop's icon theme, so a tray never shows a
placeholder. The SVG bytes are read from the package's folder, or through importlib.resources
where the package has no folder (a zip), so a source tree, a wheel, a zip and a frozen build
all work (importlib.resources alone is ~5 ms and 0.3 MiB at start). QtSvg renders them once
per size that trays and HiDPI screens ask for (16 px at 2x scale uses the 32 px rendering, so
it stays crisp). Template variants are black on transparent for macOS menu bars, where the
system tints them to match the bar.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QByteArray, QRectF
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

STATES: Final = ("idle", "focusing", "signed_off", "paused")
"""Every state the tray icon can show."""

_ICON_DIR: Final = "icons"
TEMPLATE_SUFFIX: Final = "-template"
_SIZES: Final = (16, 22, 24, 32, 48, 64, 128)  # Qt scales the nearest larger one


def icon_resource(name: str) -> Traversable:
    """The bundled file ``resources/icons/<name>.svg`` (may live inside a zip or wheel)."""
    from importlib import resources

    return resources.files("boundaries.resources").joinpath(_ICON_DIR, f"{name}.svg")


def icon_svg(name: str) -> bytes:
    """The SVG bytes of a bundled icon; FileNotFoundError names the missing file."""
    package = import_module("boundaries.resources").__file__  # resources/ at the top level
    if package is not None:
        try:  # the usual case: the package is a folder on disk
            return (Path(package).parent / _ICON_DIR / f"{name}.svg").read_bytes()
        except OSError:
            pass  # inside a zip, or missing: importlib.resources knows or names the file
    res = icon_resource(name)
    if not res.is_file():
        raise FileNotFoundError(f"bundled icon missing: resources/{_ICON_DIR}/{name}.svg")
    return res.read_bytes()


def render_svg(svg: bytes, sizes: tuple[int, ...]) -> list[QPixmap]:
    """Render SVG bytes into transparent square pixmaps, one per size (parsed once)."""
    renderer = QSvgRenderer(QByteArray(svg))
    if not renderer.isValid():
        raise ValueError("not a valid SVG")
    pixmaps = []
    for size in sizes:
        pixmap = QPixmap(size, size)
        pixmap.fill(QColor(0, 0, 0, 0))  # transparent, without Qt.* (costly to touch at start)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        pixmaps.append(pixmap)
    return pixmaps


@cache
def _load(name: str) -> QIcon:
    # Pixmaps at every size trays and HiDPI screens ask for (16 px at 2x is the 32 px one), so
    # no path depends on a file on disk or on Qt's SVG icon-engine plugin being bundled.
    icon = QIcon()
    for pixmap in render_svg(icon_svg(name), _SIZES):
        icon.addPixmap(pixmap)
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
