"""The running app's side of the command protocol: decode, dispatch through one table, reply.

``CommandDispatcher.handle`` has the signature ``app.command_server.CommandServer`` expects (a
parsed JSON object in, one out), so the socket code never sees a command. The table must name
a handler for every command of ``core.commands``: a command added there and forgotten here
fails at start-up, not when a user first sends it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from typing import Any, TypeVar, cast

from boundaries.core.commands import (
    COMMANDS,
    Command,
    CommandError,
    ErrorCode,
    Reply,
    decode_request,
    encode_reply,
)

log = logging.getLogger(__name__)

C = TypeVar("C", bound=Command)
Route = tuple[type[Command], Callable[[Command], object]]


def route(command: type[C], handler: Callable[[C], object]) -> Route:
    """One row of the dispatch table; typed so a handler gets the command it is for.

    A handler that returns a string says what it did ("extends the scheduled block ..."):
    it goes back to the caller with the status."""
    return cast(type[Command], command), cast(Callable[[Command], object], handler)


class CommandDispatcher:
    """Runs each decoded command's handler; a ``ValueError`` from it becomes REFUSED."""

    def __init__(
        self,
        routes: list[Route],
        status: Callable[[], Mapping[str, Any]],
        last_save: Callable[[], Future[None] | None] = lambda: None,
    ) -> None:
        table = dict(routes)
        missing = sorted(cls.name.value for cls in COMMANDS.values() if cls not in table)
        if missing or len(table) != len(routes):
            raise TypeError(f"the command table must route each command once; missing {missing}")
        self._table = table
        self._status = status
        self._last_save = last_save

    def dispatch(self, command: Command) -> Reply | Future[Reply]:
        """A handler may return a ``Future`` (completed on the GUI thread): the reply waits
        for it, and an exception in it is a REFUSED saying why (``ClearHistory``)."""
        try:
            said = self._table[type(command)](command)
        except ValueError as error:  # valid command, impossible now (e.g. focus in the past)
            return Reply.failure(CommandError(ErrorCode.REFUSED, str(error)))
        if isinstance(said, Future):
            later: Future[Reply] = Future()
            said.add_done_callback(lambda done: later.set_result(self._after(done)))
            return later
        return Reply(status=self._status(), message=said if isinstance(said, str) else "")

    def _after(self, done: Future[object]) -> Reply:
        error = done.exception()
        if error is not None:
            return Reply.failure(CommandError(ErrorCode.REFUSED, str(error)))
        said = done.result()
        return Reply(status=self._status(), message=said if isinstance(said, str) else "")

    def handle(self, message: dict[str, Any]) -> dict[str, Any] | Future[dict[str, Any]]:
        """Handler for ``CommandServer``: never raises for a bad message, says why instead.

        A command that changed the state is answered once that state is on disk (a future the
        server waits for without blocking), so ``boundaries focus --end`` on a full disk says
        so and exits 1 instead of claiming success.
        """
        before = self._last_save()
        try:
            outcome = self.dispatch(decode_request(message))
        except CommandError as error:
            log.info("command refused: %s", error.message)
            outcome = Reply.failure(error)
        if isinstance(outcome, Future):
            encoded: Future[dict[str, Any]] = Future()
            outcome.add_done_callback(lambda done: encoded.set_result(encode_reply(done.result())))
            return encoded
        reply = outcome
        save = self._last_save()
        if not reply.ok or save is None or save is before:
            return encode_reply(reply)
        answer: Future[dict[str, Any]] = Future()
        save.add_done_callback(lambda done: answer.set_result(_after_save(reply, done)))
        return answer


def _after_save(reply: Reply, save: Future[None]) -> dict[str, Any]:
    error = save.exception()
    if error is None:
        return encode_reply(reply)
    reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    return encode_reply(
        Reply.failure(
            CommandError(
                ErrorCode.NOT_SAVED,
                f"done, but the app state could not be saved ({reason}); Boundaries keeps "
                "trying, and a restart before it succeeds would forget this change",
            )
        )
    )
