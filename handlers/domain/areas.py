"""Administrative areas: kota -> kecamatan -> kelurahan -> RW -> RT, their keys and the area file.

RT/RW are the neighbourhood units of Permendagri 18/2018 (Lembaga Kemasyarakatan Desa/Kelurahan);
a key names an area in commands and links: ``sukamaju-wetan`` (a kelurahan), ``sukamaju-wetan/rw02``,
``sukamaju-wetan/rw02/rt003``; a kota or kecamatan by its own slug (``pondok-cempaka``).
Pure standard library: parsing and validation only, storage lives in ``storage.area_repository``.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from enum import StrEnum


class AreaLevel(StrEnum):
    KOTA = "kota"
    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"
    RW = "rw"
    RT = "rt"


LEVEL_ORDER = tuple(AreaLevel)
HEADER = ("kota", "kecamatan", "kelurahan", "rw", "rt")
MAX_NUMBER = 999
MAX_NAME = 80
MAX_ROWS = 100_000


def slugify(name: str) -> str:
    """``"Sukamaju Wetan"`` -> ``"sukamaju-wetan"`` (accents dropped, anything else a hyphen)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def rw_key(kelurahan_key: str, rw: int) -> str:
    return f"{kelurahan_key}/rw{rw:02d}"


def rt_key(kelurahan_key: str, rw: int, rt: int) -> str:
    return f"{rw_key(kelurahan_key, rw)}/rt{rt:03d}"


_KEY = re.compile(r"^(?P<kel>[a-z0-9-]+)(?:/rw0*(?P<rw>\d{1,3}))?(?:/rt0*(?P<rt>\d{1,3}))?$")


def normalise_key(raw: str) -> str | None:
    """The canonical key of what an operator typed (``Sukamaju-Wetan/RW2/RT3`` -> ``.../rw02/rt003``)."""
    match = _KEY.match(raw.strip().lower().strip("/"))
    if not match:
        return None
    kel, rw, rt = match["kel"], match["rw"], match["rt"]
    if rt is not None and rw is None:
        return None
    if rw is None:
        return kel
    if rt is None:
        return rw_key(kel, int(rw))
    return rt_key(kel, int(rw), int(rt))


@dataclass(frozen=True, slots=True)
class AreaSpec:
    """One area of the file: its key, level, display name and its parent's key ("" for a kota)."""

    key: str
    level: AreaLevel
    name: str
    parent_key: str
    number: int = 0  # the RW or RT number


@dataclass(slots=True)
class ParsedAreas:
    areas: list[AreaSpec] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "line 7: ..." - nothing is imported if any


def _number(raw: str, what: str) -> tuple[int | None, str]:
    raw = raw.strip()
    if not raw:
        return None, ""
    digits = re.sub(r"^(rw|rt)\s*", "", raw.lower())
    if not digits.isdigit() or not 1 <= int(digits) <= MAX_NUMBER:
        return None, f"{what} must be a number from 1 to {MAX_NUMBER}, not {raw!r}"
    return int(digits), ""


def _row_specs(cells: dict[str, str], line: int) -> tuple[list[AreaSpec], list[str]]:
    names = {level: " ".join((cells.get(level) or "").split()) for level in HEADER[:3]}
    problems = [f"line {line}: {level} is empty" for level, name in names.items() if not name]
    problems += [f"line {line}: {level} is too long" for level, name in names.items() if len(name) > MAX_NAME]
    rw, rw_problem = _number(cells.get("rw") or "", "rw")
    rt, rt_problem = _number(cells.get("rt") or "", "rt")
    problems += [f"line {line}: {p}" for p in (rw_problem, rt_problem) if p]
    if rt is not None and rw is None and not rw_problem:
        problems.append(f"line {line}: an RT needs its RW")
    slugs = {level: slugify(name) for level, name in names.items()}
    problems += [
        f"line {line}: {level} {names[level]!r} has no letters or digits"
        for level, slug in slugs.items() if names[level] and not slug
    ]  # fmt: skip
    if problems:
        return [], problems
    kota, kec, kel = slugs["kota"], slugs["kecamatan"], slugs["kelurahan"]
    specs = [
        AreaSpec(kota, AreaLevel.KOTA, names["kota"], ""),
        AreaSpec(kec, AreaLevel.KECAMATAN, names["kecamatan"], kota),
        AreaSpec(kel, AreaLevel.KELURAHAN, names["kelurahan"], kec),
    ]
    if rw is not None:
        specs.append(AreaSpec(rw_key(kel, rw), AreaLevel.RW, f"RW {rw:02d}", kel, rw))
    if rw is not None and rt is not None:
        specs.append(AreaSpec(rt_key(kel, rw, rt), AreaLevel.RT, f"RT {rt:03d}", rw_key(kel, rw), rt))
    return specs, []


