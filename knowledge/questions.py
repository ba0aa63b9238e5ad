"""Kinds of question a citizen asks and an FAQ entry answers (cue phrases in data/cues.txt).

Procedural kinds are answered from the FAQ first; generic ones say little about which answer fits;
a word naming an answer kind ("bayar": cost) also matches FAQ entries that ask that kind of question
in other words ("dipungut biaya"), through the entry's kind token; sensitive kinds ask for exempt
information (UU 14/2008 Pasal 17).
"""

from __future__ import annotations

PROCEDURAL = frozenset(
    {"ask", "how", "who", "yesno", "duration", "define", "list", "requirements", "channel", "remedy"}
)
GENERIC_QUESTIONS = frozenset({"ask", "how", "yesno"})
ANSWER_KINDS = frozenset({"cost", "duration", "requirements", "channel", "when", "where", "who", "form"})
SENSITIVE = frozenset({"personal", "confidential"})
TOPICAL_CUES = SENSITIVE | {"outside", "remedy"}  # cue words that keep their full weight as words


def kind_token(kind: str) -> str:
    """The index token of FAQ entries asking a kind of question ("?" starts no word)."""
    return f"?{kind}"
