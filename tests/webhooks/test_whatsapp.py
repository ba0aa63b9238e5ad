"""The WhatsApp webhook and sender against the fake Graph API, with recorded notification payloads."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from bot.channels.whatsapp import NO_ADDRESS
from handlers.texts import t
from handlers.types import Choice, InputKind, Reply
from storage.models import Conversation, OutboxMessage
from storage.repositories import ConversationRepository, OutboxRepository
from tests.fake_platforms import FakeGraph, FakeTelegram
from tests.webhooks.conftest import FAST, WA_VERIFY, Service, fixture, running

SITI = "ID.1503012345678901"  # business-scoped user id: the conversation key when present
BUDI = "6281398765432"  # no BSUID in the payload: keyed on wa_id


def bodies(service: Service, recipient: str) -> list[dict[str, Any]]:
    return service.graph.sent(recipient)


async def test_verification_echoes_the_challenge_only_for_the_right_token(service: Service) -> None:
    ok = {"hub.mode": "subscribe", "hub.verify_token": WA_VERIFY, "hub.challenge": "1158201444"}
    response = await service.client.get("/webhook/whatsapp", params=ok)
    assert response.status_code == 200 and response.text == "1158201444"
    for wrong in ({**ok, "hub.verify_token": "nope"}, {**ok, "hub.mode": "unsubscribe"}, {}):
        assert (await service.client.get("/webhook/whatsapp", params=wrong)).status_code == 403


async def test_unsigned_forged_oversized_and_malformed_bodies_change_nothing(service: Service) -> None:
    body = fixture("wa_text.json")
    assert (await service.post_whatsapp(body, secret=None)).status_code == 401
    assert (await service.post_whatsapp(body, secret="the-wrong-app-secret")).status_code == 403
    assert (
        await service.post_whatsapp(json.dumps(body).encode() + b" " * (3 * 1024 * 1024))
    ).status_code == 413
    assert (
        await service.post_whatsapp(b'{"object": "whatsapp_business_account", "entry": [')
    ).status_code == 400
    assert (await service.post_whatsapp(b'{"entry": "not a list"}')).status_code == 400
    await service.settle()
    assert await service.inbox() == []
    assert service.graph.calls == []


async def test_a_text_is_answered_through_the_graph_api(service: Service) -> None:
    assert (await service.post_whatsapp(fixture("wa_text.json"))).status_code == 200
    assert len(await service.inbox()) == 1  # committed before the 200
    await service.settle()
    greeting, menu = bodies(service, SITI)
    assert greeting["recipient"] == SITI and "to" not in greeting  # a BSUID goes in "recipient"
    assert greeting["type"] == "text" and "Siti Rahma" in greeting["text"]["body"]
    assert menu["type"] == "interactive"
    interactive = menu["interactive"]
    rows = interactive["action"]["sections"][0]["rows"] if interactive["type"] == "list" else []
    buttons = interactive["action"].get("buttons", [])
    titles = [r["title"] for r in rows] + [b["reply"]["title"] for b in buttons]
    assert titles and all(len(title) <= 24 for title in titles)
    assert len(rows) <= 10 and len(buttons) <= 3


async def test_a_body_with_two_users_answers_both(service: Service) -> None:
    await service.post_whatsapp(fixture("wa_two_users.json"))
    await service.settle()
    assert len(bodies(service, SITI)) == 2  # greeting + menu
    assert len(bodies(service, BUDI)) == 1  # the menu
    assert bodies(service, BUDI)[0]["to"] == BUDI


async def test_the_same_body_twice_gets_one_answer(service: Service) -> None:
    body = fixture("wa_text.json")
    responses = await asyncio.gather(*(service.post_whatsapp(body) for _ in range(3)))
    assert {r.status_code for r in responses} == {200}
    await service.settle()
    assert len(await service.inbox()) == 1
    assert len(bodies(service, SITI)) == 2


async def test_statuses_move_the_delivery_state_forward_and_record_failures(service: Service) -> None:
    await service.post_whatsapp(fixture("wa_text.json"))
    await service.settle()
    pseudonym = service.runtime.crypto.chat_pseudonym  # a wamid encodes the number: stored hashed
    assert [r.platform_message_id for r in await service.outbox()] == [
        pseudonym("wamid.FAKE00000001"),
        pseudonym("wamid.FAKE00000002"),
    ]
    assert (await service.post_whatsapp(fixture("wa_statuses.json"))).status_code == 200
    first, second = await service.outbox()
    assert first.delivery_state == "read"  # "delivered" arrived after "read": no step back
    assert second.delivery_state == "failed" and second.status == "failed"
    assert second.error.startswith("131047 Re-engagement message")
    assert len(await service.inbox()) == 1  # statuses are not messages


async def test_a_status_that_comes_before_its_send_is_recorded_is_applied_later(service: Service) -> None:
    await service.post_whatsapp(fixture("wa_text.json"))
    await service.settle()
    channel = service.runtime.whatsapp
    assert channel is not None
    channel.status_retry = (0.05, 0.05, 0.05, 5.0)
    async with service.runtime.db.write() as session:  # as if the relay had not recorded the sends yet
        await session.execute(update(OutboxMessage).values(platform_message_id=""))
    assert (await service.post_whatsapp(fixture("wa_statuses.json"))).status_code == 200
    assert {r.delivery_state for r in await service.outbox()} == {""}
    async with service.runtime.db.write() as session:  # the relay records them
        for n in (1, 2):
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == n)
                .values(platform_message_id=service.runtime.crypto.chat_pseudonym(f"wamid.FAKE0000000{n}"))
            )
    async with asyncio.timeout(10):
        while [r.delivery_state for r in await service.outbox()] != ["read", "failed"]:  # noqa: ASYNC110 (polls the database)
            await asyncio.sleep(0.02)
    assert (await service.outbox())[1].status == "failed"


async def test_a_body_with_a_message_and_a_status_in_two_changes(service: Service) -> None:
    await service.post_whatsapp(fixture("wa_two_users.json"))
    await service.settle()
    await service.post_whatsapp(fixture("wa_two_changes.json"))
    await service.settle()
    rows = await service.outbox()
    # the status names the first message id the fake handed out; the two users' first replies are
    # sent side by side, so which row got it is a race: exactly one of them is delivered
    assert [r.delivery_state for r in rows].count("delivered") == 1
    assert len(bodies(service, BUDI)) == 3  # menu, then help + menu for "bantuan"


@pytest.mark.parametrize("name", ["wa_interactive_button.json", "wa_interactive_list.json"])
async def test_a_tapped_button_or_list_row_is_a_choice(service: Service, name: str) -> None:
    await service.post_whatsapp(fixture(name))
    await service.settle()
    payload = (await service.inbox())[0].payload
    assert '"kind": "choice"' in payload
    assert bodies(service, SITI)


async def test_an_image_is_fetched_through_the_media_endpoint(service: Service) -> None:
    media = service.graph.add_media("1479537139650973", b"\xff\xd8 ktp photo", "image/jpeg")
    body = fixture("wa_image.json")
    body["entry"][0]["changes"][0]["value"]["messages"][0]["image"]["sha256"] = media.sha256
    await service.post_whatsapp(body)
    await service.settle()
    ((data, mime, _name),) = service.attachments.files.values()
    assert data == b"\xff\xd8 ktp photo" and mime == "image/jpeg"
    assert [c.method for c in service.graph.calls[:2]] == ["media", "download"]


async def test_a_document_whose_hash_does_not_match_is_refused(service: Service) -> None:
    service.graph.add_media("1479537139650974", b"%PDF tampered", "application/pdf")
    await service.post_whatsapp(fixture("wa_document.json"))  # sha256 "SHA256" does not match
    await service.settle()
    assert service.attachments.files == {}
    assert '"kind": "document"' in (await service.inbox())[0].payload


async def test_a_reaction_gets_no_answer_and_unsupported_types_a_polite_one(service: Service) -> None:
    await service.post_whatsapp(fixture("wa_reaction.json"))
    await service.settle()
    assert bodies(service, SITI) == []
    await service.post_whatsapp(fixture("wa_unsupported.json"))
    await service.settle()
    (reply,) = bodies(service, SITI)
    assert reply["text"]["body"] == t("unsupported_input")


@pytest.mark.parametrize(
    ("name", "kind"),
    [("wa_location.json", InputKind.LOCATION), ("wa_contacts.json", InputKind.CONTACT)],
)
async def test_locations_and_shared_contacts_are_read(service: Service, name: str, kind: InputKind) -> None:
    await service.post_whatsapp(fixture(name))
    await service.settle()
    payload = (await service.inbox())[0].payload
    assert f'"kind": "{kind.value}"' in payload
    if kind is InputKind.CONTACT:
        assert '"contact_is_sender": true' in payload


async def test_a_user_with_only_a_username_is_keyed_on_the_bsuid(service: Service) -> None:
    await service.post_whatsapp(fixture("wa_username_only.json"))
    await service.settle()
    conversation = await service.conversation("whatsapp", "ID.1503099999999999")
    assert conversation is not None
    assert bodies(service, "ID.1503099999999999")[0]["recipient"] == "ID.1503099999999999"


@pytest.mark.parametrize("name", ["wa_other_number.json", "wa_template_status_update.json"])
async def test_notifications_for_other_numbers_or_fields_are_ignored(service: Service, name: str) -> None:
    assert (await service.post_whatsapp(fixture(name))).status_code == 200
    await service.settle()
    assert await service.inbox() == []


async def _late_answer(service: Service, chat: str, hours: float, reply: Reply) -> None:
    """An officer answers ``hours`` after the citizen's last message."""
    await service.post_whatsapp(fixture("wa_two_users.json"))
    await service.settle()
    service.clock.offset += timedelta(hours=hours)
    key = service.chat("whatsapp", chat)
    async with service.runtime.db.write() as session:
        convs = await ConversationRepository.lock_or_create(session, [key], service.clock())
        OutboxRepository.add(session, convs[key], [reply.to_json()], service.clock(), kind="notice")
    await service.settle()


