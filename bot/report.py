"""The annual report (``tanya report annual``, the console's ``/console/reports``): its figures read
from the request and objection log, and its exports (JSON, CSV, XLSX, HTML, PDF).

:func:`load_annual_report` reads plain records through ``storage.report_repository`` and computes
the figures with ``handlers.domain.report`` on the working calendar; :func:`render` turns them into
one of the formats. Every format shows the same tables (:func:`tables`); HTML and PDF add bar
charts drawn here as SVG (:func:`bar_chart_svg`): no script, printable in black and grey.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum
from xml.sax.saxutils import escape

from jinja2 import Environment, PackageLoader, select_autoescape

from handlers.domain.calendar import WorkingCalendar
from handlers.domain.dates import format_date_en, format_date_id
from handlers.domain.deadlines import ServiceHours, office_date
from handlers.domain.lifecycle import ObjectionGround, Outcome, Pasal17, RequestStatus
from handlers.domain.report import (
    OBJECTION_RESULTS,
    OUTCOME_KEYS,
    AnnualReport,
    BotService,
    GapSummary,
    ReportObjection,
    ReportRequest,
    annual_report,
)
from handlers.report_texts import channel_label, rt
from handlers.types import GapReason, Lang, ServiceKind
from storage.db import Database
from storage.gap_repository import GapRepository
from storage.report_repository import ReportRepository
from storage.request_repository import HolidayRepository

TOP_GAPS = 10


class ReportFormat(StrEnum):
    HTML = "html"
    PDF = "pdf"
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"

    @property
    def binary(self) -> bool:
        return self in (ReportFormat.PDF, ReportFormat.XLSX)


async def load_annual_report(
    db: Database, year: int, *, hours: ServiceHours, now: datetime, opd: str = ""
) -> AnnualReport:
    """The figures of ``year`` (optionally of one OPD) from the log; requests still open after
    their due date on today's office date (or the year's end, for a past year) count as late."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    start = datetime.combine(first, time(0), hours.tz).astimezone(UTC)
    end = datetime.combine(date(year + 1, 1, 1), time(0), hours.tz).astimezone(UTC)
    async with db.session() as session:
        log = ReportRepository(session)
        requests = await log.requests_received(first, last)
        objections = await log.objections_received(first, last)
        holidays = await HolidayRepository(session).active_days()
        gaps = GapRepository(session)
        counts = await gaps.service_counts(first, last)
        reasons = await gaps.reason_counts(start, end)
        top = await log.top_gap_groups(start, end, TOP_GAPS)
    service = BotService(
        answered=counts.get(ServiceKind.ANSWERED.value, 0),
        handoffs=reasons.get(GapReason.HANDOFF.value, 0),
        not_found=sum(n for r, n in reasons.items() if r != GapReason.HANDOFF.value),
        top_gaps=tuple(GapSummary(g, n, example) for g, n, example in top) if not opd else (),
    )
    records = [
        ReportRequest(
            number=r.number,
            received_on=r.received_on,
            channel=r.channel,
            opd=r.opd,
            status=RequestStatus(r.status),
            original_due_on=r.original_due_on,
            due_on=r.due_on,
            outcome=Outcome(r.outcome) if r.outcome else None,
            pasal17=Pasal17(r.pasal17) if r.pasal17 else None,
            answered_on=r.answered_on,
        )
        for r in requests
    ]
    raised = [
        ReportObjection(o.received_on, ObjectionGround(o.ground), o.result, o.commission_on, o.opd)
        for o in objections
    ]
    as_of = min(office_date(now, hours), last)
    return annual_report(
        year, records, raised, WorkingCalendar(holidays), as_of=as_of, opd=opd,
        service=service if not opd else BotService(),
    )  # fmt: skip


# --- one set of tables for every format ---

Value = int | float | str | None


@dataclass(frozen=True, slots=True)
class Table:
    key: str  # machine name ("by_month"), the CSV's first column
    title: str
    rows: tuple[tuple[str, Value], ...]  # (label, value)
    chart: bool = False  # drawn as a bar chart in HTML and PDF
    percent_keys: frozenset[str] = frozenset()  # labels whose value is a share (0-1)


