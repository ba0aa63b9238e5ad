"""Both PDFs (the annual report and the written notice) print characters outside Latin-1 with the
bundled DejaVu Sans (``bot.pdf_fonts``): the font is embedded and its character map holds "é", "–",
"“" and "”" (the core font of before turned them into "?" or plain dashes)."""

from __future__ import annotations

import dataclasses
import re
import zlib
from datetime import date

from bot.notice_pdf import notice_pdf
from bot.pdf_fonts import BOLD, REGULAR
from bot.report import ReportFormat, render
from handlers.written_notice import WrittenNotice
from tests.integration.test_report import REPORT

NAME = "Dinas Pariwisata – Kafé “Sukamaju”"
ODD = "é–“”"


def _streams(pdf: bytes) -> list[bytes]:
    out = []
    for found in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(found.group(1)))
        except zlib.error:
            out.append(found.group(1))
    return out


def _unicode_text_in(pdf: bytes) -> set[str]:
    """The characters the PDF's embedded fonts map their glyphs to (their ToUnicode maps)."""
    maps = b"".join(s for s in _streams(pdf) if b"begincmap" in s)
    return {chr(int(code, 16)) for code in re.findall(rb"<[0-9A-F]{4}> <([0-9A-F]{4})>", maps)}


def _fonts(pdf: bytes) -> set[bytes]:
    return set(re.findall(rb"/BaseFont\s*/(?:[A-Z]{6}\+)?([^\s/>]+)", pdf))


def test_the_fonts_ship_with_the_package_and_their_licence() -> None:
    assert REGULAR.is_file() and BOLD.is_file()
    assert "Bitstream Vera" in (REGULAR.parent / "LICENSE.txt").read_text()


def test_a_report_prints_an_opd_name_outside_latin_1() -> None:
    report = dataclasses.replace(REPORT, opd=NAME, by_opd={NAME: 3, **REPORT.by_opd})
    pdf = render(
        report, ReportFormat.PDF, body_name="Pemerintah Kota Sukamaju", generated_on=date(2026, 12, 7)
    )
    assert _fonts(pdf) == {b"DejaVuSansBook", b"DejaVuSansBold"}  # no core Helvetica left
    assert set(ODD) <= _unicode_text_in(pdf)


def test_a_written_notice_prints_the_same_characters() -> None:
    notice = WrittenNotice(
        title="Pemberitahuan Tertulis", subtitle="Nomor PPID-2026-000001", body_name=NAME,
        rows=(("Informasi", "Data “kunjungan” 2025–2026"),), closing=("Hormat kami.",),
        signed="PPID", file_name="pemberitahuan-PPID-2026-000001.pdf",
    )  # fmt: skip
    pdf = notice_pdf(notice)
    assert _fonts(pdf) == {b"DejaVuSansBook", b"DejaVuSansBold"}
    assert set(ODD) <= _unicode_text_in(pdf)
