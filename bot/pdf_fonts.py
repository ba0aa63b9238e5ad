"""The fonts of every PDF the service makes (the annual report, the written notice).

DejaVu Sans, regular and bold, ships inside the package (``bot/fonts``, with its licence), so a PDF
prints every character a PPID types - "é", "–", "“”", Indonesian names with diacritics - on any
machine, including CI machines without system fonts. fpdf2 embeds only the glyphs used.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path(__file__).with_name("fonts")
FAMILY = "DejaVu"
REGULAR = FONT_DIR / "DejaVuSans.ttf"
BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"


def use_unicode_fonts(pdf: FPDF) -> str:
    """Register the bundled Unicode font on ``pdf`` (regular and bold) and return its family name."""
    pdf.add_font(FAMILY, "", str(REGULAR))
    pdf.add_font(FAMILY, "B", str(BOLD))
    return FAMILY
