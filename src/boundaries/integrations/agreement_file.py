"""Reading a team agreement file: never raises, every problem with its line.

The file belongs to the team (it lives in their repo), so Boundaries never writes, moves or
backs it up; ``agreement init`` writes a new one only where no file is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from boundaries.core.agreement import Agreement, apply_agreement, parse_agreement
from boundaries.core.schema import SettingsProblem
from boundaries.core.settings import Settings
from boundaries.integrations.config_store import (
    MAX_FILE_BYTES,
    LoadResult,
    parse_toml_bytes,
    with_line,
)


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


def agreement_path(settings: Settings, config_dir: Path) -> Path | None:
    """Where the agreement file is: ``~`` expanded, a relative path taken from the config folder."""
    text = settings.agreement.file
    if not text:
        return None
    path = Path(text).expanduser()
    return path if path.is_absolute() else config_dir / path


def with_agreement(
    result: LoadResult, config_dir: Path, today: date, last_good: Agreement | None = None
) -> tuple[Settings, AgreementLoad | None]:
    """The settings to run with, and the agreement read (None when none is set).

    A broken or missing agreement keeps ``last_good`` in force (the app passes the one it ran
    with), so a half-saved edit in the team's repo never empties anyone's team.
    """
    path = agreement_path(result.settings, config_dir)
    if path is None:
        return result.settings, None
    load = load_agreement(path, today)
    agreement = load.agreement if load.ok else (last_good or load.agreement)
    if agreement is None:
        return result.settings, load
    return apply_agreement(result.settings, agreement, result.explicit), load
