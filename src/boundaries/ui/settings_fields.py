"""The Settings window's generic rows: one editor per setting, chosen by the schema.

A page asks for a setting by its path (``"workday.heads_up_minutes"``) and gets a widget that
fits its kind (check box, spin box with the kind's bounds, time field, zone picker, choice,
day toggles, list of minutes, text), labelled and explained from the schema, with an error
label the dialog routes that setting's problems to. Editors show and return the TOML form
of a value; the core's parser is the only validator.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from boundaries.core.schema import Choice, Entry, Number, Numbers, Zone, entry_at
from boundaries.core.settings import Settings
from boundaries.core.timeparse import parse_clock
from boundaries.ui.settings_widgets import (
    DayToggles,
    ErrorLabel,
    Target,
    reformat_time,
    show_time,
    time_field,
)
from boundaries.ui.zone_picker import ZonePicker


def parse_minutes_list(text: str) -> list[Any]:
    """ "30, 60" -> [30, 60]; a word that is not a number is passed on for the validator to name."""
    items: list[Any] = []
    for token in text.replace(",", " ").split():
        try:
            items.append(int(token))
        except ValueError:
            items.append(token)
    return items


def value_at(data: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path in the TOML-shaped settings dict."""
    here: Any = data
    for key in path.split("."):
        here = here[key]
    return here


def set_at(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, key = path.split(".")
    here = data
    for name in parents:
        here = here.setdefault(name, {})
    here[key] = value


class FieldEditor(QObject):
    """One setting's widget, label and error line, built from its schema entry."""

    changed = Signal()

    def __init__(self, path: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.path = path
        self.entry: Entry = entry_at(Settings, path)
        spec = self.entry.spec
        name = spec.label.replace("&", "") or path
        self.error = ErrorLabel(parent)
        self.label: QLabel | None = None
        self.widget = self._build(parent, name)
        self.widget.setToolTip(spec.doc)
        if not isinstance(self.widget, QCheckBox):
            self.label = QLabel(spec.label or name, parent)
            self.label.setBuddy(self._focus_widget())
        if not self._focus_widget().accessibleName():
            self._focus_widget().setAccessibleName(name)

    # ----------------------------------------------------------------- building

    def _build(self, parent: QWidget, name: str) -> QWidget:
        spec = self.entry.spec
        kind = spec.kind
        editor = spec.editor
        if editor == "check":
            box = QCheckBox(spec.label, parent)
            box.toggled.connect(self._emit)
            return box
        if editor == "spin" and isinstance(kind, Number):
            spin = QSpinBox(parent)
            spin.setRange(kind.low, kind.high)
            if kind.unit == "minutes":
                spin.setSuffix(" min")
            spin.valueChanged.connect(self._emit)
            return spin
        if editor == "time":
            edit = time_field("", name, parent)
            edit.textChanged.connect(self._emit)
            return edit
        if editor == "zone" and isinstance(kind, Zone):
            picker = ZonePicker(allow_system_default=kind.allow_empty, parent=parent)
            picker.line_edit.setAccessibleName(name)
            if kind.allow_empty:
                picker.line_edit.setToolTip(
                    "Empty uses the system's time zone; type a city to search"
                )
            picker.zoneChanged.connect(self._emit)
            return picker
        if editor == "choice" and isinstance(kind, Choice):
            combo = QComboBox(parent)
            for word, label in kind.options:
                combo.addItem(label, word)
            combo.currentIndexChanged.connect(self._emit)
            return combo
        if editor == "days":
            toggles = DayToggles((), name, parent)
            toggles.changed.connect(self._emit)
            return toggles
        if editor == "numbers" and isinstance(kind, Numbers):
            edit = QLineEdit(parent)
            edit.setPlaceholderText("e.g. 30, 60")
            edit.textChanged.connect(self._emit)
            return edit
        if editor == "text":
            edit = QLineEdit(parent)  # no max length: a text too long shows the reason
            edit.textChanged.connect(self._emit)
            return edit
        raise ValueError(f"{self.path} has no generic editor ({editor}); build one by hand")

    def _focus_widget(self) -> QWidget:
        return self.widget.line_edit if isinstance(self.widget, ZonePicker) else self.widget

    def _emit(self, *_args: object) -> None:
        self.changed.emit()

    # ----------------------------------------------------------------- values

    def show_value(self, value: Any, time_format: str = "24h") -> None:
        """Show a value in its TOML form (``"09:00"``, ``["mon"]``, ``[30, 60]``); a time
        in the user's ``time_format``."""
        widget = self.widget
        if self.entry.spec.editor == "time" and isinstance(widget, QLineEdit):
            try:
                show_time(widget, parse_clock(str(value)), time_format)
            except ValueError:  # a broken value from the file: shown as written
                widget.setText(str(value))
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QSpinBox):
            widget.setValue(int(value))
        elif isinstance(widget, ZonePicker):
            widget.setZone(str(value))
        elif isinstance(widget, QComboBox):
            widget.setCurrentIndex(max(0, widget.findData(value)))
        elif isinstance(widget, DayToggles):
            widget.set_days(value)
        elif isinstance(widget, QLineEdit) and isinstance(value, list):
            widget.setText(", ".join(str(item) for item in value))
        elif isinstance(widget, QLineEdit):
            widget.setText(str(value))

    def show_time_format(self, time_format: str) -> None:
        """A time field rewrites its time in ``time_format``; other editors have none."""
        widget = self.widget
        if self.entry.spec.editor == "time" and isinstance(widget, QLineEdit):
            reformat_time(widget, time_format)
            widget.setPlaceholderText("H:MM AM" if time_format == "12h" else "HH:MM")

    def raw(self) -> Any:
        """What the user typed, in the TOML form the core validates."""
        widget = self.widget
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, QSpinBox):
            return widget.value()
        if isinstance(widget, ZonePicker):
            return widget.zone()
        if isinstance(widget, QComboBox):
            return widget.currentData()
        if isinstance(widget, DayToggles):
            return list(widget.days())
        if isinstance(widget, QLineEdit) and self.entry.spec.editor == "numbers":
            return parse_minutes_list(widget.text())
        if isinstance(widget, QLineEdit):
            return widget.text()
        raise AssertionError(self.path)

    def share_error_line(self, other: FieldEditor) -> None:
        """Show this setting's problems on ``other``'s error line (two fields on one row)."""
        self.error.deleteLater()
        self.error = other.error

    def target(self, prefix: str = "") -> Target:
        return Target(self.error, self._focus_widget(), prefix)

    def add_to(self, form: QFormLayout) -> None:
        """A form row: label and widget (a check box spans both), then the error line."""
        if self.label is None:
            form.addRow(self.widget)
        else:
            form.addRow(self.label, self.widget)
        form.addRow("", self.error)


