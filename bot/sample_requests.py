"""A year of fictional requests, objections and chatbot questions for the sample body, so that the
annual report and the "could not find" page have something to show after ``make run``.

``data/sample/requests_2026.csv`` (made-up people; NIKs start with 99, which is no province;
phone numbers +62899..., e-mail at ``contoh.invalid``) is replayed through the same services as
real filings and decisions (``handlers.request_service`` on ``bot.request_store.RequestStore``),
each step at its own time: personal data is sealed as always, deadlines come from the working
calendar. ``gaps_2026.csv`` goes through the gap store as the pipeline's effects do;
``service_2026.csv`` holds the questions answered per month and channel. Loaded only into an
empty ledger (``tanya serve --sample-data``).
"""

from __future__ import annotations

import csv
import logging
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select, text

from bot.gap_store import GapStore
from bot.holidays import ensure_holidays
from bot.request_store import RequestStore
from handlers import request_service
from handlers.domain import lifecycle
from handlers.domain.deadlines import ServiceHours
from handlers.domain.lifecycle import Action, Decision, ObjectionGround, Outcome, Pasal17
from handlers.gaps import gap_observed
from handlers.request_ports import RequestDraft
from handlers.types import GapReason
from storage.crypto import Crypto
from storage.db import Database
from storage.gap_repository import GapRepository
from storage.models.requests import InfoRequest
from storage.report_repository import ReportRepository

log = logging.getLogger(__name__)

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "data" / "sample"
REQUESTS_FILE = SAMPLE_DIR / "requests_2026.csv"
GAPS_FILE = SAMPLE_DIR / "gaps_2026.csv"
SERVICE_FILE = SAMPLE_DIR / "service_2026.csv"
OFFICER = "officer:contoh"
SAMPLE_LOCK_KEY = 0x54414E5941_13  # "TANYA", issue 13: serialises the sample loads of starting workers


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


async def load_sample_requests(db: Database, crypto: Crypto, hours: ServiceHours) -> int:
    """Replay the sample year into an empty ledger; how many requests were filed (0: not empty)."""
    if not REQUESTS_FILE.exists():
        log.warning("sample requests asked for, but %s is not there", REQUESTS_FILE)
        return 0
    rows = _rows(REQUESTS_FILE)
    years = {datetime.fromisoformat(r["received_at"]).year for r in rows}
    await ensure_holidays(db, sorted(years | {y + 1 for y in years}))
    async with db.write() as session:
        if not db.is_sqlite:  # several workers start at once: one loads, the others then see it loaded
            await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SAMPLE_LOCK_KEY})
        if (await session.execute(select(func.count(InfoRequest.id)))).scalar_one():
            return 0
        port, reports = RequestStore(session, crypto), ReportRepository(session)
        for row in rows:
            await _replay(port, reports, row, hours)
        await _gaps_and_service(GapStore(session, hours), GapRepository(session))
    log.info("loaded %d sample requests of %s", len(rows), ", ".join(map(str, sorted(years))))
    return len(rows)


async def _replay(
    port: RequestStore, reports: ReportRepository, row: dict[str, str], hours: ServiceHours
) -> None:
    draft = RequestDraft(
        requester_type=row["requester_type"], filing_as="sendiri", name=row["name"], nik=row["nik"],
        address=row["address"], phone=row["phone"], email=row["email"], information=row["information"],
        purpose=row["purpose"], obtain_method=row["obtain_method"], copy_delivery=row["copy_delivery"],
    )  # fmt: skip
    received_at = datetime.fromisoformat(row["received_at"])
    filed = await request_service.file_request(
        port, draft, received_at=received_at, hours=hours, conversation_id=None, channel=row["channel"]
    )
    record = filed.record
    # the PPID takes it up and sends it to the OPD that holds the information
    event = lifecycle.make_event(record.status, Action.START, at=received_at, actor=OFFICER, note=row["opd"])
    record = await port.update_request(replace(record, status=event.to_status, opd=row["opd"]), event)
    number = record.number
    if row["withdrawn_at"]:
        at = datetime.fromisoformat(row["withdrawn_at"])
        event = lifecycle.make_event(record.status, Action.WITHDRAW, at=at, actor=request_service.REQUESTER)
        await port.update_request(replace(record, status=event.to_status), event)
        return
    if row["extend_days"]:
        await request_service.extend(
            port, number, days=int(row["extend_days"]), reason=row["extend_reason"], actor=OFFICER,
            now=datetime.fromisoformat(row["extend_at"]),
        )  # fmt: skip
    if not row["decided_at"]:
        return
    decision = Decision(
        Outcome(row["outcome"]),
        Pasal17(row["pasal17"]) if row["pasal17"] else None,
        row["reason"],
        row["holder"],
    )
    record = await request_service.decide(
        port, number, decision, note=row["note"], actor=OFFICER,
        now=datetime.fromisoformat(row["decided_at"]), hours=hours,
    )  # fmt: skip
    if not row["objection_at"]:
        return
    objection = await request_service.file_objection(
        port, record, ObjectionGround(row["objection_ground"]), row["objection_explanation"],
        received_at=datetime.fromisoformat(row["objection_at"]), hours=hours, conversation_id=None,
        channel=row["channel"],
    )  # fmt: skip
    if row["objection_decided_at"]:
        await request_service.decide_objection(
            port, objection.number, upheld=row["objection_result"] == "upheld", answer=row["objection_answer"],
            actor="officer:atasan-ppid", now=datetime.fromisoformat(row["objection_decided_at"]), hours=hours,
        )  # fmt: skip
    if row["commission_on"]:
        await reports.set_commission(objection.number, date.fromisoformat(row["commission_on"]))


async def _gaps_and_service(store: GapStore, repo: GapRepository) -> None:
    if GAPS_FILE.exists():
        for row in _rows(GAPS_FILE):
            effect = gap_observed(row["question"], GapReason(row["reason"]))
            await store.apply((effect,), channel=row["channel"], at=datetime.fromisoformat(row["seen_at"]))
    if SERVICE_FILE.exists():
        for row in _rows(SERVICE_FILE):
            day = date.fromisoformat(row["month"] + "-15")
            await repo.count_service(day, "answered", row["channel"], int(row["answered"]))
