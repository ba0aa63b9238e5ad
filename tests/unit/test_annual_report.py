"""Every figure of the annual report from a fixture log with known answers (computed by hand in
the comments), including a request decided across the 2026 Lebaran cuti bersama week."""

from __future__ import annotations

from datetime import date

import pytest

from handlers.domain import deadlines
from handlers.domain.lifecycle import ObjectionGround, Outcome, Pasal17, RequestStatus
from handlers.domain.report import (
    AnnualReport,
    ReportObjection,
    ReportRequest,
    annual_report,
    nearest_rank,
    working_days_to_answer,
)
from handlers.holiday_source import calendar_for_years

CAL = calendar_for_years([2025, 2026, 2027])
S = RequestStatus


def req(
    number: str, received: date, channel: str, opd: str, status: RequestStatus = S.ANSWERED,
    outcome: Outcome | None = None, pasal: Pasal17 | None = None, answered: date | None = None,
    extend: int = 0,
) -> ReportRequest:  # fmt: skip
    due = deadlines.notice_due(received, CAL)
    final_due = deadlines.extension_due(due, extend, CAL) if extend else due
    return ReportRequest(number, received, channel, opd, status, due, final_due, outcome, pasal, answered)


LEBARAN = req("R1", date(2026, 3, 16), "web", "Dinkes", outcome=Outcome.GRANTED, answered=date(2026, 3, 27))
LOG = [
    LEBARAN,  # 17 Mar = 1; 18-24 Nyepi, Idul Fitri and cuti bersama; 25, 26, 27 = 4 working days
    req(
        "R2", date(2026, 1, 5), "whatsapp", "Dinkes", outcome=Outcome.GRANTED, answered=date(2026, 1, 19)
    ),  # 9
    req(
        "R3",
        date(2026, 2, 2),
        "telegram",
        "BPKAD",
        outcome=Outcome.REFUSED,
        pasal=Pasal17.H,
        answered=date(2026, 2, 4),
    ),  # 2
    req(
        "R4",
        date(2026, 2, 9),
        "loket",
        "BPKAD",
        outcome=Outcome.REFUSED,
        pasal=Pasal17.H,
        answered=date(2026, 2, 10),
    ),  # 1
    req(
        "R5",
        date(2026, 4, 6),
        "web",
        "Disdukcapil",
        outcome=Outcome.PARTLY_GRANTED,
        pasal=Pasal17.H,
        answered=date(2026, 4, 28),
        extend=7,
    ),  # 16, due 29 Apr after the extension: on time
    req(
        "R6", date(2026, 5, 4), "surat", "Disdukcapil", outcome=Outcome.NOT_HELD, answered=date(2026, 5, 25)
    ),  # 13, due 20 May: late
    req("R7", date(2026, 6, 8), "web", "Dinkes", status=S.WITHDRAWN),
    req("R8", date(2026, 11, 2), "web", "Dinkes", status=S.RECEIVED),  # due 16 Nov, unanswered: late
    req("R9", date(2026, 12, 21), "whatsapp", "BPKAD", status=S.RECEIVED),  # due in January: pending
    req("R10", date(2025, 12, 30), "web", "Dinkes", outcome=Outcome.GRANTED, answered=date(2026, 1, 6)),
    req(
        "R11", date(2026, 7, 6), "email", "Dinkes", outcome=Outcome.NOT_DOCUMENTED, answered=date(2026, 7, 8)
    ),
]
OBJECTIONS = [
    ReportObjection(date(2026, 2, 20), ObjectionGround.A, "dismissed", date(2026, 4, 1), "BPKAD"),
    ReportObjection(date(2026, 6, 1), ObjectionGround.G, "upheld", None, "Disdukcapil"),
    ReportObjection(date(2026, 12, 1), ObjectionGround.C, "", None, "Dinkes"),
    ReportObjection(date(2025, 11, 3), ObjectionGround.A, "upheld", None, "Dinkes"),
]


