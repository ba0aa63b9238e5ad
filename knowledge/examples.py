"""Example questions: how citizens ask for an entry, in their own words (``contoh_pertanyaan``).

A register or FAQ file may carry an optional ``contoh_pertanyaan`` column: questions separated by
``;``, ``|`` or line breaks ("bulan puasa kantor dinas tutup jam brp?"). They are searched as a
field of the entry with less weight than its title and summary, like the training phrases of a
chatbot intent, so a need described in everyday words reaches the entry that serves it. Officers
keep them with the rest of the entry (file upload, ``tanya import-register``).
"""

from __future__ import annotations

import re

EXAMPLE_COLUMN_NAMES: tuple[str, ...] = (
    "contoh pertanyaan",
    "pertanyaan contoh",
    "contoh pertanyaan warga",
    "example questions",
    "sample questions",
)
MAX_EXAMPLES = 20
MAX_EXAMPLE_CHARS = 200  # 20 of them fit the console's 5,000-character field
SEPARATOR = " | "  # how they are joined in a database column or an exported file
_SPLIT = re.compile(r"[;|\n]")


def split_examples(text: str) -> tuple[str, ...]:
    """The questions of one cell, tidied (one line each, duplicates dropped, order kept)."""
    parts = (" ".join(p.split()) for p in _SPLIT.split(text))
    return tuple(dict.fromkeys(p for p in parts if p))


def example_problem(examples: tuple[str, ...]) -> str:
    """Why a cell's questions cannot be used ("" when they can)."""
    if len(examples) > MAX_EXAMPLES:
        return f"at most {MAX_EXAMPLES} example questions per entry"
    if any(len(e) > MAX_EXAMPLE_CHARS for e in examples):
        return f"an example question is longer than {MAX_EXAMPLE_CHARS} characters"
    return ""


def join_examples(examples: tuple[str, ...]) -> str:
    return SEPARATOR.join(examples)
