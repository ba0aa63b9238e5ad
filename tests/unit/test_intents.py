"""Intents in the citizen's own words (issue 11): every phrasing of tests/data/intents.jsonl is
routed right, and every information question of the dev and needs sets still reaches the search."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from handlers.intents import Intent, classify, mentions_request, request_topic

ROOT = Path(__file__).resolve().parents[2]
PHRASINGS = [
    json.loads(line) for line in (ROOT / "tests/data/intents.jsonl").read_text().splitlines() if line
]
SHARED = ROOT.parent / "shared" / "data"


def test_the_phrasing_file_has_fifteen_per_intent() -> None:
    counts = Counter(row["intent"] for row in PHRASINGS)
    assert all(counts[intent.value] >= 15 for intent in Intent), counts
    assert counts[None] >= 15  # information questions that must not be claimed


@pytest.mark.parametrize("row", PHRASINGS, ids=lambda row: row["text"])
def test_each_phrasing_is_routed_right(row: dict[str, str | None]) -> None:
    got = classify(str(row["text"]))
    assert (got.value if got else None) == row["intent"]


@pytest.mark.parametrize(
    "path",
    [
        SHARED / "queries_dev.jsonl",
        SHARED / "queries_needs.jsonl",
        ROOT / "tests/data/search_kinds.jsonl",  # English, regional, procedural, exempt
        ROOT / "tests/data/search_fresh.jsonl",  # session 5, written blind
    ],
    ids=lambda path: path.name,
)
def test_information_questions_reach_the_search(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path} not found")
    queries = [
        json.loads(line)["q"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    claimed = [q for q in queries if classify(q) is not None]
    assert claimed == []


def test_a_request_for_named_information_searches_its_topic() -> None:
    assert mentions_request("saya mau minta data APBD")
    assert request_topic("saya mau minta data APBD") == "APBD"
    assert request_topic("bagaimana cara mengajukan permohonan informasi publik?") == ""  # the FAQ's question
    assert not mentions_request("peringatan dini cuaca ekstrem")  # no typo repair into "permintaan"


def test_long_or_odd_input_is_no_intent() -> None:
    assert classify("") is None
    assert classify("makasih " * 20) is None
    assert classify("🙏🙏") is None


def test_numbers_are_words_of_their_own() -> None:
    """ "hi 2" names something (a number), unlike "makasih2" (the word repeated)."""
    assert classify("hi 2") is None
    assert classify("hi 12") is None
    assert classify("makasih2") is Intent.THANKS
