"""Signed but malformed webhook bodies: refused with 400 (or ignored), never a 500 or a traceback."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Coroutine
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.webhooks.conftest import JSON, PHONE_ID, TG_SECRET, Service, fixture

TG_HEADERS = {"X-Telegram-Bot-Api-Secret-Token": TG_SECRET, "content-type": "application/json"}


def _nested(key: str, depth: int, leaf: JSON) -> JSON:
    node = leaf
    for _ in range(depth):
        node = {**leaf, key: node}
    return node


async def _post_raw_telegram(service: Service, raw: bytes) -> httpx.Response:
    return await service.client.post("/webhook/telegram", content=raw, headers=TG_HEADERS)


@pytest.mark.parametrize(
    "update",
    [
        {"update_id": 1, "message": "hello"},
        {"update_id": 2, "message": ["hello"]},
        {"update_id": 3, "callback_query": {"id": "x"}},
        {"update_id": 4, "message": {"message_id": 1}},
        {"update_id": 5, "message": {"message_id": 1, "date": 10**20, "chat": {"id": 1, "type": "private"}}},
        {"update_id": True, "message": {}},
    ],
)
async def test_a_signed_update_of_the_wrong_shape_gets_400(service: Service, update: JSON) -> None:
    response = await service.post_telegram(update)
    assert response.status_code == 400
    assert await service.inbox() == []


async def test_a_chat_member_update_without_its_member_gets_400(service: Service) -> None:
    update = fixture("tg_my_chat_member_kicked.json")
    del update["my_chat_member"]["new_chat_member"]
    assert (await service.post_telegram(update)).status_code == 400


async def test_deep_nesting_gets_400(service: Service) -> None:
    raw = b'{"update_id": 7, "message": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    assert (await _post_raw_telegram(service, raw)).status_code == 400
    message = fixture("tg_text.json")["message"]
    deep = {"update_id": 8, "message": _nested("reply_to_message", 5_000, message)}
    raw = json.dumps(deep).encode() if _dumps_ok(deep) else b""
    if raw:
        assert (await _post_raw_telegram(service, raw)).status_code in (200, 400)


async def test_a_huge_telegram_body_is_refused_while_it_streams(service: Service) -> None:
    pulled = []

    async def body() -> Any:
        for _ in range(100):
            pulled.append(1)
            yield b" " * (256 * 1024)

    response = await service.client.post("/webhook/telegram", content=body(), headers=TG_HEADERS)
    assert response.status_code == 413 and len(pulled) <= 6


@pytest.mark.parametrize("bad_id", ["wamid." + "A" * 200, "wamid.\x00"])
async def test_a_whatsapp_message_id_that_cannot_be_stored_gets_400(service: Service, bad_id: str) -> None:
    body = fixture("wa_text.json")
    body["entry"][0]["changes"][0]["value"]["messages"][0]["id"] = bad_id
    assert (await service.post_whatsapp(body)).status_code == 400
    assert await service.inbox() == []
    # and a good body right after is stored
    assert (await service.post_whatsapp(fixture("wa_text.json"))).status_code == 200
    assert len(await service.inbox()) == 1


async def test_whatsapp_deep_nesting_gets_400(service: Service) -> None:
    raw = b'{"object": "whatsapp_business_account", "entry": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert (await service.post_whatsapp(raw)).status_code == 400


# --- fuzz: signed garbage never gets a 5xx ---

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


def _field(values: st.SearchStrategy[Any], keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    """Dicts with some of the real keys (random values) and some random ones."""
    return st.fixed_dictionaries({}, optional={key: values for key in keys}) | st.dictionaries(
        st.sampled_from(keys), JSON_VALUES, max_size=4
    )


CHAT = _field(
    st.integers() | st.text(max_size=5) | st.sampled_from(["private", "group", "channel"]), ["id", "type"]
)
USER = _field(st.integers() | st.booleans() | st.text(max_size=5), ["id", "is_bot", "first_name"])
MESSAGE = st.fixed_dictionaries(
    {},
    optional={
        "message_id": st.integers(),
        "date": st.integers(),
        "chat": CHAT | JSON_VALUES,
        "from": USER | JSON_VALUES,
        "text": st.text(max_size=30) | JSON_VALUES,
        "entities": st.lists(_field(JSON_VALUES, ["type", "offset", "length"]), max_size=2),
        "contact": _field(JSON_VALUES, ["phone_number", "first_name", "user_id"]),
        "photo": JSON_VALUES,
        "document": JSON_VALUES,
        "reply_to_message": JSON_VALUES,
    },
)
UPDATES = st.fixed_dictionaries(
    {"update_id": st.integers(min_value=1, max_value=2**40)},
    optional={
        "message": MESSAGE | JSON_VALUES,
        "edited_message": MESSAGE,
        "callback_query": _field(JSON_VALUES, ["id", "from", "data", "chat_instance", "message"]),
        "my_chat_member": _field(JSON_VALUES, ["chat", "from", "date", "old_chat_member", "new_chat_member"]),
    },
)
WA_MESSAGE = _field(
    JSON_VALUES | st.text(max_size=140),
    ["id", "from", "from_user_id", "type", "text", "interactive", "contacts"],
)
WA_BODIES = st.fixed_dictionaries(
    {
        "object": st.just("whatsapp_business_account"),
        "entry": st.lists(
            st.fixed_dictionaries(
                {
                    "changes": st.lists(
                        st.fixed_dictionaries(
                            {
                                "field": st.sampled_from(["messages", "other"]),
                                "value": st.fixed_dictionaries(
                                    {"metadata": st.just({"phone_number_id": PHONE_ID})},
                                    optional={
                                        "messages": st.lists(WA_MESSAGE, max_size=2),
                                        "statuses": st.lists(
                                            _field(JSON_VALUES, ["id", "status", "recipient_id", "errors"]),
                                            max_size=2,
                                        ),
                                        "contacts": st.lists(
                                            _field(JSON_VALUES, ["wa_id", "user_id"]), max_size=2
                                        ),
                                    },
                                ),
                            }
                        ),
                        max_size=2,
                    )
                }
            ),
            max_size=2,
        ),
    }
) | st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=3)


async def _fuzz(
    strategy: st.SearchStrategy[Any],
    post: Callable[[Any], Coroutine[Any, Any, httpx.Response]],
    examples: int,
) -> None:
    """Hypothesis draws (and shrinks) in a thread; each body is posted on the test's event loop."""
    loop = asyncio.get_running_loop()

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def check(body: Any) -> None:
        response = asyncio.run_coroutine_threadsafe(post(body), loop).result(60)
        assert response.status_code < 500, (response.status_code, body)

    await asyncio.to_thread(check)


async def test_signed_garbage_telegram_updates_never_get_a_5xx(service: Service) -> None:
    await _fuzz(UPDATES, service.post_telegram, examples=300)


async def test_signed_garbage_whatsapp_bodies_never_get_a_5xx(service: Service) -> None:
    await _fuzz(WA_BODIES, service.post_whatsapp, examples=300)


def _dumps_ok(value: JSON) -> bool:
    try:
        json.dumps(value)
    except RecursionError:
        return False
    return True
