"""Cleaners of the request form: one ``clean_<field>(raw) -> Cleaned`` per field.

A cleaner never raises: it returns either the value to store or the texts key of a specific,
friendly re-prompt that shows an example (keys ``clean_*`` in :mod:`handlers.texts`).
Fields and sources: UU 14/2008 Pasal 22 and the request form of Perki 1/2021.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from rapidfuzz.distance import DamerauLevenshtein

from handlers.domain.errors import InvalidNik
from handlers.domain.fields import CopyDelivery, FilingAs, ObtainMethod, RequesterType
from handlers.domain.nik import parse_nik


@dataclass(frozen=True, slots=True)
class Cleaned:
    """The outcome of a cleaner: ``value`` when ``ok``, else ``error`` (a texts key) and the
    placeholders its text needs (``values``)."""

    value: str = ""
    error: str = ""
    values: Mapping[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.error


def _ok(value: str) -> Cleaned:
    return Cleaned(value=value)


def _fail(key: str, **values: str) -> Cleaned:
    return Cleaned(error=key, values=values)


# --- normalising text ---

_DROP_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})  # controls, invisibles, surrogates...
_KEEP = frozenset("\n\t")


def _visible(raw: str) -> str:
    """``raw`` in NFC without control and invisible characters (newlines and tabs stay)."""
    text = unicodedata.normalize("NFC", raw)
    return "".join(ch for ch in text if ch in _KEEP or unicodedata.category(ch) not in _DROP_CATEGORIES)


def _one_line(raw: str) -> str:
    """Visible text with every run of whitespace (newlines too) turned into one space."""
    return " ".join(_visible(raw).split())


def _lines(raw: str) -> str:
    """Visible text with spaces collapsed inside lines and empty lines dropped."""
    lines = (" ".join(line.split()) for line in _visible(raw).splitlines())
    return "\n".join(line for line in lines if line)


def _has_letter(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def _clean_text(raw: str, field_name: str, min_len: int, max_len: int, *, multiline: bool) -> Cleaned:
    text = _lines(raw) if multiline else _one_line(raw)
    if len(text) > max_len:
        return _fail(f"clean_{field_name}_long", length=str(len(text)), limit=str(max_len))
    if len(text) < min_len or not _has_letter(text):
        return _fail(f"clean_{field_name}_short", minimum=str(min_len))
    return _ok(text)


# --- identity ---

NAME_MAX = 100
_NAME_PUNCTUATION = frozenset(".,'-’`")


def clean_name(raw: str) -> Cleaned:
    """Full name: letters (any script), spaces and ``. , ' -`` as in "Drs. H. Abdul Rahman, S.H."."""
    text = _one_line(raw)
    if len(text) > NAME_MAX:
        return _fail("clean_name_long", limit=str(NAME_MAX))
    allowed = all(
        ch.isalpha() or ch == " " or ch in _NAME_PUNCTUATION or unicodedata.category(ch).startswith("M")
        for ch in text
    )
    if not allowed:
        return _fail("clean_name_chars")
    if sum(ch.isalpha() for ch in text) < 2:
        return _fail("clean_name_short")
    return _ok(text)


def clean_nik(raw: str) -> Cleaned:
    """The 16-digit NIK of the KTP, stored as digits; spaces, dots and dashes are allowed."""
    if len(raw) > 200:
        return _fail("clean_nik_length", digits="200+")
    try:
        nik = parse_nik(raw)
    except InvalidNik as error:
        return _fail(f"clean_nik_{error.reason.value}", digits=str(error.digits))
    return _ok(nik.value)


LEGAL_ENTITY_MAX = 100
_LEGAL_ENTITY_CHARS = re.compile(r"[0-9A-Za-z .,/:()\-]+")


def clean_legal_entity_number(raw: str) -> Cleaned:
    """Kemenkumham ratification number of a badan hukum, e.g. "AHU-0012345.AH.01.01.Tahun 2020".

    Formats differ by year and kind of entity, so only the shape is checked: Latin letters,
    digits and ``. , / : ( ) -``, with at least three digits.
    """
    text = _one_line(raw)
    plausible = (
        5 <= len(text) <= LEGAL_ENTITY_MAX
        and _LEGAL_ENTITY_CHARS.fullmatch(text) is not None
        and sum(ch.isdigit() for ch in text) >= 3
    )
    return _ok(text) if plausible else _fail("clean_legal_entity_invalid")


# --- contact ---

ADDRESS_MIN, ADDRESS_MAX = 10, 300
PHONE_MAX = 30
EMAIL_MAX = 254
_PHONE_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
)


def clean_address(raw: str) -> Cleaned:
    """Postal address on one line ("Jl. Merdeka No. 10, RT 02/RW 05, Kel. Sukamaju")."""
    return _clean_text(raw, "address", ADDRESS_MIN, ADDRESS_MAX, multiline=False)


