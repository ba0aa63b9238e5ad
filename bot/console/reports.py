"""The console's annual report page (``/console/reports``): the figures of a year (optionally of one
OPD) as tables with bar charts drawn on the server as SVG (``bot.report``), and the same report to
download as CSV, XLSX, PDF or JSON, or as a printable page (UU 14/2008 Pasal 12; Perki 1/2021).

Staff of every role but the RT/RW coordinator may read it: the annual report is public information.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from bot.console.web import SECURITY_HEADERS, CurrentOfficer, _staff, _today, render
from bot.deps import RuntimeDep
from bot.report import ReportFormat, bar_chart_svg, display, load_annual_report, tables
from bot.report import render as render_report
from bot.runtime import Runtime
from handlers.domain.report import AnnualReport

MEDIA = {
    ReportFormat.CSV: "text/csv; charset=utf-8",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ReportFormat.PDF: "application/pdf",
    ReportFormat.JSON: "application/json",
    ReportFormat.HTML: "text/html; charset=utf-8",
}
# the printable page carries its own <style>; nothing else may load
PRINTABLE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"


def _choice(runtime: Runtime, year: int, opd: str) -> tuple[int, str]:
    this_year = _today(runtime).year
    year = year if 2000 <= year <= this_year + 1 else this_year
    return year, "".join(c for c in opd.upper() if c.isalnum() or c in "-_.")[:32]


async def _load(runtime: Runtime, year: int, opd: str) -> AnnualReport:
    return await load_annual_report(
        runtime.db, year, hours=runtime.service_hours, now=runtime.clock(), opd=opd
    )


def build_router() -> APIRouter:
    router = APIRouter(prefix="/console/reports", include_in_schema=False)

    @router.get("")
    async def reports_page(
        request: Request, runtime: RuntimeDep, officer: CurrentOfficer, year: int = 0, opd: str = ""
    ) -> Response:
        actor = _staff(officer)
        year, opd = _choice(runtime, year, opd)
        report = await _load(runtime, year, opd)
        lang = officer.session.lang
        shown = [
            {
                "key": table.key,
                "title": table.title,
                "rows": [
                    (label, display(v, lang, percent=label in table.percent_keys)) for label, v in table.rows
                ],
                "chart": Markup(bar_chart_svg(table.title, table.rows)) if table.chart else "",
            }
            for table in tables(report, lang)
        ]  # the SVG is built from escaped labels and numbers (bot.report.bar_chart_svg)
        this_year = _today(runtime).year
        return render(
            request, officer.session, "reports.html", actor=actor, year=year, opd=opd, tables=shown,
            years=list(range(this_year, this_year - 6, -1)), formats=[f.value for f in ReportFormat],
        )  # fmt: skip

    @router.get("/download")
    async def download(
        runtime: RuntimeDep, officer: CurrentOfficer, year: int = 0, opd: str = "", format: str = "pdf"
    ) -> Response:
        _staff(officer)
        try:
            fmt = ReportFormat(format)
        except ValueError:
            fmt = ReportFormat.PDF
        year, opd = _choice(runtime, year, opd)
        report = await _load(runtime, year, opd)
        data = render_report(
            report, fmt, body_name=runtime.settings.body_name, lang=officer.session.lang,
            generated_on=_today(runtime),
        )  # fmt: skip
        name = f"laporan-ppid-{year}{'-' + opd.lower() if opd else ''}.{fmt.value}"
        disposition = "inline" if fmt is ReportFormat.HTML else "attachment"
        headers = {**SECURITY_HEADERS, "Content-Disposition": f'{disposition}; filename="{name}"'}
        if fmt is ReportFormat.HTML:
            headers["Content-Security-Policy"] = PRINTABLE_CSP
        return Response(data, media_type=MEDIA[fmt], headers=headers)

    return router
