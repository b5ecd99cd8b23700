"""Import from Slack…: members from the fake's users.list become teammates; zones refresh."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from boundaries.app.agent_client import SlackAgentClient
from boundaries.app.slack_account import SlackAccountService
from boundaries.app.workers import WorkerPool
from boundaries.core.settings import Teammate
from boundaries.integrations.secrets import TokenStore
from boundaries.ui.slack_import import SlackImportDialog
from tests.fakes.slack_api import FAKE_TOKEN, FakeSlack


def make_dialog(
    fake_slack: FakeSlack, team: tuple[Teammate, ...], agent: SlackAgentClient
) -> SlackImportDialog:
    account = SlackAccountService(agent)  # the agent: the private gnome-keyring and Slack
    workers = WorkerPool(max_workers=1, name="test-slack-import")
    dialog = SlackImportDialog(team, lambda: account.members(fake_slack.url), workers)
    workers.setParent(dialog)
    return dialog


@pytest.fixture
def stored(agent: SlackAgentClient, agent_store: TokenStore) -> SlackAgentClient:
    """An agent whose keyring holds the fake's token."""
    agent_store.set(FAKE_TOKEN)
    return agent


def open_dialog(
    qtbot: QtBot, fake_slack: FakeSlack, stored: SlackAgentClient, team: tuple[Teammate, ...]
) -> SlackImportDialog:
    dialog = make_dialog(fake_slack, team, stored)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.list.count() > 0)
    return dialog


def rows(dialog: SlackImportDialog) -> list[str]:
    return [dialog.list.item(i).text() for i in range(dialog.list.count())]


def visible(dialog: SlackImportDialog) -> list[str]:
    items = [dialog.list.item(i) for i in range(dialog.list.count())]
    return [item.text() for item in items if not item.isHidden()]


def test_people_are_listed_without_bots_or_deleted(
    qtbot: QtBot, fake_slack: FakeSlack, stored: SlackAgentClient
) -> None:
    dialog = open_dialog(qtbot, fake_slack, stored, ())
    names = " ".join(rows(dialog))
    assert "Bob" in names and "Dan" in names and "Erin" in names
    assert "deploybot" not in names and "Carol" not in names and "Slackbot" not in names
    assert fake_slack.calls("users.list")  # by the agent (paging: tests/slack/test_slack_client)


def test_search_and_pick_people(
    qtbot: QtBot, fake_slack: FakeSlack, stored: SlackAgentClient
) -> None:
    ana = Teammate(name="Ana", timezone="Europe/London")
    dialog = open_dialog(qtbot, fake_slack, stored, (ana,))
    dialog.search.setText("new_york")
    assert len(visible(dialog)) == 1 and "Bob" in visible(dialog)[0]
    dialog.search.setText("")
    for i in range(dialog.list.count()):
        item = dialog.list.item(i)
        if item.text().startswith(("Bob", "Erin")):
            item.setCheckState(Qt.CheckState.Checked)
    with qtbot.waitSignal(dialog.team_chosen) as chosen:
        dialog.ok_button.click()
    assert chosen.args == [
        (
            ana,
            Teammate(name="Bob", timezone="America/New_York", slack_user="U0BOB"),
            Teammate(name="Erin", timezone="Australia/Sydney", slack_user="U0ERIN"),
        )
    ]


def test_refresh_zones_of_linked_teammates(
    qtbot: QtBot, fake_slack: FakeSlack, stored: SlackAgentClient
) -> None:
    dan = Teammate(name="Dan", timezone="Europe/Berlin", slack_user="U0DAN")
    frank = Teammate(name="Frank", timezone="Europe/Paris", slack_user="U0NOTZ")  # Slack: none
    dialog = open_dialog(qtbot, fake_slack, stored, (dan, frank))
    assert any("already a teammate" in r for r in rows(dialog))
    with qtbot.waitSignal(dialog.team_chosen) as chosen:
        dialog.refresh_button.click()
    assert chosen.args == [
        (Teammate(name="Dan", timezone="Asia/Kolkata", slack_user="U0DAN"), frank)
    ]


def test_a_failure_is_shown(qtbot: QtBot, fake_slack: FakeSlack, stored: SlackAgentClient) -> None:
    fake_slack.revoke()
    dialog = make_dialog(fake_slack, (), stored)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "revoked" in dialog.message.text())
