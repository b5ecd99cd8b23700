"""The tray app's own process never speaks TLS; only its Slack agent does (record 0016).

APScheduler imports asyncio, and asyncio imports ``ssl`` when it can: OpenSSL's libraries and
the module's state then stay resident all session (+4.3 MiB in the "hour of use" benchmark)
for a connection this process never makes. Marking ``ssl`` as missing makes the process look
like a Python built without OpenSSL, which asyncio, http.client and urllib are written to
handle; app-side code that really needed TLS would fail loudly at its import, not quietly
later (docs/decisions/0019-no-tls-in-the-app-process.md).
"""

from __future__ import annotations

import sys


def keep_tls_out() -> None:
    """Call first thing in the tray app's process (never in the CLI, the agent or tests)."""
    sys.modules.setdefault("ssl", None)  # type: ignore[arg-type]  # None: "not available"
