"""Request lifecycle: the transition table, the event log and the outcome rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from handlers.domain.errors import EventOutOfOrder, IllegalTransition, InvalidDecision
from handlers.domain.lifecycle import (
    FINAL_STATUSES,
    TRANSITIONS,
    Action,
    Decision,
    Event,
    ObjectionGround,
    Outcome,
    Pasal17,
    RequestStatus,
    allowed_actions,
    make_event,
    record,
    status_of,
    transition,
)
from handlers.texts import CATALOGUE

S = RequestStatus
T0 = datetime(2026, 3, 16, 3, 0, tzinfo=UTC)

LEGAL = [
    (S.RECEIVED, Action.START, S.IN_PROGRESS),
    (S.RECEIVED, Action.ROUTE, S.RECEIVED),
    (S.IN_PROGRESS, Action.ROUTE, S.IN_PROGRESS),
    (S.EXTENDED, Action.ROUTE, S.EXTENDED),
    (S.RECEIVED, Action.EXTEND, S.EXTENDED),
    (S.IN_PROGRESS, Action.EXTEND, S.EXTENDED),
    (S.RECEIVED, Action.ANSWER, S.ANSWERED),
    (S.IN_PROGRESS, Action.ANSWER, S.ANSWERED),
    (S.EXTENDED, Action.ANSWER, S.ANSWERED),
    (S.RECEIVED, Action.WITHDRAW, S.WITHDRAWN),
    (S.IN_PROGRESS, Action.WITHDRAW, S.WITHDRAWN),
    (S.EXTENDED, Action.WITHDRAW, S.WITHDRAWN),
    (S.RECEIVED, Action.OBJECT, S.OBJECTED),
    (S.IN_PROGRESS, Action.OBJECT, S.OBJECTED),
    (S.EXTENDED, Action.OBJECT, S.OBJECTED),
    (S.ANSWERED, Action.OBJECT, S.OBJECTED),
    (S.OBJECTED, Action.ANSWER_OBJECTION, S.OBJECTION_ANSWERED),
    (S.ANSWERED, Action.CLOSE, S.CLOSED),
    (S.OBJECTION_ANSWERED, Action.CLOSE, S.CLOSED),
]


@pytest.mark.parametrize(("current", "action", "after"), LEGAL)
def test_every_legal_transition(current: RequestStatus, action: Action, after: RequestStatus) -> None:
    assert transition(current, action) is after


def test_the_table_holds_exactly_the_legal_transitions() -> None:
    assert dict(TRANSITIONS) == {(c, a): n for c, a, n in LEGAL}


ILLEGAL = [
    (current, action)
    for current in RequestStatus
    for action in Action
    if (current, action) not in {(c, a) for c, a, _ in LEGAL}
]


@pytest.mark.parametrize(("current", "action"), ILLEGAL)
def test_every_other_move_is_illegal(current: RequestStatus, action: Action) -> None:
    with pytest.raises(IllegalTransition) as caught:
        transition(current, action)
    assert caught.value.current is current and caught.value.action is action


@pytest.mark.parametrize(
    ("current", "action"),
    [
        (S.EXTENDED, Action.EXTEND),  # only one extension (Pasal 22(8))
        (S.CLOSED, Action.OBJECT),
        (S.WITHDRAWN, Action.ANSWER),
        (S.ANSWERED, Action.ANSWER),
        (S.OBJECTION_ANSWERED, Action.OBJECT),  # next step is the Komisi Informasi
        (S.RECEIVED, Action.ANSWER_OBJECTION),
        (S.ANSWERED, Action.EXTEND),
    ],
)
def test_named_illegal_moves(current: RequestStatus, action: Action) -> None:
    assert (current, action) in ILLEGAL


def test_final_statuses_and_allowed_actions() -> None:
    assert frozenset({S.WITHDRAWN, S.CLOSED}) == FINAL_STATUSES
    assert allowed_actions(S.EXTENDED) == {Action.ANSWER, Action.WITHDRAW, Action.OBJECT, Action.ROUTE}
    assert allowed_actions(S.CLOSED) == frozenset()


def test_record_appends_events_and_tracks_status() -> None:
    history: tuple[Event, ...] = ()
    assert status_of(history) is S.RECEIVED
    history = record(history, Action.START, at=T0, actor="officer:7")
    history = record(
        history, Action.EXTEND, at=T0 + timedelta(days=9), actor="officer:7", note="arsip di gudang"
    )
    history = record(history, Action.ANSWER, at=T0 + timedelta(days=20), actor="officer:7")
    assert [e.to_status for e in history] == [S.IN_PROGRESS, S.EXTENDED, S.ANSWERED]
    assert history[1] == Event(
        T0 + timedelta(days=9), Action.EXTEND, S.IN_PROGRESS, S.EXTENDED, "officer:7", "arsip di gudang"
    )
    assert status_of(history) is S.ANSWERED


def test_record_refuses_illegal_naive_and_out_of_order_events() -> None:
    history = record((), Action.EXTEND, at=T0, actor="officer:7")
    with pytest.raises(IllegalTransition):
        record(history, Action.EXTEND, at=T0 + timedelta(days=1), actor="officer:7")
    with pytest.raises(ValueError, match="timezone-aware"):
        record(history, Action.ANSWER, at=datetime(2026, 3, 20), actor="officer:7")
    with pytest.raises(EventOutOfOrder):
        record(history, Action.ANSWER, at=T0 - timedelta(seconds=1), actor="officer:7")
    assert len(history) == 1  # the history given is never changed


@pytest.mark.parametrize(
    "decision",
    [
        {"outcome": Outcome.GRANTED},
        {"outcome": Outcome.NOT_DOCUMENTED},
        {"outcome": Outcome.REFUSED, "pasal17": Pasal17.H, "reason": "memuat data kesehatan pribadi"},
        {"outcome": Outcome.PARTLY_GRANTED, "reason": "nama saksi dihitamkan", "pasal17": Pasal17.H},
        {"outcome": Outcome.PARTLY_GRANTED, "reason": "sebagian dokumen belum selesai"},
        {"outcome": Outcome.NOT_HELD, "holder": "Badan Pertanahan Nasional"},
    ],
)
def test_valid_decisions(decision: dict[str, object]) -> None:
    Decision(**decision)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "decision",
    [
        {"outcome": Outcome.REFUSED, "reason": "rahasia"},  # no letter
        {"outcome": Outcome.REFUSED, "pasal17": Pasal17.A, "reason": "  "},  # no reason
        {"outcome": Outcome.PARTLY_GRANTED},
        {"outcome": Outcome.NOT_HELD},  # no holder
        {"outcome": Outcome.GRANTED, "pasal17": Pasal17.B},
        {"outcome": Outcome.GRANTED, "holder": "Dinas Pendidikan Provinsi"},
    ],
)
def test_invalid_decisions(decision: dict[str, object]) -> None:
    with pytest.raises(InvalidDecision):
        Decision(**decision)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "letter"),
    [("h", Pasal17.H), ("17h", Pasal17.H), ("17 J", Pasal17.J), ("Pasal 17 huruf a", Pasal17.A)],
)
def test_pasal17_parse(raw: str, letter: Pasal17) -> None:
    assert Pasal17.parse(raw) is letter
    assert letter.label == f"Pasal 17 huruf {letter.value}"


@pytest.mark.parametrize("raw", ["k", "17", "", "18a"])
def test_pasal17_parse_rejects(raw: str) -> None:
    with pytest.raises(ValueError):
        Pasal17.parse(raw)


def test_every_letter_ground_and_outcome_has_texts() -> None:
    keys = [m.text_key for m in (*Pasal17, *ObjectionGround, *Outcome)]
    assert len(ObjectionGround) == 7 and len(Pasal17) == 10
    for key in keys:
        indonesian, english = CATALOGUE[key]
        assert indonesian and english


def test_make_event_from_a_stored_status() -> None:
    event = make_event(S.OBJECTED, Action.ANSWER_OBJECTION, at=T0, actor="atasan:1", note="dikabulkan")
    assert (event.from_status, event.to_status, event.note) == (
        S.OBJECTED,
        S.OBJECTION_ANSWERED,
        "dikabulkan",
    )
    with pytest.raises(IllegalTransition):
        make_event(S.CLOSED, Action.CLOSE, at=T0, actor="officer:7")
