"""Form cleaners: cleaned values, specific re-prompts, and no exception on any string."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from handlers.cleaners import (
    CLEANERS,
    COPY_DELIVERY_OPTIONS,
    FILING_AS_OPTIONS,
    OBTAIN_METHOD_OPTIONS,
    REQUESTER_TYPE_OPTIONS,
    Cleaned,
    clean_address,
    clean_copy_delivery,
    clean_email,
    clean_filing_as,
    clean_free_text,
    clean_information,
    clean_legal_entity_number,
    clean_name,
    clean_nik,
    clean_obtain_method,
    clean_phone,
    clean_purpose,
    clean_requester_type,
    is_skip_answer,
    suggest_mail_domain,
)
from handlers.texts import CATALOGUE, t
from handlers.types import Lang

Cleaner = Callable[[str], Cleaned]


def ok(cleaner: Cleaner, raw: str) -> str:
    result = cleaner(raw)
    assert result.ok, result.error
    return result.value


def error(cleaner: Cleaner, raw: str) -> str:
    result = cleaner(raw)
    assert not result.ok, result.value
    return result.error


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("Siti Rahmawati", "Siti Rahmawati"),
        ("  budi   santoso ", "budi santoso"),
        ("Drs. H. Abdul Rahman, S.H.", "Drs. H. Abdul Rahman, S.H."),
        ("Ni Luh Putu Ayu", "Ni Luh Putu Ayu"),
        ("O'Neil Jean-Baptiste", "O'Neil Jean-Baptiste"),
        ("Muhammad\u200b Iqbal", "Muhammad Iqbal"),  # zero-width space dropped
    ],
)
def test_name_ok(raw: str, value: str) -> None:
    assert ok(clean_name, raw) == value


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("", "clean_name_short"),
        ("A", "clean_name_short"),
        ("Budi 123", "clean_name_chars"),
        ("Budi 😀", "clean_name_chars"),
        ("x" * 101, "clean_name_long"),
    ],
)
def test_name_errors(raw: str, key: str) -> None:
    assert error(clean_name, raw) == key


def test_nik() -> None:
    assert ok(clean_nik, "3273 0101 0190 0001") == "3273010101900001"
    result = clean_nik("3273 0101 0190 001")
    assert result.error == "clean_nik_length" and result.values == {"digits": "15"}
    assert "15 digit" in t(result.error, Lang.ID, **result.values)
    assert error(clean_nik, "2073010101900001") == "clean_nik_province"
    assert error(clean_nik, "3273013201900001") == "clean_nik_birth_date"
    assert error(clean_nik, "3273010101900000") == "clean_nik_serial"
    assert error(clean_nik, "3200010101900001") == "clean_nik_region"
    assert error(clean_nik, "NIK saya 3273010101900001") == "clean_nik_non_digit"


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("(022) 4231234", "+62224231234"),
        ("+1 650 253 0000", "+16502530000"),  # a citizen abroad
    ],
)
def test_phone_ok(raw: str, value: str) -> None:
    assert ok(clean_phone, raw) == value


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("08123", "clean_phone_invalid"),
        ("nomor saya", "clean_phone_invalid"),
        ("", "clean_phone_invalid"),
        ("0" * 40, "clean_phone_invalid"),
        ("0800 1 234 567", "clean_phone_type"),  # toll-free
    ],
)
def test_phone_errors(raw: str, key: str) -> None:
    assert error(clean_phone, raw) == key


def test_email() -> None:
    assert ok(clean_email, " Budi.Santoso@Gmail.COM ") == "Budi.Santoso@gmail.com"
    assert ok(clean_email, "mailto:siti@sukamajukota.go.id") == "siti@sukamajukota.go.id"
    for bad in ("budi@", "budi gmail.com", "budi@gmail", "", "a@b@c.id"):
        assert error(clean_email, bad) == "clean_email_invalid"


def test_legal_entity_number() -> None:
    assert (
        ok(clean_legal_entity_number, " AHU-0012345.AH.01.01.Tahun 2020 ")
        == "AHU-0012345.AH.01.01.Tahun 2020"
    )
    assert ok(clean_legal_entity_number, "C-12345 HT.01.01.TH.2005") == "C-12345 HT.01.01.TH.2005"
    for bad in ("belum ada", "AHU", "AHU-12", "AHU-0012345 😀 2020"):
        assert error(clean_legal_entity_number, bad) == "clean_legal_entity_invalid"


def test_free_text_fields() -> None:
    assert ok(clean_address, "Jl. Merdeka No. 10,\nRT 02/RW 05") == "Jl. Merdeka No. 10, RT 02/RW 05"
    assert error(clean_address, "Jl. A") == "clean_address_short"
    assert error(clean_address, "1234567890123") == "clean_address_short"  # no letter at all
    assert error(clean_address, "Jl. " + "a" * 300) == "clean_address_long"
    text = "Salinan APBD 2024\n\n\n   beserta   lampirannya  "
    assert ok(clean_information, text) == "Salinan APBD 2024\nbeserta lampirannya"
    assert error(clean_information, "APBD") == "clean_information_short"
    assert error(clean_information, "x" * 2001) == "clean_information_long"
    assert ok(clean_purpose, "riset") == "riset"
    assert error(clean_purpose, "???") == "clean_purpose_short"
    assert ok(clean_free_text, "Belum dijawab") == "Belum dijawab"
    result = clean_free_text("y" * 2500)
    assert result.error == "clean_free_text_long" and result.values == {"length": "2500", "limit": "2000"}


@pytest.mark.parametrize(
    ("cleaner", "raw", "value"),
    [
        (clean_requester_type, "1", "perorangan"),
        (clean_requester_type, " 2. ", "badan_hukum"),
        (clean_requester_type, "tiga", "kelompok"),
        (clean_requester_type, "Perorangan", "perorangan"),
        (clean_requester_type, "saya mewakili yayasan", "badan_hukum"),
        (clean_requester_type, "badan_hukum", "badan_hukum"),  # a button payload
        (clean_requester_type, "kelompok orang", "kelompok"),  # longer phrase wins over "orang"
        (clean_filing_as, "untuk diri sendiri", "sendiri"),
        (clean_filing_as, "dengan surat kuasa", "kuasa"),
        (clean_obtain_method, "softcopy", "salinan_softcopy"),
        (clean_obtain_method, "Salinan digital (PDF)", "salinan_softcopy"),
        (clean_obtain_method, "fotokopi", "salinan_hardcopy"),
        (clean_obtain_method, "cukup melihat saja", "melihat"),
        (clean_copy_delivery, "5", "chat"),
        (clean_copy_delivery, "E-mail", "email"),
        (clean_copy_delivery, "lewat surat elektronik", "email"),
        (clean_copy_delivery, "kirim via pos", "pos"),
        (clean_copy_delivery, "saya ambil langsung", "ambil_langsung"),
        (clean_copy_delivery, "WA", "chat"),
    ],
)
def test_choices_ok(cleaner: Cleaner, raw: str, value: str) -> None:
    assert ok(cleaner, raw) == value


@pytest.mark.parametrize(
    ("cleaner", "raw"),
    [
        (clean_requester_type, "4"),
        (clean_requester_type, "0"),
        (clean_requester_type, "entahlah"),
        (clean_requester_type, ""),
        (clean_obtain_method, "salinan"),  # softcopy or hardcopy?
        (clean_obtain_method, "softcopy dan hardcopy"),  # both: ask again
        (clean_copy_delivery, "6"),
    ],
)
def test_choices_errors(cleaner: Cleaner, raw: str) -> None:
    assert error(cleaner, raw).endswith("_invalid")


def test_choice_labels_and_numbers_match_the_reprompt() -> None:
    for options in (REQUESTER_TYPE_OPTIONS, FILING_AS_OPTIONS, OBTAIN_METHOD_OPTIONS, COPY_DELIVERY_OPTIONS):
        for option in options:
            assert option.label_key in CATALOGUE
    assert [o.value for o in COPY_DELIVERY_OPTIONS] == [
        clean_copy_delivery(str(n)).value for n in range(1, 6)
    ]


@pytest.mark.parametrize(("raw", "skip"), [("-", True), ("lewati", True), ("Tidak ada", True), ("", False)])
def test_skip_answer(raw: str, skip: bool) -> None:
    assert is_skip_answer(raw) is skip


# --- properties: any string, never an exception, every error a texts key with an example ---

_any_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=300)  # surrogates too
_EXAMPLE = re.compile(r"misalnya|Contoh|contoh")


@pytest.mark.parametrize("name", sorted(CLEANERS))
@given(raw=_any_text)
@example(raw="\x00\ud800")
@example(raw="٣٢٧٣٠١٠١٠١٩٠٠٠٠١")  # Arabic-Indic digits
def test_cleaners_never_raise_and_reprompt_with_an_example(name: str, raw: str) -> None:
    result = CLEANERS[name](raw)
    if result.ok:
        assert result.value and result.value == result.value.strip()
        assert CLEANERS[name](result.value) == result  # storing and cleaning again changes nothing
    else:
        values = {"city": "Kota Contoh", **result.values}  # the form adds the office's city
        for lang in Lang:
            assert _EXAMPLE.search(t(result.error, Lang.ID, **values))
            t(result.error, lang, **values)  # every placeholder is given


@pytest.mark.parametrize("name", sorted(CLEANERS))
@given(raw=st.text(alphabet="0123456789 +-.()@abcdeAHU", max_size=40))
def test_cleaners_never_raise_on_near_misses(name: str, raw: str) -> None:
    assert isinstance(CLEANERS[name](raw), Cleaned)


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("budi@gmial.com", "budi@gmail.com"),
        ("budi@gmail.con", "budi@gmail.com"),
        ("budi@yaho.co.id", "budi@yahoo.co.id"),
        ("budi@hotmial.com", "budi@hotmail.com"),
        ("budi@gmail.com", None),
        ("budi@kemenkeu.go.id", None),
        ("budi@ui.ac.id", None),
        ("budi", None),
    ],
)
def test_a_likely_misspelt_mail_domain_gets_a_suggestion(typed: str, suggested: str | None) -> None:
    assert suggest_mail_domain(typed) == suggested
