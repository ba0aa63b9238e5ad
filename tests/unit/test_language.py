"""Language detection and text cleaning for short chat messages."""

from __future__ import annotations

import pytest

from handlers.language import clean_text, detect_language, has_words
from handlers.types import Lang


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hello", Lang.EN),
        ("what is the city budget for 2024", Lang.EN),
        ("where can I get a birth certificate", Lang.EN),
        ("cek status", Lang.ID),
        ("cek status permohonan", Lang.ID),
        ("gmn cr ngurus akte", Lang.ID),
        ("apbd dinkes 2024", Lang.ID),
        ("tolong info jadwal posyandu", Lang.ID),
    ],
)
def test_detect_language(text: str, expected: Lang) -> None:
    assert detect_language(text, Lang.ID) is expected


@pytest.mark.parametrize(
    "text",
    [
        "piye carane njaluk data neng PPID",  # Javanese
        "kumaha carana abdi hoyong nyuhunkeun inpormasi",  # Sundanese
        "gimane caranye aye minta data, kagak ngerti",  # Betawi
        "baa caro mambuek NIB untuak usaho ketek",  # Minang
    ],
)
def test_a_regional_mix_after_english_is_answered_in_indonesian(text: str) -> None:
    assert detect_language(text, Lang.EN) is Lang.ID


def test_unclear_text_keeps_the_current_language() -> None:
    assert detect_language("apbd 2024", Lang.EN) is Lang.EN
    assert detect_language("status", Lang.ID) is Lang.ID


def test_clean_text_drops_controls_and_keeps_emoji_and_lines() -> None:
    assert clean_text("  a\x00b\u200b  c \n\n d\x1b ") == "ab c\nd"
    assert clean_text("👍🏽 ok") == "👍🏽 ok"
    assert not has_words("🙏🙏 !!") and has_words("ok 🙏")