class SettingsPage(QWidget):
    """A tab of the Settings window: generic fields by path, plus whatever a page adds by hand.

    ``load`` shows the settings; ``fill`` writes this page's values into the TOML-shaped dict
    (only the paths it edits, so a setting no page shows keeps its value); ``targets`` says
    which label shows the problems of which path.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: dict[str, FieldEditor] = {}
        self.time_format = "24h"  # the time format of the settings last loaded

    def field(self, path: str, parent: QWidget | None = None) -> FieldEditor:
        editor = FieldEditor(path, parent or self)
        editor.changed.connect(self.changed)
        self.fields[path] = editor
        return editor

    def load(self, settings: Settings, data: Mapping[str, Any]) -> None:
        self.time_format = settings.general.time_format
        for path, editor in self.fields.items():
            editor.show_value(value_at(data, path), self.time_format)

    def show_time_format(self, time_format: str) -> None:
        """Show every time already on the page in ``time_format`` (General → Show times as
        changed in the open window); what does not read as a time stays as typed."""
        self.time_format = time_format
        for editor in self.fields.values():
            editor.show_time_format(time_format)

    def fill(self, data: dict[str, Any]) -> None:
        for path, editor in self.fields.items():
            set_at(data, path, editor.raw())

    def targets(self) -> dict[str, Target]:
        return {path: editor.target() for path, editor in self.fields.items()}
