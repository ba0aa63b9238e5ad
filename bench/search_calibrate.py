"""Fit the search's abstention (``knowledge.search.Calibration``) on one set, check it on another.

Fit set: the dev queries (title-like, with four questions the register cannot answer),
tests/data/search_calibration.jsonl (needs described in everyday words, written for this purpose)
and tests/data/search_unanswerable.jsonl (questions a city PPID's register does not answer:
another agency's service, private matters, trivia). Each query is searched once; its signals
(best score, evidence, informative words found, another agency named) are kept, and every
calibration of a grid decides on them. The calibration chosen abstains wrongly on as few
answerable fit queries as possible while abstaining on at least ``--min-abstain`` of the
unanswerable ones (ties: more abstention).

Check set (``--check``, default ../shared/data/queries_needs.jsonl): reported in aggregate only,
its first and second halves separately, so that a diagnosis on one half leaves the other untouched.

    python bench/search_calibrate.py [--min-abstain 0.7] [--check FILE ...]
"""

from __future__ import annotations

import argparse
import itertools
import json
from dataclasses import dataclass, fields
from pathlib import Path

from knowledge.faq import parse_faq
from knowledge.register import parse_register
from knowledge.search import Calibration, Confidence, Hit, SearchEngine, Signals

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
SHARED = ROOT / ".." / "shared" / "data"
FIT = [SHARED / "queries_dev.jsonl", ROOT / "tests/data/search_calibration.jsonl"]
UNANSWERABLE = ROOT / "tests/data/search_unanswerable.jsonl"
GRID = {
    "sure": (55.0, 60.0, 65.0, 70.0, 80.0),
    "good": (45.0, 50.0),
    "good_evidence": (0.6, 0.8, 1.0, 1.2),
    "maybe": (25.0, 30.0, 35.0, 40.0),
    "maybe_evidence": (0.8, 1.0, 1.2, 1.4, 1.6),
    "maybe_words": (1, 2, 3),
}


@dataclass(frozen=True, slots=True)
class Case:
    answerable: bool
    signals: Signals | None
    top1: bool  # the best entry is a right one
    top3: bool


def load(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def cases(engine: SearchEngine, rows: list[dict[str, object]]) -> list[Case]:
    out = []
    for row in rows:
        gold = {str(i) for i in row.get("relevant") or []}  # type: ignore[attr-defined]
        if row.get("faq"):
            gold.add(str(row["faq"]))
        query = str(row["q"])
        ranked = [hit.id for hit in _unfiltered(engine, query)]
        out.append(
            Case(
                bool(gold), engine.signals(query), bool(set(ranked[:1]) & gold), bool(set(ranked[:3]) & gold)
            )
        )
    return out


def _unfiltered(engine: SearchEngine, query: str) -> list[Hit]:
    """The hits the engine would show if it never abstained."""
    always = Calibration(sure=0.0)
    saved = engine.calibration
    engine.calibration = always
    try:
        return list(engine.search(query, limit=3).hits)
    finally:
        engine.calibration = saved


def figures(items: list[Case], calibration: Calibration) -> dict[str, float | None]:
    answerable = [c for c in items if c.answerable]
    unanswerable = [c for c in items if not c.answerable]
    shown = {
        id(c): c.signals is not None and c.signals.decide(calibration) is not Confidence.NONE for c in items
    }
    a, u = len(answerable), len(unanswerable)
    return {
        "n": len(items),
        "hit@1": round(sum(c.top1 and shown[id(c)] for c in answerable) / a, 3) if a else None,
        "hit@3": round(sum(c.top3 and shown[id(c)] for c in answerable) / a, 3) if a else None,
        "wrongly_abstained": round(sum(not shown[id(c)] for c in answerable) / a, 3) if a else None,
        "abstained_unanswerable": round(sum(not shown[id(c)] for c in unanswerable) / u, 3) if u else None,
    }


def fit(items: list[Case], min_abstain: float) -> Calibration:
    best: tuple[float, float, Calibration] | None = None
    for values in itertools.product(*GRID.values()):
        calibration = Calibration(**dict(zip(GRID, values, strict=True)))  # type: ignore[arg-type]
        if calibration.good > calibration.sure or calibration.maybe > calibration.good:
            continue
        result = figures(items, calibration)
        wrong, abstain = result["wrongly_abstained"] or 0.0, result["abstained_unanswerable"] or 0.0
        if abstain < min_abstain:
            continue
        key = (wrong, -abstain, calibration)
        if best is None or key[:2] < best[:2]:
            best = key
    if best is None:
        raise SystemExit(f"no calibration abstains on {min_abstain:.0%} of the unanswerable fit queries")
    return best[2]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--min-abstain", type=float, default=0.75)
    parser.add_argument("--check", type=Path, nargs="*", default=[SHARED / "queries_needs.jsonl"])
    args = parser.parse_args()
    engine = SearchEngine.from_entries(
        parse_register(SAMPLE / "register.csv").entries, parse_faq(SAMPLE / "faq.csv").entries
    )
    fit_items = [c for path in FIT for c in cases(engine, load(path))] + cases(engine, load(UNANSWERABLE))
    chosen = fit(fit_items, args.min_abstain)
    current = engine.calibration
    print("chosen:  ", {f.name: getattr(chosen, f.name) for f in fields(chosen)})
    print("in code: ", {f.name: getattr(current, f.name) for f in fields(current)})
    for label, calibration in (("chosen", chosen), ("in code", current)):
        print(f"[{label}] fit:", figures(fit_items, calibration))
        for path in args.check:
            if not path.exists():
                print(f"  {path} not found")
                continue
            rows = load(path)
            half = len(rows) // 2
            parts = [(f"{path.name} all", rows), (f"  lines 1-{half}", rows[:half])]
            parts.append((f"  lines {half + 1}-{len(rows)}", rows[half:]))
            for name, part in parts:
                print(f"[{label}] check {name}:", figures(cases(engine, part), calibration))


if __name__ == "__main__":
    main()
