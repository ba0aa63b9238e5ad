"""The figures of a PPID's annual report, computed from the request and objection log.

UU 14/2008 Pasal 12 and Perki 1/2021 (Pasal 36-37: *laporan layanan informasi publik*) ask the
body to publish each year how many requests it received, how long it took to answer them, how
many it granted and refused and on which grounds, and the objections and disputes. Everything
here is a pure function of plain records: storage reads them, ``bot.report`` renders them.

Working days are counted on the working calendar (weekends, national holidays and *cuti bersama*
excluded) from the effective receipt date (day zero, ``deadlines.effective_receipt_date``) to the
day of the written notice: a notice due on its 10th working day and sent that day took 10.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from handlers.domain.calendar import WorkingCalendar
from handlers.domain.lifecycle import ObjectionGround, Outcome, Pasal17, RequestStatus

WITHDRAWN = "withdrawn"
PENDING = "pending"  # neither decided nor withdrawn (yet)
OUTCOME_KEYS = (*(o.value for o in Outcome), WITHDRAWN, PENDING)
OBJECTION_RESULTS = ("upheld", "dismissed", PENDING)


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """What the report needs of one request (no personal data)."""

    number: str
    received_on: date  # effective receipt date (day zero)
    channel: str  # telegram, whatsapp, web, or an offline one an officer recorded (loket, surat, email)
    opd: str
    status: RequestStatus
    original_due_on: date
    due_on: date  # after the extension, if any (Pasal 22(8))
    outcome: Outcome | None = None
    pasal17: Pasal17 | None = None
    answered_on: date | None = None

    @property
    def extended(self) -> bool:
        return self.due_on != self.original_due_on


@dataclass(frozen=True, slots=True)
class ReportObjection:
    received_on: date
    ground: ObjectionGround  # Pasal 35(1) a-g
    result: str = ""  # "" pending, "upheld", "dismissed"
    commission_on: date | None = None  # taken to the Komisi Informasi (Pasal 37)
    opd: str = ""  # the OPD of the request objected to


@dataclass(frozen=True, slots=True)
class GapSummary:
    """A "could not find" group, for the report's section on the bot's own service."""

    group: int
    count: int
    example: str


@dataclass(frozen=True, slots=True)
class BotService:
    answered: int = 0  # questions answered from the register or the FAQ
    handoffs: int = 0  # conversations handed to an officer
    not_found: int = 0  # questions the bot abstained on, answered tentatively, or called unhelpful
    top_gaps: tuple[GapSummary, ...] = ()


@dataclass(frozen=True, slots=True)
class WorkingDays:
    """Working days from receipt to the written notice, over the answered requests."""

    answered: int = 0
    median: float | None = None
    mean: float | None = None
    p90: int | None = None  # nearest rank: 90% of the answers took at most this many


@dataclass(frozen=True, slots=True)
class AnnualReport:
    year: int
    opd: str  # "" for the whole body
    received: int
    by_month: dict[str, int]  # "2026-01" .. "2026-12", every month present
    by_channel: dict[str, int]
    by_opd: dict[str, int]
    outcomes: dict[str, int]  # granted, partly_granted, refused, not_held, not_documented, withdrawn, pending
    refused_by_pasal: dict[str, int]  # "17h": refusals citing Pasal 17 letter h
    working_days: WorkingDays
    on_time: int
    late: int  # answered after the due date, or still unanswered past it on ``as_of``
    extended: int
    objections_received: int
    objections_by_ground: dict[str, int]  # Pasal 35(1) letter -> count
    objections_by_outcome: dict[str, int]  # upheld, dismissed, pending
    commission_disputes: int  # objections taken to the Komisi Informasi (Pasal 37)
    service: BotService = field(default_factory=BotService)

    @property
    def on_time_share(self) -> float | None:
        """Share of the requests whose notice came by the due date, of those decided or overdue."""
        judged = self.on_time + self.late
        return round(self.on_time / judged, 4) if judged else None

    def as_json(self) -> dict[str, object]:
        wd = self.working_days
        return {
            "year": self.year,
            "opd": self.opd,
            "received": self.received,
            "by_month": self.by_month,
            "by_channel": self.by_channel,
            "by_opd": self.by_opd,
            "outcomes": self.outcomes,
            "refused_by_pasal": self.refused_by_pasal,
            "working_days": {"answered": wd.answered, "median": wd.median, "mean": wd.mean, "p90": wd.p90},
            "on_time_share": self.on_time_share,
            "on_time": self.on_time,
            "late": self.late,
            "extended": self.extended,
            "objections": {
                "received": self.objections_received,
                "by_ground": self.objections_by_ground,
                "by_outcome": self.objections_by_outcome,
                "commission_disputes": self.commission_disputes,
            },
            "service": {
                "answered": self.service.answered,
                "handoffs": self.service.handoffs,
                "not_found": self.service.not_found,
                "top_gaps": [
                    {"group": g.group, "count": g.count, "example": g.example} for g in self.service.top_gaps
                ],
            },
        }


def nearest_rank(values: Sequence[int], share: float) -> int | None:
    """The smallest value that at least ``share`` of ``values`` do not exceed (nearest-rank percentile)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(share * len(ordered))) - 1]


