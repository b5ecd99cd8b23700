"""The first-run window: what Boundaries does, and the few settings it needs before it acts.

Shown while there is no settings file. Until the user confirms here (or saves Settings), the
app runs without focus blocks, so nothing starts by itself before anyone chose it. The window
only emits the settings chosen (``confirmed``); the app writes them off the GUI thread and
calls :meth:`FirstRunWindow.saved` or :meth:`FirstRunWindow.show_error`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from boundaries.core.settings import Settings, parse_settings, settings_to_dict
from boundaries.core.timefmt import format_time
from boundaries.ui.settings_schedule import overnight_hint
from boundaries.ui.settings_widgets import (
    AGREEMENT_ME_HINT,
    DayToggles,
    ErrorLabel,
    agreement_file_row,
    time_field,
)
from boundaries.ui.zone_picker import ZonePicker

WINDOW_TITLE = "Welcome"  # Qt appends " — Boundaries" (docs/decisions/0013)
NO_TRAY_NOTE = (
    "No system tray is showing yet: the icon appears as soon as a panel with a tray starts "
    "(on GNOME, install the AppIndicator extension). Meanwhile nudges come as notifications, "
    "and running <tt>boundaries</tt> again opens Settings."
)

# What each path's problem is called here (the window shows only these settings).
_FIELD_NAMES = {
    "general.timezone": "Time zone",
    "workday.days": "Workdays",
    "workday.start": "Workday starts",
    "workday.signoff": "Sign off",
    "agreement": "Team agreement",
}


class _BlockChoice:
    """One default focus block: keep it (ticked) and its times; its days are the workdays."""

    def __init__(self, parent: QWidget, number: int, start: str, end: str) -> None:
        self.keep = QCheckBox(f"Focus block &{number}", parent)
        self.keep.setChecked(True)
        self.start = time_field(start, f"Focus block {number} start", parent)
        self.end = time_field(end, f"Focus block {number} end", parent)
        self.hint = QLabel(parent)  # "Runs overnight, to 13:00 the next day"
        self.hint.setEnabled(False)  # muted: a hint, not an error
        self.hint.setMinimumWidth(self.hint.fontMetrics().horizontalAdvance("m" * 22))
        self.keep.toggled.connect(self.start.setEnabled)
        self.keep.toggled.connect(self.end.setEnabled)

    def row(self) -> QHBoxLayout:
        layout = QHBoxLayout()
        layout.addWidget(self.keep)
        layout.addWidget(self.start)
        layout.addWidget(QLabel("to", self.start.parentWidget()))
        layout.addWidget(self.end)
        layout.addWidget(self.hint, 1)
        return layout


class FirstRunWindow(QDialog):
    """Zone, workdays and hours, the two default focus blocks, a team agreement, Slack later.

    ``confirmed(Settings)``: the user chose "Start"; closing the window decides nothing (the
    window comes back at the next start, and focus blocks stay off until then).
    """

    confirmed = Signal(object)
    open_settings_requested = Signal()

    def __init__(
        self,
        settings: Settings,
        system_zone: str,
        *,
        tray_available: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._base = settings
        self.setWindowTitle(WINDOW_TITLE)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "<b>Boundaries keeps your workday in shape.</b> It protects focus blocks and, at "
            "the end of your workday, reminds you to sign off. It lives in the system tray; "
            "nothing leaves this computer unless you turn Slack on.<p>Check these few "
            "settings: nothing starts by itself until you do.</p>",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.no_tray = QLabel(NO_TRAY_NOTE, self)
        self.no_tray.setWordWrap(True)
        self.no_tray.setVisible(not tray_available)
        layout.addWidget(self.no_tray)
        # Sections are headings in this one layout, not group boxes: a wrapped label inside a
        # group box is given too little height and is cut off at the top and bottom.
        self._section(layout, "Your workday")
        layout.addLayout(self._build_workday(settings, system_zone))
        self._section(
            layout,
            "Focus blocks",
            "Time kept for deep work on your workdays. Keep these two, change their times, "
            "or untick them; Settings can add more.",
        )
        layout.addLayout(self._build_blocks(settings))
        self._section(
            layout,
            "Team agreement (optional)",
            "If your team keeps a working agreement file in its repo, Boundaries reads "
            "everyone's hours, team focus blocks and reply norms from it.",
        )
        layout.addLayout(self._build_agreement(settings))
        self._section(
            layout,
            "Slack (optional)",
            "Your status and Do Not Disturb during focus and after sign-off: set it up "
            "later, in Settings → Slack.",
        )
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(self)
        self.start_button = buttons.addButton(
            "&Start with these settings", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.start_button.setDefault(True)
        self.more_button = buttons.addButton(
            "All s&ettings…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.later_button = buttons.addButton("&Not now", QDialogButtonBox.ButtonRole.RejectRole)
        self.start_button.clicked.connect(self._on_start)
        self.more_button.clicked.connect(self.open_settings_requested)
        self.later_button.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(600)
        for widget in (self.signoff, self.start_time, *self._time_fields()):
            widget.textChanged.connect(self._revalidate)
        self.workdays.changed.connect(self._revalidate)
        self.zone.zoneChanged.connect(self._revalidate)
        for block in self.blocks:
            block.keep.toggled.connect(self._revalidate)
        self.agreement_file.textChanged.connect(self._revalidate)
        self.me.textChanged.connect(self._revalidate)
        self._revalidate()
        # A wrapped label's height for the final width is not known before the first show, so
        # Qt would give the window less than its rows need: never shorter than its size hint.
        self.setMinimumHeight(self.sizeHint().height())

    # ----------------------------------------------------------------- building

    def _section(self, layout: QVBoxLayout, title: str, note: str = "") -> None:
        layout.addSpacing(6)
        layout.addWidget(QLabel(f"<b>{title}</b>", self))
        if note:
            label = QLabel(note, self)
            label.setWordWrap(True)
            layout.addWidget(label)

    def _build_workday(self, settings: Settings, system_zone: str) -> QFormLayout:
        box = self
        form = QFormLayout()
        self.zone = ZonePicker(settings.general.timezone, allow_system_default=True, parent=box)
        self.zone.line_edit.setPlaceholderText(f"This computer's zone ({system_zone})")
        form.addRow("Your time &zone", self.zone)
        self.workdays = DayToggles(settings.workday.days, "Workdays", box)
        days = QHBoxLayout()
        days.addWidget(self.workdays)
        days.addStretch(1)
        days_label = QLabel("Work&days", box)
        days_label.setBuddy(self.workdays.buttons["mon"])
        form.addRow(days_label, days)
        self.start_time = time_field(format_time(settings.workday.start), "Workday starts", box)
        self.signoff = time_field(format_time(settings.workday.signoff), "Sign off at", box)
        hours = QHBoxLayout()
        hours.addWidget(self.start_time)
        hours.addWidget(QLabel("to", box))
        hours.addWidget(self.signoff)
        hours.addStretch(1)
        form.addRow("Hours", hours)
        return form

    def _build_blocks(self, settings: Settings) -> QVBoxLayout:
        box = self
        outer = QVBoxLayout()
        self.blocks: list[_BlockChoice] = []
        for number, block in enumerate(settings.focus.blocks[:2], start=1):
            choice = _BlockChoice(box, number, format_time(block.start), format_time(block.end))
            self.blocks.append(choice)
            outer.addLayout(choice.row())
        return outer

    def _build_agreement(self, settings: Settings) -> QFormLayout:
        box = self
        form = QFormLayout()
        self.agreement_file = QLineEdit(settings.agreement.file, box)
        self.agreement_file.setAccessibleName("Team agreement file")
        row, self.choose_agreement = agreement_file_row(self.agreement_file, box)
        form.addRow("File", row)
        self.me = QLineEdit(settings.agreement.me, box)
        self.me.setPlaceholderText(AGREEMENT_ME_HINT)
        self.me.setAccessibleName("I am")
        form.addRow("&I am", self.me)
        return form

    def _time_fields(self) -> list[QLineEdit]:
        return [field for block in self.blocks for field in (block.start, block.end)]

    # ----------------------------------------------------------------- values

    def _data(self) -> dict[str, Any]:
        """The TOML-shaped settings: the defaults with what this window edits."""
        data = settings_to_dict(self._base)
        data["general"]["timezone"] = self.zone.zone()
        days = list(self.workdays.days())
        data["workday"].update(
            days=days, start=self.start_time.text().strip(), signoff=self.signoff.text().strip()
        )
        data["focus"]["blocks"] = [
            {"days": days, "start": block.start.text().strip(), "end": block.end.text().strip()}
            for block in self.blocks
            if block.keep.isChecked()
        ]
        data["agreement"] = {"file": self.agreement_file.text().strip(), "me": self.me.text()}
        return data

    def chosen(self) -> Settings | None:
        """The settings as chosen, or None while something is invalid (the reason is shown)."""
        settings, problems = parse_settings(self._data())
        return None if problems else settings

    def _revalidate(self, *_args: object) -> None:
        for block in self.blocks:
            block.hint.setText(overnight_hint(block.start.text(), block.end.text()))
        _settings, problems = parse_settings(self._data())
        kept = [n for n, block in enumerate(self.blocks, start=1) if block.keep.isChecked()]
        no_workdays = any(problem.path == "workday.days" for problem in problems)
        self.error.set_reasons(
            f"{_name(problem.path, kept)}: {problem.reason}"
            for problem in problems
            if not (no_workdays and problem.path.endswith("].days"))  # said once, for workdays
        )
        self.start_button.setEnabled(not problems)

    def _on_start(self) -> None:
        settings = self.chosen()
        if settings is None:
            return
        self.start_button.setEnabled(False)  # until the app says it is saved (or not)
        self.start_button.setText("Saving…")
        self.confirmed.emit(settings)

    # ----------------------------------------------------------------- from the app

    def saved(self) -> None:
        """The settings file is written: the window's job is done."""
        self.accept()

    def show_error(self, message: str) -> None:
        """Saving failed: say why and let the user try again."""
        self.error.set_reasons([message])
        self.start_button.setText("&Start with these settings")
        self.start_button.setEnabled(True)


def _name(path: str, kept: list[int]) -> str:
    """ "focus.blocks[0].end" -> "Focus block 2 end" when only block 2 is kept (``kept``: the
    numbers of the blocks kept, in order); other paths by their field's name."""
    if path.startswith("focus.blocks["):
        index, _, rest = path[len("focus.blocks[") :].partition("]")
        what = rest.lstrip(".") or "times"
        return f"Focus block {kept[int(index)]} {what}"
    for prefix, name in _FIELD_NAMES.items():
        if path == prefix or path.startswith(prefix + "."):
            return name
    return path
