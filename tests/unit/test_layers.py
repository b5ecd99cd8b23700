"""The layer rule, read from the source: which folder may import what (docs/architecture.md).

Every import counts, including those inside functions and under ``TYPE_CHECKING``: a lazy
import is still a dependency. Known offenders are listed by file and module; the list can only
shrink (an entry that no longer offends fails the test until it is removed).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "boundaries"

# Libraries that talk to an outside system (network, keyring, D-Bus, the disk's databases,
# other processes): only integrations/ and app/ use them.
OUTSIDE_SYSTEMS = (
    "apscheduler",
    "http",
    "jeepney",
    "keyring",
    "plyer",
    "secretstorage",
    "slack_sdk",
    "socket",
    "sqlite3",
    "subprocess",
    "urllib",
)

FORBIDDEN: dict[str, tuple[str, ...]] = {
    # widgets show state and emit intents; services reach them through ui.ports
    "ui": ("boundaries.integrations", "boundaries.app", *OUTSIDE_SYSTEMS),
    # pure logic: no Qt, no outside systems, no knowledge of who calls it
    "core": (
        "PySide6",
        "shiboken6",
        "boundaries.integrations",
        "boundaries.app",
        "boundaries.ui",
        *OUTSIDE_SYSTEMS,
    ),
    # one outside system each, used by the app
    "integrations": ("boundaries.app", "boundaries.ui"),
}

# Files allowed to break the rule for now, by file and module. Empty: keep it that way.
KNOWN_OFFENDERS: dict[str, set[str]] = {}


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in the file, relative imports resolved."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # "from .x import y" inside the package
                parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
                parent = list(parts[: len(parts) - node.level])
                base = ".".join([*parent, base] if base else parent)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def violations(layer: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        bad = {
            module
            for module in imported_modules(path)
            if any(module == f or module.startswith(f + ".") for f in FORBIDDEN[layer])
        }
        # "from boundaries.integrations import x" also yields "boundaries.integrations.x": keep
        # the shortest name of each import so the messages read like the source
        bad = {m for m in bad if not any(m.startswith(o + ".") for o in bad)}
        if bad:
            out[str(path.relative_to(PACKAGE))] = bad
    return out


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_each_layer_imports_only_inward(layer: str) -> None:
    found = violations(layer)
    known = {f: m for f, m in KNOWN_OFFENDERS.items() if f.startswith(layer + "/")}
    new = {f: sorted(m - known.get(f, set())) for f, m in found.items()}
    assert {f: m for f, m in new.items() if m} == {}, "these imports break the layer rule"
    fixed = {f: sorted(m - found.get(f, set())) for f, m in known.items()}
    assert {f: m for f, m in fixed.items() if m} == {}, (
        "fixed: remove these from KNOWN_OFFENDERS so they cannot come back"
    )


def test_the_checker_sees_imports_inside_functions(tmp_path: Path) -> None:
    sample = PACKAGE / "ui" / "tray.py"
    assert "boundaries.ui.ports" in imported_modules(sample)
    lazy = tmp_path / "lazy.py"
    lazy.write_text("def f():\n    from boundaries.app import workers\n    import PySide6.QtCore\n")
    assert {"boundaries.app", "PySide6.QtCore"} <= imported_modules(lazy)