async def test_outside_the_24_hour_window_a_reply_is_held_without_a_template(service: Service) -> None:
    await _late_answer(service, BUDI, 25, Reply(text="Jawaban petugas"))
    row = (await service.outbox())[-1]
    assert row.status == "held" and "24-hour" in row.error
    assert len(bodies(service, BUDI)) == 1  # only the menu of the first day


async def test_inside_the_window_a_late_answer_is_plain_text(service: Service) -> None:
    await _late_answer(service, BUDI, 23, Reply(text="Jawaban petugas"))
    assert bodies(service, BUDI)[-1]["text"]["body"] == "Jawaban petugas"


async def test_outside_the_window_the_configured_template_is_used(
    tmp_path: Path, fakes: tuple[FakeTelegram, FakeGraph]
) -> None:
    telegram, graph = fakes
    options = {**FAST, "whatsapp_template_name": "tanya_pemberitahuan", "whatsapp_template_lang": "id"}
    async with running(tmp_path, telegram, graph, **options) as service:
        await _late_answer(service, BUDI, 30, Reply(text="Permohonan Anda\nsudah dijawab."))
        sent = bodies(service, BUDI)[-1]
        assert sent["type"] == "template"
        template = sent["template"]
        assert template["name"] == "tanya_pemberitahuan" and template["language"] == {"code": "id"}
        parameter = template["components"][0]["parameters"][0]["text"]
        assert parameter == "Permohonan Anda sudah dijawab."  # no new lines in a template parameter
        # Meta closes the window earlier than we thought: 131047, then the template
        graph.fail_next(BUDI, "outside_window")
        service.clock.offset -= timedelta(hours=29)
        key = service.chat("whatsapp", BUDI)
        async with service.runtime.db.write() as session:
            convs = await ConversationRepository.lock_or_create(session, [key], service.clock())
            OutboxRepository.add(session, convs[key], [Reply(text="Lagi").to_json()], service.clock())
        await service.settle()
        assert bodies(service, BUDI)[-1]["type"] == "template"
        assert (await service.outbox())[-1].status == "sent"


