"""The app's side of the Slack agent: start it on demand, ask it, notice when it is gone.

``call`` blocks until the agent answers, so only workers call it (the GUI thread never
waits on the agent). The agent leaves by itself when idle; a request that raced with its
``bye`` is sent again to a new agent, because the protocol guarantees it was never read. An
agent that dies or hangs with a request in flight is not asked again for that request: the
caller gets ``AgentUnavailable``, a ``SlackUnavailable``, so it is retried and shown like any
other Slack outage, and the next call starts a new agent. docs/decisions/0016-slack-agent.md.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from typing import IO, Any

from boundaries.app.agent_protocol import IDLE_S, encode, rebuild_error
from boundaries.entry import AGENT_ARG
from boundaries.integrations.slack_errors import SlackUnavailable

log = logging.getLogger(__name__)

ANSWER_S = 300.0
"""How long a request may take before the agent counts as hung and is ended. Longer than
any honest request: a few Slack calls, each at most a timeout plus Retry-After waits."""


class AgentUnavailable(SlackUnavailable):
    """The agent stopped or hung before answering; the next call starts a new one."""


def agent_command() -> list[str]:
    """How to start the agent: this interpreter (or the frozen bundle) as ``boundaries``."""
    if getattr(sys, "frozen", False):
        return [sys.executable, AGENT_ARG]
    return [sys.executable, "-m", "boundaries", AGENT_ARG]


class _Call:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.answer: dict[str, Any] = {}
        self.fate = ""  # "resend": never read by an agent that left; "gone": died with it


class _Agent:
    def __init__(self, popen: subprocess.Popen[bytes]) -> None:
        self.popen = popen
        self.calls: dict[int, _Call] = {}
        self.leaving = False  # said bye: whatever it has not answered, it never read
        self.ended_by_us = False


class SlackAgentClient:
    """One agent process at a time, started by the first call after the last one left."""

    def __init__(
        self,
        command: Sequence[str] | None = None,
        env: Mapping[str, str] | None = None,
        idle_s: float = IDLE_S,
        answer_within_s: float = ANSWER_S,
        slack_options: Mapping[str, float] | None = None,
    ) -> None:
        """``env`` is added to the agent's environment; ``slack_options`` are ``SlackClient``
        keywords for every client the agent makes (tests: short timeouts and retries)."""
        self._slack_options = dict(slack_options or {})
        self._command = list(command) if command is not None else None
        self._env = dict(env or {})
        self._idle_s = idle_s
        self._answer_within_s = answer_within_s
        self._lock = threading.Lock()
        self._agent: _Agent | None = None
        self._last_id = 0
        self.started = 0
        """Agents started so far (tests and the benchmark)."""

    def call(self, op: str, **args: Any) -> Any:
        """Ask the agent (starting one if none is running); blocks: call from a worker."""
        for _attempt in range(3):
            with self._lock:
                agent = self._agent or self._spawn()
                self._last_id += 1
                request_id = self._last_id
                call = _Call()
                agent.calls[request_id] = call
                stdin = agent.popen.stdin
                assert stdin is not None
                try:
                    stdin.write(encode({"id": request_id, "op": op, "args": args}))
                    stdin.flush()
                except OSError:  # it is gone and never read this: ask a new one
                    agent.calls.pop(request_id, None)
                    agent.leaving = True
                    if self._agent is agent:
                        self._agent = None
                    continue
            if not call.done.wait(self._answer_within_s):
                self._end(agent)
                raise AgentUnavailable(
                    f"Boundaries' Slack helper did not answer within {self._answer_within_s:g} s"
                )
            if call.fate == "resend":
                continue
            if call.fate == "gone":
                raise AgentUnavailable("Boundaries' Slack helper stopped unexpectedly")
            if "error" in call.answer:
                raise rebuild_error(call.answer["error"])
            return call.answer.get("ok")
        raise AgentUnavailable("Boundaries' Slack helper could not be started")

    def pid(self) -> int | None:
        """The running agent's process id, None when none is running."""
        with self._lock:
            return self._agent.popen.pid if self._agent is not None else None

    def in_flight(self) -> int:
        """Requests written to the running agent and not answered yet (tests)."""
        with self._lock:
            return len(self._agent.calls) if self._agent is not None else 0

    def close(self) -> None:
        """Let the running agent go (it leaves when its stdin closes); nothing waits."""
        with self._lock:
            agent, self._agent = self._agent, None
        if agent is not None and agent.popen.stdin is not None:
            agent.leaving = True
            with contextlib.suppress(OSError):
                agent.popen.stdin.close()

    # ------------------------------------------------------------------ internals
    def _spawn(self) -> _Agent:
        command = [*(self._command or agent_command()), "--idle", f"{self._idle_s:g}"]
        if self._slack_options:
            command += ["--slack-options", json.dumps(self._slack_options)]
        popen = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, **self._env},  # os.environ: not what was only putenv'd
            close_fds=True,
        )
        agent = _Agent(popen)
        self._agent = agent
        self.started += 1
        threading.Thread(
            target=self._read, args=(agent,), name="slack-agent-reader", daemon=True
        ).start()
        log.debug("Slack agent started (pid %d)", popen.pid)
        return agent

    def _read(self, agent: _Agent) -> None:
        stdout: IO[bytes] | None = agent.popen.stdout
        assert stdout is not None
        for line in stdout:
            try:
                message = json.loads(line)
            except ValueError:
                log.error("Slack agent: unreadable answer")
                continue
            if message.get("bye"):
                with self._lock:
                    agent.leaving = True
                    if self._agent is agent:
                        self._agent = None
                continue
            with self._lock:
                call = agent.calls.pop(message.get("id"), None)
            if call is not None:
                call.answer = message
                call.done.set()
        code = agent.popen.wait()
        with self._lock:
            if self._agent is agent:
                self._agent = None
            fate = "resend" if agent.leaving else "gone"
            calls, agent.calls = agent.calls, {}
        for call in calls.values():
            call.fate = fate
            call.done.set()
        if not agent.leaving and not agent.ended_by_us:
            log.warning("Slack agent (pid %d) ended unexpectedly (exit %s)", agent.popen.pid, code)
        else:
            log.debug("Slack agent (pid %d) left (exit %s)", agent.popen.pid, code)

    def _end(self, agent: _Agent) -> None:
        with self._lock:
            agent.ended_by_us = True
            if self._agent is agent:
                self._agent = None
        log.warning("Slack agent (pid %d) did not answer: ending it", agent.popen.pid)
        agent.popen.kill()


_shared: SlackAgentClient | None = None
_shared_lock = threading.Lock()


def shared_agent() -> SlackAgentClient:
    """The app's one agent client (made on first use, on a worker)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = SlackAgentClient()
        return _shared


def close_shared() -> None:
    """Let the app's agent go (Quit); a later call would start a new one."""
    with _shared_lock:
        shared = _shared
    if shared is not None:
        shared.close()
