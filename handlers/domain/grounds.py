"""Which objection grounds of UU 14/2008 Pasal 35(1) a request's actual state supports.

Pasal 35(1): a keberatan may rest on
  a. a refusal under the exemptions of Pasal 17;
  b. periodic information (Pasal 9) not provided;
  c. a request not answered;
  d. a request answered not as asked;
  e. a request not fulfilled;
  f. unreasonable fees;
  g. information delivered later than the time the Act sets (Pasal 22(7)-(8)).

Grounds c-g that speak about *this* request are checked against its notice deadline, the day it
was answered and the outcome of the notice (Pasal 22(7)). Grounds b and f do not depend on this
request's answer (periodic information is owed to everyone; a fee may be quoted before the
notice), so they are always open. Pure functions: callers pass the facts, no storage here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from handlers.domain.lifecycle import ObjectionGround, Outcome, Pasal17


class GroundProblem(StrEnum):
    """Why a ground does not fit the request now (each has a polite text in the catalogue)."""

    TOO_EARLY = "too_early"  # c/g: the notice deadline has not passed and no notice was sent
    NOT_REFUSED = "not_refused"  # a: no refusal under Pasal 17
    ANSWERED = "answered"  # c: the request was answered
    NOT_ANSWERED = "not_answered"  # d: nothing was answered yet, so not "answered not as asked"
    ANSWERED_IN_TIME = "answered_in_time"  # g: the notice came by the deadline

    @property
    def text_key(self) -> str:
        return f"objection_ground_problem_{self.value}"


@dataclass(frozen=True, slots=True)
class RequestFacts:
    """What the grounds are checked against: the request's notice deadline (after any extension),
    the day its written notice was sent (None while unanswered), the notice's outcome and Pasal 17
    letter, and today's office date."""

    due_on: date
    answered_on: date | None
    outcome: Outcome | None
    pasal17: Pasal17 | None
    today: date

    @property
    def overdue_unanswered(self) -> bool:
        return self.answered_on is None and self.today > self.due_on


def ground_problem(ground: ObjectionGround, facts: RequestFacts) -> GroundProblem | None:
    """None when ``ground`` fits the request's state, else why not (UU 14/2008 Pasal 35(1))."""
    answered = facts.answered_on is not None
    if ground is ObjectionGround.A:
        refused_under_17 = facts.outcome is Outcome.REFUSED or (
            facts.outcome is Outcome.PARTLY_GRANTED and facts.pasal17 is not None
        )
        return None if answered and refused_under_17 else GroundProblem.NOT_REFUSED
    if ground is ObjectionGround.C:
        if answered:
            return GroundProblem.ANSWERED
        return None if facts.overdue_unanswered else GroundProblem.TOO_EARLY
    if ground is ObjectionGround.D:
        return None if answered else GroundProblem.NOT_ANSWERED
    if ground is ObjectionGround.E:  # even a grant may go unfulfilled (nothing delivered)
        return None if answered or facts.overdue_unanswered else GroundProblem.TOO_EARLY
    if ground is ObjectionGround.G:
        if facts.answered_on is not None:
            return None if facts.answered_on > facts.due_on else GroundProblem.ANSWERED_IN_TIME
        return None if facts.overdue_unanswered else GroundProblem.TOO_EARLY
    return None  # b (periodic information, Pasal 9) and f (fees) do not depend on this request


def open_grounds(facts: RequestFacts) -> tuple[ObjectionGround, ...]:
    """The grounds that fit the request now, in the order of Pasal 35(1)."""
    return tuple(g for g in ObjectionGround if ground_problem(g, facts) is None)
