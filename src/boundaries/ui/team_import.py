"""Review a team file before importing it: what will come in, and which rows are left out and why.

Nothing is imported until the user presses Import; then :attr:`TeamImportDialog.confirmed`
carries the good teammates and the caller merges them (``core.team_file.merge_team``) into the
settings it is editing. The dialog itself reads no file (the Team tab reads it on a worker
through ``ui.ports.TeamFiles``), changes no settings and writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from boundaries.core.settings import WORKWEEK, Teammate
from boundaries.core.team_file import BadRow
from boundaries.core.timefmt import format_hours_range

COLUMNS = ("Name", "Time zone", "Hours", "Days", "Slack user", "Change")
VISIBLE_ROWS = 8  # the table grows to this many rows, then scrolls


def _days(mate: Teammate) -> str:
    return "Mon–Fri" if mate.days == WORKWEEK else " ".join(d.capitalize() for d in mate.days)


class TeamImportDialog(QDialog):
    """Lists the teammates a file brings and its bad rows; emits ``confirmed`` on Import."""

    confirmed = Signal(list)

    def __init__(
        self,
        rows_ok: Sequence[Teammate],
        rows_bad: Sequence[BadRow],
        existing: Sequence[Teammate] = (),
        source: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import teammates")
        self._rows_ok = list(rows_ok)
        known = {mate.name.casefold(): mate for mate in existing}
        origin = f" from {source}" if source else ""

        count = len(self._rows_ok)
        if count:
            heading = f"{count} teammate{'s' if count != 1 else ''} will be imported{origin}."
        else:
            heading = f"Nothing can be imported{origin}."
        self.heading = QLabel(heading)
        self.heading.setWordWrap(True)
        self.table = QTableWidget(count, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        for row, mate in enumerate(self._rows_ok):
            before = known.get(mate.name.casefold())
            change = "new" if before is None else "same" if before == mate else "updates"
            cells = (
                mate.name,
                mate.timezone,
                format_hours_range(mate.hours_start, mate.hours_end),
                _days(mate),
                mate.slack_user,
                change,
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        shown = min(count, VISIBLE_ROWS)
        self.table.setFixedHeight(
            self.table.horizontalHeader().sizeHint().height()
            + shown * self.table.verticalHeader().defaultSectionSize()
            + 2 * self.table.frameWidth()
        )
        self.table.setVisible(bool(count))

        bad = len(rows_bad)
        self.bad_heading = QLabel(
            f"{bad} row{'s' if bad != 1 else ''} will be left out; fix them in the file and "
            "import again:"
        )
        self.bad_list = QListWidget()
        self.bad_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.bad_list.setWordWrap(True)  # long reasons wrap instead of hiding behind a scrollbar
        self.bad_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.bad_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        for item in rows_bad:
            entry = f"Line {item.line}: {item.reason}"
            if item.text:
                entry += f"\n    {item.text}"
            self.bad_list.addItem(entry)
        self.bad_heading.setVisible(bool(bad))
        self.bad_list.setVisible(bool(bad))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = QPushButton(f"&Import {count}" if count else "&Import")
        self.import_button.setEnabled(bool(count))
        self.import_button.setDefault(bool(count))
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table)
        layout.addWidget(self.bad_heading)
        layout.addWidget(self.bad_list)
        layout.addWidget(buttons)
        self.resize(max(self.table.horizontalHeader().length() + 40, 640), self.sizeHint().height())

    def bad_texts(self) -> list[str]:
        """The bad rows as listed, one string each."""
        return [self.bad_list.item(i).text() for i in range(self.bad_list.count())]

    def names(self) -> list[str]:
        """The names that will be imported, as listed."""
        items = (self.table.item(i, 0) for i in range(self.table.rowCount()))
        return [item.text() for item in items if item is not None]

    def accept(self) -> None:
        if not self._rows_ok:
            return
        self.confirmed.emit(list(self._rows_ok))
        super().accept()