def clean_phone(raw: str) -> Cleaned:
    """A mobile or fixed-line number, Indonesian by default ("0812-3456-7890"), stored in E.164."""
    text = _one_line(raw)
    if not text or len(text) > PHONE_MAX:
        return _fail("clean_phone_invalid")
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        return _fail("clean_phone_invalid")
    if not phonenumbers.is_valid_number(number):
        return _fail("clean_phone_invalid")
    if phonenumbers.number_type(number) not in _PHONE_TYPES:
        return _fail("clean_phone_type")
    return _ok(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def clean_email(raw: str) -> Cleaned:
    """An e-mail address, syntax only (no DNS lookup), normalised ("budi@gmail.com")."""
    text = _one_line(raw).removeprefix("mailto:")
    if not text or len(text) > EMAIL_MAX:
        return _fail("clean_email_invalid")
    try:
        return _ok(validate_email(text, check_deliverability=False).normalized)
    except EmailNotValidError:
        return _fail("clean_email_invalid")


# Mail domains most Indonesian citizens use; a typed domain one or two edits away from one of them
# is most likely a slip of the thumb ("gmial.com", "yaho.co.id").
COMMON_MAIL_DOMAINS = (
    "gmail.com", "yahoo.com", "yahoo.co.id", "ymail.com", "hotmail.com", "outlook.com", "outlook.co.id",
    "live.com", "icloud.com", "rocketmail.com", "protonmail.com", "proton.me", "aol.com", "mail.com",
)  # fmt: skip


def suggest_mail_domain(address: str) -> str | None:
    """The address with a common domain instead of a likely misspelt one, or None.

    ``budi@gmial.com`` -> ``budi@gmail.com``. Swapped letters count as one edit (Damerau); a
    domain that is itself common, or far from all of them, gets no suggestion.
    """
    local, at, domain = address.rpartition("@")
    domain = domain.lower()
    if not at or not local or domain in COMMON_MAIL_DOMAINS:
        return None
    best, distance = min(
        ((d, DamerauLevenshtein.distance(domain, d)) for d in COMMON_MAIL_DOMAINS), key=lambda pair: pair[1]
    )
    allowed = 1 if len(domain) < 8 else 2
    return f"{local}@{best}" if 0 < distance <= allowed else None


_SKIP_WORDS = frozenset(
    {"", "lewati", "lewat", "skip", "tidak ada", "tidak punya", "tdk ada", "gak ada", "ga ada",
     "nggak ada", "tidak", "tdk", "none", "no", "nothing", "kosong"}
)  # fmt: skip


def is_skip_answer(raw: str) -> bool:
    """The citizen declines an optional field ("-", "lewati", "tidak ada")."""
    return _words(raw) in _SKIP_WORDS and bool(raw.strip())


# --- the request itself ---

INFORMATION_MIN, INFORMATION_MAX = 10, 2000
PURPOSE_MIN, PURPOSE_MAX = 5, 1000
FREE_TEXT_MIN, FREE_TEXT_MAX = 3, 2000


def clean_information(raw: str) -> Cleaned:
    """*Rincian informasi*: what information is wanted (UU 14/2008 Pasal 22(1))."""
    return _clean_text(raw, "information", INFORMATION_MIN, INFORMATION_MAX, multiline=True)


def clean_purpose(raw: str) -> Cleaned:
    """*Tujuan penggunaan*: what the information is for (UU 14/2008 Pasal 4(3))."""
    return _clean_text(raw, "purpose", PURPOSE_MIN, PURPOSE_MAX, multiline=True)


def clean_free_text(raw: str) -> Cleaned:
    """Any other explanation, e.g. of an objection (UU 14/2008 Pasal 35)."""
    return _clean_text(raw, "free_text", FREE_TEXT_MIN, FREE_TEXT_MAX, multiline=True)


# --- choices: a number or words ---


@dataclass(frozen=True, slots=True)
class Option:
    """One answer of a choice field: the value stored, the texts key of its label, the words
    that choose it (lower case; the value itself and its number always work)."""

    value: StrEnum
    label_key: str
    words: tuple[str, ...]


def _option(value: StrEnum, *words: str) -> Option:
    field_name = re.sub(
        r"(?<!^)(?=[A-Z])", "_", type(value).__name__
    ).lower()  # CopyDelivery -> copy_delivery
    return Option(value, f"choice_{field_name}_{value.value}", words)


REQUESTER_TYPE_OPTIONS = (
    _option(RequesterType.PERSON, "perorangan", "perseorangan", "pribadi", "individu", "orang",
            "warga", "individual", "person", "personal"),
    _option(RequesterType.LEGAL_ENTITY, "badan hukum", "bh", "pt", "perseroan", "perusahaan",
            "yayasan", "perkumpulan", "koperasi", "legal entity", "company", "foundation"),
    _option(RequesterType.GROUP, "kelompok", "kelompok masyarakat", "kelompok orang", "kelompok warga",
            "komunitas", "grup", "paguyuban", "group", "community"),
)  # fmt: skip
FILING_AS_OPTIONS = (
    _option(FilingAs.SELF, "sendiri", "diri sendiri", "saya sendiri", "untuk saya", "myself", "self"),
    _option(FilingAs.PROXY, "kuasa", "kuasa hukum", "surat kuasa", "mewakili", "wakil", "perwakilan",
            "orang lain", "proxy", "on behalf"),
)  # fmt: skip
OBTAIN_METHOD_OPTIONS = (
    _option(ObtainMethod.VIEW, "melihat", "lihat", "membaca", "baca", "mendengarkan", "dengar",
            "mencatat", "catat", "view", "read", "see"),
    _option(ObtainMethod.SOFTCOPY, "softcopy", "soft copy", "salinan softcopy", "digital", "file",
            "pdf", "elektronik", "salinan elektronik", "salinan digital", "scan"),
    _option(ObtainMethod.HARDCOPY, "hardcopy", "hard copy", "salinan hardcopy", "cetak", "tercetak",
            "fotokopi", "fotocopy", "kertas", "print", "printed", "paper"),
)  # fmt: skip
COPY_DELIVERY_OPTIONS = (
    _option(CopyDelivery.PICK_UP, "ambil", "ambil langsung", "ambil sendiri", "diambil", "datang",
            "datang langsung", "langsung", "pick up", "pickup"),
    _option(CopyDelivery.POST, "pos", "kantor pos", "lewat pos", "post"),
    _option(CopyDelivery.COURIER, "kurir", "jasa pengiriman", "ekspedisi", "jne", "gojek", "grab",
            "courier"),
    _option(CopyDelivery.EMAIL, "email", "e mail", "surel", "surat elektronik", "imel"),
    _option(CopyDelivery.CHAT, "chat", "obrolan", "whatsapp", "wa", "telegram", "pesan", "di sini",
            "disini", "lewat sini", "web"),
)  # fmt: skip

_NUMBER_WORDS = {"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "one": 1, "two": 2,
                 "three": 3, "four": 4, "five": 5}  # fmt: skip
_NOT_WORD = re.compile(r"[\W_]+")


def _words(raw: str) -> str:
    """Lower-case words separated by single spaces: punctuation, ``_`` and ``-`` become spaces."""
    return " ".join(_NOT_WORD.sub(" ", unicodedata.normalize("NFKC", raw).casefold()).split())


def _choose(raw: str, options: tuple[Option, ...]) -> Option | None:
    """The option ``raw`` names: its number, its value or words, else the option whose phrase is
    the longest found in ``raw`` (None when two options tie or nothing matches)."""
    text = _words(raw[:200])
    number = int(text) if text.isascii() and text.isdigit() and len(text) < 3 else _NUMBER_WORDS.get(text)
    if number is not None:
        return options[number - 1] if 1 <= number <= len(options) else None
    padded = f" {text} "
    best: dict[int, set[int]] = {}
    for index, option in enumerate(options):
        for phrase in (*option.words, _words(option.value.value)):
            if f" {phrase} " in padded:
                best.setdefault(len(phrase.split()), set()).add(index)
    if not best:
        return None
    winners = best[max(best)]
    return options[winners.pop()] if len(winners) == 1 else None


def _clean_choice(raw: str, options: tuple[Option, ...], error_key: str) -> Cleaned:
    option = _choose(raw, options)
    return _ok(option.value.value) if option else _fail(error_key)


def clean_requester_type(raw: str) -> Cleaned:
    """perorangan / badan hukum / kelompok, as 1-3 or in words (UU 14/2008 Pasal 1 angka 12)."""
    return _clean_choice(raw, REQUESTER_TYPE_OPTIONS, "clean_requester_type_invalid")


def clean_filing_as(raw: str) -> Cleaned:
    """For oneself (1) or as a proxy with a power of attorney (2)."""
    return _clean_choice(raw, FILING_AS_OPTIONS, "clean_filing_as_invalid")


def clean_obtain_method(raw: str) -> Cleaned:
    """See/read/listen/note (1), a softcopy (2) or a hardcopy (3) (Perki 1/2021 request form)."""
    return _clean_choice(raw, OBTAIN_METHOD_OPTIONS, "clean_obtain_method_invalid")


def clean_copy_delivery(raw: str) -> Cleaned:
    """Pick up (1), post (2), courier (3), e-mail (4) or this chat (5) (Perki 1/2021 request form)."""
    return _clean_choice(raw, COPY_DELIVERY_OPTIONS, "clean_copy_delivery_invalid")


CLEANERS: Mapping[str, Callable[[str], Cleaned]] = {
    "requester_type": clean_requester_type,
    "filing_as": clean_filing_as,
    "name": clean_name,
    "nik": clean_nik,
    "legal_entity_number": clean_legal_entity_number,
    "address": clean_address,
    "phone": clean_phone,
    "email": clean_email,
    "information": clean_information,
    "purpose": clean_purpose,
    "obtain_method": clean_obtain_method,
    "copy_delivery": clean_copy_delivery,
    "free_text": clean_free_text,
}
"""Every cleaner by field name (for the form's field table and the property tests)."""
