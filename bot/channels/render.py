"""One Reply, rendered for each platform: text split at 4096 characters, buttons, lists, fallback.

Long text is split on a paragraph, line, sentence or word boundary, never inside a word unless a
single word is longer than the limit. Choices become Telegram inline buttons (``callback_data`` at
most 64 bytes) or WhatsApp reply buttons (at most 3, titles at most 20 characters) or a list
message (at most 10 rows, titles at most 24; a longer label, up to 72, is shortened in the title
and shown whole as the row's description); whatever does not fit is rendered as the numbered
text list every channel understands (``bot.channels.cli.render_text``). The web chat's buttons
wrap, so there a numbered line the buttons repeat is left out of the text and its whole wording
goes on the button, and a legal notice is marked for its own printable style.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.channels.cli import render_text
from handlers.domain.text_split import split_text, utf16_len
from handlers.router import PRIVATE_CHAT_LINK
from handlers.texts import t
from handlers.types import Attachment, Lang, Reply, ReplyStyle

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024  # a photo's or document's caption, on Telegram (UTF-16 units) and WhatsApp
BROADCAST_KINDS = frozenset({"broadcast", "urgent"})  # RT/RW announcements and serta merta notices
TELEGRAM_CALLBACK_BYTES = 64
WA_BUTTONS, WA_BUTTON_TITLE, WA_BUTTON_BODY = 3, 20, 1024
WA_ROWS, WA_ROW_TITLE, WA_ROW_TEXT, WA_LIST_BODY = 10, 24, 72, 4096
WA_REPLY_ID = 200


def _body(reply: Reply, link: str = "") -> str:
    link = link or reply.link
    return f"{reply.text}\n\n{link}" if link and link != PRIVATE_CHAT_LINK else reply.text


# --- Telegram ---

TelegramMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup


@dataclass(frozen=True, slots=True)
class TelegramMessage:
    text: str
    markup: TelegramMarkup | None = None


def telegram_messages(reply: Reply, *, bot_username: str = "", lang: Lang = Lang.ID) -> list[TelegramMessage]:
    """The sendMessage calls for one reply; the keyboard rides on the last one."""
    markup: TelegramMarkup | None = None
    text = _body(reply)
    fits = all(len(c.payload.encode()) <= TELEGRAM_CALLBACK_BYTES for c in reply.choices)
    if reply.request_contact:
        button = KeyboardButton(t("share_phone_button", lang), request_contact=True)
        markup = ReplyKeyboardMarkup([[button]], one_time_keyboard=True, resize_keyboard=True)
        text = render_text(Reply(text=text, choices=reply.choices))
    elif reply.choices and fits:
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton(c.label, callback_data=c.payload)] for c in reply.choices]
        )
    elif reply.choices:
        text = render_text(Reply(text=text, choices=reply.choices))
    elif reply.link == PRIVATE_CHAT_LINK and bot_username:
        url = f"https://t.me/{bot_username}?start=grup"
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(t("open_private_chat", lang), url=url)]])
    chunks = split_text(text, TEXT_LIMIT, utf16_len) or ["…"]
    return [TelegramMessage(c) for c in chunks[:-1]] + [TelegramMessage(chunks[-1], markup)]


@dataclass(frozen=True, slots=True)
class TelegramMedia:
    """The reply's file: ``sendPhoto`` for an image, else ``sendDocument``, with its caption."""

    caption: str = ""


def telegram_steps(
    reply: Reply, *, bot_username: str = "", lang: Lang = Lang.ID, captioned: bool = False
) -> list[TelegramMessage | TelegramMedia]:
    """The calls for a reply that may carry a file. An announcement (``captioned``) shows the file
    first, with the text as its caption when it fits (1024), else followed by the text; an
    officer's answer reads first and has its document after it."""
    texts = telegram_messages(reply, bot_username=bot_username, lang=lang)
    if reply.attachment is None:
        return list(texts)
    if not captioned:
        return [*texts, TelegramMedia()]
    if len(texts) == 1 and texts[0].markup is None and utf16_len(texts[0].text) <= CAPTION_LIMIT:
        return [TelegramMedia(texts[0].text)]
    return [TelegramMedia(), *texts]


# --- WhatsApp Cloud API ---

WhatsAppBody = dict[str, object]


def whatsapp_bodies(reply: Reply, *, lang: Lang = Lang.ID) -> list[WhatsAppBody]:
    """The message objects (without ``messaging_product`` and the recipient) for one reply."""
    text = _body(reply)
    choices = reply.choices
    short_ids = all(len(c.payload) <= WA_REPLY_ID for c in choices)
    if (
        choices
        and short_ids
        and len(choices) <= WA_BUTTONS
        and all(len(c.label) <= WA_BUTTON_TITLE for c in choices)
    ):
        head, body = _lead_and_body(text, WA_BUTTON_BODY)
        buttons = [{"type": "reply", "reply": {"id": c.payload, "title": c.label}} for c in choices]
        action: dict[str, object] = {"buttons": buttons}
        return [*map(_text, head), _interactive("button", body, action)]
    if (
        choices
        and short_ids
        and len(choices) <= WA_ROWS
        and all(len(c.label) <= WA_ROW_TEXT for c in choices)
    ):
        head, body = _lead_and_body(text, WA_LIST_BODY)
        rows = [_row(c.payload, c.label) for c in choices]
        action = {"button": t("whatsapp_list_button", lang)[:WA_BUTTON_TITLE], "sections": [{"rows": rows}]}
        return [*map(_text, head), _interactive("list", body, action)]
    if choices:
        text = render_text(Reply(text=text, choices=choices))
    return [_text(c) for c in split_text(text, TEXT_LIMIT)]


