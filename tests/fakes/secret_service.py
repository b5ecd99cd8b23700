"""A private Secret Service: dbus-daemon + gnome-keyring-daemon in a throwaway folder.

The keyring is created and unlocked with a known password on stdin (``--unlock``), which
also makes the "login" collection the default one, so ``keyring``'s SecretService backend
works without any prompt. Nothing touches the real user's session bus or keyrings.

Needs Debian packages ``dbus`` (dbus-daemon) and ``gnome-keyring``; Python ``secretstorage``
(pulled in by ``keyring`` on Linux).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from jeepney import DBusAddress, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

KEYRING_PASSWORD = "boundaries-test-password"
SECRETS_NAME = "org.freedesktop.secrets"


def available() -> str | None:
    """None if the tools are installed, else what is missing (for pytest.skip)."""
    missing = [tool for tool in ("dbus-daemon", "gnome-keyring-daemon") if not shutil.which(tool)]
    return f"missing {', '.join(missing)} (apt install dbus gnome-keyring)" if missing else None


class SecretServiceSession:
    """Start with ``start()``; ``env`` holds the variables a client needs; ``stop()`` ends it."""

    def __init__(self) -> None:
        # a short path: unix socket paths are limited to ~107 bytes
        self.root = Path(tempfile.mkdtemp(prefix="bnd-ss-"))
        self.data_dir = self.root / "data"
        self.env: dict[str, str] = {}
        self._procs: list[subprocess.Popen[bytes]] = []

    @property
    def keyring_dir(self) -> Path:
        return self.data_dir / "keyrings"

    def start(self, timeout: float = 10.0, bus_address: str | None = None) -> SecretServiceSession:
        """Start a private bus (or use ``bus_address``) with an unlocked keyring on it."""
        runtime = self.root / "run"
        home = self.root / "home"
        for folder in (runtime, home, self.data_dir):
            folder.mkdir(mode=0o700)
        address = bus_address or self._start_bus()
        self.env = {
            "DBUS_SESSION_BUS_ADDRESS": address,
            "XDG_RUNTIME_DIR": str(runtime),
            "XDG_DATA_HOME": str(self.data_dir),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "HOME": str(home),
        }
        daemon = self._spawn(
            ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
            env={**os.environ, **self.env},
            stdin=subprocess.PIPE,
        )
        assert daemon.stdin is not None
        daemon.stdin.write(KEYRING_PASSWORD.encode())
        daemon.stdin.close()  # --unlock reads the password until EOF
        self._wait_for_service(address, timeout)
        return self

    def _start_bus(self) -> str:
        bus = self._spawn(
            [
                "dbus-daemon",
                "--session",
                "--nofork",
                "--nopidfile",
                f"--address=unix:path={self.root / 'bus'}",
                "--print-address=1",
            ],
            env=os.environ.copy(),
            stdout=subprocess.PIPE,
        )
        assert bus.stdout is not None
        address = bus.stdout.readline().decode().strip()
        if not address:
            self.stop()
            raise RuntimeError("dbus-daemon printed no address")
        return address

    def _spawn(
        self, argv: list[str], env: dict[str, str], **kwargs: object
    ) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(
            argv,
            env=env,
            stderr=subprocess.DEVNULL,  # type: ignore[call-overload]
            start_new_session=True,
            **kwargs,
        )
        self._procs.append(proc)
        return proc  # type: ignore[no-any-return]

    def _wait_for_service(self, address: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with open_dbus_connection(bus=address) as conn:
            while time.monotonic() < deadline:
                reply = conn.send_and_get_reply(message_bus.NameHasOwner(SECRETS_NAME))
                if reply.body[0] and self._default_collection_ready(conn):
                    return
                for proc in self._procs:
                    if proc.poll() is not None:
                        raise RuntimeError(f"{proc.args!r} exited with {proc.returncode}")
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("gnome-keyring-daemon did not offer the Secret Service in time")

    @staticmethod
    def _default_collection_ready(conn: object) -> bool:
        msg = new_method_call(
            DBusAddress(
                "/org/freedesktop/secrets",
                bus_name=SECRETS_NAME,
                interface="org.freedesktop.Secret.Service",
            ),
            "ReadAlias",
            "s",
            ("default",),
        )
        reply = conn.send_and_get_reply(msg)  # type: ignore[attr-defined]
        return bool(reply.body and reply.body[0] not in ("", "/"))

    def stop(self) -> None:
        for proc in reversed(self._procs):
            if proc.poll() is None:
                proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()
        self._procs.clear()
        shutil.rmtree(self.root, ignore_errors=True)