def tables(report: AnnualReport, lang: Lang = Lang.ID) -> list[Table]:
    wd = report.working_days
    months = tuple((_month(k, lang), v) for k, v in report.by_month.items())
    service = report.service
    share = rt("on_time_share", lang)
    out = [
        Table(
            "summary",
            rt("section_received", lang),
            (
                (rt("received", lang), report.received),
                (rt("answered", lang), wd.answered),
                (share, report.on_time_share),
                (rt("late", lang), report.late),
                (rt("extended", lang), report.extended),
                (rt("objections_received", lang), report.objections_received),
                (rt("commission", lang), report.commission_disputes),
            ),
            percent_keys=frozenset({share}),
        ),
        Table("by_month", rt("section_months", lang), months, chart=True),
        Table(
            "by_channel",
            rt("section_channels", lang),
            tuple((channel_label(k, lang), v) for k, v in report.by_channel.items()),
            chart=True,
        ),
        Table("by_opd", rt("section_opd", lang), tuple(report.by_opd.items())),
        Table(
            "outcomes",
            rt("section_outcomes", lang),
            tuple((rt(f"outcome_{k}", lang), report.outcomes[k]) for k in OUTCOME_KEYS),
            chart=True,
        ),
        Table(
            "refused_by_pasal",
            rt("section_refused", lang),
            tuple(
                (rt("pasal", lang, letter=k.removeprefix("17")), v)
                for k, v in report.refused_by_pasal.items()
            ),
        ),
        Table(
            "working_days",
            rt("section_time", lang),
            (
                (rt("median", lang), wd.median),
                (rt("mean", lang), wd.mean),
                (rt("p90", lang), wd.p90),
            ),
        ),
        Table(
            "objections_by_ground",
            rt("section_grounds", lang),
            tuple((rt("ground", lang, letter=k), v) for k, v in report.objections_by_ground.items()),
        ),
        Table(
            "objections_by_outcome",
            rt("section_objection_outcomes", lang),
            tuple((rt(f"objection_{k}", lang), report.objections_by_outcome[k]) for k in OBJECTION_RESULTS),
        ),
    ]
    if not report.opd:
        out.append(Table("service", rt("section_service", lang), (
            (rt("bot_answered", lang), service.answered),
            (rt("bot_handoffs", lang), service.handoffs),
            (rt("bot_not_found", lang), service.not_found),
        )))  # fmt: skip
        out.append(
            Table("top_gaps", rt("section_gaps", lang), tuple((g.example, g.count) for g in service.top_gaps))
        )
    return out


_MONTHS_ID = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _month(key: str, lang: Lang) -> str:
    return (_MONTHS_EN if lang is Lang.EN else _MONTHS_ID)[int(key[-2:]) - 1]


def display(value: Value, lang: Lang, *, percent: bool = False) -> str:
    """A figure as a reader sees it: "-" for none, "75,0%" for a share, "6,71" (Indonesian decimals)."""
    if value is None:
        return "-"
    if percent and isinstance(value, float):
        text = f"{value * 100:.1f}%"
    elif isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
    else:
        return str(value)
    return text if lang is Lang.EN else text.replace(".", ",")


