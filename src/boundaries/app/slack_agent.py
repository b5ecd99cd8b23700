"""The Slack agent: a short-lived process that holds the keyring and Slack's clients.

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
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from boundaries.app.agent_protocol import IDLE_S, encode, error_message

if TYPE_CHECKING:
    from boundaries.integrations.slack import ClientFactory

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], Any]


class Ops:
    """What the agent can do; each method takes the request's ``args`` and blocks.

    The token is read from the keyring for each request and never sent back: only a token
    pasted in Settings (``auth_test``'s ``token``) comes in through the pipe.
    """

    def __init__(self, slack_options: dict[str, Any] | None = None) -> None:
        self._tokens: Any = None
        self._options = dict(slack_options or {})
        self._clients: dict[tuple[str, str, float], Any] = {}
        self._lock = threading.Lock()

    def _store(self) -> Any:
        with self._lock:
            if self._tokens is None:
                from boundaries.integrations.secrets import TokenStore

                self._tokens = TokenStore()
            return self._tokens

    def _token(self) -> str | None:
        token = self._store().get()
        return token if isinstance(token, str) and token else None

    def _client(self, token: str, api_url: str, timeout: float) -> Any:
        """One client per token, URL and timeout for the agent's life (its retry state)."""
        key = (token, api_url, timeout)
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                client = self._factory()(token, api_url, timeout)
                self._clients[key] = client
            return client

    def _factory(self) -> ClientFactory:
        """The one ``ClientFactory``; ``--slack-options`` (tests) override its keywords."""
        from boundaries.integrations.slack import SlackClient, default_client

        if not self._options:
            return default_client
        options = self._options
        return lambda token, url, timeout: SlackClient(
            token, url, **{"timeout": timeout, **options}
        )

    # -- the keyring
    def token_status(self, _args: dict[str, Any]) -> dict[str, Any]:
        store = self._store()
        return {"keyring": store.backend_name(), "stored": store.get() is not None}

    def token_set(self, args: dict[str, Any]) -> None:
        self._store().set(str(args["token"]))

    def token_delete(self, _args: dict[str, Any]) -> bool:
        return bool(self._store().delete())

    # -- Slack
    def presence(self, args: dict[str, Any]) -> str:
        """Begin focus/sign-off on Slack or restore (``app/slack_sync.py`` chose which)."""
        from boundaries.core.kinds import SlackIntentKind
        from boundaries.integrations.slack import TIMEOUT_S
        from boundaries.integrations.slack_presence import JournalFile, SlackPresence

        token = self._token()
        if token is None:
            return "no_token"
        now = datetime.fromtimestamp(float(args["now"]), UTC)  # the app's clock, not ours
        presence = SlackPresence(
            self._client(token, str(args["api_url"]), TIMEOUT_S),
            JournalFile(Path(str(args["journal"]))),
            clock=lambda: now,
        )
        kind = SlackIntentKind(str(args["kind"]))
        if kind is SlackIntentKind.RESTORE:
            presence.restore()
        else:
            presence.begin(
                kind,
                str(args["text"]),
                str(args["emoji"]),
                datetime.fromtimestamp(float(args["until"]), UTC),
                bool(args["pause"]),
                bool(args["replace_own"]),
            )
        return kind.value

    def auth_test(self, args: dict[str, Any]) -> dict[str, str] | None:
        from boundaries.integrations.slack import TIMEOUT_S

        token = str(args.get("token") or "") or self._token()
        if token is None:
            return None
        identity = self._client(token, str(args["api_url"]), TIMEOUT_S).auth_test()
        return {"team": identity.team, "user": identity.user}

    def list_users(self, args: dict[str, Any]) -> list[dict[str, str]] | None:
        from boundaries.integrations.slack import TIMEOUT_S

        token = self._token()
        if token is None:
            return None
        users = self._client(token, str(args["api_url"]), TIMEOUT_S).list_users()
        return [{"id": u.id, "name": u.name, "real_name": u.real_name, "tz": u.tz} for u in users]

    def post_message(self, args: dict[str, Any]) -> dict[str, str] | None:
        """The weekly update's text, now or scheduled for ``at`` (Unix seconds)."""
        from boundaries.integrations.slack import POST_TIMEOUT_S
        from boundaries.integrations.update_slack import post_text

        token = self._token()
        if token is None:
            return None
        at = args.get("at")
        when = datetime.fromtimestamp(float(at), UTC) if at is not None else None
        client = self._client(token, str(args["api_url"]), POST_TIMEOUT_S)
        posted = post_text(client, str(args["channel"]), str(args["text"]), when)
        return {"ts": posted.ts, "scheduled_id": posted.scheduled_id}

    def table(self) -> dict[str, Handler]:
        return {
            "token_status": self.token_status,
            "token_set": self.token_set,
            "token_delete": self.token_delete,
            "presence": self.presence,
            "auth_test": self.auth_test,
            "list_users": self.list_users,
            "post_message": self.post_message,
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
            op = str(request["op"])
            args = request.get("args") or {}
        except (ValueError, KeyError, TypeError) as error:
            log.error("Slack agent: unreadable request (%s)", type(error).__name__)
            return
        handler = self._ops.get(op)
        if handler is None:
            with self._lock:
                self._send(error_message(request_id, LookupError(f"no such request: {op}")))
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
    """``boundaries __slack-agent [--idle S] [--slack-options JSON]``: serve the app on
    stdin/stdout until idle. ``--slack-options`` are ``SlackClient`` keywords (tests use short
    timeouts and retries)."""
    import json

    parser = argparse.ArgumentParser(prog="boundaries __slack-agent")
    parser.add_argument("--idle", type=float, default=IDLE_S)
    parser.add_argument("--slack-options", type=json.loads, default={})
    options = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if os.environ.get("BOUNDARIES_DEBUG") == "1" else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # The answers get a private copy of stdout; a stray print goes to stderr, not the pipe.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb", buffering=0)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    ops = Ops(options.slack_options).table()
    agent = Agent(sys.stdin.fileno(), out, options.idle, ops)
    code = agent.run()
    logging.shutdown()
    sys.stderr.flush()
    os._exit(code)  # threads still waiting on Slack end with us; their journal is on disk
