"""The tray icons a user sees: present, drawn, and telling the states apart at tray sizes."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QIcon, QImage

from boundaries.ui.icons import STATES, app_icon, icon_for_state

TRAY_SIZES = (16, 22, 32, 64)


def _image(icon: QIcon, size: int) -> QImage:
    pixmap = icon.pixmap(size, size)
    assert not pixmap.isNull()
    image = pixmap.toImage().convertToFormat(QImage.Format.Format_ARGB32)
    assert (image.width(), image.height()) == (size, size)
    return image


def _opaque_pixels(image: QImage) -> int:
    return sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).alpha() > 128
    )


def _difference(a: QImage, b: QImage) -> float:
    """Share of pixels that look clearly different (premultiplied, so hidden colour is ignored)."""

    def seen(c: QColor) -> tuple[float, ...]:
        alpha = c.alphaF()
        return (c.redF() * alpha, c.greenF() * alpha, c.blueF() * alpha, alpha)

    differing = 0
    for y in range(a.height()):
        for x in range(a.width()):
            pa, pb = seen(a.pixelColor(x, y)), seen(b.pixelColor(x, y))
            differing += max(abs(u - v) for u, v in zip(pa, pb, strict=True)) > 0.25
    return differing / (a.width() * a.height())


@pytest.mark.parametrize("template", [False, True], ids=["colour", "template"])
@pytest.mark.parametrize("size", TRAY_SIZES)
@pytest.mark.parametrize("state", STATES)
def test_state_icon_is_drawn_at_tray_sizes(qapp, state: str, size: int, template: bool) -> None:
    image = _image(icon_for_state(state, template=template), size)
    covered = _opaque_pixels(image) / (size * size)
    # Visible, yet not a filled square: a glyph on a transparent background.
    assert 0.10 < covered < 0.85, f"{state} at {size}px covers {covered:.0%}"
    corner = image.pixelColor(0, 0)
    assert corner.alpha() == 0, "icons need a transparent background to sit on any panel"


@pytest.mark.parametrize("size", TRAY_SIZES)
def test_states_look_different_from_each_other(qapp, size: int) -> None:
    for template in (False, True):
        images = {s: _image(icon_for_state(s, template=template), size) for s in STATES}
        for i, first in enumerate(STATES):
            for second in STATES[i + 1 :]:
                diff = _difference(images[first], images[second])
                assert diff > 0.05, f"{first} vs {second} at {size}px barely differ ({diff:.0%})"


@pytest.mark.parametrize("size", TRAY_SIZES)
def test_colour_icons_read_on_light_and_dark_panels(qapp, size: int) -> None:
    """Each icon keeps contrast against both a white and a near-black panel."""
    for state in STATES:
        image = _image(icon_for_state(state), size)
        for panel in (QColor("#ffffff"), QColor("#202020")):
            contrasting = 0
            for y in range(size):
                for x in range(size):
                    c = image.pixelColor(x, y)
                    if c.alpha() < 200:
                        continue
                    distance = max(
                        abs(c.red() - panel.red()),
                        abs(c.green() - panel.green()),
                        abs(c.blue() - panel.blue()),
                    )
                    contrasting += distance > 90
            assert contrasting >= size, f"{state} at {size}px fades into {panel.name()}"


def test_template_icons_are_black_masks(qapp) -> None:
    for state in STATES:
        icon = icon_for_state(state, template=True)
        assert icon.isMask()
        image = _image(icon, 32)
        for y in range(32):
            for x in range(32):
                c = image.pixelColor(x, y)
                if c.alpha() > 0:
                    assert (c.red(), c.green(), c.blue()) == (0, 0, 0), f"{state} has colour"


def test_app_icon_renders_large_for_launchers(qapp) -> None:
    image = _image(app_icon(), 128)
    assert _opaque_pixels(image) > 0.5 * 128 * 128


def test_unknown_state_is_a_clear_error(qapp) -> None:
    with pytest.raises(ValueError, match="unknown tray state 'busy'"):
        icon_for_state("busy")


def test_callers_cannot_change_the_cached_icon(qapp) -> None:
    icon = icon_for_state("idle")
    icon.swap(QIcon())  # a caller reusing its QIcon object must not blank the tray's icon
    assert not icon_for_state("idle").isNull()


def _luminance(c: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def _contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio (1 to 21); 3 is the minimum for graphics that must be seen."""
    la, lb = _luminance(a), _luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


# White, Breeze light, light greys of XFCE/MATE/trayer panels, dark greys, black.
PANELS = ("#ffffff", "#eff0f1", "#d6d6d6", "#bebebe", "#3c3c3c", "#31363b", "#202020", "#000000")


@pytest.mark.parametrize("size", (16, 22, 32))
@pytest.mark.parametrize("state", STATES)
def test_colour_icons_stand_out_on_grey_panels_too(qapp, state: str, size: int) -> None:
    """At least a fifth of each glyph contrasts 3:1 with the panel: a grey icon on a grey
    panel (the paused icon was) is not readable at tray sizes."""
    image = _image(icon_for_state(state), size)
    opaque = [
        image.pixelColor(x, y)
        for y in range(size)
        for x in range(size)
        if image.pixelColor(x, y).alpha() >= 200
    ]
    for panel in map(QColor, PANELS):
        share = sum(_contrast(c, panel) >= 3 for c in opaque) / len(opaque)
        assert share >= 0.2, f"{state} at {size}px on {panel.name()}: {share:.0%} contrasts"
