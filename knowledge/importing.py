"""What an import produced: the valid entries and every problem found, with row numbers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from knowledge.models import ImportProblem
from knowledge.tabular import OnRow, Source, TableError, read_table

T = TypeVar("T")


@dataclass(slots=True)
class ParsedFile(Generic[T]):
    """All rows of a file. The file may be imported only when ``problems`` is empty."""

    entries: list[T] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # the row number of each entry, in the same order
    problems: list[ImportProblem] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def parse_file(
    path: Source,
    aliases: Mapping[str, tuple[str, ...]],
    required: tuple[str, ...],
    parse_row: Callable[[int, dict[str, str]], T | list[ImportProblem]],
    entry_id: Callable[[T], str],
    *,
    progress: bool = False,
    on_row: OnRow | None = None,
) -> ParsedFile[T]:
    """Read ``path`` and validate every row; duplicate ids are reported on their second row."""
    result: ParsedFile[T] = ParsedFile()
    try:
        columns, header_row, rows = read_table(path, aliases, progress=progress, on_row=on_row)
    except (TableError, OSError) as exc:
        result.problems.append(ImportProblem(row=0, message=str(exc)))
        return result
    missing = [name for name in required if name in columns.missing]
    if missing:
        result.problems.append(
            ImportProblem(row=header_row, message=f"required column(s) not found: {', '.join(missing)}")
        )
        return result
    seen: dict[str, int] = {}
    for number, values in rows:
        result.rows += 1
        parsed = parse_row(number, values)
        if isinstance(parsed, list):
            result.problems.extend(parsed)
            continue
        key = entry_id(parsed)
        if key in seen:
            result.problems.append(
                ImportProblem(number, f"duplicate id {key!r} (first on row {seen[key]})", "id")
            )
            continue
        seen[key] = number
        result.entries.append(parsed)
        result.lines.append(number)
    if result.rows == 0:
        result.problems.append(ImportProblem(row=header_row, message="the file has no data rows"))
    return result
