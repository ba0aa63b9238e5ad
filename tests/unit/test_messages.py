"""An inbound message survives the inbox: stored as JSON, read back by the pipeline unchanged."""

from __future__ import annotations

import gc
from datetime import UTC, datetime

from bot.heap import freeze_startup_heap
from bot.messages import InboundMessage
from handlers.types import Attachment, Channel, InputKind, UserInput


def _message(user_input: UserInput) -> InboundMessage:
    at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    return InboundMessage(Channel.TELEGRAM, "42", "7", at, user_input, sender_id="42", source="qr-kel-1")


def test_every_field_of_the_input_round_trips_through_the_stored_json() -> None:
    photo = Attachment(ref="att/1", mime_type="image/jpeg", size=2048, file_name="ktp.jpg")
    user_input = UserInput(
        kind=InputKind.PHOTO,
        text="ini KTP saya \ud800",  # a lone surrogate from a platform's JSON must not break the store
        contact_phone="+6281234567890",
        contact_is_sender=True,
        attachment=photo,
        is_group=True,
        addressed_to_bot=False,
        sender_name="Siti",
    )
    raw = _message(user_input).payload_json()
    assert raw.isascii()
    assert InboundMessage.input_from_json(raw) == (user_input, "42", "qr-kel-1", "")


def test_an_input_without_attachment_reads_back_without_one() -> None:
    user_input = UserInput(kind=InputKind.COMMAND, command="start", command_args="kel-sukamaju")
    assert InboundMessage.input_from_json(_message(user_input).payload_json())[0] == user_input


def test_the_startup_heap_is_frozen_out_of_later_collections() -> None:
    before = gc.get_freeze_count()
    kept = [object() for _ in range(3)], {"index": [1, 2, 3]}
    try:
        freeze_startup_heap()
        assert gc.get_freeze_count() > before
        assert kept[1]["index"] == [1, 2, 3]  # frozen objects stay usable
    finally:
        gc.unfreeze()
