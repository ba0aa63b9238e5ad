"""The grounds of UU 14/2008 Pasal 35(1) against the request's actual state (handlers.domain.grounds)."""

from __future__ import annotations

from datetime import date

import pytest

from handlers.domain.grounds import GroundProblem, RequestFacts, ground_problem, open_grounds
from handlers.domain.lifecycle import ObjectionGround, Outcome, Pasal17
from handlers.texts import CATALOGUE

G = ObjectionGround
P = GroundProblem
DUE = date(2026, 4, 7)
BEFORE, AFTER = date(2026, 4, 2), date(2026, 4, 8)


def facts(*, answered_on: date | None = None, outcome: Outcome | None = None,
          pasal17: Pasal17 | None = None, today: date = AFTER) -> RequestFacts:  # fmt: skip
    return RequestFacts(due_on=DUE, answered_on=answered_on, outcome=outcome, pasal17=pasal17, today=today)


WAITING = facts(today=BEFORE)  # unanswered, deadline not passed
OVERDUE = facts(today=AFTER)  # unanswered, deadline passed
REFUSED = facts(answered_on=BEFORE, outcome=Outcome.REFUSED, pasal17=Pasal17.H)
PARTLY_17 = facts(answered_on=BEFORE, outcome=Outcome.PARTLY_GRANTED, pasal17=Pasal17.H)
PARTLY = facts(answered_on=BEFORE, outcome=Outcome.PARTLY_GRANTED)
GRANTED = facts(answered_on=BEFORE, outcome=Outcome.GRANTED)
GRANTED_LATE = facts(answered_on=AFTER, outcome=Outcome.GRANTED)
NOT_HELD = facts(answered_on=BEFORE, outcome=Outcome.NOT_HELD)

#  state          a              b     c               d                 e              f     g
TABLE: list[tuple[str, RequestFacts, tuple[GroundProblem | None, ...]]] = [
    ("waiting", WAITING, (P.NOT_REFUSED, None, P.TOO_EARLY, P.NOT_ANSWERED, P.TOO_EARLY, None, P.TOO_EARLY)),
    ("overdue", OVERDUE, (P.NOT_REFUSED, None, None, P.NOT_ANSWERED, None, None, None)),
    ("refused", REFUSED, (None, None, P.ANSWERED, None, None, None, P.ANSWERED_IN_TIME)),
    ("partly, Pasal 17", PARTLY_17, (None, None, P.ANSWERED, None, None, None, P.ANSWERED_IN_TIME)),
    ("partly, no letter", PARTLY, (P.NOT_REFUSED, None, P.ANSWERED, None, None, None, P.ANSWERED_IN_TIME)),
    ("granted", GRANTED, (P.NOT_REFUSED, None, P.ANSWERED, None, None, None, P.ANSWERED_IN_TIME)),
    ("granted late", GRANTED_LATE, (P.NOT_REFUSED, None, P.ANSWERED, None, None, None, None)),
    ("not held", NOT_HELD, (P.NOT_REFUSED, None, P.ANSWERED, None, None, None, P.ANSWERED_IN_TIME)),
]


@pytest.mark.parametrize(
    ("state", "request_facts", "ground", "expected"),
    [(name, f, g, row[i]) for name, f, row in TABLE for i, g in enumerate(G)],
    ids=[f"{name}-{g.value}" for name, _, _ in TABLE for g in G],
)
def test_ground_against_state(
    state: str, request_facts: RequestFacts, ground: ObjectionGround, expected: GroundProblem | None
) -> None:
    assert ground_problem(ground, request_facts) is expected


def test_the_deadline_day_itself_is_not_yet_overdue() -> None:
    assert ground_problem(G.C, facts(today=DUE)) is P.TOO_EARLY
    assert ground_problem(G.C, facts(today=AFTER)) is None


def test_open_grounds_keep_the_order_of_the_act() -> None:
    assert open_grounds(REFUSED) == (G.A, G.B, G.D, G.E, G.F)
    assert open_grounds(WAITING) == (G.B, G.F)


def test_every_problem_has_a_text() -> None:
    assert all(p.text_key in CATALOGUE for p in GroundProblem)
