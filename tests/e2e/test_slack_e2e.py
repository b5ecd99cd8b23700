"""The real app with Slack on: token from `boundaries slack login` in a real gnome-keyring on
the e2e bus, the fake Slack server, a SIGKILL mid-block and a restart that restores Slack."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.e2e import harness
from tests.e2e.harness import BOUNDARIES_CMD, Launched
from tests.fakes import secret_service
from tests.fakes.slack_api import FAKE_TOKEN, FakeSlack


@pytest.fixture
def keyring_on_bus(dbus_session: str, tmp_path: Path) -> Iterator[dict[str, str]]:
    """gnome-keyring-daemon serving the Secret Service on the e2e session bus, unlocked."""
    missing = secret_service.available()
    if missing:
        pytest.skip(missing)
    session = secret_service.SecretServiceSession().start(15.0, bus_address=dbus_session)
    try:
        yield session.env
    finally:
        session.stop()


def write_settings(config: Path, api_url: str) -> None:
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.toml").write_text(
        f'version = 1\n\n[focus]\nblocks = []\n\n[slack]\nenabled = true\napi_url = "{api_url}"\n',
        encoding="utf-8",
    )


def cli(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*BOUNDARIES_CMD, *args],
        env=env,
        cwd=harness.REPO_ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=30,
    )


def start_app(launch: Callable[..., Launched], env: dict[str, str]) -> Launched:
    return launch([*BOUNDARIES_CMD], env, name="boundaries")


def test_focus_sets_slack_and_a_restart_after_sigkill_restores_it(
    app_env: dict[str, str],
    keyring_on_bus: dict[str, str],
    fake_slack: FakeSlack,
    launch: Callable[..., Launched],
    tmp_path: Path,
) -> None:
    env = dict(app_env)
    config = Path(env["BOUNDARIES_CONFIG_DIR"])
    write_settings(config, fake_slack.url)

    login = cli(env, "slack", "login", stdin=FAKE_TOKEN + "\n")
    assert login.returncode == 0, login.stderr
    assert FAKE_TOKEN not in login.stdout + login.stderr

    app = start_app(launch, env)
    harness.wait_for(  # `focus` needs the running app: retry until it answers
        lambda: cli(env, "focus", "5").returncode == 0 or app.proc.poll() is not None,
        timeout=20,
        message=lambda: f"the app to take `focus 5`\n{app.output()}",
    )
    assert app.proc.poll() is None, app.output()
    harness.wait_for(
        lambda: fake_slack.status()[0].startswith("Focusing") and fake_slack.snooze(),
        timeout=20,
        message=lambda: f"our status and snooze on the fake Slack\n{app.output()}",
    )
    assert fake_slack.status()[1] == ":headphones:"
    journal = config / "state" / "slack-journal.json"
    assert journal.exists()

    app.proc.send_signal(signal.SIGKILL)
    app.proc.wait(10)
    assert journal.exists()  # the crash left what to restore on disk

    # Restart ten minutes later (after the 5-minute block): the app must put Slack back.
    offset = tmp_path / "faketime-offset"
    offset.write_text("+600\n")
    later = {**env, **harness.faketime_env(offset, tz=None)}
    restarted = start_app(launch, later)
    harness.wait_for(
        lambda: fake_slack.status() == ("", "", 0) and fake_slack.snooze() is None,
        timeout=20,
        message=lambda: f"Slack restored; fake shows {fake_slack.status()}\n{restarted.output()}",
    )
    harness.wait_for(lambda: not journal.exists(), timeout=10, message="the journal cleared")
    harness.stop(restarted.proc)

    logout = cli(env, "slack", "logout")
    assert logout.returncode == 0, logout.stderr

    for path in config.rglob("*"):
        if path.is_file():
            assert FAKE_TOKEN not in path.read_text(errors="replace"), path
    for proc in (app, restarted):
        assert FAKE_TOKEN not in proc.output()