def bar_chart_svg(
    title: str, rows: Sequence[tuple[str, Value]], *, width: int = 640, height: int = 200,
    family: str = "Helvetica, Arial, sans-serif",
) -> str:  # fmt: skip
    """A vertical bar chart as standalone SVG (the section's heading names it): grey bars, the count
    above each, the label below on up to two lines (``family`` names the PDF's own font there)."""
    values = [v if isinstance(v, int | float) else 0 for _, v in rows]
    top = max(values, default=0) or 1
    left, bottom, head = 10, 34, 16
    plot = height - bottom - head
    slot = (width - 2 * left) / max(len(rows), 1)
    bar = slot * 0.6
    chars = max(4, int(slot / 5.6))  # what fits under a bar at 10 px
    font = f'font-family="{escape(family)}" font-size="10" fill="#000" text-anchor="middle"'
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - left}" y2="{height - bottom}" stroke="#000"/>',
    ]
    for n, ((label, _), value) in enumerate(zip(rows, values, strict=True)):
        x = left + n * slot + (slot - bar) / 2
        h = plot * value / top
        y = height - bottom - h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="#6b6b6b"/>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{y - 3:.1f}" {font}>{_number(value)}</text>')
        for line, text in enumerate(_two_lines(label, chars)):
            y_text = height - bottom + 13 + 12 * line
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{y_text}" {font}>{escape(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _two_lines(label: str, chars: int, ellipsis: str = "…") -> list[str]:
    """``label`` wrapped at words into at most two lines of ``chars``; the rest cut with an ellipsis."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= chars:
            lines[-1] += " " + word
        elif len(lines) < 2:
            lines.append(word)
        else:
            lines[-1] = lines[-1][: chars - len(ellipsis)] + ellipsis
            break
    return [line if len(line) <= chars else line[: chars - len(ellipsis)] + ellipsis for line in lines]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


# --- the formats ---


def render(report: AnnualReport, fmt: ReportFormat, *, body_name: str, lang: Lang = Lang.ID,
           generated_on: date | None = None) -> bytes:  # fmt: skip
    """The report in ``fmt``: UTF-8 text for JSON, CSV and HTML; the file's bytes for XLSX and PDF."""
    generated_on = generated_on or datetime.now(UTC).date()
    if fmt is ReportFormat.JSON:
        return (json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n").encode()
    if fmt is ReportFormat.CSV:
        return to_csv(report, lang).encode("utf-8-sig")  # the BOM makes spreadsheet programs read UTF-8
    if fmt is ReportFormat.XLSX:
        return to_xlsx(report, lang, body_name=body_name)
    if fmt is ReportFormat.HTML:
        return to_html(report, lang, body_name=body_name, generated_on=generated_on).encode()
    return to_pdf(report, lang, body_name=body_name, generated_on=generated_on)


def to_csv(report: AnnualReport, lang: Lang = Lang.ID) -> str:
    """One line a figure: section, item, value (shares as fractions, as a spreadsheet wants them)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["year", "opd", "section", "item", "value"])
    for table in tables(report, lang):
        for label, value in table.rows:
            writer.writerow([report.year, report.opd, table.key, label, "" if value is None else value])
    return out.getvalue()


def to_xlsx(report: AnnualReport, lang: Lang = Lang.ID, *, body_name: str) -> bytes:
    """A workbook: a summary sheet with every table, and a bar chart of the months."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.create_sheet(str(report.year), 0)
    book.remove(book.worksheets[1])  # the empty default sheet
    sheet.append([rt("title", lang, year=report.year)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([body_name + (f" - {report.opd}" if report.opd else "")])
    month_rows: tuple[int, int] | None = None
    for table in tables(report, lang):
        sheet.append([])
        sheet.append([table.title])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        first = sheet.max_row + 1
        for label, value in table.rows:
            sheet.append([label, value])
            if label in table.percent_keys:
                sheet.cell(sheet.max_row, 2).number_format = "0.0%"
        if table.key == "by_month":
            month_rows = (first, sheet.max_row)
    sheet.column_dimensions["A"].width = 60
    sheet.column_dimensions["B"].width = 14
    if month_rows:
        chart = BarChart()
        chart.title = rt("section_months", lang)
        chart.legend = None
        chart.add_data(Reference(sheet, min_col=2, min_row=month_rows[0], max_row=month_rows[1]))
        chart.set_categories(Reference(sheet, min_col=1, min_row=month_rows[0], max_row=month_rows[1]))
        sheet.add_chart(chart, "D4")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_ENV = Environment(loader=PackageLoader("bot", "templates"), autoescape=select_autoescape(["html"]))


def to_html(report: AnnualReport, lang: Lang = Lang.ID, *, body_name: str, generated_on: date) -> str:
    """A printable page: the tables, and the charts as inline SVG (no script)."""
    shown = [
        {
            "title": table.title,
            "rows": [
                (label, display(v, lang, percent=label in table.percent_keys)) for label, v in table.rows
            ],
            "chart": bar_chart_svg(table.title, table.rows) if table.chart else "",
        }
        for table in tables(report, lang)
    ]
    day = format_date_en(generated_on) if lang is Lang.EN else format_date_id(generated_on)
    return _ENV.get_template("report.html").render(
        lang=lang.value,
        title=rt("title", lang, year=report.year),
        body_name=body_name,
        opd=rt("subtitle_opd", lang, opd=report.opd) if report.opd else "",
        basis=rt("basis", lang),
        generated=rt("generated", lang, date=day),
        item=rt("item", lang),
        count=rt("count", lang),
        tables=shown,
    )


def to_pdf(report: AnnualReport, lang: Lang = Lang.ID, *, body_name: str, generated_on: date) -> bytes:
    """A report a PPID can publish: title page header, basis, then each section's chart and table."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    from bot.pdf_fonts import FAMILY, use_unicode_fonts

    day = format_date_en(generated_on) if lang is Lang.EN else format_date_id(generated_on)

    class _Report(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(FAMILY, size=8)
            left = f"{body_name} - {rt('title', lang, year=report.year)}"
            self.cell(0, 8, left, align="L")
            self.set_x(-40)
            self.cell(30, 8, rt("page", lang, page=self.page_no()), align="R")

    pdf = _Report(format="A4")
    family = use_unicode_fonts(pdf)
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.set_title(rt("title", lang, year=report.year))
    pdf.set_author(body_name)
    pdf.add_page()
    pdf.set_font(family, "B", 16)
    pdf.multi_cell(0, 8, rt("title", lang, year=report.year), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "B", 12)
    pdf.multi_cell(0, 7, body_name, new_x="LMARGIN", new_y="NEXT")
    if report.opd:
        pdf.multi_cell(0, 7, rt("subtitle_opd", lang, opd=report.opd), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=9)
    pdf.multi_cell(0, 5, rt("basis", lang), new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 5, rt("generated", lang, date=day), new_x="LMARGIN", new_y="NEXT")
    heading = FontFace(emphasis="BOLD", fill_color=(225, 225, 225))
    for table in tables(report, lang):
        needed = 20 + 6 * len(table.rows) + (60 if table.chart else 0)
        if pdf.get_y() + min(needed, 120) > pdf.h - 20:
            pdf.add_page()
        pdf.ln(4)
        pdf.set_font(family, "B", 12)
        pdf.multi_cell(0, 7, table.title, new_x="LMARGIN", new_y="NEXT")
        if table.chart:
            svg = bar_chart_svg(table.title, table.rows, family=family)
            pdf.image(io.BytesIO(svg.encode()), w=pdf.epw)
        pdf.set_font(family, size=9)
        with pdf.table(col_widths=(75, 25), headings_style=heading, text_align=("LEFT", "RIGHT")) as grid:
            head = grid.row()
            head.cell(rt("item", lang))
            head.cell(rt("count", lang))
            for label, value in table.rows or ((rt("none", lang), None),):
                row = grid.row()
                row.cell(label)
                row.cell(display(value, lang, percent=label in table.percent_keys))
    return bytes(pdf.output())
