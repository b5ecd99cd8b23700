"""A second start hands the launcher's Wayland activation token to the running app."""

from __future__ import annotations

import pytest

from boundaries.app.application import activate_request
from boundaries.core import commands as cmd


def test_the_activate_command_carries_the_launchers_token() -> None:
    request = activate_request({"XDG_ACTIVATION_TOKEN": "kwin-123_TIME45"})
    assert cmd.decode_request(request) == cmd.Activate(activation_token="kwin-123_TIME45")


def test_without_a_token_the_command_is_plain() -> None:
    assert cmd.decode_request(activate_request({})) == cmd.Activate()


@pytest.mark.parametrize("token", ["x" * 513, "line\nbreak", 42])
def test_a_strange_token_is_refused_at_the_boundary(token: object) -> None:
    request = {"version": cmd.PROTOCOL_VERSION, "command": "activate", "args": {}}
    request["args"] = {"activation_token": token}
    with pytest.raises(cmd.CommandError):
        cmd.decode_request(request)
