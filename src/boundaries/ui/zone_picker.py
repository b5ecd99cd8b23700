"""A searchable time-zone field: type part of a zone or city name, pick from the list.

The IANA list (~600 names) is loaded on first focus or first keystroke, never at construction,
so a dialog with many pickers (one per teammate) opens fast.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QCompleter, QHBoxLayout, QLineEdit, QWidget

from boundaries.core.timeparse import CITY_ALIASES, all_zone_names, check_zone, suggest_zone

SYSTEM_DEFAULT_LABEL = "System default"


class ZoneMatch(NamedTuple):
    zone: str  # "" for the system default
    label: str  # what the list shows, e.g. "America/Los_Angeles (San Francisco)"


def _fold(text: str) -> str:
    return text.strip().lower().replace("_", " ")


def match_zones(query: str, *, include_system_default: bool = False) -> list[ZoneMatch]:
    """Zones whose name or city contains ``query`` (case-insensitive), best matches first.

    "berl" finds Europe/Berlin, "new york" America/New_York, "bangalore" Asia/Kolkata. An empty
    query lists every zone, so the list can be browsed.
    """
    q = _fold(query)
    squashed = q.replace(" ", "")
    ranked: list[tuple[int, str, ZoneMatch]] = []
    for zone in all_zone_names():
        key = _fold(zone)
        if q not in key and squashed not in key.replace(" ", ""):
            continue
        ranked.append((_rank(q, key), zone, ZoneMatch(zone, zone)))
    found = {item[1] for item in ranked}
    if q:
        for city, zone in CITY_ALIASES.items():
            if zone not in found and q in city.lower():
                ranked.append((_rank(q, city.lower()), zone, ZoneMatch(zone, f"{zone} ({city})")))
                found.add(zone)
    ranked.sort(key=lambda item: (item[0], item[1]))
    matches = [item[2] for item in ranked]
    if include_system_default and (not q or q in SYSTEM_DEFAULT_LABEL.lower()):
        matches.insert(0, ZoneMatch("", SYSTEM_DEFAULT_LABEL))
    return matches


def _rank(query: str, key: str) -> int:
    """0 exact, 1 the city starts with it, 2 any part does, 3 it is somewhere inside."""
    parts = key.split("/")
    if key == query:
        return 0
    if parts[-1].startswith(query):
        return 1
    return 2 if any(part.startswith(query) for part in parts) else 3


def zone_problem(name: str) -> str | None:
    """Why ``name`` is not a usable zone (with a "did you mean"), or None if it is fine."""
    name = name.strip()
    if not name or name in all_zone_names():
        return None
    try:
        check_zone(name)
    except ValueError as error:
        return str(error)
    except OSError:  # e.g. "Europe" names a folder of zones, not a zone
        suggestion = suggest_zone(name)
        hint = f'; did you mean "{suggestion}"?' if suggestion else ""
        return f'"{name}" is not a known time zone{hint}'
    return None


class ZonePicker(QWidget):
    """A line edit with a filtered popup over all IANA zones.

    ``zone()`` is the typed text (stripped), so a half-typed name can be validated and its
    reason shown; picking from the list fills in the exact IANA name.
    """

    zoneChanged = Signal(str)

    def __init__(
        self,
        zone: str = "",
        *,
        allow_system_default: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._allow_default = allow_system_default
        self._completer: QCompleter | None = None
        self._model: QStringListModel | None = None
        self._matches: list[ZoneMatch] = []
        self.line_edit = _ZoneLineEdit(self)
        self.line_edit.setText(zone)
        self.line_edit.setClearButtonEnabled(True)
        self.line_edit.setPlaceholderText(
            SYSTEM_DEFAULT_LABEL if allow_system_default else "Type a city or zone"
        )
        self.line_edit.setToolTip("Type part of a city or zone name, e.g. Berlin or New York")
        self.line_edit.setAccessibleName("Time zone")
        self.line_edit.textChanged.connect(lambda _text: self.zoneChanged.emit(self.zone()))
        self.line_edit.textEdited.connect(self._on_edited)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line_edit)
        self.setFocusProxy(self.line_edit)

    def zone(self) -> str:
        return self.line_edit.text().strip()

    def setZone(self, zone: str) -> None:
        self.line_edit.setText(zone)

    def is_loaded(self) -> bool:
        """Whether the zone list has been loaded (it is, after the first focus or keystroke)."""
        return self._completer is not None

    def popup_labels(self) -> list[str]:
        """The entries the popup currently offers (for tests and accessibility tools)."""
        return [match.label for match in self._matches]

    def show_completions(self) -> None:
        """Open the popup with the zones matching the current text."""
        completer = self._ensure_loaded()
        self._refresh(self.line_edit.text())
        if self._matches:
            completer.complete()

    def popup(self) -> QAbstractItemView | None:
        """The completion list, once loaded."""
        return self._completer.popup() if self._completer is not None else None

    def _ensure_loaded(self) -> QCompleter:
        if self._completer is None:
            self._model = QStringListModel(self)
            completer = QCompleter(self._model, self)
            completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
            completer.setMaxVisibleItems(12)
            # Without wrapping, Down past the last match keeps it highlighted, so Enter still
            # picks a zone instead of leaving the half-typed text ("New Yo").
            completer.setWrapAround(False)
            completer.setWidget(self.line_edit)
            completer.activated.connect(self._on_activated)
            self._completer = completer
        return self._completer

    def _refresh(self, text: str) -> None:
        self._ensure_loaded()
        assert self._model is not None
        self._matches = match_zones(text, include_system_default=self._allow_default)
        self._model.setStringList([match.label for match in self._matches])

    def _on_edited(self, text: str) -> None:
        completer = self._ensure_loaded()
        self._refresh(text)
        popup = completer.popup()
        assert popup is not None
        if self._matches and text.strip():
            completer.complete()
            # The best match is highlighted, so Enter takes it.
            popup.setCurrentIndex(completer.completionModel().index(0, 0))
        elif popup.isVisible():
            popup.hide()

    def _on_activated(self, label: str) -> None:
        for match in self._matches:
            if match.label == label:
                self.line_edit.setText(match.zone)
                break


class _ZoneLineEdit(QLineEdit):
    """Loads the zone list on first focus; Down or Alt+Down opens the full list."""

    def __init__(self, picker: ZonePicker) -> None:
        super().__init__(picker)
        self._picker = picker

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._picker._ensure_loaded()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            self._picker.show_completions()
            return
        super().keyPressEvent(event)
