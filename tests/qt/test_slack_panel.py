"""Settings > Slack token panel against the fake Slack and a real (private) gnome-keyring."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from boundaries.app.agent_client import SlackAgentClient
from boundaries.app.slack_account import SlackAccountService
from boundaries.app.workers import WorkerPool
from boundaries.integrations.secrets import TokenStore
from boundaries.ui.slack_panel import SCOPES, SlackTokenPanel
from tests.fakes.slack_api import FAKE_TOKEN, FakeSlack
from tests.qt.settings_in_process import open_settings
from tests.slack.conftest import NO_KEYRING


@pytest.fixture
def store(agent_store: TokenStore) -> TokenStore:
    """The keyring entry the panel's agent reads and writes, seen from the test."""
    return agent_store


def make_panel(qtbot: QtBot, fake_slack: FakeSlack, agent: SlackAgentClient) -> SlackTokenPanel:
    account = SlackAccountService(agent)
    workers = WorkerPool(max_workers=1, name="test-slack-panel")
    panel = SlackTokenPanel(lambda: fake_slack.url, account, workers)
    workers.setParent(panel)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: not panel.busy)
    return panel


def all_text(panel: SlackTokenPanel) -> str:
    return " ".join(label.text() for label in panel.findChildren(QLabel))


def test_save_test_and_forget_a_token(
    qtbot: QtBot,
    fake_slack: FakeSlack,
    store: TokenStore,
    agent: SlackAgentClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    panel = make_panel(qtbot, fake_slack, agent)
    assert panel.stored.text().startswith("No token stored")
    assert not panel.forget_button.isEnabled()
    assert panel.token.echoMode() is QLineEdit.EchoMode.Password
    assert all(scope in all_text(panel) for scope in SCOPES)

    panel.token.setText(FAKE_TOKEN)
    panel.test_button.click()
    qtbot.waitUntil(lambda: not panel.busy)
    assert panel.result.text() == "Connected to the workspace Fake Team as alice."

    with qtbot.waitSignal(panel.token_changed):
        panel.save_button.click()
    qtbot.waitUntil(lambda: not panel.busy)
    assert store.get() == FAKE_TOKEN
    assert panel.token.text() == ""
    assert panel.stored.text().startswith("A token is stored in your keyring: ")

    panel.test_button.click()  # the stored token, read on the worker
    qtbot.waitUntil(lambda: not panel.busy and "Connected" in panel.result.text())

    with qtbot.waitSignal(panel.token_changed):
        panel.forget_button.click()
    qtbot.waitUntil(lambda: not panel.busy)
    assert store.get() is None
    assert panel.stored.text().startswith("No token stored")
    assert FAKE_TOKEN not in all_text(panel)
    assert FAKE_TOKEN not in caplog.text


def test_revoked_token_says_so(
    qtbot: QtBot, fake_slack: FakeSlack, store: TokenStore, agent: SlackAgentClient
) -> None:
    fake_slack.revoke()
    panel = make_panel(qtbot, fake_slack, agent)
    panel.token.setText(FAKE_TOKEN)
    panel.test_button.click()
    qtbot.waitUntil(lambda: not panel.busy)
    assert "revoked" in panel.result.text()
    assert FAKE_TOKEN not in all_text(panel)


def test_a_bot_token_is_refused(
    qtbot: QtBot, fake_slack: FakeSlack, store: TokenStore, agent: SlackAgentClient
) -> None:
    panel = make_panel(qtbot, fake_slack, agent)
    panel.token.setText("xoxb-1234567890-abcdefghij")
    panel.save_button.click()
    qtbot.waitUntil(lambda: not panel.busy)
    assert "bot token" in panel.result.text()
    assert store.get() is None


def test_test_connection_refuses_a_bot_token_without_asking_slack(
    qtbot: QtBot, fake_slack: FakeSlack, store: TokenStore, agent: SlackAgentClient
) -> None:
    panel = make_panel(qtbot, fake_slack, agent)
    panel.token.setText("xoxb-1234567890-abcdefghij")
    panel.test_button.click()
    qtbot.waitUntil(lambda: not panel.busy)
    assert panel.result.text().startswith("This is a bot token (xoxb-…)")
    assert fake_slack.calls() == []  # refused here: no DNS, no network blamed


def test_no_keyring_backend_is_explained(qtbot: QtBot, fake_slack: FakeSlack) -> None:
    agent = SlackAgentClient(env=NO_KEYRING)  # keyring's own "no keyring" backend
    panel = make_panel(qtbot, fake_slack, agent)
    panel.destroyed.connect(agent.close)
    assert panel.stored.text().startswith("No keyring is available to keep the Slack token")
    assert "gnome-keyring" in panel.stored.text()
    assert "keyring.backends" not in all_text(panel)  # a class path means nothing to people
    panel.token.setText(FAKE_TOKEN)
    panel.save_button.click()
    qtbot.waitUntil(lambda: not panel.busy)
    assert "keyring" in panel.result.text()
    assert FAKE_TOKEN not in all_text(panel)
    assert "keyring.backends" not in all_text(panel)


def test_import_from_slack_inside_settings_fills_the_team_tab(
    qtbot: QtBot, fake_slack: FakeSlack, store: TokenStore, agent: SlackAgentClient
) -> None:
    """The Settings window wires its own token panel and importer: the app only hands it the
    services (``SettingsServices``)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from boundaries.app.team_files import TeamFileService
    from boundaries.core.settings import Settings, SlackSettings, Teammate
    from boundaries.ui.ports import SettingsServices
    from boundaries.ui.settings_dialog import SettingsDialog
    from boundaries.ui.slack_import import SlackImportDialog

    store.set(FAKE_TOKEN)
    workers = WorkerPool(max_workers=1, name="test-settings-slack")
    services = SettingsServices(workers, SlackAccountService(agent), TeamFileService())
    ana = Teammate("Ana", "Europe/London")
    settings = Settings(slack=SlackSettings(api_url=fake_slack.url), team=(ana,))
    dialog = SettingsDialog(settings, services)
    workers.setParent(dialog)
    qtbot.addWidget(dialog)
    panel = dialog.token_panel
    qtbot.waitUntil(lambda: panel.import_button.isEnabled())  # the keyring said: a token
    panel.import_button.click()
    importer = next(w for w in QApplication.topLevelWidgets() if isinstance(w, SlackImportDialog))
    qtbot.waitUntil(lambda: importer.list.count() > 0)
    for i in range(importer.list.count()):
        if importer.list.item(i).text().startswith("Bob"):
            importer.list.item(i).setCheckState(Qt.CheckState.Checked)
    importer.ok_button.click()
    edited = dialog.current_settings()
    assert edited is not None
    assert [(m.name, m.slack_user) for m in edited.team] == [("Ana", ""), ("Bob", "U0BOB")]


def test_an_open_settings_follows_slack_login_and_logout(
    qtbot: QtBot,
    make_app: Any,
    secret_service_session: Any,
    agent_store: TokenStore,
    agent: SlackAgentClient,
    agent_env: dict[str, str],
) -> None:
    """``boundaries slack login`` in a terminal while Settings is open: it says so at once."""
    import os
    import subprocess
    import sys
    from datetime import datetime
    from zoneinfo import ZoneInfo

    tokens = agent_store  # where the command line stores it
    now = datetime(2026, 11, 24, 16, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    app = make_app("version = 1\n", now, slack_account=SlackAccountService(agent))
    from boundaries.app.ipc import InstanceLock

    lock = InstanceLock(app.dirs.state)  # what the real start takes: the CLI looks for it
    assert lock.acquire()
    qtbot.waitUntil(lambda: app.server is not None)  # the command socket is up
    dialog = open_settings(app)
    panel = dialog.token_panel
    qtbot.waitUntil(lambda: panel.stored.text().startswith("No token stored"))
    env = {
        **os.environ,
        **secret_service_session.env,
        **agent_env,
        "BOUNDARIES_CONFIG_DIR": str(app.dirs.config),
    }

    def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "boundaries", *args],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdin is not None
        proc.stdin.write(stdin)
        proc.stdin.close()
        qtbot.waitUntil(lambda: proc.poll() is not None, timeout=60_000)  # the app answers
        assert proc.stdout is not None and proc.stderr is not None
        return subprocess.CompletedProcess(
            args, proc.wait(), proc.stdout.read(), proc.stderr.read()
        )

    try:
        login = cli("slack", "login", stdin=FAKE_TOKEN + "\n")
        assert login.returncode == 0, login.stderr
        assert "The running app uses it now." in login.stdout
        qtbot.waitUntil(lambda: panel.stored.text().startswith("A token is stored"))

        logout = cli("slack", "logout")
        assert logout.stdout.startswith("Slack token removed from the keyring.")
        qtbot.waitUntil(lambda: panel.stored.text().startswith("No token stored"))
        again = cli("slack", "logout")
        assert again.returncode == 0
        assert again.stdout == "No Slack token was stored; nothing to remove.\n"
    finally:
        lock.release()
        tokens.delete()
