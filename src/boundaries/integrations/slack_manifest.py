"""The Slack app manifest in the repository, and the page that creates an app from it.

``resources/slack-manifest.json`` names the app and every user scope Boundaries uses; Slack's
"create app from manifest" page accepts it pre-filled in the address, which turns the old
seven setup steps into: open the page, pick the workspace, create, install, copy the token.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any
from urllib.parse import quote

MANIFEST_NAME = "slack-manifest.json"
CREATE_APP_PAGE = "https://api.slack.com/apps?new_app=1&manifest_json="
POST_SCOPE = "chat:write"  # posting the weekly update; status/DND work without it


def manifest() -> dict[str, Any]:
    text = resources.files("boundaries.resources").joinpath(MANIFEST_NAME).read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def user_scopes() -> tuple[str, ...]:
    return tuple(manifest()["oauth_config"]["scopes"]["user"])


def create_app_url() -> str:
    """Slack's create-app page with the manifest filled in (compact JSON, percent-encoded)."""
    compact = json.dumps(manifest(), separators=(",", ":"))
    return CREATE_APP_PAGE + quote(compact, safe="")
