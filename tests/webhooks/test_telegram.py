"""The Telegram webhook and sender against the fake Bot API, with recorded update payloads."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from telegram import Update

from handlers import menu
from handlers.context import HandlerContext
from handlers.texts import t
from handlers.types import ConversationState, Flow, InputKind, Outcome, Reply, UserInput
from storage.repositories import ConversationRepository, OutboxRepository
from tests.fake_platforms import BOT_USERNAME
from tests.webhooks.conftest import Service, fixture

USER = "555001"
GROUP = "-1001234567890"


def texts(service: Service, chat: str = USER) -> list[str]:
    return [str(p["text"]) for p in service.telegram.sent(chat)]


async def test_missing_or_wrong_secret_is_refused_and_nothing_is_processed(service: Service) -> None:
    assert (await service.post_telegram(fixture("tg_text.json"), secret=None)).status_code == 401
    assert (await service.post_telegram(fixture("tg_text.json"), secret="wrong")).status_code == 403
    assert (await service.post_telegram(fixture("tg_text.json"), secret="")).status_code == 403
    await service.settle()
    assert await service.inbox() == []
    assert service.telegram.sent() == []


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'{"message": {}}'])
async def test_malformed_updates_are_refused(service: Service, body: bytes) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": "tg-webhook-secret-0123456789"}
    response = await service.client.post("/webhook/telegram", content=body, headers=headers)
    assert response.status_code == 400
    assert await service.inbox() == []


async def test_greeting_gets_the_menu_as_inline_buttons(service: Service) -> None:
    assert (await service.post_telegram(fixture("tg_text.json"))).status_code == 200
    assert [m.message_id for m in await service.inbox()] == ["u100000001"]  # committed before the 200
    await service.settle()
    sent = service.telegram.sent(USER)
    assert "Siti" in str(sent[0]["text"])
    keyboard = sent[-1]["reply_markup"]["inline_keyboard"]
    payloads = [row[0]["callback_data"] for row in keyboard]
    assert "menu:help" in payloads
    assert all(len(p.encode()) <= 64 for p in payloads)


async def test_the_same_update_twice_gets_one_answer(service: Service) -> None:
    update = fixture("tg_text.json")
    first, second = await asyncio.gather(service.post_telegram(update), service.post_telegram(update))
    assert first.status_code == second.status_code == 200
    await service.settle()
    again = await service.post_telegram(update)
    assert again.status_code == 200
    await service.settle()
    assert len(await service.inbox()) == 1
    assert len(texts(service)) == 2  # greeting + menu, once


async def test_start_with_a_deep_link_keeps_the_source(service: Service) -> None:
    await service.post_telegram(fixture("tg_start_deeplink.json"))
    await service.settle()
    conversation = await service.conversation("telegram", USER)
    assert conversation is not None and conversation.source == "kel-sukamaju"
    assert "Selamat datang" in texts(service)[0]


async def test_group_answers_only_what_is_addressed_to_the_bot(service: Service) -> None:
    for name in ("tg_group_plain.json", "tg_group_command_other_bot.json"):
        assert (await service.post_telegram(fixture(name))).status_code == 200
    await service.settle()
    assert await service.inbox() == []
    await service.post_telegram(fixture("tg_group_command_botname.json"))
    await service.settle()
    assert t("help").split("\n")[0] in texts(service, GROUP)[0]
    before = len(texts(service, GROUP))
    await service.post_telegram(fixture("tg_group_mention.json"))
    await service.settle()
    assert len(texts(service, GROUP)) > before
    payload = (await service.inbox())[-1].payload
    assert "jadwal posyandu" in payload and "@TanyaPPIDBot" not in payload


async def test_group_never_starts_the_personal_data_form(service: Service) -> None:
    async def start_form(_: UserInput, state: ConversationState, __: HandlerContext) -> Outcome:
        return Outcome((Reply(text="Nama lengkap Anda?"),), state.with_(flow=Flow.REQUEST_FORM, step="name"))

    entry = menu.MenuEntry("formtest", "menu_help", frozenset({"formtest"}), start_form, 99)
    service.runtime.router.add_menu_entry(entry)
    update = fixture("tg_group_command_botname.json")
    update["message"]["text"] = f"/formtest@{BOT_USERNAME}"
    update["message"]["entities"][0]["length"] = len(update["message"]["text"])
    await service.post_telegram(update)
    await service.settle()
    (sent,) = service.telegram.sent(GROUP)
    assert sent["text"] == t("group_private_only")
    button = sent["reply_markup"]["inline_keyboard"][0][0]
    assert button["url"] == f"https://t.me/{BOT_USERNAME}?start=grup"
    conversation = await service.conversation("telegram", GROUP)
    assert conversation is not None and '"flow": ""' in conversation.state


async def test_a_button_tap_is_answered_and_handled(service: Service) -> None:
    await service.post_telegram(fixture("tg_callback.json"))
    await service.settle()
    answers = service.telegram.calls_to("answerCallbackQuery")
    assert [a.params["callback_query_id"] for a in answers] == ["4382bfdwdsb323b2d9"]
    assert "text" not in answers[0].params
    assert t("help").split("\n")[0] in texts(service)[0]


async def test_a_stale_tap_gets_a_toast_and_changes_nothing(service: Service) -> None:
    await service.post_telegram(fixture("tg_text.json"))
    await service.settle()
    before = (await service.conversation("telegram", USER)).state  # type: ignore[union-attr]
    sent_before = len(texts(service))
    await service.post_telegram(fixture("tg_callback_stale.json"))
    await service.settle()
    (answer,) = service.telegram.calls_to("answerCallbackQuery")
    assert answer.params["text"] == t("stale_choice")
    assert len(texts(service)) == sent_before  # a toast, not a message
    after = await service.conversation("telegram", USER)
    assert after is not None and after.state == before


async def test_a_redelivered_tap_is_answered_again_without_a_second_reply(service: Service) -> None:
    for _ in range(2):
        await service.post_telegram(fixture("tg_callback.json"))
    await service.settle()
    await service.wait_for(lambda: len(service.telegram.calls_to("answerCallbackQuery")) == 2)
    assert len(texts(service)) == 2  # help + menu, once


@pytest.mark.parametrize(
    ("name", "kind", "own"),
    [("tg_contact_own.json", InputKind.CONTACT, True), ("tg_contact_other.json", InputKind.CONTACT, False)],
)
async def test_a_contact_is_verified_only_when_it_is_the_senders(
    service: Service, name: str, kind: InputKind, own: bool
) -> None:
    channel = service.runtime.telegram
    assert channel is not None
    parsed = await channel.parse(Update.de_json(fixture(name), channel.bot))
    assert parsed.message is not None
    assert parsed.message.input.kind is kind
    assert parsed.message.input.contact_is_sender is own
    assert parsed.message.input.contact_phone.startswith("+62")


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("tg_location.json", InputKind.LOCATION),
        ("tg_sticker.json", InputKind.STICKER),
        ("tg_voice.json", InputKind.OTHER),
    ],
)
async def test_no_text_messages_are_answered_politely(service: Service, name: str, kind: InputKind) -> None:
    channel = service.runtime.telegram
    assert channel is not None
    parsed = await channel.parse(Update.de_json(fixture(name), channel.bot))
    assert parsed.message is not None and parsed.message.input.kind is kind
    await service.post_telegram(fixture(name))
    await service.settle()
    assert texts(service) == [t("unsupported_input")]


async def test_photo_is_downloaded_into_the_attachment_store(service: Service) -> None:
    service.telegram.add_file("AgACAgUAAxkBAAIBlarge", b"\xff\xd8jpeg-bytes", "photos/file_1.jpg")
    channel = service.runtime.telegram
    assert channel is not None
    parsed = await channel.parse(Update.de_json(fixture("tg_photo.json"), channel.bot))
    attachment = parsed.message.input.attachment if parsed.message else None
    assert attachment is not None and attachment.mime_type == "image/jpeg"
    assert service.attachments.files[attachment.ref][0] == b"\xff\xd8jpeg-bytes"
    assert service.telegram.calls_to("getFile")[0].params["file_id"] == "AgACAgUAAxkBAAIBlarge"


async def test_documents_are_checked_for_type_and_size(service: Service) -> None:
    service.telegram.add_file("BQACAgUAAxkBAAIBpdf", b"%PDF-1.7 kuasa", "documents/file_2.pdf")
    channel = service.runtime.telegram
    assert channel is not None
    pdf = await channel.parse(Update.de_json(fixture("tg_document_pdf.json"), channel.bot))
    assert pdf.message and pdf.message.input.attachment
    assert pdf.message.input.attachment.file_name == "surat_kuasa.pdf"
    for name in ("tg_document_exe.json", "tg_document_huge.json"):
        refused = await channel.parse(Update.de_json(fixture(name), channel.bot))
        assert refused.message and refused.message.input.kind is InputKind.DOCUMENT
        assert refused.message.input.attachment is None
    assert len(service.telegram.calls_to("getFile")) == 1  # refused files are never downloaded


async def test_a_refused_file_inside_a_flow_is_asked_for_again(service: Service) -> None:
    from handlers.routing import build_router

    router = build_router()

    state = ConversationState(flow=Flow.REQUEST_FORM, step="ktp")
    inp = UserInput(kind=InputKind.DOCUMENT)
    outcome = await router.dispatch(inp, state, None)  # type: ignore[arg-type]
    assert outcome.replies[0].text == t("attachment_refused")
    assert outcome.state == state
    reaction = await router.dispatch(replace(inp, kind=InputKind.REACTION), state, None)  # type: ignore[arg-type]
    assert reaction.replies == ()


@pytest.mark.parametrize("name", ["tg_edited.json", "tg_channel_post.json"])
async def test_edited_messages_and_channel_posts_are_ignored(service: Service, name: str) -> None:
    assert (await service.post_telegram(fixture(name))).status_code == 200
    await service.settle()
    assert await service.inbox() == []
    assert service.telegram.sent() == []


async def test_a_user_who_blocks_the_bot_gets_nothing_more(service: Service) -> None:
    await service.post_telegram(fixture("tg_text.json"))
    await service.settle()
    sent = len(texts(service))
    await service.post_telegram(fixture("tg_my_chat_member_kicked.json"))
    conversation = await service.conversation("telegram", USER)
    assert conversation is not None and conversation.unreachable
    async with service.runtime.db.write() as session:  # an officer's late answer
        convs = await ConversationRepository.lock_or_create(session, [("telegram", USER)], service.clock())
        OutboxRepository.add(
            session, convs[("telegram", USER)], [Reply(text="Jawaban petugas").to_json()], service.clock()
        )
    await service.settle()
    assert len(texts(service)) == sent
    row = (await service.outbox())[-1]
    assert row.status == "failed" and row.error.startswith("unreachable")
    await service.post_telegram(fixture("tg_my_chat_member_member.json"))
    conversation = await service.conversation("telegram", USER)
    assert conversation is not None and not conversation.unreachable


async def test_blocked_on_send_marks_the_conversation_unreachable(service: Service) -> None:
    service.telegram.fail_next(USER, "blocked")
    await service.post_telegram(fixture("tg_text.json"))
    await service.settle()
    rows = await service.outbox()
    assert [r.status for r in rows] == ["failed", "failed"]
    assert rows[0].error.startswith("403") and rows[1].error.startswith("unreachable")
    conversation = await service.conversation("telegram", USER)
    assert conversation is not None and conversation.unreachable
    assert texts(service) == []


async def test_flood_control_and_server_errors_are_retried_in_order(service: Service) -> None:
    service.telegram.fail_next(USER, "retry_after", "server")
    await service.post_telegram(fixture("tg_text.json"))
    await service.settle()
    service.clock.offset += __import__("datetime").timedelta(seconds=2)
    await service.settle()
    service.clock.offset += __import__("datetime").timedelta(seconds=4)
    await service.settle()
    rows = await service.outbox()
    assert [r.status for r in rows] == ["sent", "sent"]
    assert rows[0].attempts == 3
    sent = texts(service)
    assert len(sent) == 2 and "Siti" in sent[0]  # greeting first, once, then the menu


async def test_bad_request_fails_permanently(service: Service) -> None:
    service.telegram.fail_next(USER, "bad")
    await service.post_telegram(fixture("tg_text.json"))
    await service.settle()
    rows = await service.outbox()
    assert rows[0].status == "failed" and rows[0].error == "400 Chat not found"
    assert rows[1].status == "sent"


async def test_a_long_reply_is_split_and_the_phone_step_offers_a_contact_button(service: Service) -> None:
    long_text = " ".join(f"Kalimat nomor {n} tentang informasi publik." for n in range(400))
    async with service.runtime.db.write() as session:
        convs = await ConversationRepository.lock_or_create(session, [("telegram", USER)], service.clock())
        replies = [
            Reply(text=long_text),
            Reply(text="Nomor HP Anda?", request_contact=True),
            Reply(text="Terima kasih"),
        ]
        OutboxRepository.add(
            session, convs[("telegram", USER)], [r.to_json() for r in replies], service.clock()
        )
    await service.settle()
    sent = service.telegram.sent(USER)
    parts = [str(p["text"]) for p in sent[:-2]]
    assert len(parts) == 5 and all(len(p) <= 4096 for p in parts)
    assert all(p.endswith(".") for p in parts)  # cut between sentences
    assert " ".join(parts) == long_text
    keyboard = sent[-2]["reply_markup"]
    assert keyboard["keyboard"][0][0]["request_contact"] is True
    assert sent[-1]["reply_markup"] == {"remove_keyboard": True}
