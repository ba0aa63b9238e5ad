"""An over-long announcement is cut into numbered parts that each fit the platform exactly, at the
largest natural boundary (handlers.domain.text_split); a file is what its first bytes say
(handlers.domain.files)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.domain.files import clean_file_name, file_problem, megabytes, sniffed_type
from handlers.domain.text_split import TooManyParts, numbered_parts, split_text, utf16_len


def label(n: int, total: int) -> str:
    return f"({n}/{total})"


def test_a_text_that_fits_is_one_message_without_a_number() -> None:
    assert numbered_parts("Kerja bakti Minggu.", 4096, label) == ["Kerja bakti Minggu."]
    exact = "x" * 4096
    assert numbered_parts(exact, 4096, label) == [exact]  # exactly at the limit: still one


def test_one_character_over_the_limit_makes_two_numbered_parts() -> None:
    text = "Paragraf satu. " * 200 + "\n\n" + "Paragraf dua. " * 200
    parts = numbered_parts(text, 4096, label)
    assert [p.rsplit("\n\n", 1)[1] for p in parts] == ["(1/2)", "(2/2)"]
    assert all(len(p) <= 4096 for p in parts)
    assert parts[0].startswith("Paragraf satu.") and parts[1].startswith("Paragraf dua.")  # at the paragraph


def test_parts_split_at_a_paragraph_then_a_sentence_then_a_word() -> None:
    paragraphs = "Satu dua tiga.\n\nEmpat lima enam."
    assert split_text(paragraphs, 20) == ["Satu dua tiga.", "Empat lima enam."]
    sentences = "Satu dua tiga. Empat lima enam."
    assert split_text(sentences, 20) == ["Satu dua tiga.", "Empat lima enam."]
    words = "satu dua tiga empat lima enam"
    assert split_text(words, 15) == ["satu dua tiga", "empat lima enam"]


def test_telegram_counts_an_emoji_twice_and_the_limit_still_holds() -> None:
    text = "🌊 banjir " * 1000  # 10 characters, 11 UTF-16 units each
    parts = numbered_parts(text, 4096, label, size=utf16_len)
    assert len(parts) == 3
    assert all(utf16_len(p) <= 4096 for p in parts)
    assert max(len(p) for p in parts) < 4096 < max(utf16_len(p) for p in parts) + 400  # counted in units
    assert "".join(p.rsplit("\n\n", 1)[0] for p in parts).count("🌊") == 1000  # no emoji cut in two


def test_more_parts_than_allowed_are_refused_with_the_count() -> None:
    with pytest.raises(TooManyParts) as refused:
        numbered_parts("kata " * 5000, 4096, label, max_parts=5)
    assert (refused.value.needed, refused.value.allowed) == (7, 5)
    assert len(numbered_parts("kata " * 4000, 4096, label, max_parts=5)) == 5


@given(st.text(min_size=1, max_size=3000), st.integers(min_value=30, max_value=600))
def test_every_part_fits_and_nothing_is_lost(text: str, limit: int) -> None:
    try:
        parts = numbered_parts(text, limit, label, size=utf16_len, max_parts=1000)
    except TooManyParts:
        return
    assert all(utf16_len(p) <= limit for p in parts)
    bodies = [p.rsplit("\n\n", 1)[0] if len(parts) > 1 else p for p in parts]
    assert "".join("".join(b.split()) for b in bodies) == "".join(text.split())


@pytest.mark.parametrize(
    ("head", "mime"),
    [
        (b"\xff\xd8\xff\xe0", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"%PDF-1.7", "application/pdf"),
        (b"MZ\x90\x00", ""),  # a Windows executable
        (b"\x7fELF", ""),
        (b"PK\x03\x04", ""),  # a zip (and every office file)
    ],
)
def test_the_type_is_what_the_first_bytes_say(head: bytes, mime: str) -> None:
    assert sniffed_type(head) == mime


def test_file_problems_say_why() -> None:
    five = 5 * 1024 * 1024
    assert file_problem(b"%PDF-1.7", 1000, five) == ""
    assert (
        file_problem(b"%PDF-1.7", five + 300_000, five) == "the file has 5,3 MB; at most 5 MB may be attached"
    )
    assert "only a photo" in file_problem(b"MZ\x90\x00", 1000, five)
    assert file_problem(b"", 0, five) == "the file is empty"
    assert megabytes(12_000) == "12 KB"


def test_file_names_lose_folders_and_get_their_real_extension() -> None:
    assert clean_file_name("C:\\Users\\rw\\jadwal posyandu.pdf", "application/pdf") == "jadwal posyandu.pdf"
    assert clean_file_name("../../etc/passwd", "image/png") == "passwd.png"
    assert clean_file_name('bad"<name>.exe', "image/jpeg") == "badname.exe.jpg"
    assert clean_file_name("", "application/pdf") == "lampiran.pdf"