async def test_graph_errors_are_retried_or_failed_with_the_reason(service: Service) -> None:
    service.graph.fail_next(BUDI, "throughput", "server")
    service.graph.fail_next(SITI, "undeliverable")
    await service.post_whatsapp(fixture("wa_two_users.json"))
    await service.settle()
    for _ in range(2):
        service.clock.offset += timedelta(seconds=5)
        await service.settle()
    (_, budi), (_, siti_chat) = service.chat("whatsapp", BUDI), service.chat("whatsapp", SITI)
    rows = {r.chat_id: r for r in await service.outbox() if r.chat_id == budi}
    assert rows[budi].status == "sent" and rows[budi].attempts == 3
    siti = [r for r in await service.outbox() if r.chat_id == siti_chat]
    assert siti[0].status == "failed" and siti[0].error.startswith("131026")
    assert siti[1].status == "sent"  # a permanent failure does not hold the next reply back


async def test_choices_render_as_buttons_lists_or_numbered_text(service: Service) -> None:
    three = tuple(Choice(f"Pilihan {n}", f"x:{n}") for n in range(3))
    eleven = tuple(Choice(f"Pilihan {n}", f"x:{n}") for n in range(11))
    replies = [Reply(text="A", choices=three), Reply(text="B", choices=eleven)]
    async with service.runtime.db.write() as session:
        convs = await ConversationRepository.lock_or_create(session, [("whatsapp", BUDI)], service.clock())
        conv = convs[("whatsapp", BUDI)]
        conv.last_inbound_at = service.clock()
        OutboxRepository.add(session, conv, [r.to_json() for r in replies], service.clock())
    await service.settle()
    buttons, numbered = bodies(service, BUDI)
    assert buttons["interactive"]["type"] == "button"
    assert [b["reply"]["id"] for b in buttons["interactive"]["action"]["buttons"]] == ["x:0", "x:1", "x:2"]
    assert numbered["type"] == "text" and "[11] Pilihan 10" in numbered["text"]["body"]


