"""Broadcasts: a coordinator's announcement to their own area reaches its subscribers once, on the
real pipeline and relay; other areas are refused by service and CLI; serta merta goes first."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.accounts import Accounts
from bot.area_store import AreaStore
from bot.areas import load_sample_areas
from bot.assignment_store import AssignmentStore
from bot.broadcast_store import BroadcastStore, actor_for
from bot.cli import main
from bot.settings import get_settings
from handlers.services import assignments, broadcasts
from handlers.services.actor import Actor, Forbidden, Role
from handlers.types import Channel
from storage.area_repository import AreaRepository
from storage.db import Database
from storage.models import OutboxMessage
from storage.models.accounts import AuditLog
from storage.models.pipeline import OutboxKind
from tests.conftest import make_runtime
from tests.fakes import ChatHarness, RecordingSender

NOW = datetime(2026, 3, 16, 3, 0, tzinfo=UTC)
OPERATOR = Actor.system("operator")
RESIDENTS = {
    "ani": "langganan RT 3 RW 2 Sukamaju Wetan",
    "budi": "langganan RW 2 Sukamaju Wetan",
    "cici": "langganan RT 1 RW 1 Sukamaju Wetan",
    "dedi": "langganan RW 1 Pondok Jati",
}


async def coordinator(db: Database, name: str, key: str) -> Actor:
    await Accounts(db).add(OPERATOR, name, "coordinator", [], "a-long-password-123", NOW)
    async with db.write() as session:
        area = await AreaStore(session).get(key)
        assert area is not None
        account = await actor_for(session, name)
        assert account is not None and account.id is not None
        await AreaRepository(session).assign(account.id, area.id)
        actor = await actor_for(session, name)
    assert actor is not None
    return actor


async def approver(chat: ChatHarness, name: str, key: str = "") -> Actor:
    """An officer account bound (by the PPID Utama's service) to a kelurahan or kecamatan ``key``."""
    db = chat.runtime.db
    await Accounts(db).add(OPERATOR, name, "officer", ["DINKES"], "a-long-password-123", NOW)
    if key:
        async with db.write() as session:
            store = AssignmentStore(session, chat.runtime.crypto, now=NOW)
            await assignments.assign(store, OPERATOR, name, key, now=NOW)
    async with db.session() as session:
        actor = await actor_for(session, name)
    assert actor is not None
    return actor


@pytest.fixture
async def town(sqlite_db: Database) -> AsyncIterator[ChatHarness]:
    """The sample's areas, four residents subscribed by chat, the real pipeline and relay."""
    await load_sample_areas(sqlite_db)
    sender = RecordingSender(Channel.WEB)
    runtime = make_runtime(sqlite_db, sender)
    await runtime.start()
    chat = ChatHarness(runtime, sender)
    for user, text in RESIDENTS.items():
        assert "Terima kasih" in await chat.say(text, chat_id=user)
    yield chat
    await runtime.broadcaster.stop()
    await runtime.pipeline.stop()
    await runtime.relay.stop()


async def send(chat: ChatHarness, actor: Actor, area: str, **kwargs: object) -> broadcasts.BroadcastRecord:
    async with chat.runtime.db.write() as session:
        return await broadcasts.send(BroadcastStore(session), actor, area, now=NOW, **kwargs)  # type: ignore[arg-type]


async def deliver(chat: ChatHarness) -> None:
    await chat.runtime.broadcaster.run_until_idle()
    await chat.settle()


def received(chat: ChatHarness, user: str, fragment: str) -> int:
    return sum(fragment in r.text for r in chat.sender.sent[user])


async def test_a_coordinators_notice_reaches_its_rw_and_its_rts_once(town: ChatHarness) -> None:
    rw = await coordinator(town.runtime.db, "pakrw", "sukamaju-wetan/rw02")
    record = await send(town, rw, "sukamaju-wetan/rw02", text="Kerja bakti Minggu pukul 07.00")
    assert record.status is broadcasts.Status.AWAITING_APPROVAL  # the setting's default
    await deliver(town)
    assert received(town, "budi", "Kerja bakti") == 0  # not before the officer approves
    officer = await approver(town, "rina", "sukamaju-wetan")
    async with town.runtime.db.write() as session:
        await broadcasts.decide(BroadcastStore(session), officer, record.id, approve=True, now=NOW)
    await deliver(town)
    await deliver(town)  # a second pass writes nothing more
    assert [received(town, u, "Kerja bakti Minggu") for u in RESIDENTS] == [1, 1, 0, 0]
    assert "Pengumuman RW 02 Sukamaju Wetan" in town.sender.sent["ani"][-1].text
    async with town.runtime.db.session() as session:
        _, figures = await broadcasts.status(BroadcastStore(session), rw, record.id)
    assert (figures.sent, figures.queued, figures.failed) == (2, 0, 0)


async def test_a_coordinator_sends_only_to_their_own_area(town: ChatHarness) -> None:
    rt = await coordinator(town.runtime.db, "pakrt", "sukamaju-wetan/rw02/rt003")
    for elsewhere in (
        "sukamaju-wetan/rw02",
        "sukamaju-wetan/rw02/rt004",
        "pondok-jati/rw01",
        "sukamaju-wetan",
        "x",
    ):
        with pytest.raises(Forbidden):
            await send(town, rt, elsewhere, text="Bukan wilayah saya")
    with pytest.raises(Forbidden):
        await send(town, rt, "sukamaju-wetan/rw02/rt003", text="Banjir!", kind=broadcasts.Kind.SERTA_MERTA)
    with pytest.raises(Forbidden):  # an account with no broadcasting right (residents have none at all)
        await send(town, Actor(username="atasan", role=Role.ATASAN), "sukamaju-wetan/rw02", text="x")
    with pytest.raises(broadcasts.BroadcastRefused, match="would take 3 messages on telegram; at most 2"):
        await send(
            town,
            rt,
            "sukamaju-wetan/rw02/rt003",
            text="kata " * 1800,
            rules=broadcasts.BroadcastRules(max_parts=2),
        )
    with pytest.raises(broadcasts.BroadcastRefused, match="at most 20000"):
        await send(town, rt, "sukamaju-wetan/rw02/rt003", text="x" * 20_001)
    with pytest.raises(broadcasts.BroadcastRefused, match="no published register entry"):
        await send(town, rt, "sukamaju-wetan/rw02/rt003", entry_id="DIP-0000-9999")
    for n in range(5):
        await send(town, rt, "sukamaju-wetan/rw02/rt003", text=f"Info {n}")
    with pytest.raises(broadcasts.Throttled):
        await send(town, rt, "sukamaju-wetan/rw02/rt003", text="one too many")


async def test_serta_merta_goes_out_first_to_the_whole_kecamatan(town: ChatHarness) -> None:
    officer = Actor(username="rina", role=Role.OFFICER)
    await send(town, officer, "sukamaju-wetan/rw01", text="Posyandu")
    urgent = await send(
        town, officer, "sukamaju-tengah", text="Banjir di bantaran sungai", kind=broadcasts.Kind.SERTA_MERTA
    )
    assert urgent.status is broadcasts.Status.QUEUED  # officers need no approval
    await town.runtime.broadcaster.step()  # one chunk: the urgent one, although queued later
    async with town.runtime.db.session() as session:
        kinds = list(
            await session.scalars(select(OutboxMessage.kind).where(OutboxMessage.broadcast_id.is_not(None)))
        )
    assert set(kinds) == {OutboxKind.URGENT.value}
    await deliver(town)
    assert [received(town, u, "SERTA MERTA") for u in RESIDENTS] == [1, 1, 1, 0]  # Pondok Jati is elsewhere


async def test_unsubscribing_mid_broadcast_is_honoured(town: ChatHarness) -> None:
    await town.runtime.relay.stop()  # nothing is sent meanwhile
    record = await send(town, OPERATOR, "sukamaju-wetan", text="Air mati besok")
    await town.runtime.broadcaster.run_until_idle()
    async with town.runtime.db.write() as session:
        store = AreaStore(session)
        budi = (await session.scalars(select(OutboxMessage.conversation_id).where(
            OutboxMessage.broadcast_id == record.id, OutboxMessage.chat_id == "budi"))).one()  # fmt: skip
        assert await store.unsubscribe(budi) == 1
    async with town.runtime.db.session() as session:
        _, figures = await broadcasts.status(BroadcastStore(session), OPERATOR, record.id)
    assert (figures.queued, figures.failed) == (2, 1)
    assert figures.reasons == {"unsubscribed before it was sent": 1}


def test_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TANYA_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/t.db")
    monkeypatch.setenv("TANYA_SECRET_KEY", "test-secret-key-0123456789abcdefghijklmnop")
    assert main(["areas", "import", "data/sample/areas.csv"]) == 0
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("a-long-password-123\n"))
    assert main(["user", "add", "pakrw", "--role", "coordinator", "--password-stdin"]) == 0
    assert main(["areas", "assign", "pakrw", "sukamaju-wetan/rw2"]) == 0
    capsys.readouterr()
    assert (
        main(["broadcast", "send", "--area", "sukamaju-wetan/rw02", "--text", "Halo warga", "--as", "pakrw"])
        == 0
    )
    broadcast_id = capsys.readouterr().out.strip()
    assert broadcast_id.isdigit()
    assert main(["broadcast", "send", "--area", "pondok-jati/rw01", "--text", "x", "--as", "pakrw"]) == 1
    assert "not allowed" in capsys.readouterr().err
    assert main(["broadcast", "approve", broadcast_id, "--as", "pakrw"]) == 1  # not their own approval
    capsys.readouterr()
    # a name no console account has is refused, not taken for the operator under that name
    assert main(["broadcast", "approve", broadcast_id, "--as", "nobody"]) == 1
    assert "no active console account 'nobody'" in capsys.readouterr().err
    assert main(["broadcast", "send", "--area", "pondok-jati/rw01", "--text", "x", "--as", "nobody"]) == 1
    assert main(["broadcast", "approve", broadcast_id]) == 0
    assert main(["broadcast", "status", broadcast_id, "--json"]) == 0
    capsys.readouterr()
    assert main(["broadcast", "status", broadcast_id, "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["status"] == "queued" and figures["area"] == "sukamaju-wetan/rw02"
    assert main(["broadcast", "list"]) == 0
    assert "1 broadcast(s)" in capsys.readouterr().out

    photo = tmp_path / "peta banjir.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"png" * 1000)
    serta_merta = ["broadcast", "send", "--area", "sukamaju-wetan", "--serta-merta", "--text", "Banjir"]
    assert main([*serta_merta, "--file", str(photo)]) == 0
    sent_id = capsys.readouterr().out.strip()
    assert main(["broadcast", "status", sent_id]) == 0
    assert "attachment peta banjir.png (image/png, 3 KB)" in capsys.readouterr().out
    assert main(["broadcast", "status", sent_id, "--json"]) == 0
    attached = json.loads(capsys.readouterr().out)["attachment"]
    assert attached == {"name": "peta banjir.png", "type": "image/png", "size": 3008}
    big, script = tmp_path / "besar.jpg", tmp_path / "skrip.pdf"
    big.write_bytes(b"\xff\xd8\xff" + b"x" * (7 * 1024 * 1024))
    script.write_bytes(b"#!/bin/sh\nrm -rf /\n")
    assert main([*serta_merta, "--file", str(big)]) == 1
    assert "The file has 7 MB; at most 5 MB may be attached." in capsys.readouterr().err
    assert main([*serta_merta, "--file", str(script)]) == 1
    assert "Only a photo (JPEG, PNG, WebP) or a PDF may be attached." in capsys.readouterr().err
    assert main([*serta_merta, "--file", str(tmp_path / "gone.pdf")]) == 1
    assert "Cannot read" in capsys.readouterr().err


async def test_a_serta_merta_notice_is_found_by_search_afterwards(town: ChatHarness) -> None:
    from bot.knowledge_loader import LiveKnowledge

    officer = Actor(username="rina", role=Role.OFFICER)
    text = "Banjir setinggi 50 cm di Jalan Kenanga. Warga diminta mengungsi ke balai kelurahan."
    record = await send(town, officer, "sukamaju-wetan", text=text, kind=broadcasts.Kind.SERTA_MERTA)
    knowledge = LiveKnowledge(town.runtime.db)
    await knowledge.refresh()
    answer = knowledge.search("banjir jalan kenanga")
    assert answer.hits and answer.hits[0].id == f"SM-{NOW.year}-{record.id:04d}"
    assert answer.hits[0].category == "serta_merta" and "Sukamaju Wetan" in answer.hits[0].title


async def decide(chat: ChatHarness, actor: Actor, broadcast_id: int, *, approve: bool = True) -> str:
    async with chat.runtime.db.write() as session:
        record = await broadcasts.decide(
            BroadcastStore(session), actor, broadcast_id, approve=approve, now=NOW
        )
    return record.status.value


async def awaiting(chat: ChatHarness, actor: Actor) -> list[tuple[int, bool]]:
    async with chat.runtime.db.session() as session:
        return [(r.id, bound) for r, bound in await broadcasts.awaiting_for(BroadcastStore(session), actor)]


async def test_only_the_kelurahans_officer_or_the_ppid_utama_approves(town: ChatHarness) -> None:
    db = town.runtime.db
    rw = await coordinator(db, "pakrw", "sukamaju-wetan/rw02")
    pj = await coordinator(db, "pakpj", "pondok-jati/rw01")
    rina = await approver(town, "rina", "sukamaju-wetan")  # the lurah's PPID Pelaksana
    budi = await approver(town, "budi", "pondok-jati")  # another kelurahan's
    camat = await approver(town, "sari", "sukamaju-tengah")  # the kecamatan of Sukamaju Wetan
    loose = await approver(town, "tono")  # an officer bound nowhere
    admin = Actor(username="utama", role=Role.ADMIN)
    first = await send(town, rw, "sukamaju-wetan/rw02/rt003", text="Kerja bakti")
    second = await send(town, rw, "sukamaju-wetan/rw02", text="Posyandu")
    third = await send(town, pj, "pondok-jati/rw01", text="Ronda malam")
    for wrong in (budi, loose, rw, pj):
        with pytest.raises(Forbidden):
            await decide(town, wrong, first.id)
    assert await awaiting(town, rina) == [(first.id, True), (second.id, True)]
    assert await awaiting(town, camat) == [(first.id, True), (second.id, True)]  # the kecamatan covers it
    assert await awaiting(town, budi) == [(third.id, True)]
    assert await awaiting(town, loose) == [] and await awaiting(town, rw) == []
    assert len(await awaiting(town, admin)) == 3
    assert await decide(town, rina, first.id) == "queued"
    assert await decide(town, camat, second.id, approve=False) == "rejected"
    with pytest.raises(broadcasts.BroadcastRefused, match="not awaiting approval"):
        await decide(town, rina, first.id)
    # the binding ends: budi no longer approves for Pondok Jati, which then has nobody but the PPID Utama
    async with db.write() as session:
        store = AssignmentStore(session, town.runtime.crypto, now=NOW)
        undone = await assignments.assign(store, OPERATOR, "budi", "pondok-jati", bind=False, now=NOW)
    assert not undone.bound and undone.changed
    with pytest.raises(Forbidden):
        await decide(town, budi, third.id)
    assert await awaiting(town, admin) == [(third.id, False)]  # said: no officer of its kelurahan
    assert await decide(town, admin, third.id) == "queued"
    async with db.session() as session:
        audit = [(r.actor, r.action, r.target) for r in (await session.scalars(select(AuditLog))).all()]
    assert ("officer:operator", "officer_assign", "rina") in audit
    assert ("officer:operator", "officer_unassign", "budi") in audit


async def test_bindings_follow_the_role_and_link_codes_are_the_coordinators_own(town: ChatHarness) -> None:
    db = town.runtime.db
    await coordinator(db, "pakrw", "sukamaju-wetan/rw02")
    await approver(town, "rina")
    await Accounts(db).add(OPERATOR, "sekda", "atasan", [], "a-long-password-123", NOW)
    cases = [
        ("pakrw", "sukamaju-wetan", "no RW or RT"),  # a coordinator serves an RW or RT
        ("rina", "sukamaju-wetan/rw02", "no kelurahan or kecamatan"),  # an officer approves a kelurahan
        ("rina", "kota-sukamaju", "no kelurahan or kecamatan"),  # the kota is the PPID Utama's
        ("sekda", "sukamaju-wetan", "no coordinator or officer account"),
        ("nobody", "sukamaju-wetan", "no coordinator or officer account"),
    ]
    for name, key, problem in cases:
        async with db.write() as session:
            store = AssignmentStore(session, town.runtime.crypto, now=NOW)
            with pytest.raises(assignments.AssignmentRefused, match=problem):
                await assignments.assign(store, OPERATOR, name, key, now=NOW)
    async with db.write() as session:
        store = AssignmentStore(session, town.runtime.crypto, now=NOW)
        with pytest.raises(Forbidden):  # binding is the PPID Utama's
            await assignments.assign(
                store, Actor(username="rina", role=Role.OFFICER), "rina", "sukamaju-wetan", now=NOW
            )
        pakrw = Actor(username="pakrw", role=Role.COORDINATOR)
        assert len(await assignments.issue_link_code(store, pakrw, "pakrw", now=NOW)) == 6
        with pytest.raises(Forbidden):  # not another coordinator's
            await assignments.issue_link_code(
                store, Actor(username="other", role=Role.COORDINATOR), "pakrw", now=NOW
            )
        with pytest.raises(assignments.AssignmentRefused):  # an officer has no chat link code
            await assignments.issue_link_code(store, OPERATOR, "rina", now=NOW)


@pytest.fixture
def fresh_settings() -> Iterator[None]:
    """The settings read again from the environment this test sets, and again after it."""
    yield
    get_settings.cache_clear()


@pytest.mark.usefixtures("fresh_settings")
def test_the_command_line_binds_officers_and_only_the_kelurahans_approves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TANYA_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/t.db")
    monkeypatch.setenv("TANYA_SECRET_KEY", "test-secret-key-0123456789abcdefghijklmnop")
    get_settings.cache_clear()
    assert main(["areas", "import", "data/sample/areas.csv"]) == 0
    for name, role in (("pakrw", "coordinator"), ("rina", "officer"), ("budi", "officer")):
        monkeypatch.setattr("sys.stdin", __import__("io").StringIO("a-long-password-123\n"))
        extra = ["--opd", "DINKES"] if role == "officer" else []
        assert main(["user", "add", name, "--role", role, *extra, "--password-stdin"]) == 0
    assert main(["areas", "assign", "pakrw", "sukamaju-wetan/rw2"]) == 0
    assert main(["areas", "assign", "budi", "pondok-jati"]) == 0
    capsys.readouterr()
    assert main(["areas", "assign", "rina", "sukamaju-wetan/rw02"]) == 1
    assert "no kelurahan or kecamatan" in capsys.readouterr().err.lower()
    assert main(["areas", "link-code", "rina"]) == 1  # an officer links no chat
    assert "no coordinator account" in capsys.readouterr().err.lower()
    assert main(["areas", "link-code", "pakrw"]) == 0
    assert re.fullmatch(r"kode \d{6}\n", capsys.readouterr().out)

    send = ["broadcast", "send", "--area", "sukamaju-wetan/rw02", "--text", "Halo warga", "--as", "pakrw"]
    assert main(send) == 0
    first, said = capsys.readouterr()
    assert "no officer is assigned to its kelurahan: only the PPID Utama" in said
    assert main(["areas", "assign", "rina", "Sukamaju-Wetan"]) == 0
    assert "rina now approves for Sukamaju Wetan" in capsys.readouterr().out
    assert main(send) == 0
    second, said = capsys.readouterr()
    assert "waits for the approval of the kelurahan's officer (rina)" in said
    assert main(["broadcast", "approve", first.strip(), "--as", "budi"]) == 1  # Pondok Jati's officer
    assert "not allowed" in capsys.readouterr().err
    assert main(["broadcast", "reject", second.strip(), "--as", "budi"]) == 1
    assert main(["broadcast", "approve", first.strip(), "--as", "rina"]) == 0
    assert main(["broadcast", "reject", second.strip(), "--as", "rina"]) == 0
    assert capsys.readouterr().out.split("\n")[:2] == [
        f"broadcast {first.strip()} queued",
        f"broadcast {second.strip()} rejected",
    ]
    assert main(["areas", "unassign", "rina", "sukamaju-wetan"]) == 0
    assert "rina no longer approves for Sukamaju Wetan" in capsys.readouterr().out
