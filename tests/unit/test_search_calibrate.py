"""The abstention model's fit (``knowledge.calibration``, run by bench/search_calibrate.py): a plain logistic regression whose
"maybe" threshold keeps wrong abstention within the limit (issue 11)."""

from __future__ import annotations

from knowledge.calibration import Case, fit, logistic
from knowledge.search import FEATURES, Calibration, Signals


def _case(answerable: bool, score: float, cover: float) -> Case:
    signals = Signals(
        score=score, evidence=2.0 * cover, words=3, outside=False, cover=cover, cover3=cover,
        length=5, second=score / 2,
    )  # fmt: skip
    return Case(answerable=answerable, signals=signals, top1=answerable, top3=answerable)


def test_the_features_and_the_default_weights_line_up() -> None:
    assert len(Calibration().weights) == len(FEATURES) == len(Signals(1.0, 0.0, 0, False).features())


def test_logistic_learns_that_coverage_means_an_answer() -> None:
    rows = [((0.8, 0.9), 1.0), ((0.7, 0.8), 1.0), ((0.2, 0.1), 0.0), ((0.3, 0.2), 0.0)] * 5
    weights, bias = logistic(rows)
    assert all(w > 0 for w in weights) and bias < 0


def test_the_maybe_threshold_keeps_wrong_abstention_within_the_limit() -> None:
    answerable = [_case(True, 40.0 + i, 0.3 + i / 50) for i in range(20)]
    unanswerable = [_case(False, 15.0 + i, 0.05 + i / 60) for i in range(20)]
    chosen = fit(answerable + unanswerable, answerable, [], max_wrong=0.05, sure_precision=0.9)
    shown = [c for c in answerable if c.signals and c.signals.decide(chosen).value != "none"]
    assert len(shown) >= 19  # at most 5% of the answerable ones refused
    refused = [c for c in unanswerable if c.signals and c.signals.decide(chosen).value == "none"]
    assert len(refused) >= 15 and chosen.maybe < chosen.sure
