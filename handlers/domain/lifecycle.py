"""The life of an information request: status, outcome and an event log.

Status (where the request is) is kept apart from outcome (what the written notice decided,
UU 14/2008 Pasal 22(7)). Status moves only along :data:`TRANSITIONS`; every move is an
:class:`Event` appended to the request's history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType

from handlers.domain.dates import require_aware
from handlers.domain.errors import EventOutOfOrder, IllegalTransition, InvalidDecision


class RequestStatus(StrEnum):
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    EXTENDED = "extended"  # the one extension of UU 14/2008 Pasal 22(8)
    ANSWERED = "answered"  # the written notice of Pasal 22(7) was sent
    OBJECTED = "objected"  # keberatan to the Atasan PPID, Pasal 35-36
    OBJECTION_ANSWERED = "objection_answered"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"


class Action(StrEnum):
    START = "start"  # an officer takes the request up
    ROUTE = "route"  # the PPID Utama sends it to the PPID Pelaksana of an OPD (Perki 1/2021 Pasal 13)
    EXTEND = "extend"  # once, by at most 7 working days, with written reasons (Pasal 22(8))
    ANSWER = "answer"  # the written notice (Pasal 22(7))
    WITHDRAW = "withdraw"  # the requester withdraws
    OBJECT = "object"  # the requester files a keberatan (Pasal 35(1))
    ANSWER_OBJECTION = "answer_objection"  # the Atasan PPID answers (Pasal 36(2))
    CLOSE = "close"


_S = RequestStatus
_OPEN = (_S.RECEIVED, _S.IN_PROGRESS, _S.EXTENDED)

TRANSITIONS: MappingProxyType[tuple[RequestStatus, Action], RequestStatus] = MappingProxyType(
    {
        (_S.RECEIVED, Action.START): _S.IN_PROGRESS,
        **{(s, Action.ROUTE): s for s in _OPEN},  # routing keeps the status and the deadline
        (_S.RECEIVED, Action.EXTEND): _S.EXTENDED,
        (_S.IN_PROGRESS, Action.EXTEND): _S.EXTENDED,
        **{(s, Action.ANSWER): _S.ANSWERED for s in _OPEN},
        **{(s, Action.WITHDRAW): _S.WITHDRAWN for s in _OPEN},
        # an unanswered request may be objected to too (Pasal 35(1) c, e, g)
        **{(s, Action.OBJECT): _S.OBJECTED for s in (*_OPEN, _S.ANSWERED)},
        (_S.OBJECTED, Action.ANSWER_OBJECTION): _S.OBJECTION_ANSWERED,
        (_S.ANSWERED, Action.CLOSE): _S.CLOSED,
        (_S.OBJECTION_ANSWERED, Action.CLOSE): _S.CLOSED,
    }
)
"""(current status, action) -> next status. Anything not listed is illegal.

