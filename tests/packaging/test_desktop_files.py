"""The launcher and software-centre files: valid for the tools desktops use, and consistent."""

from __future__ import annotations

import subprocess
import tomllib
import xml.etree.ElementTree as ET

import boundaries
from boundaries.integrations.autostart import APP_ID, DESKTOP_FILE
from tests.packaging.conftest import RESOURCES, ROOT, require_tool

DESKTOP = RESOURCES / DESKTOP_FILE
METAINFO = RESOURCES / f"{APP_ID}.metainfo.xml"


def _desktop_keys() -> dict[str, str]:
    lines = DESKTOP.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if "=" in line)


def test_desktop_file_passes_desktop_file_validate() -> None:
    result = subprocess.run(
        [require_tool("desktop-file-validate"), str(DESKTOP)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "", result.stdout  # not even a hint


def test_metainfo_passes_appstreamcli_validate() -> None:
    result = subprocess.run(
        [require_tool("appstreamcli"), "validate", "--no-net", "--pedantic", str(METAINFO)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    problems = [line for line in result.stdout.splitlines() if line[:2] in ("E:", "W:")]
    assert problems == []


def test_metainfo_describes_this_app_and_release() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable[@type='desktop-id']") == DESKTOP_FILE
    assert boundaries.__version__ in [r.get("version") for r in root.iter("release")]
    assert root.find("content_rating") is not None
    assert root.findtext("provides/binary") == "boundaries"
    categories = [c.text for c in root.iter("category")]
    assert categories == _desktop_keys()["Categories"].rstrip(";").split(";")


def test_launcher_runs_the_installed_command_with_our_icon() -> None:
    keys = _desktop_keys()
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert keys["Exec"] in scripts
    assert keys["TryExec"] == keys["Exec"]
    assert keys["Icon"] == APP_ID  # installed as hicolor/scalable/apps/<APP_ID>.svg
    assert (RESOURCES / "icons" / "app.svg").is_file()
