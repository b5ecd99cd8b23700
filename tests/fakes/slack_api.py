"""A fake Slack Web API: a real HTTP server on loopback, for the real slack_sdk client.

It implements the methods Boundaries calls with Slack's documented response shapes, checks
the token (Authorization header only) and its scopes, keeps the state a user would see
(profile status with expiry, DND snooze), logs every call, and can be told to misbehave:
HTTP 429 with Retry-After, 500, slow or hanging answers, auth and scope errors.

    fake = FakeSlack(); fake.start(); client = SlackClient(FAKE_TOKEN, fake.url); ...
    fake.stop()
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

FAKE_TOKEN = "xoxp-1111111111-2222222222-3333333333-fake0test0token0abcdef"
USER_ID = "U0ALICE"
TEAM_ID = "T0FAKE"

ALL_SCOPES = frozenset(
    {
        "users.profile:read",
        "users.profile:write",
        "dnd:read",
        "dnd:write",
        "users:read",
        "chat:write",
    }
)
# Slack's limits for messages (chat.postMessage / chat.scheduleMessage documentation).
MESSAGE_TEXT_MAX = 40_000
SCHEDULE_MAX_AHEAD_S = 120 * 24 * 3600

SCOPE_FOR = {
    "auth.test": None,
    "users.profile.get": "users.profile:read",
    "users.profile.set": "users.profile:write",
    "dnd.info": "dnd:read",
    "dnd.setSnooze": "dnd:write",
    "dnd.endSnooze": "dnd:write",
    "users.list": "users:read",
    "users.info": "users:read",
    "chat.postMessage": "chat:write",
    "chat.scheduleMessage": "chat:write",
}

FAULT_KINDS = frozenset(
    {"ratelimited", "http500", "slow", "hang", "invalid_auth", "token_revoked", "missing_scope"}
)


@dataclass
class _Token:
    user_id: str
    scopes: frozenset[str]
    revoked: bool = False


@dataclass
class _Fault:
    kind: str
    times: int
    method: str | None
    retry_after: int
    delay: float


@dataclass
class Channel:
    id: str
    name: str
    member: bool = True  # the user is in it (else not_in_channel)
    archived: bool = False


@dataclass
class Message:
    channel: str  # the channel's ID
    text: str
    ts: str
    post_at: int | None = None  # chat.scheduleMessage: when Slack will post it
    scheduled_id: str = ""


def default_channels() -> list[Channel]:
    return [
        Channel("C0TEAM", "team-updates"),
        Channel("C0ELSE", "elsewhere", member=False),
        Channel("C0OLD", "old-news", archived=True),
    ]


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    thread: str = field(default="")


def member(
    uid: str,
    name: str,
    tz: str = "Europe/Berlin",
    *,
    is_bot: bool = False,
    deleted: bool = False,
    real_name: str | None = None,
) -> dict[str, Any]:
    """A users.list / users.info member object in Slack's shape."""
    real = real_name if real_name is not None else name.title()
    return {
        "id": uid,
        "team_id": TEAM_ID,
        "name": name,
        "deleted": deleted,
        "real_name": real,
        "tz": tz,
        "tz_label": tz,
        "tz_offset": 3600,
        "is_bot": is_bot,
        "is_app_user": False,
        "updated": 1700000000,
        "profile": {"real_name": real, "display_name": name, "status_text": "", "status_emoji": ""},
    }


def default_members() -> list[dict[str, Any]]:
    return [
        member(USER_ID, "alice", "Europe/Berlin"),
        member("USLACKBOT", "slackbot", "America/Los_Angeles"),  # is_bot is false for Slackbot
        member("U0BOB", "bob", "America/New_York"),
        member("B0BOT", "deploybot", "America/Los_Angeles", is_bot=True),
        member("U0GONE", "carol", "Asia/Tokyo", deleted=True),
        member("U0DAN", "dan", "Asia/Kolkata"),
        member("U0ERIN", "erin", "Australia/Sydney"),
        member("U0NOTZ", "frank", ""),
    ]


