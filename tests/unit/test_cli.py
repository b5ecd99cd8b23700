"""The command line on crafted settings files: exact JSON, exact exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from boundaries.cli import main
from boundaries.core.settings import MAX_TEAMMATES

SETTINGS = """\
version = 1
[general]
timezone = "Europe/Berlin"

[workday]
signoff_by_day = { fri = "16:00" }

[[focus.blocks]]
days = ["mon", "tue", "wed", "thu", "fri"]
start = "09:00"
end = "11:00"

[[team]]
name = "Ana"
timezone = "Europe/London"

[[team]]
name = "Bo"
timezone = "America/New_York"
hours = "08:00-16:00"
"""


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def test_status_json_on_a_friday(config_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = run_json(capsys, "status", "--json", "--at", "2026-11-27T10:15:00+01:00")
    assert report == {
        "now": "2026-11-27T10:15:00+01:00",
        "timezone": "Europe/Berlin",
        "state": "focusing",
        "focus_blocks": [
            {
                "start": "2026-11-27T09:00:00+01:00",
                "end": "2026-11-27T11:00:00+01:00",
                "source": "personal",
            }
        ],
        "signoff": "2026-11-27T16:00:00+01:00",
        "next_event": {"kind": "focus_end", "at": "2026-11-27T11:00:00+01:00"},
        "summary": "Focus until 11:00 · Sign-off 16:00",
        "focus_until": "2026-11-27T11:00:00+01:00",
    }


def test_status_json_on_a_weekend_has_no_signoff(
    config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = run_json(capsys, "status", "--json", "--at", "2026-11-28T12:00")  # naive = Berlin
    assert report["now"] == "2026-11-28T12:00:00+01:00"
    assert report["state"] == "idle"
    assert report["focus_blocks"] == [] and report["signoff"] is None
    assert report["next_event"] == {"kind": "workday_start", "at": "2026-11-30T09:00:00+01:00"}


def test_team_json_at_an_instant(config_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = run_json(capsys, "team", "--json", "--at", "2026-11-24T15:00:00+01:00")
    assert report == {
        "at": "2026-11-24T15:00:00+01:00",
        "teammates": [
            {
                "name": "Ana",
                "timezone": "Europe/London",
                "local_time": "2026-11-24T14:00:00+00:00",
                "status": "working",
                "away": None,
            },
            {
                "name": "Bo",
                "timezone": "America/New_York",
                "local_time": "2026-11-24T09:00:00-05:00",
                "status": "working",
                "away": None,
            },
        ],
        # Berlin 09:00-17:30, London 10:00-18:30 Berlin, New York 14:00-22:00 Berlin.
        "overlap": [{"start": "2026-11-24T14:00:00+01:00", "end": "2026-11-24T17:30:00+01:00"}],
    }


def test_team_json_around_the_us_clock_change(
    config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 2026-03-09: New York is already on EDT, Berlin not yet on CEST: NY 08:00 = 13:00 Berlin.
    report = run_json(capsys, "team", "--json", "--at", "2026-03-09T12:00:00+01:00")
    assert report["overlap"] == [
        {"start": "2026-03-09T13:00:00+01:00", "end": "2026-03-09T17:30:00+01:00"}
    ]


def test_convert_prints_the_team_line(config_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", "Fri", "17:00"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("Fri 17:00 CET · ") and "16:00 London" in line
    assert "11:00 New York" in line


def test_a_broken_value_is_said_and_the_rest_of_the_file_answers_as_in_the_app(
    config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The app runs with the rest of the file (the default sign-off); so does `status`.
    (config_dir / "settings.toml").write_text(
        '[general]\ntimezone = "Asia/Tokyo"\n\n[workday]\nsignoff = "25:00"\n'
    )
    assert main(["status", "--json", "--at", "2026-03-10T12:00"]) == 0
    captured = capsys.readouterr()
    assert 'workday.signoff: "25:00": hours go up to 23 (or use am/pm)' in captured.err
    report = json.loads(captured.out)
    assert report["timezone"] == "Asia/Tokyo"  # the rest of the file applies
    assert report["signoff"].startswith("2026-03-10T17:30")  # the default, as in the app


@pytest.mark.parametrize("named", [False, True], ids=["no zone in settings", "zone in settings"])
def test_a_posix_rule_in_tz_is_said_as_in_the_app(
    config_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    named: bool,
) -> None:
    # TZ holds a rule, not a name: with no zone in Settings the answer follows the system's
    # zone, and the user hears so (the app says the same in a notification).
    from boundaries.integrations.system_zone import system_zone_name

    monkeypatch.setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3")
    zone = '[general]\ntimezone = "Asia/Tokyo"\n' if named else ""
    (config_dir / "settings.toml").write_text(f"version = 1\n{zone}")
    assert main(["status", "--json", "--at", "2026-03-10T12:00:00+00:00"]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    if named:
        assert report["timezone"] == "Asia/Tokyo"
        assert "TZ is set to" not in captured.err
    else:
        assert report["timezone"] == system_zone_name()
        assert 'TZ is set to "CET-1CEST,M3.5.0,M10.5.0/3"' in captured.err
        assert f"your schedule follows {system_zone_name()}" in captured.err
        assert "Settings > General" in captured.err


def test_settings_check_is_what_exits_2_on_a_broken_value(
    config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (config_dir / "settings.toml").write_text('[workday]\nsignoff = "25:00"\n')
    assert main(["settings", "check"]) == 2
    assert 'settings.toml:2: workday.signoff: "25:00"' in capsys.readouterr().err


def test_team_export_refuses_while_a_teammate_is_broken(
    config_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (config_dir / "settings.toml").write_text(
        '[[team]]\nname = "Ana"\ntimezone = "Europe/London"\n\n'
        '[[team]]\nname = "Bo"\ntimezone = "Mars/Olympus"\n'
    )
    out = tmp_path / "team.csv"
    assert main(["team", "export", str(out)]) == 2  # Bo would be missing from the file
    assert not out.exists()
    assert "team[1].timezone" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args",
    [
        ["status", "--at", "yesterday"],
        ["focus"],
        ["focus", "50", "--end"],
        ["focus", "--until", "25:00"],
        ["nonsense"],
    ],
)
def test_bad_arguments_exit_2(
    config_dir: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        code = main(args)
        raise SystemExit(code)
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.startswith(("boundaries:", "usage:"))


@pytest.mark.parametrize("typed", ["5:30 PM", "5pm", "17:30"])
def test_focus_until_reads_12_and_24_hour_times(config_dir: Path, typed: str) -> None:
    from tests.cli_run import run_cli

    done = run_cli(config_dir, "focus", "--until", typed)
    assert "is not a time" not in done.stderr and "needs minutes" not in done.stderr
    assert done.stderr == "boundaries: Boundaries is not running; start it with `boundaries`.\n"
    assert done.returncode == 1  # the time was read; only the app is missing


def test_focus_minutes_out_of_range_are_refused_before_asking_the_app(
    config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["focus", "4193435804"]) == 2
    assert capsys.readouterr().err == (
        "boundaries: focus minutes must be between 1 and 1440 minutes, not 4193435804\n"
    )


def test_focus_without_a_running_app_says_so(
    config_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["focus", "50"]) == 1
    assert "not running" in capsys.readouterr().err


def test_version_and_module_entry_point(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "boundaries", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and done.stdout.startswith("boundaries 0.")


def test_status_does_not_import_qt(config_dir: Path) -> None:
    code = (
        "import sys; from boundaries.cli import main; main(['status', '--json']);"
        "sys.exit(1 if any(m.startswith('PySide6') for m in sys.modules) else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_piping_into_head_is_not_an_error(tmp_path: Path) -> None:
    # As many teammates as the schema allows, with long names: the output overflows the pipe
    # (64 KiB) after `head` has left.
    name = "M" * 75
    mates = "".join(
        f'[[team]]\nname = "{name}{i:03d}"\ntimezone = "America/Argentina/ComodRivadavia"\n'
        for i in range(MAX_TEAMMATES)
    )
    (tmp_path / "settings.toml").write_text(mates)
    done = subprocess.run(
        f"{sys.executable} -m boundaries team --json --at 2026-11-24T15:00 | head -c 10",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "BOUNDARIES_CONFIG_DIR": str(tmp_path)},
    )
    assert done.stdout == '{\n  "at": '[:10]
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr


def test_the_boundaries_command_with_arguments_is_the_cli(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``boundaries.entry`` (the console script) hands any arguments to the CLI unchanged."""
    from boundaries import entry

    monkeypatch.setenv("BOUNDARIES_CONFIG_DIR", str(tmp_path))
    with pytest.raises(SystemExit) as done:
        entry.main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("boundaries ")
    assert entry.main(["status", "--json", "--at", "2026-03-02T10:00:00+01:00"]) == 0
    assert '"state"' in capsys.readouterr().out