async def test_numbers_are_stored_as_pseudonyms_and_a_chat_without_its_number_gets_nothing(
    service: Service,
) -> None:
    await service.post_whatsapp(fixture("wa_two_users.json"))
    await service.settle()
    _, budi = service.chat("whatsapp", BUDI)
    assert budi.startswith("~h1:") and BUDI not in budi
    assert {r.chat_id for r in await service.inbox()} == {budi, service.chat("whatsapp", SITI)[1]}
    conversation = await service.conversation("whatsapp", BUDI)
    assert conversation is not None and conversation.address == BUDI  # sealed; the relay sends to it
    sent = len(bodies(service, BUDI))
    async with service.runtime.db.write() as session:  # as after erasure: the number is gone
        await session.execute(
            update(Conversation).where(Conversation.id == conversation.id).values(address=None)
        )
        conv = await session.get(Conversation, conversation.id)
        assert conv is not None
        conv.last_inbound_at = service.clock()
        OutboxRepository.add(
            session, conv, [Reply(text="Keputusan").to_json()], service.clock(), kind="notice"
        )
    await service.settle()
    row = (await service.outbox())[-1]
    assert row.status == "failed" and row.error == NO_ADDRESS
    assert len(bodies(service, BUDI)) == sent and service.graph.sent(budi) == []
