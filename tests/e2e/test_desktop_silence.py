"""Silencing the desktop during focus, for real: KDE's Inhibit on the recorder (ended by the
server when our connection goes, even by a crash), GNOME's show-banners through a private dconf
and XFCE's xfconf through a private xfconfd, each restored exactly from the journal."""

from __future__ import annotations

import json
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from boundaries.integrations.desktop_silence import JOURNAL_NAME, DesktopSilence
from tests.e2e import harness
from tests.e2e.test_hold_sources import DCONF_SERVICE, XFCONFD, serve, session, tool

__all__ = ["session"]  # the fixture, used by name below
pytestmark = pytest.mark.e2e
BANNERS = ("org.gnome.desktop.notifications", "show-banners")


def read(env: dict[str, str], *argv: str) -> str:
    return subprocess.run(argv, env=env, capture_output=True, text=True, check=True).stdout.strip()


def test_kde_inhibition_ends_with_focus_and_with_a_crash(
    session: dict[str, str], tmp_path: Path
) -> None:
    bus = session["DBUS_SESSION_BUS_ADDRESS"]
    server = harness.start_notify_recorder(bus, tmp_path / "notes.jsonl")
    try:
        silence = DesktopSilence(tmp_path / "state", env=session, bus=bus)
        assert silence.silence() == ["notification server"]
        # The recorder logs each call just after it answers: wait for the line, never sleep.
        harness.wait_for(lambda: len(server.events()) == 1, timeout=5, message="Inhibit")
        assert server.events()[0]["event"] == "inhibit"
        silence.restore()
        harness.wait_for(lambda: len(server.events()) == 2, timeout=5, message="UnInhibit")
        assert server.events()[1]["why"] == "call"

        # A crash while silenced: the server ends the inhibition with the connection.
        code = (
            "import sys, time; from pathlib import Path;"
            "from boundaries.integrations.desktop_silence import DesktopSilence;"
            f"DesktopSilence(Path(sys.argv[1]), env={{}}, bus={bus!r}).silence();"
            "print('SILENCED', flush=True); time.sleep(60)"  # alive until killed below
        )
        child = subprocess.Popen(
            [sys.executable, "-c", code, str(tmp_path / "child")], stdout=subprocess.PIPE
        )
        assert child.stdout is not None and child.stdout.readline().strip() == b"SILENCED"
        child.send_signal(signal.SIGKILL)
        child.wait()
        harness.wait_for(
            lambda: server.events()[-1].get("why") == "disconnect",
            timeout=5,
            message="the server to end a dead client's inhibition",
        )
    finally:
        harness.stop(server.proc)


@pytest.mark.skipif(not DCONF_SERVICE.exists(), reason="needs dconf-service")
def test_gnome_banners_are_restored_exactly_even_after_a_crash(
    session: dict[str, str], tmp_path: Path
) -> None:
    env = {**session, "XDG_CURRENT_DESKTOP": "GNOME"}
    dconf = serve([str(DCONF_SERVICE)], env, "ca.desrt.dconf")
    state = tmp_path / "state"
    try:
        silence = DesktopSilence(state, env=env, bus=env["DBUS_SESSION_BUS_ADDRESS"])
        assert "GNOME" in silence.silence()
        assert read(env, "gsettings", "get", *BANNERS) == "false"
        journal = state / JOURNAL_NAME
        assert json.loads(journal.read_text())["gnome_show_banners"] == "true"
        assert stat.S_IMODE(journal.stat().st_mode) == 0o600
        silence.close()  # the app dies here (no restore); a new start restores from the journal
        DesktopSilence(state, env=env, bus=env["DBUS_SESSION_BUS_ADDRESS"]).restore()
        assert read(env, "gsettings", "get", *BANNERS) == "true"
        assert not journal.exists()

        # The user had banners off already: focus leaves them off, restore keeps them off.
        tool(env, "gsettings", "set", *BANNERS, "false")
        again = DesktopSilence(state, env=env, bus=env["DBUS_SESSION_BUS_ADDRESS"])
        again.silence()
        again.restore()
        assert read(env, "gsettings", "get", *BANNERS) == "false"
    finally:
        harness.stop(dconf)


@pytest.mark.skipif(not XFCONFD.exists(), reason="needs xfconfd (Debian: xfconf)")
def test_xfce_do_not_disturb_is_switched_and_put_back(
    session: dict[str, str], tmp_path: Path
) -> None:
    env = {**session, "XDG_CURRENT_DESKTOP": "XFCE"}
    xfconfd = serve([str(XFCONFD)], env, "org.xfce.Xfconf")
    query = ("xfconf-query", "-c", "xfce4-notifyd", "-p", "/do-not-disturb")
    try:
        silence = DesktopSilence(tmp_path / "state", env=env, bus=env["DBUS_SESSION_BUS_ADDRESS"])
        assert "XFCE" in silence.silence()
        assert read(env, *query) == "true"
        silence.restore()
        gone = subprocess.run(query, env=env, capture_output=True, text=True, check=False)
        assert gone.returncode != 0, "the property the user never had is removed again"
        tool(env, *query, "-n", "-t", "bool", "-s", "false")
        silence.silence()
        silence.restore()
        assert read(env, *query) == "false"
    finally:
        harness.stop(xfconfd)
