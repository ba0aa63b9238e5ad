"""Fitting the search's abstention model (``knowledge.search.Calibration``) from labelled cases:
a plain logistic regression (full-batch gradient descent with a little L2, both classes weighing
alike; a few hundred rows need no library) and the choice of its two thresholds. Used by
``bench/search_calibrate.py``, which searches the labelled query files and prints the figures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.search import Calibration, Confidence, Signals

STEPS = 4000
RATE = 0.5
L2 = 0.01
THRESHOLDS = [t / 100 for t in range(5, 96)]


@dataclass(frozen=True, slots=True)
class Case:
    answerable: bool
    signals: Signals | None
    top1: bool  # the best entry is a right one
    top3: bool


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


def logistic(rows: Sequence[tuple[tuple[float, ...], float]]) -> tuple[tuple[float, ...], float]:
    """Weights and bias of a logistic model (full-batch gradient descent, L2 on the weights);
    both classes weigh alike, whatever their counts."""
    n = len(rows[0][0])
    positives = sum(y for _, y in rows)
    share = {1.0: len(rows) / (2 * positives), 0.0: len(rows) / (2 * (len(rows) - positives))}
    weights, bias = [0.0] * n, 0.0
    for _ in range(STEPS):
        gradient, gradient_bias = [0.0] * n, 0.0
        for x, y in rows:
            z = bias + sum(w * v for w, v in zip(weights, x, strict=True))
            error = (1.0 / (1.0 + math.exp(-z)) - y) * share[y]
            gradient_bias += error
            for i, v in enumerate(x):
                gradient[i] += error * v
        bias -= RATE * gradient_bias / len(rows)
        weights = [w - RATE * (g / len(rows) + L2 * w) for w, g in zip(weights, gradient, strict=True)]
    return tuple(round(w, 2) for w in weights), round(bias, 2)


def fit(
    items: list[Case], validation: list[Case], titles: list[Case], max_wrong: float, sure_precision: float
) -> Calibration:
    """The model from ``items``; its "maybe" threshold must also hold on ``validation``; "sure" is
    judged on ``items`` and ``titles`` (the dev queries: most questions name the document)."""
    rows = [(c.signals.features(), 1.0 if c.answerable else 0.0) for c in items if c.signals is not None]
    weights, bias = logistic(rows)
    model = Calibration(weights=weights, bias=bias, sure=1.0, maybe=0.0)
    likely = [(c.signals.likelihood(model) if c.signals else 0.0, c) for c in items]

    def wrong(cases: list[tuple[float, Case]], threshold: float) -> bool:
        answerable = [p for p, c in cases if c.answerable]
        return sum(p < threshold for p in answerable) > max_wrong * len(answerable)

    checked = [(c.signals.likelihood(model) if c.signals else 0.0, c) for c in validation]
    maybe = max(
        (t for t in THRESHOLDS if not wrong(likely, t) and not wrong(checked, t)), default=THRESHOLDS[0]
    )
    likely.extend((c.signals.likelihood(model) if c.signals else 0.0, c) for c in titles)
    sure = next(
        (
            t
            for t in THRESHOLDS
            if t > maybe
            and (reached := [c for p, c in likely if p >= t])
            and sum(c.top1 for c in reached) >= sure_precision * len(reached)
        ),
        THRESHOLDS[-1],
    )
    return Calibration(weights=weights, bias=bias, sure=sure, maybe=maybe)
