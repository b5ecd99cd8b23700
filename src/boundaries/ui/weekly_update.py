"""The weekly update window: Shipped / Next week / Blockers, a live preview, hints, Slack.

What the user types is handed to the service on every change (it writes the draft on its own
thread), so closing, Quit or a crash loses nothing and the draft is back next time. Hints from
the week's record are listed beside the fields and are never part of the update unless the
user inserts one; private ones (personal sign-off figures) say so. Everything slow (the
draft's first load, hints, Slack) runs through ``Workers``.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from boundaries.core.timefmt import format_day, format_time, weekday_abbreviation
from boundaries.core.weekly_update import (
    MAX_FIELD,
    SECTIONS,
    Draft,
    Hint,
    IsoWeek,
    render_markdown,
    render_slack,
)
from boundaries.ui.ports import RetryLater, WeeklyUpdates, Workers, error_text

PRIVATE_NOTE = " (private)"
PRIVATE_TIP = "A personal figure: only you see it, unless you insert it into the update"


class WeeklyUpdateWindow(QWidget):
    """``posted(sentence)`` after Slack confirmed a post or a scheduled post."""

    posted = Signal(str)

    def __init__(
        self,
        service: WeeklyUpdates,
        workers: Workers,
        week: IsoWeek,
        parent: QWidget | None = None,
        *,
        time_format: str = "24h",
    ) -> None:
        super().__init__(parent)
        self._time_format = time_format  # General → Show times as, for "Post later (Mon 9:00 AM)"
        self._service = service
        self._workers = workers
        self._week = week
        self._loaded = False
        self._post_at: datetime | None = None
        self.setWindowTitle(f"Weekly update {week}")
        self.resize(860, 560)

        grid = QGridLayout(self)
        self.fields: dict[str, QPlainTextEdit] = {}
        column = QVBoxLayout()
        self.week_label = QLabel(_week_title(week), self)
        column.addWidget(self.week_label)
        for key, label in SECTIONS:
            edit = QPlainTextEdit(self)
            edit.setAccessibleName(label)
            edit.setPlaceholderText(_PLACEHOLDERS[key])
            edit.setTabChangesFocus(True)
            edit.setEnabled(False)  # until the saved draft is loaded
            edit.textChanged.connect(self._on_edited)
            edit.installEventFilter(self)
            title = QLabel(f"<b>{label}</b>", self)
            title.setBuddy(edit)
            column.addWidget(title)
            column.addWidget(edit, 1)
            self.fields[key] = edit
        self._last_field = self.fields["shipped"]
        grid.addLayout(column, 0, 0)

        side = QVBoxLayout()
        side.addWidget(QLabel("<b>From your week</b> (not included unless you insert it)", self))
        self.hints = QListWidget(self)
        self.hints.setAccessibleName("Hints from your week")
        self.hints.setWordWrap(True)
        self.hints.setSpacing(2)
        self.hints.setMaximumHeight(110)
        self.hints.itemDoubleClicked.connect(lambda _item: self.insert_hint())
        side.addWidget(self.hints)
        self.insert_button = QPushButton("&Insert hint", self)
        self.insert_button.setEnabled(False)
        self.insert_button.clicked.connect(self.insert_hint)
        self.hints.currentRowChanged.connect(lambda row: self.insert_button.setEnabled(row >= 0))
        side.addWidget(self.insert_button, 0, Qt.AlignmentFlag.AlignLeft)
        side.addWidget(QLabel("<b>Preview</b>", self))
        self.preview = QTextEdit(self)
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName("Preview")
        side.addWidget(self.preview, 1)
        past_row = QHBoxLayout()
        self.past = QComboBox(self)
        self.past.setAccessibleName("Past updates")
        self.past.setPlaceholderText("Past updates")
        self.open_past_button = QPushButton("&Open", self)
        self.open_past_button.setEnabled(False)
        self.open_past_button.clicked.connect(self.open_past)
        past_row.addWidget(self.past, 1)
        past_row.addWidget(self.open_past_button)
        side.addLayout(past_row)
        grid.addLayout(side, 0, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)

        buttons = QHBoxLayout()
        self.copy_markdown = QPushButton("Copy as &Markdown", self)
        self.copy_slack = QPushButton("Copy as Slack &text", self)
        self.post_now = QPushButton("&Post to Slack", self)
        self.post_later = QPushButton("Post &later", self)
        self.copy_markdown.clicked.connect(lambda: self._copy(render_markdown(self.draft())))
        self.copy_slack.clicked.connect(lambda: self._copy(render_slack(self.draft())))
        self.post_now.clicked.connect(lambda: self.post(None))
        self.post_later.clicked.connect(lambda: self.post(self._post_at))
        self.post_later.setEnabled(False)
        for button in (self.copy_markdown, self.copy_slack):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.post_later)
        buttons.addWidget(self.post_now)
        grid.addLayout(buttons, 1, 0, 1, 2)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Status")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(self.status, 2, 0, 1, 2)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._pending_at: datetime | None = None
        self._retry.timeout.connect(lambda: self.post(self._pending_at))

        self._workers.submit(self._service.load_draft, self._show_draft, self._load_failed, self)
        self._workers.submit(partial(self._service.hints, week), self._show_hints, None, self)
        self._refresh_past()
        self._workers.submit(self._service.post_later_time, self._show_post_later, None, self)
        self._workers.submit(self._service.channel, self._show_channel, None, self)
        self._update_preview()

    # ------------------------------------------------------------------ the draft
    def draft(self) -> Draft:
        texts = {key: edit.toPlainText()[:MAX_FIELD] for key, edit in self.fields.items()}
        return Draft(self._week, **texts)

    def _show_draft(self, saved: Draft | None) -> None:
        week_asked = self._week
        if saved is not None and (saved.week == self._week or not saved.is_empty):
            self._week = saved.week  # an unposted draft of an earlier week comes first
        for key, edit in self.fields.items():
            edit.blockSignals(True)
            edit.setPlainText(getattr(saved, key) if saved and saved.week == self._week else "")
            edit.blockSignals(False)
            edit.setEnabled(True)
        self.week_label.setText(_week_title(self._week))
        if self._week != week_asked:
            self._workers.submit(
                partial(self._service.hints, self._week), self._show_hints, None, self
            )
        self.setWindowTitle(f"Weekly update {self._week}")
        self._loaded = True
        self.fields["shipped"].setFocus()
        self._update_preview()

    def _load_failed(self, error: BaseException) -> None:
        self._show_draft(None)
        self.status.setText(error_text(error, "Could not read the saved draft"))

    def _on_edited(self) -> None:
        if self._loaded:
            self._service.keep_draft(self.draft())
        self._update_preview()

    def _update_preview(self) -> None:
        self.preview.setMarkdown(render_markdown(self.draft()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QPlainTextEdit):
            self._last_field = watched
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ hints
    def _show_hints(self, found: list[Hint]) -> None:
        self.hints.clear()
        for hint in found:
            item = QListWidgetItem("• " + hint.text + (PRIVATE_NOTE if hint.private else ""))
            item.setData(Qt.ItemDataRole.UserRole, hint.text)
            item.setToolTip(PRIVATE_TIP if hint.private else "Double-click to insert it")
            self.hints.addItem(item)
        if not found:
            self.hints.addItem(QListWidgetItem("Nothing recorded this week yet."))
            self.hints.item(0).setFlags(Qt.ItemFlag.NoItemFlags)

    def insert_hint(self) -> None:
        """Put the selected hint on a line of its own in the field last typed in."""
        item = self.hints.currentItem()
        text = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if not text:
            return
        edit = self._last_field
        cursor = edit.textCursor()
        if cursor.positionInBlock() > 0:
            cursor.movePosition(cursor.MoveOperation.EndOfBlock)
            cursor.insertText("\n")
        cursor.insertText(f"- {str(text)[:1].upper()}{str(text)[1:]}")
        edit.setTextCursor(cursor)
        edit.setFocus()

    # ------------------------------------------------------------------ copy, post
    def _copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.status.setText("Copied. The draft stays here until you post it.")

    def _show_post_later(self, at: datetime) -> None:
        self._post_at = at
        clock = format_time(at, self._time_format)
        when = f"{weekday_abbreviation(at)} {clock} {at.tzname() or ''}".strip()
        self.post_later.setText(f"Post &later ({when})")
        self.post_later.setEnabled(True)

    def _show_channel(self, channel: str) -> None:
        if channel:
            self.post_now.setText(f"&Post to {channel}")
        else:
            self.post_now.setToolTip("Choose the channel in Settings → Slack → Weekly update")

    def post(self, at: datetime | None) -> None:
        draft = self.draft()
        if draft.is_empty:
            self.status.setText("Write something first: the update is empty.")
            return
        self._pending_at = at
        for button in (self.post_now, self.post_later):
            button.setEnabled(False)
        for edit in self.fields.values():
            edit.setReadOnly(True)  # what is sent is what stays on screen until Slack answers
        self.status.setText("Posting to Slack…" if at is None else "Scheduling on Slack…")
        self._workers.submit(
            partial(self._service.post, draft, at), self._posted, self._post_failed, self
        )

    def _posted(self, sentence: str) -> None:
        self._enable_posting()
        self.status.setText(f"{sentence} Kept in your past updates.")
        for edit in self.fields.values():
            edit.clear()  # saved as an empty draft: the sent text lives in the week's file
        self._refresh_past()
        self.posted.emit(sentence)

    def _post_failed(self, error: BaseException) -> None:
        if isinstance(error, RetryLater):
            self.status.setText(f"{error} Your draft is kept.")
            self._retry.start(max(1000, int(error.seconds * 1000)))
            return
        self._enable_posting()
        self.status.setText(error_text(error, "Posting failed"))

    def _enable_posting(self) -> None:
        for edit in self.fields.values():
            edit.setReadOnly(False)
        self.post_now.setEnabled(True)
        self.post_later.setEnabled(self._post_at is not None)

    # ------------------------------------------------------------------ past updates
    def _refresh_past(self) -> None:
        self._workers.submit(self._service.past, self._show_past, None, self)

    def _show_past(self, weeks: list[IsoWeek]) -> None:
        self.past.clear()
        for week in weeks:
            self.past.addItem(str(week), week)
        self.open_past_button.setEnabled(bool(weeks))

    def open_past(self) -> None:
        week = self.past.currentData()
        if isinstance(week, IsoWeek):
            self._workers.submit(
                partial(self._service.read_past, week),
                partial(self._show_past_text, week),
                lambda error: self.status.setText(error_text(error)),
                self,
            )

    def _show_past_text(self, week: IsoWeek, text: str) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle(f"Weekly update {week}")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(dialog)
        view = QPlainTextEdit(dialog)
        view.setReadOnly(True)
        view.setPlainText(text)
        layout.addWidget(view)
        dialog.resize(560, 420)
        dialog.open()


def _week_title(week: IsoWeek) -> str:
    return f"<b>Week {week}</b> · {format_day(week.monday)} to {format_day(week.sunday)}"


_PLACEHOLDERS = {
    "shipped": "What you shipped this week, one line each",
    "next": "What you are working on next week",
    "blockers": "Anything in your way (empty: none)",
}
