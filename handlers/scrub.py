"""Strip personal data from a question before it is kept as a "could not find" gap.

A citizen types whatever they like into the search: their NIK, a phone number, an e-mail
address, "nama saya Budi". The officers need the question, not the person (UU 27/2022 Pasal 16(2)
data minimisation), so every gap is scrubbed here, in the handler, before it becomes an effect
that storage applies: what is stored is only the scrubbed text.

Each kind of personal data is replaced by a marker ("[NIK]", "[telepon]", "[email]", "[nama]")
so the question still reads as a question. Phone numbers are found by ``phonenumbers``' matcher
(Indonesian numbers, written any common way); a run of digits long enough to be some other
identifier (a KK number, an account) goes too.
"""

from __future__ import annotations

import re

import phonenumbers

NIK_MARK = "[NIK]"
PHONE_MARK = "[telepon]"
EMAIL_MARK = "[email]"
NAME_MARK = "[nama]"
NUMBER_MARK = "[angka]"
PHONE_MAX_DIGITS = 13  # +62 and up to 11 digits (ITU-T E.164 for Indonesia); longer is another number

_EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# 16 digits, possibly grouped by spaces, dots or dashes ("3201 0123 4567 8901"); a NIK (Permendagri
# 72/2019) and a KK number both have this shape
_NIK = re.compile(r"(?<![\d])(?:\d[ .-]?){15}\d(?![\d])")
_LONG_DIGITS = re.compile(r"(?<![\d])(?:\d[ .-]?){8,}\d(?![\d])")  # nine digits and more: an identifier
# "nama saya Budi Santoso", "nm sy budi", "namaku Siti", "saya bernama ...", "my name is ..."
_NAME_INTRO = re.compile(
    r"\b(?:nama\s+saya|nama\s+sy|nm\s+saya|nm\s+sy|namaku|nama\s+aku|saya\s+bernama|"
    r"aku\s+bernama|my\s+name\s+is|perkenalkan(?:\s+saya)?)\b(?:\s+(?:adalah|ialah|is))?[\s:,]*",
    re.IGNORECASE,
)
# a name ends at punctuation or at a word that starts the question itself
_NAME_STOP_WORDS = (
    "mau ingin pengen pengin ingin minta mohon tanya bertanya nanya mo dari tinggal warga alamat "
    "dan yang dengan untuk boleh bisa apakah gimana bagaimana kapan dimana di ke and i would want "
    "from asking please nik no nomor hp telp wa email umur"
)
_NAME_STOP = frozenset(_NAME_STOP_WORDS.split())
_NAME_MAX_WORDS = 4
_WORD = re.compile(r"[^\s,.;:!?()]+")


def scrub_personal_data(text: str) -> str:
    """``text`` with NIKs, phone numbers, e-mail addresses and introduced names replaced by markers."""
    text = _EMAIL.sub(EMAIL_MARK, text)
    text = _NIK.sub(NIK_MARK, text)
    text = _scrub_phones(text)
    text = _LONG_DIGITS.sub(NUMBER_MARK, text)
    return _scrub_names(text)


def _scrub_phones(text: str) -> str:
    matcher = phonenumbers.PhoneNumberMatcher(text, "ID", leniency=phonenumbers.Leniency.POSSIBLE)
    spans = [(match.start, match.end) for match in matcher]
    for start, end in reversed(spans):
        digits = sum(ch.isdigit() for ch in text[start:end])
        if digits >= 7:  # "2024" or "17 Agustus" is no number
            mark = PHONE_MARK if digits <= PHONE_MAX_DIGITS else NUMBER_MARK
            text = text[:start] + mark + text[end:]
    return text


def _scrub_names(text: str) -> str:
    out: list[str] = []
    position = 0
    for intro in _NAME_INTRO.finditer(text):
        if intro.start() < position:
            continue
        out.append(text[position : intro.end()])
        position = intro.end()
        words = 0
        for word in _WORD.finditer(text, position):
            gap = text[position : word.start()]
            if words and (any(ch in ",.;:!?()\n" for ch in gap) or word.group().lower() in _NAME_STOP):
                break
            if not words and word.group().lower() in _NAME_STOP:
                break
            if words == _NAME_MAX_WORDS:
                break
            words += 1
            position = word.end()
        if words:
            out.append(NAME_MARK)
    out.append(text[position:])
    return "".join(out)