@pytest.fixture
def report() -> AnnualReport:
    return annual_report(2026, LOG, OBJECTIONS, CAL, as_of=date(2026, 12, 31))


def test_a_request_across_the_cuti_bersama_week_took_four_working_days() -> None:
    assert (LEBARAN.answered_on - LEBARAN.received_on).days == 11  # type: ignore[operator]
    assert working_days_to_answer(LEBARAN, CAL) == 4


def test_received_by_month_channel_and_opd(report: AnnualReport) -> None:
    assert report.received == 10  # R10 was received in 2025
    assert report.by_month == {
        "2026-01": 1, "2026-02": 2, "2026-03": 1, "2026-04": 1, "2026-05": 1, "2026-06": 1,
        "2026-07": 1, "2026-08": 0, "2026-09": 0, "2026-10": 0, "2026-11": 1, "2026-12": 1,
    }  # fmt: skip
    assert report.by_channel == {"web": 4, "whatsapp": 2, "email": 1, "loket": 1, "surat": 1, "telegram": 1}
    assert report.by_opd == {"Dinkes": 5, "BPKAD": 3, "Disdukcapil": 2}


def test_outcomes_and_refusals_by_pasal(report: AnnualReport) -> None:
    assert report.outcomes == {
        "granted": 2, "partly_granted": 1, "refused": 2, "not_held": 1, "not_documented": 1,
        "withdrawn": 1, "pending": 2,
    }  # fmt: skip
    assert report.refused_by_pasal == {"17h": 2}  # the partial grant's letter is not a refusal


def test_working_days_on_time_and_extended(report: AnnualReport) -> None:
    wd = report.working_days  # 1, 2, 2, 4, 9, 13, 16
    assert (wd.answered, wd.median, wd.mean, wd.p90) == (7, 4.0, 6.71, 16)
    assert (report.on_time, report.late) == (6, 2)  # R6 answered late, R8 overdue unanswered
    assert report.on_time_share == 0.75
    assert report.extended == 1


def test_objections_and_disputes(report: AnnualReport) -> None:
    assert report.objections_received == 3
    assert report.objections_by_ground == {"a": 1, "b": 0, "c": 1, "d": 0, "e": 0, "f": 0, "g": 1}
    assert report.objections_by_outcome == {"upheld": 1, "dismissed": 1, "pending": 1}
    assert report.commission_disputes == 1


def test_one_opd(report: AnnualReport) -> None:
    dinkes = annual_report(2026, LOG, OBJECTIONS, CAL, as_of=date(2026, 12, 31), opd="Dinkes")
    assert dinkes.received == 5 and dinkes.by_opd == {"Dinkes": 5}
    assert dinkes.outcomes["granted"] == 2 and dinkes.outcomes["withdrawn"] == 1
    assert (dinkes.working_days.median, dinkes.on_time, dinkes.late) == (4.0, 3, 1)
    assert dinkes.objections_received == 1 and dinkes.objections_by_outcome["pending"] == 1


def test_json_has_the_documented_keys(report: AnnualReport) -> None:
    data = report.as_json()
    for key in ("year", "received", "by_month", "by_channel", "by_opd", "outcomes", "refused_by_pasal",
                "working_days", "on_time_share", "extended", "objections"):  # fmt: skip
        assert key in data
    working_days, objections = data["working_days"], data["objections"]
    assert isinstance(working_days, dict) and set(working_days) >= {"median", "mean", "p90"}
    assert isinstance(objections, dict) and set(objections) >= {"by_ground", "by_outcome"}


def test_an_empty_year() -> None:
    empty = annual_report(2030, LOG, OBJECTIONS, CAL, as_of=date(2030, 12, 31))
    assert empty.received == 0 and empty.on_time_share is None and empty.working_days.median is None


@pytest.mark.parametrize(
    ("values", "share", "expected"),
    [([], 0.9, None), ([5], 0.9, 5), ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9, 9), ([3, 1, 2], 0.5, 2)],
)
def test_nearest_rank(values: list[int], share: float, expected: int | None) -> None:
    assert nearest_rank(values, share) == expected
