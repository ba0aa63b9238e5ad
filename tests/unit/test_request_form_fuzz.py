"""The form handler answers any text at any step without raising (hypothesis), and the form's
field table is complete: every field has its question, label and cleaner."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import cast

from hypothesis import given, settings
from hypothesis import strategies as st

from handlers import request_form
from handlers.context import HandlerContext
from handlers.ports import KnowledgePort
from handlers.texts import CATALOGUE
from handlers.types import Channel, ConversationInfo, ConversationState, Flow, InputKind, UserInput

NOW = datetime(2026, 3, 16, 3, 0, tzinfo=UTC)
CTX = HandlerContext(
    conversation=ConversationInfo(id=1, channel=Channel.CLI, chat_id="u1", received_at=NOW),
    now=NOW,
    knowledge=cast(KnowledgePort, None),  # the form never searches
)
FULL = {
    "requester_type": "perorangan",
    "filing_as": "sendiri",
    "name": "Siti",
    "nik": "3273010101900001",
    "address": "Jl. Merdeka No. 10",
    "phone": "",
    "email": "",
    "information": "Salinan APBD 2024",
    "purpose": "Penelitian",
    "obtain_method": "melihat",
    "attachment": "",
}
STEPS = [
    request_form.CONSENT,
    request_form.SUMMARY,
    request_form.EDIT,
    *(f.name for f in request_form.FIELDS),
]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(STEPS), st.text(max_size=300), st.booleans())
def test_any_text_at_any_step_gets_an_answer(step: str, text: str, filled: bool) -> None:
    state = ConversationState(flow=Flow.REQUEST_FORM, step=step, data=dict(FULL) if filled else {})
    outcome = asyncio.run(request_form.handle_form(UserInput(kind=InputKind.TEXT, text=text), state, CTX))
    assert outcome.replies and all(r.text for r in outcome.replies)


def test_every_field_has_its_texts() -> None:
    data = dict(FULL)
    for field in request_form.FIELDS:
        assert field.label in CATALOGUE
        for requester_type in ("perorangan", "badan_hukum", "kelompok"):
            assert field.question({**data, "requester_type": requester_type}) in CATALOGUE


def test_next_question_is_the_first_missing_field() -> None:
    assert request_form.next_field({}) is request_form.FIELDS[0]
    assert request_form.next_field(FULL) is None
    entity = {**FULL, "requester_type": "badan_hukum"}
    missing = request_form.next_field(entity)
    assert missing is not None and missing.name == "legal_entity_number"
    by_email = {**FULL, "obtain_method": "salinan_softcopy", "copy_delivery": "email"}
    missing = request_form.next_field(by_email)
    assert missing is not None and missing.name == "email"  # skipped, but now required