def working_days_to_answer(request: ReportRequest, cal: WorkingCalendar) -> int | None:
    """Working days from day zero to the notice; None while unanswered."""
    if request.answered_on is None:
        return None
    return max(0, cal.working_days_between(request.received_on, request.answered_on))


def _sorted_counts(counter: Mapping[str, int]) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def annual_report(
    year: int,
    requests: Iterable[ReportRequest],
    objections: Iterable[ReportObjection],
    cal: WorkingCalendar,
    *,
    as_of: date,
    opd: str = "",
    service: BotService | None = None,
) -> AnnualReport:
    """The figures for requests received in ``year`` (by effective receipt date), optionally of one
    OPD. A request still unanswered after its due date on ``as_of`` counts as late."""
    chosen = [r for r in requests if r.received_on.year == year and (not opd or r.opd == opd)]
    by_month = {f"{year}-{m:02d}": 0 for m in range(1, 13)}
    by_month.update(Counter(f"{year}-{r.received_on.month:02d}" for r in chosen))
    outcomes = dict.fromkeys(OUTCOME_KEYS, 0)
    for r in chosen:
        key = r.outcome.value if r.outcome else WITHDRAWN if r.status is RequestStatus.WITHDRAWN else PENDING
        outcomes[key] += 1
    refused = Counter(f"17{r.pasal17.value}" for r in chosen if r.outcome is Outcome.REFUSED and r.pasal17)
    days = [d for r in chosen if (d := working_days_to_answer(r, cal)) is not None]
    answered = [r for r in chosen if r.answered_on is not None]
    on_time = sum(1 for r in answered if r.answered_on is not None and r.answered_on <= r.due_on)
    overdue_open = sum(
        1
        for r in chosen
        if r.answered_on is None and r.status is not RequestStatus.WITHDRAWN and as_of > r.due_on
    )
    picked = [o for o in objections if o.received_on.year == year and (not opd or o.opd == opd)]
    by_ground = Counter(o.ground.value for o in picked)
    by_outcome = dict.fromkeys(OBJECTION_RESULTS, 0)
    for o in picked:
        by_outcome[o.result or PENDING] += 1
    return AnnualReport(
        year=year,
        opd=opd,
        received=len(chosen),
        by_month=by_month,
        by_channel=_sorted_counts(Counter(r.channel for r in chosen)),
        by_opd=_sorted_counts(Counter(r.opd or "-" for r in chosen)),
        outcomes=outcomes,
        refused_by_pasal=dict(sorted(refused.items())),
        working_days=WorkingDays(
            answered=len(days),
            median=float(statistics.median(days)) if days else None,
            mean=round(statistics.fmean(days), 2) if days else None,
            p90=nearest_rank(days, 0.9),
        ),
        on_time=on_time,
        late=len(answered) - on_time + overdue_open,
        extended=sum(1 for r in chosen if r.extended),
        objections_received=len(picked),
        objections_by_ground={g.value: by_ground.get(g.value, 0) for g in ObjectionGround},
        objections_by_outcome=by_outcome,
        commission_disputes=sum(1 for o in picked if o.commission_on is not None),
        service=service or BotService(),
    )
