"""The officer commands' numbers and error sentences (``tanya request``, ``tanya objection``).

README documents ``tanya request show N``: a number may be given whole (``PPID-2026-000001``,
``ppid-2026-1``) or as its sequence alone (``1``), which names this year's request or objection
with that sequence (last year's when this year has none). An expected error is told as a sentence
that says what to do, never as a bare value ("error: 1").
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date

from handlers.domain.errors import DomainError, IllegalTransition, InvalidNumber
from handlers.domain.lifecycle import Action, RequestStatus
from handlers.domain.regno import NumberKind, RegNo, parse_number
from handlers.request_ports import RequestPort
from handlers.request_service import RequestNotFound
from handlers.services.workflows import InvalidOfflineRequest
from handlers.texts import t
from handlers.types import Lang

_BARE = "#"  # "PPID#1": a sequence alone, resolved against the database


def number_arg(kind: NumberKind) -> Callable[[str], str]:
    """An argparse ``type``: the whole number, normalised, or ``"PPID#1"`` for a bare sequence."""
    example = str(RegNo(kind, 2026, 1))

    def parse(raw: str) -> str:
        text = raw.strip()
        if text.isdigit() and 0 < int(text) < 1_000_000:
            return f"{kind.value}{_BARE}{int(text)}"
        try:
            number = parse_number(text)
        except InvalidNumber:
            number = None
        if number is None or number.kind is not kind:
            raise argparse.ArgumentTypeError(
                f"{raw!r} is not a {_NOUN[kind]} number; give it whole, e.g. {example}, or just its sequence, e.g. 1"
            )
        return str(number)

    return parse


async def resolve_number(value: str, port: RequestPort, today: date) -> str:
    """The whole number for ``"PPID#1"``: this year's, else last year's that exists; else this year's
    (which then is reported as not found, by its whole number)."""
    kind_value, bare, sequence = value.partition(_BARE)
    if not bare:
        return value
    kind = NumberKind(kind_value)
    candidates = [str(RegNo(kind, year, int(sequence))) for year in (today.year, today.year - 1)]
    for candidate in candidates:
        found = await (port.get_objection if kind is NumberKind.OBJECTION else port.get_request)(candidate)
        if found is not None:
            return candidate
    return candidates[0]


_NOUN = {NumberKind.REQUEST: "request", NumberKind.OBJECTION: "objection"}
_DONE = {
    Action.START: "taken up",
    Action.EXTEND: "extended",
    Action.ANSWER: "decided",
    Action.WITHDRAW: "withdrawn",
    Action.OBJECT: "objected to",
    Action.ANSWER_OBJECTION: "answered",
    Action.CLOSE: "closed",
}
_BECAUSE = {
    RequestStatus.RECEIVED: "it has only just been received",
    RequestStatus.IN_PROGRESS: "it is in progress",
    RequestStatus.EXTENDED: "it has already been extended",
    RequestStatus.ANSWERED: "it has already been decided",
    RequestStatus.OBJECTED: "it is under objection",
    RequestStatus.OBJECTION_ANSWERED: "its objection has already been answered",
    RequestStatus.WITHDRAWN: "it was withdrawn",
    RequestStatus.CLOSED: "it is closed",
}


def explain(error: DomainError | LookupError, number: str = "") -> str:
    """A sentence for an expected error of an officer command."""
    if isinstance(error, RequestNotFound | LookupError):
        missing = str(error.args[0]) if error.args else number
        kind = (
            NumberKind.OBJECTION
            if missing.upper().startswith(NumberKind.OBJECTION.value)
            else NumberKind.REQUEST
        )
        noun = _NOUN[kind]
        return f"There is no {noun} {missing}. `tanya {noun} list` shows the {noun}s and their numbers."
    if isinstance(error, IllegalTransition):
        if error.action is Action.EXTEND and error.current is RequestStatus.EXTENDED:
            return (
                f"Request {number} has already been extended once; UU 14/2008 Pasal 22(8) allows one "
                "extension only."
            )
        if error.action is Action.ANSWER_OBJECTION:
            return f"Objection {number} has already been answered; a written answer cannot be changed."
        return f"Request {number} cannot be {_DONE[error.action]} now, because {_BECAUSE[error.current]}."
    if isinstance(error, InvalidOfflineRequest):  # the chat form's own words, in English here
        return f"--{error.field_name.replace('_', '-')}: {t(error.key, Lang.EN, **error.values)}"
    text = str(error).strip() or type(error).__name__
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
