"""Read a CSV or XLSX sheet as agencies keep them: find the header row, map header variants to fields.

Rows come out as ``(row_number, {field: text})``; the row number is the one a spreadsheet shows,
so problems can be reported against it. A sheet is a file on disk or an upload held in memory
(:class:`MemoryFile`: the console checks an upload without writing it anywhere).
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from tqdm import tqdm

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

PROGRESS_MIN_ROWS = 2000  # show a progress bar on files bigger than this
HEADER_SCAN_ROWS = 15  # title rows above the header are common in agency spreadsheets

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class MemoryFile:
    """An uploaded sheet held in memory: its name (for the type and messages) and its bytes."""

    name: str
    data: bytes = dataclasses.field(repr=False)

    @property
    def suffix(self) -> str:
        return PurePath(self.name).suffix

    def read_bytes(self) -> bytes:
        return self.data


Source = Path | MemoryFile
OnRow = Callable[[int, int], None]  # (data rows read so far, data rows in the file, estimated)


class TableError(Exception):
    """The file cannot be read as a table at all (wrong type, no recognisable header)."""


def fold_header(text: str) -> str:
    """Lower-case, accents removed, anything but letters and digits collapsed to one space."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_ALNUM.sub(" ", text.casefold()).strip()


@dataclass(frozen=True, slots=True)
class Columns:
    """Which column index holds which field, and the fields the header did not provide."""

    index: dict[str, int]
    missing: tuple[str, ...]


def map_header(cells: list[str], aliases: Mapping[str, tuple[str, ...]]) -> Columns:
    """Map header cells to fields: exact aliases first, then the longest alias found inside a cell."""
    folded = [f" {fold_header(c)} " for c in cells]
    index: dict[str, int] = {}
    for exact in (True, False):
        found: list[tuple[int, str, int]] = []  # (alias length, field, column)
        for field, names in aliases.items():
            for col, head in enumerate(folded):
                for name in names:
                    if (head == f" {name} ") if exact else (f" {name} " in head):
                        found.append((len(name), field, col))
        for _, field, col in sorted(found, key=lambda f: (-f[0], f[2])):
            if field not in index and col not in index.values():
                index[field] = col
    return Columns(index=index, missing=tuple(f for f in aliases if f not in index))


def cell_text(value: object) -> str:
    """A spreadsheet cell as text: whole floats without ``.0``, dates as ISO, None as ''."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _csv_rows(path: Source) -> Iterator[list[str]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # Excel "CSV" saved on Windows
    sample = text[:4096]
    delimiter = ","
    with contextlib.suppress(csv.Error):  # a one-column file: keep the comma
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _open_xlsx(path: Source) -> Workbook:
    from openpyxl import load_workbook  # imported lazily: only XLSX imports need it

    return load_workbook(
        path if isinstance(path, Path) else io.BytesIO(path.data), read_only=True, data_only=True
    )


def _xlsx_rows(path: Source) -> Iterator[list[str]]:
    try:
        workbook = _open_xlsx(path)
    except Exception as exc:  # openpyxl raises several unrelated types for a bad file
        raise TableError(f"cannot open {path.name} as XLSX: {exc}") from exc
    try:
        sheet = workbook.active or workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [cell_text(v) for v in values]
    finally:
        workbook.close()


def _raw_rows(path: Source) -> Iterator[list[str]]:
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return _xlsx_rows(path)
    if suffix in {".csv", ".txt", ".tsv", ""}:
        return _csv_rows(path)
    raise TableError(f"unsupported file type {suffix!r}: use CSV or XLSX")


def _count_rows(path: Source) -> int:
    """The rows of the file (a line count for CSV, the sheet's stated size for XLSX; 0 unknown)."""
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        try:
            workbook = _open_xlsx(path)
        except Exception:
            return 0
        try:
            sheet = workbook.active or workbook.worksheets[0]
            return sheet.max_row or 0
        finally:
            workbook.close()
    if isinstance(path, MemoryFile):
        return path.data.count(b"\n") + (not path.data.endswith(b"\n"))
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def read_table(
    path: Source,
    aliases: Mapping[str, tuple[str, ...]],
    *,
    progress: bool = False,
    on_row: OnRow | None = None,
) -> tuple[Columns, int, Iterator[tuple[int, dict[str, str]]]]:
    """Open ``path`` and return its column mapping, the header's row number and the data rows.

    The header is the first of the first rows that names at least two known fields. Blank rows
    are skipped. Raises :class:`TableError` when no header is found. ``progress`` draws a bar on
    the terminal; ``on_row(read, total)`` is told of every data row (the console's progress page).
    """
    rows = _raw_rows(path)
    header_row = 0
    columns: Columns | None = None
    for number, cells in enumerate(rows, start=1):
        candidate = map_header(cells, aliases)
        if len(candidate.index) >= 2:
            header_row, columns = number, candidate
            break
        if number >= HEADER_SCAN_ROWS:
            break
    if columns is None:
        raise TableError(f"{path.name}: no header row with known column names in the first rows")
    found = columns

    def data() -> Iterator[tuple[int, dict[str, str]]]:
        total = _count_rows(path) if progress or on_row else 0
        expected = max(total - header_row, 0)
        bar = tqdm(
            total=expected or None,
            disable=not progress or (0 < total < PROGRESS_MIN_ROWS),
            unit="row",
            desc=path.name,
        )
        with bar:
            for number, cells in enumerate(rows, start=header_row + 1):
                bar.update(1)
                if on_row is not None:
                    on_row(number - header_row, max(expected, number - header_row))
                if not any(c.strip() for c in cells):
                    continue
                yield (
                    number,
                    {
                        field: cells[col].strip() if col < len(cells) else ""
                        for field, col in found.index.items()
                    },
                )

    return found, header_row, data()
