"""Check that a change to the search (a speed-up) leaves its results exactly as they were.

``dump`` writes, for every query of the labelled query files on the sample register and for the
search benchmark's typo queries on its grown registers (``bench/search.py``), the ranked entries
with their full-precision scores, the hits shown, the confidence and the decision's likelihood;
``compare`` reports every difference between two dumps (scores compared to ``--tolerance``).

    python bench/search_same.py dump before.json [--sizes 10000 100000]
    python bench/search_same.py compare before.json after.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from search import DEV, SAMPLE, grow, typo_queries

from knowledge.faq import parse_faq
from knowledge.register import parse_register
from knowledge.search import SearchEngine

ROOT = Path(__file__).resolve().parents[1]
QUERY_FILES = [
    DEV,
    DEV.with_name("queries_needs.jsonl"),
    ROOT / "tests" / "data" / "search_tuning.jsonl",
    ROOT / "tests" / "data" / "search_long.jsonl",
    ROOT / "tests" / "data" / "search_calibration.jsonl",
    ROOT / "tests" / "data" / "search_unanswerable.jsonl",
    ROOT / "tests" / "data" / "intents.jsonl",
]


def _queries(path: Path) -> list[str]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [str(row.get("q", row.get("text"))) for row in rows]


def _record(engine: SearchEngine, query: str) -> dict[str, Any]:
    """Everything the answer to ``query`` rests on, at full precision."""
    parsed = engine.parser.parse(query)
    ranked = engine._rank(parsed) if not parsed.empty else []
    signals = engine._signals(parsed, ranked) if ranked else None
    answer = engine.search(query)
    docs = engine.index.docs
    return {
        "q": query,
        "confidence": answer.confidence.value,
        "hits": [[h.id, h.score] for h in answer.hits],
        "ranked": [[docs[s.doc].id, s.final, s.lexical, s.concept] for s in ranked],
        "likelihood": signals.likelihood(engine.calibration) if signals else None,
        "features": list(signals.features()) if signals else None,
    }


def dump(out: Path, sizes: list[int], seed: int) -> None:
    register = parse_register(SAMPLE / "register.csv").entries
    faq = parse_faq(SAMPLE / "faq.csv").entries
    engine = SearchEngine.from_entries(register, faq)
    result: dict[str, list[dict[str, Any]]] = {}
    for path in QUERY_FILES:
        if path.exists():
            result[path.name] = [_record(engine, q) for q in _queries(path)]
    for size in sizes:  # the benchmark's registers and typo queries (same seeds as bench/search.py)
        entries = grow(register, size, seed)
        grown = SearchEngine.from_entries(entries, faq)
        queries = [q for q, _ in typo_queries(entries, 1_000, seed + 1)]
        result[f"typo@{size}"] = [_record(grown, q) for q in queries]
        if DEV.exists():
            result[f"dev@{size}"] = [_record(grown, q) for q in _queries(DEV)]
    out.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    print(f"{out}: {sum(len(v) for v in result.values())} queries in {len(result)} sets")


def _differences(a: Any, b: Any, tolerance: float, where: str) -> list[str]:
    if isinstance(a, float) and isinstance(b, float | int) and not isinstance(b, bool):
        return [] if abs(a - b) <= tolerance else [f"{where}: {a!r} != {b!r}"]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} items != {len(b)}"]
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in _differences(x, y, tolerance, f"{where}[{i}]")
        ]
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return [f"{where}: keys {sorted(a)} != {sorted(b)}"]
        return [d for k in a for d in _differences(a[k], b[k], tolerance, f"{where}.{k}")]
    return [] if a == b else [f"{where}: {a!r} != {b!r}"]


def compare(before: Path, after: Path, tolerance: float) -> int:
    a = json.loads(before.read_text(encoding="utf-8"))
    b = json.loads(after.read_text(encoding="utf-8"))
    found = _differences(a, b, tolerance, "")
    for line in found[:50]:
        print(line)
    total = sum(len(v) for v in a.values())
    print(f"{total} queries in {len(a)} sets: {len(found)} difference(s)")
    return 1 if found else 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    dump_parser = sub.add_parser("dump")
    dump_parser.add_argument("out", type=Path)
    dump_parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    dump_parser.add_argument("--seed", type=int, default=7)
    compare_parser = sub.add_parser("compare")
    compare_parser.add_argument("before", type=Path)
    compare_parser.add_argument("after", type=Path)
    compare_parser.add_argument("--tolerance", type=float, default=1e-9)
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.out, args.sizes, args.seed)
        return 0
    return compare(args.before, args.after, args.tolerance)


if __name__ == "__main__":
    sys.exit(main())
