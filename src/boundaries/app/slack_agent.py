"""The Slack agent: a short-lived process that holds the keyring (and, later, Slack's clients).

The app starts it on demand (``boundaries __slack-agent``) and talks to it over its stdin and
stdout, one JSON object per line (``app/agent_protocol.py``). Each request runs on its own
thread, so a slow Slack never holds up a keyring question. After ``--idle`` seconds with
nothing asked and nothing running it says ``bye`` and exits, and its memory goes back to the
system. When the app goes away (its end of the pipe closes) it exits at once. Why:
docs/decisions/0016-slack-agent.md.
"""

from __future__ import annotations

import argparse
import logging
import os
import select
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from boundaries.app.agent_protocol import IDLE_S, encode, error_message

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], Any]


class Ops:
    """What the agent can do; each method takes the request's ``args`` and blocks."""

    def __init__(self) -> None:
        self._tokens: Any = None

    def _store(self) -> Any:
        if self._tokens is None:
            from boundaries.integrations.secrets import TokenStore

            self._tokens = TokenStore()
        return self._tokens

    def token_status(self, _args: dict[str, Any]) -> dict[str, Any]:
        store = self._store()
        return {"keyring": store.backend_name(), "stored": store.get() is not None}

    def token_get(self, _args: dict[str, Any]) -> str | None:
        return self._store().get()  # type: ignore[no-any-return]

    def token_set(self, args: dict[str, Any]) -> None:
        self._store().set(str(args["token"]))

    def token_delete(self, _args: dict[str, Any]) -> bool:
        return bool(self._store().delete())

    def table(self) -> dict[str, Handler]:
        return {
            "token_status": self.token_status,
            "token_get": self.token_get,
            "token_set": self.token_set,
            "token_delete": self.token_delete,
        }


class Agent:
    """Reads requests from ``fd_in``, answers on ``out``; leaves when idle or orphaned."""

    def __init__(self, fd_in: int, out: Any, idle_s: float, ops: dict[str, Handler]) -> None:
        self._fd = fd_in
        self._out = out
        self._idle_s = idle_s
        self._ops = ops
        self._lock = threading.Lock()
        self._running = 0
        self._last = time.monotonic()

    def run(self) -> int:
        pending = b""
        while True:
            with self._lock:
                quiet_for = time.monotonic() - self._last
                wait = self._idle_s if self._running else max(0.0, self._idle_s - quiet_for)
            ready, _, _ = select.select([self._fd], [], [], wait)
            if not ready:
                with self._lock:
                    quiet = time.monotonic() - self._last >= self._idle_s
                    if self._running == 0 and quiet and not pending:
                        self._send({"bye": True})
                        log.debug("Slack agent idle: leaving")
                        return 0
                continue
            chunk = os.read(self._fd, 65536)
            if not chunk:
                log.debug("Slack agent: the app went away")
                return 0  # the caller's os._exit leaves calls in flight behind
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                if line.strip():
                    self._start(line)

    def _start(self, line: bytes) -> None:
        import json

        try:
            request = json.loads(line)
            request_id = int(request["id"])
            handler = self._ops[str(request["op"])]
            args = request.get("args") or {}
        except (ValueError, KeyError, TypeError) as error:
            log.error("Slack agent: unreadable request (%s)", type(error).__name__)
            return
        with self._lock:
            self._running += 1
            self._last = time.monotonic()
        threading.Thread(target=self._answer, args=(request_id, handler, args), daemon=True).start()

    def _answer(self, request_id: int, handler: Handler, args: dict[str, Any]) -> None:
        try:
            message: dict[str, Any] = {"id": request_id, "ok": handler(args)}
        except Exception as error:  # every failure goes back to the caller, said as it was
            if type(error).__module__.startswith("boundaries.") or type(error) is ValueError:
                log.debug("Slack agent: %s failed: %s", handler.__name__, error)
            else:
                log.error("Slack agent: %s failed unexpectedly", handler.__name__, exc_info=error)
            message = error_message(request_id, error)
        with self._lock:
            self._send(message)
            self._running -= 1
            self._last = time.monotonic()

    def _send(self, message: dict[str, Any]) -> None:
        try:
            self._out.write(encode(message))
            self._out.flush()
        except OSError:
            pass  # the app is gone; the next read sees the end of the pipe


def main(argv: list[str]) -> int:
    """``boundaries __slack-agent [--idle S]``: serve the app on stdin/stdout until idle."""
    parser = argparse.ArgumentParser(prog="boundaries __slack-agent")
    parser.add_argument("--idle", type=float, default=IDLE_S)
    options = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if os.environ.get("BOUNDARIES_DEBUG") == "1" else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # The answers get a private copy of stdout; a stray print goes to stderr, not the pipe.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb", buffering=0)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    agent = Agent(sys.stdin.fileno(), out, options.idle, Ops().table())
    code = agent.run()
    logging.shutdown()
    sys.stderr.flush()
    os._exit(code)  # threads still waiting on Slack end with us; their journal is on disk
