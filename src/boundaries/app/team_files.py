"""``ui.ports.TeamFiles``: team files (CSV or TOML) read and written for the Team tab.

Both methods block on the disk, so the Team tab calls them through a worker. Reading never
raises: a file that cannot be read comes back as one bad row saying why, which the review
dialog shows like any other bad row.
"""

from __future__ import annotations

from pathlib import Path

from boundaries.core.settings import Teammate
from boundaries.core.team_file import (
    BadRow,
    TeamFile,
    format_for,
    parse_team,
    render_team_csv,
    render_team_toml,
)
from boundaries.ui.ports import ServiceError


class TeamFileService:
    def read(self, path: Path) -> TeamFile:
        try:
            kind = format_for(path.name)
        except ValueError as error:
            return TeamFile((), (BadRow(1, str(error)),))
        try:
            return parse_team(path.read_text(encoding="utf-8"), kind)
        except UnicodeDecodeError:
            reason = f"{path.name} is not UTF-8 text; save it as UTF-8 CSV or TOML"
        except OSError as error:
            reason = f"{path.name} cannot be read: {error.strerror or error}"
        return TeamFile((), (BadRow(1, reason),))

    def write(self, path: Path, team: tuple[Teammate, ...]) -> None:
        from boundaries.integrations.atomic import atomic_write_text

        try:
            kind = format_for(path.name)
            text = render_team_csv(team) if kind == "csv" else render_team_toml(team)
            atomic_write_text(path, text, mode=0o644)
        except ValueError as error:  # a name that is neither .csv nor .toml
            raise ServiceError(f"Not exported: {error}") from error
        except OSError as error:
            reason = error.strerror or str(error)
            raise ServiceError(f"Not exported: cannot write {path.name}: {reason}") from error