def _row(payload: str, label: str) -> dict[str, str]:
    """A list row; a label longer than a title is shortened there and shown whole as the description."""
    if len(label) <= WA_ROW_TITLE:
        return {"id": payload, "title": label}
    short = label[: WA_ROW_TITLE - 1].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"
    return {"id": payload, "title": short, "description": label}


def _lead_and_body(text: str, body_limit: int) -> tuple[list[str], str]:
    """Plain-text chunks to send first, and the last chunk (within ``body_limit``) for the body."""
    chunks = split_text(text, TEXT_LIMIT) or ["…"]
    if len(chunks[-1]) > body_limit:
        chunks = chunks[:-1] + split_text(chunks[-1], body_limit)
    return chunks[:-1], chunks[-1]


def _text(body: str) -> WhatsAppBody:
    return {"type": "text", "text": {"body": body, "preview_url": "http" in body}}


def _interactive(kind: str, body: str, action: dict[str, object]) -> WhatsAppBody:
    return {"type": "interactive", "interactive": {"type": kind, "body": {"text": body}, "action": action}}


def whatsapp_document(media_id: str, attachment: Attachment, caption: str = "") -> WhatsAppBody:
    """An uploaded file as its own message: an image as an image, anything else as a document."""
    extra = {"caption": caption} if caption else {}
    if attachment.mime_type.startswith("image/"):
        return {"type": "image", "image": {"id": media_id, **extra}}
    name = attachment.file_name or "dokumen"
    return {"type": "document", "document": {"id": media_id, "filename": name, **extra}}


def whatsapp_with_media(
    bodies: list[WhatsAppBody], media_id: str, attachment: Attachment, *, captioned: bool = False
) -> list[WhatsAppBody]:
    """The reply's messages with its file: an announcement (``captioned``) shows the file first,
    the text as its caption when it is one text of at most 1024 characters; an officer's answer
    has its document after the text."""
    if not captioned:
        return [*bodies, whatsapp_document(media_id, attachment)]
    if len(bodies) == 1 and bodies[0]["type"] == "text":
        text = str(cast(dict[str, object], bodies[0]["text"])["body"])
        if len(text) <= CAPTION_LIMIT:
            return [whatsapp_document(media_id, attachment, text)]
    return [whatsapp_document(media_id, attachment), *bodies]


def whatsapp_template(name: str, lang_code: str, reply: Reply) -> WhatsAppBody:
    """A template message carrying the reply as its one body parameter (outside the 24-hour window).

    Template parameters may not hold new lines, tabs or more than four spaces in a row, and are
    kept short; the full text waits in the conversation for when the citizen writes back.
    """
    flat = re.sub(r"\s+", " ", render_text(reply)).strip()
    if len(flat) > 1000:
        flat = split_text(flat, 999)[0] + "…"
    return {
        "type": "template",
        "template": {
            "name": name,
            "language": {"code": lang_code},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": flat}]}],
        },
    }


# --- web chat ---

_NUMBERED_LINE = re.compile(r"^(\d{1,3}|[a-z])\. (.+)$")  # "2. Renja…", "c. Permohonan Anda…"
_NUMBER_PREFIX = re.compile(r"^(\d{1,3})\. ")


def _listed_by(number: str, words: str, label: str) -> bool:
    """Whether the line "``number``. ``words``" lists the button ``label``: "2. Renja Dinkes…",
    "Renja Dinkes 2024", or the bare key "C" of the line "c. …"."""
    if label.strip().lower() == number:
        return True
    prefix = _NUMBER_PREFIX.match(label)
    if prefix and prefix.group(1) != number:
        return False
    core = label[prefix.end() :] if prefix else label
    core = core.removesuffix("…").rstrip()
    return bool(core) and words.startswith(core)


def web_message(reply: Reply, *, notice: bool = False) -> dict[str, object]:
    """A reply for the web page: text, buttons, link and style (``notice`` or ``chat``).

    Buttons exist there and wrap, so a menu is not printed twice: each numbered line that lists a
    button is dropped from the text, and the button takes the line's whole wording (a label
    shortened for other channels, "2. Bagaimana cara…", becomes the full question).
    """
    labels = [c.label for c in reply.choices]
    used = [False] * len(labels)
    kept: list[str] = []
    for line in reply.text.split("\n") if labels else []:
        match = _NUMBERED_LINE.match(line)
        index = None
        if match:
            number, words = match.groups()
            index = next(
                (i for i, label in enumerate(labels) if not used[i] and _listed_by(number, words, label)),
                None,
            )
        if index is None:
            kept.append(line)
            continue
        used[index] = True
        keyed = _NUMBER_PREFIX.match(labels[index]) or labels[index].strip().lower() == number
        labels[index] = line if keyed else words
    text = "\n".join(kept).strip() if labels else reply.text
    style = ReplyStyle.NOTICE if notice or reply.style is ReplyStyle.NOTICE else ReplyStyle.CHAT
    return {
        "text": text,
        "choices": [
            {"label": label, "payload": c.payload} for label, c in zip(labels, reply.choices, strict=True)
        ],
        "link": reply.link,
        "style": style.value,
        "file": (
            {"name": reply.attachment.file_name or "dokumen", "type": reply.attachment.mime_type,
             "size": reply.attachment.size}
            if reply.attachment else None
        ),  # the page downloads it from /api/web/files/{row id} with its session
    }  # fmt: skip
