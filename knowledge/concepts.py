"""The concept layer as data a PPID extends: everyday situations mapped to the civic services that
serve them ("jualan di rumah" -> izin usaha mikro; NIB).

The built-in concepts are ``knowledge/data/thesaurus.txt``. A PPID adds its own in a file of the
same format (``TANYA_CONCEPTS_FILE``) or, one by one, as learned terms in the database
(``tanya concepts add``). Format, one concept a line: ``situation<TAB>service; service; ...``;
lines starting with ``#`` are comments. The services are added to a query that mentions the
situation, with less weight than the words the citizen typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

MAX_SITUATION_CHARS = 200
MAX_SERVICES = 10
MAX_SERVICE_CHARS = 200


class ConceptError(ValueError):
    """A concept that cannot be used, with the reason."""


@dataclass(frozen=True, slots=True)
class Concept:
    situation: str  # how a citizen describes it: "anak batuk udara jelek"
    services: tuple[str, ...]  # how the register names what serves it: ("ispu", "ispa")

    @classmethod
    def make(cls, situation: str, services: Iterable[str] | str) -> Concept:
        """Validate and tidy: one line of words, at most ten services."""
        items = [
            part
            for item in ([services] if isinstance(services, str) else services)
            for part in item.split(";")
        ]
        clean = tuple(dict.fromkeys(" ".join(s.split()) for s in items if s.strip()))
        situation = " ".join(situation.split())
        if not situation or not any(ch.isalnum() for ch in situation):
            raise ConceptError("the situation is empty")
        if len(situation) > MAX_SITUATION_CHARS:
            raise ConceptError(f"the situation is longer than {MAX_SITUATION_CHARS} characters")
        if not clean:
            raise ConceptError("no service given")
        if len(clean) > MAX_SERVICES or any(len(s) > MAX_SERVICE_CHARS for s in clean):
            raise ConceptError(f"at most {MAX_SERVICES} services of {MAX_SERVICE_CHARS} characters each")
        if "\t" in situation:
            raise ConceptError("the situation contains a tab")
        return cls(situation, clean)

    def line(self) -> str:
        return f"{self.situation}\t{'; '.join(self.services)}"


def parse_concepts(text: str) -> tuple[list[Concept], list[str]]:
    """Concepts of a file's text, and one problem per bad line ("line 3: no service given")."""
    concepts: list[Concept] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        situation, tab, services = line.partition("\t")
        if not tab:
            problems.append(f"line {number}: no tab between the situation and its services")
            continue
        try:
            concepts.append(Concept.make(situation, services))
        except ConceptError as exc:
            problems.append(f"line {number}: {exc}")
    return concepts, problems


def read_concepts(path: Path) -> list[Concept]:
    """A PPID's concepts file; refuses the whole file when a line is bad (say which)."""
    concepts, problems = parse_concepts(path.read_text(encoding="utf-8"))
    if problems:
        raise ConceptError(f"{path}: " + "; ".join(problems[:5]))
    return concepts
