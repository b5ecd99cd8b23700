"""Import from Slack…: pick workspace members to become teammates, and refresh zones.

The member list comes from ``load_members`` run through the app's ``Workers`` (the app's
``SlackAccount.members``: users.list, paginated; bots and deleted members already left out).
The dialog only returns a new team through ``team_chosen``; the Team tab (or the app)
decides what to do with it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from boundaries.core.settings import Teammate
from boundaries.ui.ports import SlackMember, Workers, error_text

ID_ROLE = Qt.ItemDataRole.UserRole


def display_name(user: SlackMember) -> str:
    return user.real_name or user.name or user.id


def add_members(
    team: Sequence[Teammate], users: Iterable[SlackMember], chosen: Iterable[str]
) -> tuple[Teammate, ...]:
    """``team`` plus the chosen members not already linked, with their Slack zone."""
    linked = {mate.slack_user for mate in team if mate.slack_user}
    wanted = set(chosen) - linked
    added = [
        Teammate(name=display_name(u), timezone=u.tz, slack_user=u.id)
        for u in users
        if u.id in wanted
    ]
    return (*team, *added)


def refresh_zones(team: Sequence[Teammate], users: Iterable[SlackMember]) -> tuple[Teammate, ...]:
    """Linked teammates take the zone Slack has for them now (an empty one is ignored)."""
    zones = {u.id: u.tz for u in users if u.tz}
    return tuple(
        dataclasses.replace(m, timezone=zones[m.slack_user]) if m.slack_user in zones else m
        for m in team
    )


class SlackImportDialog(QDialog):
    """Searchable, checkable list of members; ``team_chosen(tuple[Teammate, ...])`` on OK."""

    team_chosen = Signal(object)

    def __init__(
        self,
        team: Sequence[Teammate],
        load_members: Callable[[], list[SlackMember]],
        workers: Workers,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import teammates from Slack")
        self._team = tuple(team)
        self._users: list[SlackMember] = []
        layout = QVBoxLayout(self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search by name or time zone")
        self.search.setAccessibleName("Search members")
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Workspace members")
        layout.addWidget(self.list, 1)
        self.message = QLabel("Loading members from Slack…", self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.refresh_button = QPushButton("&Refresh zones of linked teammates", self)
        self.refresh_button.setAutoDefault(False)
        self.refresh_button.setEnabled(False)
        row.addWidget(self.refresh_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Add selected")
        self.ok_button.setEnabled(False)
        layout.addWidget(self.buttons)

        self.search.textChanged.connect(self._filter)
        self.list.itemChanged.connect(self._update)
        self.refresh_button.clicked.connect(self._refresh_zones)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        workers.submit(load_members, self._loaded, self._failed, context=self)

    # ------------------------------------------------------------------ results
    def _loaded(self, users: list[SlackMember]) -> None:
        self._users = sorted(users, key=lambda u: display_name(u).casefold())
        linked = {m.slack_user for m in self._team if m.slack_user}
        self.list.blockSignals(True)
        for user in self._users:
            zone = user.tz or "no time zone in Slack"
            item = QListWidgetItem(f"{display_name(user)} (@{user.name}) — {zone}", self.list)
            item.setData(ID_ROLE, user.id)
            if user.id in linked:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setText(item.text() + " — already a teammate")
            elif user.tz:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
            else:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
        self.list.blockSignals(False)
        self.message.setText(f"{len(self._users)} members. Tick the people to add.")
        self.refresh_button.setEnabled(bool(linked))
        self._filter(self.search.text())

    def _failed(self, error: BaseException) -> None:
        self.message.setText(error_text(error, "Could not load"))

    # ------------------------------------------------------------------ interaction
    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(bool(needle) and needle not in item.text().casefold())

    def chosen_ids(self) -> list[str]:
        return [
            str(item.data(ID_ROLE))
            for item in (self.list.item(i) for i in range(self.list.count()))
            if item.checkState() == Qt.CheckState.Checked
        ]

    def _update(self, *_args: object) -> None:
        self.ok_button.setEnabled(bool(self.chosen_ids()))

    def _refresh_zones(self) -> None:
        team = refresh_zones(self._team, self._users)
        changed = sum(a != b for a, b in zip(self._team, team, strict=True))
        self._team = team
        self.message.setText(f"Updated the time zone of {changed} linked teammate(s).")
        self.team_chosen.emit(team)

    def _accept(self) -> None:
        self.team_chosen.emit(add_members(self._team, self._users, self.chosen_ids()))
        self.accept()
