"""Command line front: starts the tray app or answers/sends a command."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    raise SystemExit("boundaries: not implemented yet")