def parse_areas(text: str) -> ParsedAreas:
    """Read the area file (CSV: ``kota,kecamatan,kelurahan,rw,rt``; one row per RT, or per RW or
    kelurahan without RTs) and list every problem; a key must mean one area only."""
    result = ParsedAreas()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = tuple((h or "").strip().lower() for h in reader.fieldnames or ())
    missing = [h for h in HEADER[:3] if h not in header]
    if missing:
        result.problems.append(
            f"line 1: missing column(s) {', '.join(missing)} (expected {','.join(HEADER)})"
        )
        return result
    reader.fieldnames = list(header)
    seen: dict[str, AreaSpec] = {}
    for index, cells in enumerate(reader, start=2):
        if index - 1 > MAX_ROWS:
            result.problems.append(f"line {index}: more than {MAX_ROWS} rows")
            break
        if not any((v or "").strip() for k, v in cells.items() if k is not None):
            continue
        specs, problems = _row_specs(cells, index)
        result.problems += problems
        for spec in specs:
            known = seen.get(spec.key)
            if known is None:
                seen[spec.key] = spec
                result.areas.append(spec)
            elif known.level is not spec.level or known.parent_key != spec.parent_key:
                result.problems.append(
                    f"line {index}: {spec.level} {spec.name!r} ({spec.key}) is already a {known.level}"
                    f" under {known.parent_key or 'nothing'}"
                )
    if not result.areas and not result.problems:
        result.problems.append("the file has no areas")
    return result


# --- how a resident names an area in a chat ---

_RT = re.compile(r"\brt\s*[.:]?\s*0*(\d{1,3})\b")
_RW = re.compile(r"\brw\s*[.:]?\s*0*(\d{1,3})\b")
_FILLER = re.compile(
    r"\b(kel|kelurahan|desa|kec|kecamatan|di|ke|untuk|wilayah|area|saya|info|informasi|subscribe|"
    r"langganan|berlangganan|daftar|ikut|mau|ingin|tolong|dong|ya|mohon|yang)\b"
)


@dataclass(frozen=True, slots=True)
class AreaQuery:
    """What a resident wrote: an RT and/or RW number and the words of a place name."""

    rt: int | None
    rw: int | None
    place: str  # lower case words, fillers removed ("sukamaju wetan"); may be empty

    @property
    def empty(self) -> bool:
        return self.rt is None and self.rw is None and not self.place


def read_area_query(text: str) -> AreaQuery:
    """``"langganan RT 3 RW 2 Sukamaju Wetan"``, ``"RT03/RW02"``, ``"daftar info rw 02 kel. sukamaju wetan"``."""
    lowered = unicodedata.normalize("NFKC", text).lower()
    lowered = re.sub(r"[/,;.()\-]", " ", lowered)
    rt_match, rw_match = _RT.search(lowered), _RW.search(lowered)
    rest = _RW.sub(" ", _RT.sub(" ", lowered))
    rest = _FILLER.sub(" ", rest)
    place = " ".join(w for w in rest.split() if w.isalnum())
    return AreaQuery(
        rt=int(rt_match.group(1)) if rt_match else None,
        rw=int(rw_match.group(1)) if rw_match else None,
        place=place,
    )


def place_score(place: str, name: str) -> float:
    """How well a resident's place words fit an area name: 1.0 when every word is there (a prefix
    counts: "sukamaju wtn"), else their similarity, so that a typo ("sukamju wetan") still fits."""
    words, name_words = slugify(place).split("-"), slugify(name).split("-")
    if not words or words == [""]:
        return 0.0
    if all(any(n.startswith(w) for n in name_words) for w in words):
        return 1.0
    return SequenceMatcher(None, "-".join(words), "-".join(name_words)).ratio()


CLOSE_ENOUGH = 0.8


def pick_places(place: str, names: Sequence[tuple[str, str]]) -> list[str]:
    """The keys of ``names`` (key, name) that ``place`` means, best first; the exact ones if any."""
    scored = sorted(((place_score(place, name), key) for key, name in names), key=lambda s: (-s[0], s[1]))
    exact = [key for score, key in scored if score == 1.0]
    return exact or [key for score, key in scored if score >= CLOSE_ENOUGH]
