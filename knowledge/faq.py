"""Import the FAQ (procedural questions and their answers) from CSV or XLSX."""

from __future__ import annotations

import re

from knowledge.examples import EXAMPLE_COLUMN_NAMES, example_problem, split_examples
from knowledge.importing import ParsedFile, parse_file
from knowledge.models import FaqEntry, ImportProblem
from knowledge.tabular import OnRow, Source

FAQ_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "kode", "no faq", "nomor", "no"),
    "pertanyaan": ("pertanyaan", "tanya", "question", "pertanyaan umum"),
    "jawaban": ("jawaban", "jawab", "answer"),
    "tautan": ("tautan", "link", "url", "tautan informasi"),
    "contoh_pertanyaan": EXAMPLE_COLUMN_NAMES,
}
REQUIRED = ("id", "pertanyaan", "jawaban")
MAX_QUESTION = 500
MAX_ANSWER = 5000
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


def parse_faq_row(number: int, values: dict[str, str]) -> FaqEntry | list[ImportProblem]:
    problems: list[ImportProblem] = []
    entry_id = values.get("id", "")
    if not _ID.match(entry_id):
        problems.append(ImportProblem(number, f"id {entry_id[:40]!r} is empty or not a simple code", "id"))
    question = " ".join(values.get("pertanyaan", "").split())
    if not question:
        problems.append(ImportProblem(number, "question is empty", "pertanyaan"))
    elif len(question) > MAX_QUESTION:
        problems.append(
            ImportProblem(number, f"question is longer than {MAX_QUESTION} characters", "pertanyaan")
        )
    answer = values.get("jawaban", "").strip()
    if not answer:
        problems.append(ImportProblem(number, "answer is empty", "jawaban"))
    elif len(answer) > MAX_ANSWER:
        problems.append(ImportProblem(number, f"answer is longer than {MAX_ANSWER} characters", "jawaban"))
    link = values.get("tautan", "")
    if link and not _URL.match(link):
        problems.append(ImportProblem(number, f"link {link[:60]!r} is not an http(s) address", "tautan"))
    examples = split_examples(values.get("contoh_pertanyaan", ""))
    if wrong := example_problem(examples):
        problems.append(ImportProblem(number, wrong, "contoh_pertanyaan"))
    if problems:
        return problems
    return FaqEntry(id=entry_id, pertanyaan=question, jawaban=answer, tautan=link, contoh=examples)


def parse_faq(path: Source, *, progress: bool = False, on_row: OnRow | None = None) -> ParsedFile[FaqEntry]:
    """Read and validate an FAQ file; import it only if the result has no problems."""
    return parse_file(
        path, FAQ_COLUMNS, REQUIRED, parse_faq_row, lambda e: e.id, progress=progress, on_row=on_row
    )