class FakeSlack:
    """The fake server and its state; every public method is thread-safe."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._tokens: dict[str, _Token] = {FAKE_TOKEN: _Token(USER_ID, ALL_SCOPES)}
        self._faults: list[_Fault] = []
        self._calls: list[Call] = []
        self.violations: list[str] = []
        self.members: list[dict[str, Any]] = default_members()
        self.channels: list[Channel] = default_channels()
        self.messages: list[Message] = []  # posted and scheduled, in order
        self.status_text = ""
        self.status_emoji = ""
        self.status_expiration = 0
        self.snooze_endtime: int | None = None
        self.dnd_enabled = False
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._port = 0

    # -- lifecycle

    def start(self) -> FakeSlack:
        self._release.clear()
        server = ThreadingHTTPServer(("127.0.0.1", self._port), _handler_for(self))
        server.daemon_threads = True
        self._port = server.server_address[1]  # a restart reuses the port: "Slack is back"
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            name="fake-slack",
            kwargs={"poll_interval": 0.05},
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop answering (connections are refused until start() again); state is kept."""
        self._release.set()  # free hanging handlers
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}/api/"

    # -- configuration

    def add_token(
        self, token: str, scopes: frozenset[str] = ALL_SCOPES, user_id: str = USER_ID
    ) -> None:
        with self._lock:
            self._tokens[token] = _Token(user_id, frozenset(scopes))

    def revoke(self, token: str = FAKE_TOKEN) -> None:
        with self._lock:
            self._tokens[token].revoked = True

    def fail_next(
        self,
        kind: str,
        times: int = 1,
        *,
        method: str | None = None,
        retry_after: int = 1,
        delay: float = 0.0,
    ) -> None:
        """Misbehave on the next ``times`` calls (of ``method``, or any)."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}")
        with self._lock:
            self._faults.append(_Fault(kind, times, method, retry_after, delay))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()
        self._release.set()
        self._release.clear()

    # -- what a user does in the Slack app

    def user_sets_status(self, text: str, emoji: str = "", expiration: int = 0) -> None:
        with self._lock:
            self.status_text, self.status_emoji = text, emoji
            self.status_expiration = expiration

    def user_sets_snooze(self, minutes: int) -> None:
        with self._lock:
            self.snooze_endtime = int(self.clock()) + minutes * 60

    def user_ends_snooze(self) -> None:
        with self._lock:
            self.snooze_endtime = None

    # -- what tests observe

    def calls(self, method: str | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self._calls if method is None or c.method == method]

    def methods(self) -> list[str]:
        return [c.method for c in self.calls()]

    def status(self) -> tuple[str, str, int]:
        with self._lock:
            self._expire()
            return self.status_text, self.status_emoji, self.status_expiration

    def snooze(self) -> int | None:
        with self._lock:
            self._expire()
            return self.snooze_endtime

    # -- request handling (server threads)

    def _take_fault(self, method: str) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.method in (None, method) and fault.times > 0:
                    fault.times -= 1
                    if fault.times == 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def _expire(self) -> None:
        now = self.clock()
        if self.status_expiration and self.status_expiration <= now:
            self.status_text = self.status_emoji = ""
            self.status_expiration = 0
        if self.snooze_endtime is not None and self.snooze_endtime <= now:
            self.snooze_endtime = None

    def handle(
        self, method: str, auth: str | None, query: dict[str, list[str]], params: dict[str, Any]
    ) -> tuple[int, dict[str, str], dict[str, Any]]:
        """Answer one API call: (HTTP status, extra headers, JSON body)."""
        with self._lock:
            self._calls.append(Call(method, dict(params), threading.current_thread().name))
            if "token" in query:
                self.violations.append(f"{method}: token in the URL query")
                return 400, {}, {"ok": False, "error": "invalid_arguments"}
            if "token" in params:
                self.violations.append(f"{method}: token in the request body")
        fault = self._take_fault(method)
        if fault is not None:
            answer = self._fault_answer(fault, method)
            if answer is not None:
                return answer
        if method not in SCOPE_FOR:
            return 200, {}, {"ok": False, "error": "unknown_method"}
        with self._lock:
            if not auth or not auth.startswith("Bearer "):
                return 200, {}, {"ok": False, "error": "not_authed"}
            token = self._tokens.get(auth.removeprefix("Bearer ").strip())
            if token is None:
                return 200, {}, {"ok": False, "error": "invalid_auth"}
            if token.revoked:
                return 200, {}, {"ok": False, "error": "token_revoked"}
            scope = SCOPE_FOR[method]
            if scope is not None and scope not in token.scopes:
                return (
                    200,
                    {},
                    {
                        "ok": False,
                        "error": "missing_scope",
                        "needed": scope,
                        "provided": ",".join(sorted(token.scopes)),
                    },
                )
            self._expire()
            body = getattr(self, "_m_" + method.replace(".", "_"))(token, params)
        return 200, {}, body

    def _fault_answer(
        self, fault: _Fault, method: str
    ) -> tuple[int, dict[str, str], dict[str, Any]] | None:
        if fault.kind == "ratelimited":
            return (
                429,
                {"Retry-After": str(fault.retry_after)},
                {"ok": False, "error": "ratelimited"},
            )
        if fault.kind == "http500":
            return 500, {}, {"ok": False, "error": "internal_error"}
        if fault.kind in ("invalid_auth", "token_revoked"):
            return 200, {}, {"ok": False, "error": fault.kind}
        if fault.kind == "missing_scope":
            return (
                200,
                {},
                {
                    "ok": False,
                    "error": "missing_scope",
                    "needed": SCOPE_FOR.get(method) or "users:read",
                    "provided": "identify",
                },
            )
        if fault.kind == "slow":
            self._release.wait(fault.delay)
            return None
        # hang: until stop() or clear_faults(), bounded so a broken test cannot wedge CI
        self._release.wait(fault.delay or 60.0)
        return 503, {}, {"ok": False, "error": "fake_hang_released"}

    # -- methods (called with the lock held)

    def _m_auth_test(self, token: _Token, params: dict[str, Any]) -> dict[str, Any]:
        name = next((m["name"] for m in self.members if m["id"] == token.user_id), "user")
        return {
            "ok": True,
            "url": "https://fake-team.slack.com/",
            "team": "Fake Team",
            "user": name,
            "team_id": TEAM_ID,
            "user_id": token.user_id,
            "is_enterprise_install": False,
        }

    def _profile(self) -> dict[str, Any]:
        return {
            "real_name": "Alice",
            "display_name": "alice",
            "status_text": self.status_text,
            "status_emoji": self.status_emoji,
            "status_expiration": self.status_expiration,
            "status_emoji_display_info": [],
        }

    def _m_users_profile_get(self, token: _Token, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "profile": self._profile()}

    def _m_users_profile_set(self, token: _Token, params: dict[str, Any]) -> dict[str, Any]:
        profile = params.get("profile")
        if isinstance(profile, str):
            try:
                profile = json.loads(profile)
            except ValueError:
                return {"ok": False, "error": "invalid_profile"}
        if not isinstance(profile, dict):
            return {"ok": False, "error": "invalid_profile"}
        text = str(profile.get("status_text", self.status_text))
        if len(text) > 100:
            return {"ok": False, "error": "too_long"}
        self.status_text = text
        self.status_emoji = str(profile.get("status_emoji", self.status_emoji))
        self.status_expiration = int(profile.get("status_expiration", 0) or 0)
        return {"ok": True, "profile": self._profile()}

    def _dnd_body(self) -> dict[str, Any]:
        now = int(self.clock())
        body: dict[str, Any] = {
            "ok": True,
            "dnd_enabled": self.dnd_enabled,
            "next_dnd_start_ts": now + 8 * 3600,
            "next_dnd_end_ts": now + 20 * 3600,
            "snooze_enabled": self.snooze_endtime is not None,
        }
        if self.snooze_endtime is not None:
            body["snooze_endtime"] = self.snooze_endtime
            body["snooze_remaining"] = self.snooze_endtime - now
        return body

    def _m_dnd_info(self, token: _Token, params: dict[str, Any]) -> dict[str, Any]:
        return self._dnd_body()

    def _m_dnd_setSnooze(self, token: _Token, params: dict[str, Any]) -> dict[str, Any]:
        try:
            minutes = int(params.get("num_minutes", ""))
        except ValueError:
            return {"ok": False, "error": "invalid_arguments"}
        if minutes < 1:
            return {"ok": False, "error": "invalid_arguments"}
        now = int(self.clock())
        self.snooze_endtime = now + minutes * 60
        return {
            "ok": True,
            "snooze_enabled": True,
            "snooze_endtime": self.snooze_endtime,
            "snooze_remaining": minutes * 60,
            "snooze_is_indefinite": False,
        }

    def _m_dnd_endSnooze(self, token: _Token, params: dict[str, Any]) -> dict[str, Any]:
        if self.snooze_endtime is None:
            return {"ok": False, "error": "snooze_not_active"}
        self.snooze_endtime = None
        body = self._dnd_body()
        return body

    def _m_users_list(self, token: _Token, params: dict[str, Any]) -> dict[str, Any]:
        if "limit" not in params:
            self.violations.append("users.list without limit")
        limit = int(params.get("limit") or 0) or len(self.members)
        cursor = str(params.get("cursor") or "")
        start = 0
        if cursor:
            if not cursor.startswith("dXNlcjo"):
                return {"ok": False, "error": "invalid_cursor"}
            start = int(cursor.removeprefix("dXNlcjo"))
        page = self.members[start : start + limit]
        following = start + limit
        next_cursor = f"dXNlcjo{following}" if following < len(self.members) else ""
        return {
            "ok": True,
            "members": page,
            "cache_ts": int(self.clock()),
            "response_metadata": {"next_cursor": next_cursor},
        }

    def _channel(self, params: dict[str, Any]) -> Channel | dict[str, Any]:
        """The channel a message names (ID, name or #name), or Slack's error body."""
        wanted = str(params.get("channel", "")).strip()
        if not wanted:
            return {"ok": False, "error": "channel_not_found"}
        for channel in self.channels:
            if wanted in (channel.id, channel.name, "#" + channel.name):
                if channel.archived:
                    return {"ok": False, "error": "is_archived"}
                if not channel.member:
                    return {"ok": False, "error": "not_in_channel"}
                return channel
        return {"ok": False, "error": "channel_not_found"}

    def _message_text(self, params: dict[str, Any]) -> str | dict[str, Any]:
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            return {"ok": False, "error": "no_text"}
        if len(text) > MESSAGE_TEXT_MAX:
            return {"ok": False, "error": "msg_too_long"}
        return text

    def _message_body(self, message: Message) -> dict[str, Any]:
        return {"type": "message", "text": message.text, "user": USER_ID, "ts": message.ts}

    def _m_chat_postMessage(self, token: _Token, params: dict[str, Any]) -> dict[str, Any]:
        if "as_user" in params:
            self.violations.append("chat.postMessage with as_user (refused for new apps)")
        channel = self._channel(params)
        if isinstance(channel, dict):
            return channel
        text = self._message_text(params)
        if isinstance(text, dict):
            return text
        ts = f"{self.clock():.6f}"
        message = Message(channel.id, text, ts)
        self.messages.append(message)
        return {"ok": True, "channel": channel.id, "ts": ts, "message": self._message_body(message)}

    def _m_chat_scheduleMessage(self, token: _Token, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(params)
        if isinstance(channel, dict):
            return channel
        text = self._message_text(params)
        if isinstance(text, dict):
            return text
        try:
            post_at = int(params.get("post_at", ""))
        except (TypeError, ValueError):
            return {"ok": False, "error": "invalid_time"}
        now = int(self.clock())
        if post_at <= now:
            return {"ok": False, "error": "time_in_past"}
        if post_at - now > SCHEDULE_MAX_AHEAD_S:
            return {"ok": False, "error": "time_too_far"}
        scheduled_id = f"Q{len(self.messages) + 1:09d}"
        message = Message(channel.id, text, "", post_at, scheduled_id)
        self.messages.append(message)
        return {
            "ok": True,
            "channel": channel.id,
            "scheduled_message_id": scheduled_id,
            "post_at": str(post_at),
            "message": self._message_body(message),
        }

    def posted(self) -> list[Message]:
        with self._lock:
            return list(self.messages)

    def _m_users_info(self, token: _Token, params: dict[str, Any]) -> dict[str, Any]:
        uid = str(params.get("user", ""))
        for m in self.members:
            if m["id"] == uid:
                return {"ok": True, "user": m}
        return {"ok": False, "error": "user_not_found"}


def _handler_for(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self._serve()

        def do_GET(self) -> None:
            self._serve()

        def _serve(self) -> None:
            if self.client_address[0] != "127.0.0.1":  # bounded: loopback only
                self.send_error(403)
                return
            split = urlsplit(self.path)
            method = split.path.rsplit("/", 1)[-1]
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            params: dict[str, Any] = {}
            if "json" in (self.headers.get("Content-Type") or ""):
                loaded = json.loads(raw or b"{}")
                params = loaded if isinstance(loaded, dict) else {}
            elif raw:
                params = {k: v[-1] for k, v in parse_qs(raw.decode()).items()}
            status, headers, body = fake.handle(
                method, self.headers.get("Authorization"), parse_qs(split.query), params
            )
            payload = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout): nothing to tell it

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean; the call log is the record

    return Handler
