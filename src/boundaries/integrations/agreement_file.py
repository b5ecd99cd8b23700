"""Reading a team agreement file: never raises, every problem with its line.

The file belongs to the team (it lives in their repo), so Boundaries never writes, moves or
backs it up; ``agreement init`` writes a new one only where no file is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from boundaries.core.agreement import Agreement, parse_agreement
from boundaries.core.schema import SettingsProblem
from boundaries.integrations.config_store import MAX_FILE_BYTES, parse_toml_bytes, with_line


@dataclass(frozen=True)
class AgreementLoad:
    """What a read of the agreement gave: None when nothing in the file can be used."""

    path: Path
    agreement: Agreement | None
    problems: list[SettingsProblem] = field(default_factory=list)
    warnings: list[SettingsProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.agreement is not None and not self.problems

    def lines(self, items: list[SettingsProblem], prefix: str = "") -> list[str]:
        """``FILE:LINE: path: reason`` per problem, as compilers and CI logs read them."""
        out = []
        for item in items:
            where = f"{self.path}:{item.line}" if item.line else str(self.path)
            what = f"{item.path}: {item.reason}" if item.path else item.reason
            out.append(f"{where}: {prefix}{what}")
        return out

    def message(self) -> str:
        """One paragraph for a notification or the Settings window."""
        if self.ok:
            return f"Team agreement read from {self.path}."
        listed = "; ".join(self.lines(self.problems[:5]))
        more = f"; and {len(self.problems) - 5} more" if len(self.problems) > 5 else ""
        return f"The team agreement {self.path} has problems: {listed}{more}."


def load_agreement(path: Path, today: date) -> AgreementLoad:
    """Read and check ``path``; ``today`` dates the week the overlap warnings look at."""
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        reason = "the file does not exist (was it moved, or is the repo not checked out?)"
        return AgreementLoad(path, None, [SettingsProblem("", reason)])
    except OSError as error:
        reason = f"the file could not be opened: {error.strerror or error}"
        return AgreementLoad(path, None, [SettingsProblem("", reason)])
    text, data, problems = parse_toml_bytes(raw)
    if data is None:
        return AgreementLoad(path, None, problems)
    checked = parse_agreement(data, today)
    return AgreementLoad(
        path,
        checked.agreement,
        sorted((with_line(p, text) for p in checked.problems), key=_line_order),
        [with_line(p, text) for p in checked.warnings],
    )


def _line_order(problem: SettingsProblem) -> tuple[bool, int]:
    return problem.line is None, problem.line or 0