Only one extension: EXTENDED has no EXTEND. WITHDRAWN and CLOSED are final. Close an answered
request only after its objection window (Pasal 36(1)) has passed: CLOSED admits no objection.
"""

FINAL_STATUSES = frozenset(s for s in RequestStatus if not any(k[0] is s for k in TRANSITIONS))


def allowed_actions(current: RequestStatus) -> frozenset[Action]:
    """The actions a request in ``current`` status may take (for menus and CLI help)."""
    return frozenset(action for (status, action) in TRANSITIONS if status is current)


def transition(current: RequestStatus, action: Action) -> RequestStatus:
    """The status after ``action``; raises :class:`IllegalTransition` if the table forbids it."""
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise IllegalTransition(current, action) from None


@dataclass(frozen=True, slots=True)
class Event:
    """One status change of a request: who did what, when, from which status to which."""

    at: datetime
    action: Action
    from_status: RequestStatus
    to_status: RequestStatus
    actor: str  # "requester", "officer:<id>", "system": never a name or NIK
    note: str = ""


def status_of(history: Sequence[Event]) -> RequestStatus:
    """The current status: that of the last event, RECEIVED for a request without events."""
    return history[-1].to_status if history else RequestStatus.RECEIVED


def make_event(current: RequestStatus, action: Action, *, at: datetime, actor: str, note: str = "") -> Event:
    """The event of taking ``action`` in ``current`` status (its ``to_status`` is the new status);
    raises :class:`IllegalTransition`. ``at`` must be timezone-aware."""
    require_aware(at)
    return Event(at, action, current, transition(current, action), actor, note)


def record(
    history: Sequence[Event], action: Action, *, at: datetime, actor: str, note: str = ""
) -> tuple[Event, ...]:
    """``history`` with the event of ``action`` appended; raises :class:`IllegalTransition`.

    ``at`` must be timezone-aware and not before the last event.
    """
    require_aware(at)
    if history and at < history[-1].at:
        raise EventOutOfOrder(f"event at {at.isoformat()} is before the last one")
    return (*history, make_event(status_of(history), action, at=at, actor=actor, note=note))


class Outcome(StrEnum):
    """What the written notice decided (UU 14/2008 Pasal 22(7))."""

    GRANTED = "granted"  # dikabulkan seluruhnya
    PARTLY_GRANTED = "partly_granted"  # dikabulkan sebagian (blacked-out parts, with reasons)
    REFUSED = "refused"  # ditolak under a Pasal 17 letter after a consequence test (Pasal 19)
    NOT_HELD = "not_held"  # tidak dikuasai: referred to the body that holds it (Pasal 22(7) b)
    NOT_DOCUMENTED = "not_documented"  # belum didokumentasikan (Pasal 6(3))

    @property
    def text_key(self) -> str:
        return f"outcome_{self.value}"


class Pasal17(StrEnum):
    """The exemptions of UU 14/2008 Pasal 17, by letter."""

    A = "a"  # law enforcement
    B = "b"  # intellectual property and fair competition
    C = "c"  # defence and security
    D = "d"  # natural resources
    E = "e"  # national economic resilience
    F = "f"  # foreign relations
    G = "g"  # private authentic deeds and wills
    H = "h"  # personal secrets
    I = "i"  # noqa: E741  # confidential inter/intra-agency memoranda
    J = "j"  # information other laws exempt

    @property
    def text_key(self) -> str:
        """Key of the short description in ``handlers.texts``."""
        return f"pasal17_{self.value}"

    @property
    def label(self) -> str:
        """``"Pasal 17 huruf h"``: how letters and notices cite it."""
        return f"Pasal 17 huruf {self.value}"

    @classmethod
    def parse(cls, raw: str) -> Pasal17:
        """``"h"``, ``"17h"``, ``"17 h"``, ``"Pasal 17 huruf H"`` -> ``Pasal17.H``; ValueError otherwise."""
        text = raw.strip().lower().removeprefix("pasal").strip().removeprefix("17").strip()
        text = text.removeprefix("huruf").strip()
        return cls(text)


@dataclass(frozen=True, slots=True)
class Decision:
    """An outcome with what the law requires of it; :class:`InvalidDecision` otherwise.

    refused: a Pasal 17 letter and the consequence-test reason (Pasal 17, 19, 22(7) c);
    partly granted: a reason for the withheld parts, with its letter when one applies;
    not held: the body that holds the information (Pasal 22(7) b).
    """

    outcome: Outcome
    pasal17: Pasal17 | None = None
    reason: str = ""
    holder: str = ""

    def __post_init__(self) -> None:
        reason, holder = self.reason.strip(), self.holder.strip()
        if self.outcome is Outcome.REFUSED and (self.pasal17 is None or not reason):
            raise InvalidDecision("a refusal needs a Pasal 17 letter and a reason")
        if self.outcome is Outcome.PARTLY_GRANTED and not reason:
            raise InvalidDecision("a partial grant needs a reason for what is withheld")
        if self.outcome not in (Outcome.REFUSED, Outcome.PARTLY_GRANTED) and self.pasal17 is not None:
            raise InvalidDecision(f"{self.outcome.value} cites no Pasal 17 letter")
        if self.outcome is Outcome.NOT_HELD and not holder:
            raise InvalidDecision("'not held' needs the body that holds the information")
        if self.outcome is not Outcome.NOT_HELD and holder:
            raise InvalidDecision("only 'not held' names another body")


class ObjectionGround(StrEnum):
    """Grounds for a keberatan (UU 14/2008 Pasal 35(1) a-g); plain explanations in texts."""

    A = "a"  # refusal under Pasal 17
    B = "b"  # periodic information (Pasal 9) not provided
    C = "c"  # request not answered
    D = "d"  # answered not as asked
    E = "e"  # request not fulfilled
    F = "f"  # unreasonable fees
    G = "g"  # answered later than the deadline of the Act

    @property
    def text_key(self) -> str:
        """Key of the plain-Indonesian explanation in ``handlers.texts``."""
        return f"objection_ground_{self.value}"
