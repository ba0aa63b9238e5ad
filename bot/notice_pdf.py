"""The written notice (``handlers.written_notice``) as a PDF, with fpdf2.

Set in the bundled Unicode font (``bot.pdf_fonts``), so every character of a name or an answer is
printed as typed.
"""

from __future__ import annotations

from fpdf import FPDF

from bot.pdf_fonts import use_unicode_fonts
from handlers.domain.calendar import WorkingCalendar
from handlers.request_ports import RequestRecord
from handlers.services.ports import Document
from handlers.types import Lang
from handlers.written_notice import WrittenNotice, written_notice


def _pdf() -> tuple[FPDF, str]:
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    return pdf, use_unicode_fonts(pdf)


def notice_pdf(notice: WrittenNotice) -> bytes:
    """The notice on A4: the body's name, the title, one row per element of Pasal 22(7), closing."""
    pdf, family = _pdf()
    pdf.set_title(f"{notice.title} {notice.file_name}")
    pdf.add_page()
    width = pdf.epw
    pdf.set_font(family, "B", 12)
    pdf.multi_cell(width, 7, notice.body_name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(family, "B", 14)
    pdf.multi_cell(width, 8, notice.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 10)
    pdf.multi_cell(width, 6, notice.subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(family, "", 10)
    with pdf.table(
        col_widths=(35, 65), first_row_as_headings=False, line_height=6, text_align="LEFT"
    ) as table:
        for label, value in notice.rows:
            row = table.row()
            row.cell(label)
            row.cell(value or "-")
    pdf.ln(4)
    for paragraph in notice.closing:
        pdf.multi_cell(width, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.ln(10)
    pdf.set_font(family, "B", 10)
    pdf.multi_cell(width, 6, notice.signed, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 10)
    pdf.multi_cell(width, 6, notice.body_name, align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def notice_document(record: RequestRecord, cal: WorkingCalendar, *, body_name: str) -> Document:
    """The written notice of a decided request as a PDF, in Indonesian (the body's official letter)."""
    notice = written_notice(record, cal, Lang.ID, body_name=body_name)
    return Document(notice_pdf(notice), "application/pdf", notice.file_name)
