"""The written notice (``handlers.written_notice``) as a PDF, with fpdf2.

A Unicode TrueType font is used when the system has one (DejaVu Sans on Debian); otherwise the
PDF core font Helvetica, with characters outside Latin-1 replaced, so a notice is always made.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from handlers.domain.calendar import WorkingCalendar
from handlers.request_ports import RequestRecord
from handlers.services.ports import Document
from handlers.types import Lang
from handlers.written_notice import WrittenNotice, written_notice

_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),
)


def _pdf() -> tuple[FPDF, bool]:
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    font = next((f for f in _FONTS if f.is_file()), None)
    if font is not None:
        bold = font.with_name(font.stem + "-Bold.ttf")
        pdf.add_font("Notice", "", str(font))
        pdf.add_font("Notice", "B", str(bold if bold.is_file() else font))
        return pdf, True
    return pdf, False


def notice_pdf(notice: WrittenNotice) -> bytes:
    """The notice on A4: the body's name, the title, one row per element of Pasal 22(7), closing."""
    pdf, unicode = _pdf()
    family = "Notice" if unicode else "Helvetica"

    def text(value: str) -> str:
        return value if unicode else value.encode("latin-1", "replace").decode("latin-1")

    pdf.set_title(text(f"{notice.title} {notice.file_name}"))
    pdf.add_page()
    width = pdf.epw
    pdf.set_font(family, "B", 12)
    pdf.multi_cell(width, 7, text(notice.body_name), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(family, "B", 14)
    pdf.multi_cell(width, 8, text(notice.title), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 10)
    pdf.multi_cell(width, 6, text(notice.subtitle), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(family, "", 10)
    with pdf.table(
        col_widths=(35, 65), first_row_as_headings=False, line_height=6, text_align="LEFT"
    ) as table:
        for label, value in notice.rows:
            row = table.row()
            row.cell(text(label))
            row.cell(text(value or "-"))
    pdf.ln(4)
    for paragraph in notice.closing:
        pdf.multi_cell(width, 6, text(paragraph), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.ln(10)
    pdf.set_font(family, "B", 10)
    pdf.multi_cell(width, 6, text(notice.signed), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 10)
    pdf.multi_cell(width, 6, text(notice.body_name), align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def notice_document(record: RequestRecord, cal: WorkingCalendar, *, body_name: str) -> Document:
    """The written notice of a decided request as a PDF, in Indonesian (the body's official letter)."""
    notice = written_notice(record, cal, Lang.ID, body_name=body_name)
    return Document(notice_pdf(notice), "application/pdf", notice.file_name)
