"""A command whose handler answers later (``history-clear``): the reply waits for it, and a
failure comes back as a refusal with its sentence."""

from __future__ import annotations

from concurrent.futures import Future

from boundaries.app.dispatch import CommandDispatcher, route
from boundaries.core import commands as cmd


def dispatcher(answer: Future[object]) -> CommandDispatcher:
    routes = [route(c, lambda _command: None) for c in cmd.COMMANDS.values()]
    routes = [r for r in routes if r[0] is not cmd.ClearHistory]
    routes.append(route(cmd.ClearHistory, lambda _command: answer))
    return CommandDispatcher(routes, lambda: {"state": "idle"})


def test_the_reply_waits_for_the_handler_and_says_its_failure() -> None:
    later: Future[object] = Future()
    reply = dispatcher(later).handle(cmd.encode_request(cmd.ClearHistory()))
    assert isinstance(reply, Future) and not reply.done()
    later.set_exception(ValueError("Could not save your sign-off history: disk full"))
    assert reply.result(timeout=1) == {
        "version": 1,
        "ok": False,
        "error": "refused",
        "message": "Could not save your sign-off history: disk full",
    }


def test_a_handler_done_later_replies_with_the_status() -> None:
    later: Future[object] = Future()
    reply = dispatcher(later).handle(cmd.encode_request(cmd.ClearHistory()))
    assert isinstance(reply, Future)
    later.set_result(None)
    assert reply.result(timeout=1) == {"version": 1, "ok": True, "status": {"state": "idle"}}