def test_a_command_while_the_app_is_still_starting_waits_for_its_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Autostart, then ``boundaries status`` at once: the app holds its lock but listens only
    once its icon shows. The command waits for it; it does not fall back to the files' plan.
    (The command runs as its own process: talking to the app makes a QCoreApplication, which
    must not be the one the Qt tests find after this test.)"""
    import tempfile

    from boundaries.core.commands import Reply, encode_reply
    from boundaries.integrations.paths import resolve_dirs
    from boundaries.integrations.private_dir import socket_path

    runtime = Path(tempfile.mkdtemp(prefix="rt", dir="/tmp"))  # a socket path must be short
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.setenv("BOUNDARIES_CONFIG_DIR", str(tmp_path))
    state = resolve_dirs(None).state
    state.mkdir(parents=True)
    (state / "boundaries.lock").write_text(f"{os.getpid()}\n")  # a live process holds it
    answer = json.dumps(encode_reply(Reply(status={"state": "from the running app"})))
    # The app, in its own process: it listens half a second after the command was typed.
    late_app = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import socket, sys, time\n"
            "time.sleep(0.5)\n"
            "server = socket.socket(socket.AF_UNIX)\n"
            "server.bind(sys.argv[1]); server.listen(1)\n"
            "conn, _ = server.accept(); conn.recv(65536)\n"
            "conn.sendall(sys.argv[2].encode() + b'\\n')\n",
            str(socket_path(state)),
            answer,
        ]
    )
    try:
        done = subprocess.run(
            [sys.executable, "-m", "boundaries", "status", "--json"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        late_app.kill()  # it has answered and left, unless the command gave up on it
        late_app.wait()
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"state": "from the running app"}, done.stderr
