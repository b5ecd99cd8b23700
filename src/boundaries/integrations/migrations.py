"""Upgrading settings files written by older versions of the app, one version at a time.

``settings.toml`` is a user-facing contract: a file written years ago must still load. Each
step turns a version-N document into a version-N+1 one by editing it in place, so the same
step works on the plain dict that ``load`` parses and on the tomlkit document that ``save``
edits (which keeps the user's comments around the keys a step does not touch).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from typing import Any, TypeGuard, TypeVar

from boundaries.core.settings import CURRENT_VERSION

Document = MutableMapping[str, Any]
Step = Callable[[Document], None]
D = TypeVar("D", bound=Document)

# from-version -> the step that upgrades it to from-version + 1. Version 1 is the first
# released format, so nothing needs upgrading yet; add a step here when CURRENT_VERSION moves.
MIGRATIONS: dict[int, Step] = {}


class MigrationError(ValueError):
    """A document's version has no upgrade path (older than any version we can read)."""


def needs_migration(version: object) -> TypeGuard[int]:
    """True for a whole-number version older than the current one (others are parse errors)."""
    return isinstance(version, int) and not isinstance(version, bool) and version < CURRENT_VERSION


def migrate(data: D, version: int, steps: Mapping[int, Step] | None = None) -> D:
    """Upgrade ``data`` from ``version`` to the current version in place, and return it.

    ``version`` is set after each step, so a document is never labelled newer than its
    content. Raises :class:`MigrationError` if a step is missing.
    """
    table = MIGRATIONS if steps is None else steps
    for current in range(version, CURRENT_VERSION):
        step = table.get(current)
        if step is None:
            raise MigrationError(
                f"version {version} is older than this app can upgrade "
                f"(it reads versions {min(table, default=CURRENT_VERSION)} to {CURRENT_VERSION})"
            )
        step(data)
        data["version"] = current + 1
    return data
