"""Each intent in natural wording, on the real pipeline (issue 11)."""

from __future__ import annotations

import pytest

from tests.fakes import ChatHarness


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("saya mau ajukan permohonan informasi", "pemberitahuan pelindungan data pribadi"),
        ("sy mw ajuin permhonan info dong", "pemberitahuan pelindungan data pribadi"),
        ("tolong saya mau bicara dgn petugas", "kami teruskan ke petugas PPID"),
        ("min, bisa ngobrol sama admin langsung?", "kami teruskan ke petugas PPID"),
        ("status permohonan saya gmn", "nomor pendaftaran permohonan"),
        ("kapan permohonan saya dijawab", "nomor pendaftaran permohonan"),
        ("makasih", "Sama-sama"),
        ("ok siap", "Sama-sama"),
        ("matur suwun", "Sama-sama"),
        ("thx", "Sama-sama"),
        ("thank you so much", "welcome"),
        ("selamat pagi kak", "Selamat datang"),
        ("punten", "Selamat datang"),
    ],
)
async def test_intent_in_natural_wording(harness: ChatHarness, text: str, expected: str) -> None:
    assert expected in await harness.say(text)


async def test_objection_in_natural_wording(harness: ChatHarness) -> None:
    answer = await harness.say("permohonan saya ditolak")
    assert "keberatan" in answer.lower() or "nomor" in answer.lower()
    assert "belum menemukan" not in answer


async def test_information_question_still_searches(harness: ChatHarness) -> None:
    assert "belum menemukan" in await harness.say("saya mau minta data APBD")  # the empty register
