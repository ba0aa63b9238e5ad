"""What a citizen wants to do, in their own words, before their text reaches the search.

``classify`` recognises a few conversational intents: file a request, talk to a person, check a
request's status, object to a decision, say thanks or goodbye, greet. Written Indonesian as people
type it on a phone, English and common Javanese/Sundanese/Betawi words, with typos.

The rule that keeps information questions in the search: a message is an intent only when every
word of it is an intent's word or a filler word ("saya", "mau", "dong", "ya"), and it asks no how-to
question ("cara", "siapa", "how": the FAQ answers those). "saya mau ajukan
permohonan informasi" files a request; "saya mau minta data APBD" names information ("apbd") and
goes to the search, which offers the request form alongside its answer.

Pure: standard library only, no state.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import get_close_matches
from enum import StrEnum
from functools import lru_cache


class Intent(StrEnum):
    REQUEST = "request"  # file an information request (UU 14/2008 Pasal 22)
    OFFICER = "officer"  # talk to a person (for now: the "contact an officer" handler)
    STATUS = "status"  # where is my request
    OBJECTION = "objection"  # object to a decision (Pasal 35)
    THANKS = "thanks"  # thanks, goodbye, "ok siap"
    GREETING = "greeting"


# Spellings people type for one word (after lower-casing and squeezing repeated letters).
_SLANG: dict[str, str] = {
    "sy": "saya", "aku": "saya", "ak": "saya", "gue": "saya", "gw": "saya", "gua": "saya", "kulo": "saya",
    "abdi": "saya", "i": "saya", "me": "saya", "my": "saya",
    "mo": "mau", "mw": "mau", "pengen": "mau", "pingin": "mau", "ingin": "mau", "pgn": "mau", "arep": "mau",
    "ajuin": "ajukan", "ngajuin": "ajukan", "ngajukan": "ajukan", "mengajukan": "ajukan", "aju": "ajukan",
    "ajukeun": "ajukan", "bikin": "buat", "membuat": "buat", "file": "ajukan", "submit": "ajukan",
    "make": "buat",
    "dgn": "dengan", "dg": "dengan", "sm": "sama", "ama": "sama", "karo": "sama", "with": "dengan", "to": "ke",
    "tolong": "tolong", "tlg": "tolong", "tulung": "tolong", "please": "tolong", "pls": "tolong",
    "plis": "tolong", "mohon": "tolong",
    "gmn": "gimana", "gmna": "gimana", "gimn": "gimana", "bagaimana": "gimana", "piye": "gimana",
    "kumaha": "gimana", "kpn": "kapan", "udh": "sudah", "udah": "sudah", "dah": "sudah", "wis": "sudah",
    "blm": "belum", "blom": "belum", "durung": "belum", "sampe": "sampai", "smp": "sampai",
    "makasih": "terima kasih", "mksh": "terima kasih", "makasi": "terima kasih", "trims": "terima kasih",
    "trimakasih": "terima kasih", "terimakasih": "terima kasih", "thx": "thanks", "tq": "thanks",
    "ty": "thanks", "thanks": "thanks", "thank": "thanks", "tengkyu": "thanks", "nuhun": "terima kasih",
    "hatur": "terima", "matur": "terima", "suwun": "kasih", "sankyu": "thanks",
    "ok": "oke", "okay": "oke", "okey": "oke", "okee": "oke", "oce": "oke", "sip": "siap", "sipp": "siap",
    "siyap": "siap", "noted": "oke", "baik": "oke", "baiklah": "oke", "mantap": "oke",
    "mantul": "oke", "cukup": "cukup", "dadah": "bye", "dah2": "bye", "daah": "bye", "goodbye": "bye",
    "ngobrol": "bicara", "ngomong": "bicara", "omong": "bicara", "berbicara": "bicara", "talk": "bicara",
    "speak": "bicara", "chat": "bicara", "nyambung": "sambung", "hubungkan": "sambung",
    "sambungkan": "sambung", "connect": "sambung", "hubungi": "hubungi", "kontak": "hubungi",
    "contact": "hubungi", "call": "hubungi",
    "human": "orang", "person": "orang", "someone": "orang", "manusia": "orang", "uwong": "orang",
    "wong": "orang", "real": "asli", "live": "asli", "langsung": "asli",
    "agent": "petugas", "officer": "petugas", "staff": "petugas", "admin": "petugas", "operator": "petugas",
    "cs": "petugas", "pegawai": "petugas", "representative": "petugas", "mimin": "min",
    "hoyong": "mau", "nyarios": "bicara", "sareng": "dengan", "penolakan": "tolak", "new": "baru",
    "permintaan": "permohonan", "request": "permohonan", "pengajuan": "permohonan", "permohonn": "permohonan",
    "information": "informasi", "info": "informasi", "formulir": "formulir", "form": "formulir",
    "status": "status", "setatus": "status", "progress": "status", "progres": "status",
    "perkembangan": "status", "lacak": "cek", "track": "cek", "check": "cek", "cekin": "cek", "ngecek": "cek",
    "mengecek": "cek", "nanya": "tanya", "menanyakan": "tanya", "nanyain": "tanya",
    "objection": "keberatan", "object": "keberatan", "appeal": "keberatan", "banding": "keberatan",
    "komplain": "keberatan", "complain": "keberatan", "protes": "keberatan", "sanggah": "keberatan",
    "ditolak": "tolak", "nolak": "tolak", "rejected": "tolak", "refused": "tolak", "denied": "tolak",
    "hai": "halo", "hay": "halo", "hallo": "halo", "hello": "halo", "helo": "halo", "hi": "halo",
    "hey": "halo", "hei": "halo", "hy": "halo", "assalamualaikum": "salam", "assalamu'alaikum": "salam",
    "assalamu": "salam", "alaikum": "salam", "ass": "salam", "asw": "salam", "askum": "salam",
    "punten": "salam", "sampurasun": "salam", "kulonuwun": "salam", "permisi": "salam", "morning": "pagi",
    "afternoon": "siang", "evening": "malam", "selamat": "selamat", "met": "selamat", "wr": "salam",
    "wb": "salam",
}  # fmt: skip

# Words that carry no topic: who, politeness, particles, "how", "where", "is it".
_FILLER_TEXT = (
    "saya mau bisa boleh dong deh ya yah yaa kak kakak min gan sih nih ini itu tuh aja saja nya yg yang "
    "untuk utk buat ke di dengan sama kah gimana kapan sudah belum sampai mana "
    "dimana kemana tolong dulu lagi juga nggak gak ga tidak nda ndak enggak kok lho loh kan an ne e "
    "the a an i want would like can could do is of for my please need needs to you your an "
    "bantu bantuan butuh perlu kami kita anda bapak ibu pak bu nih mohon sekarang skrg segera ada "
    "udah sudah kah terus trus tadi punya milik ku mu dia atas oleh pada soal tentang mengenai "
    "banget bgt sekali ajah aj kok ah oh eh hmm wah nah sy what is the of was there ni good mas mbak "
    "akang teteh"
)
_FILLER = frozenset(_FILLER_TEXT.split())

# Each intent: the words that must all be present (one of each group).
_RULES: tuple[tuple[Intent, tuple[frozenset[str], ...]], ...] = (
    (Intent.OBJECTION, (frozenset({"keberatan", "tolak"}),)),
    (Intent.STATUS, (frozenset({"status", "cek", "tanya", "nasib", "hasil", "kelanjutan", "proses"}),
                     frozenset({"permohonan", "status", "pengajuan"}))),
    (Intent.STATUS, (frozenset({"status", "nasib", "kelanjutan"}),)),
    (Intent.OFFICER, (frozenset({"petugas", "orang", "cs", "asli"}),)),
    (Intent.OFFICER, (frozenset({"bicara", "sambung", "hubungi"}),)),
    (Intent.REQUEST, (frozenset({"ajukan", "buat", "isi", "minta", "kirim", "daftar"}),
                      frozenset({"permohonan", "formulir", "informasi"}))),
    (Intent.STATUS, (frozenset({"permohonan", "pengajuan"}),
                     frozenset({"sampai", "mana", "belum", "lama", "sudah", "kapan", "dijawab", "gimana"}))),
    (Intent.REQUEST, (frozenset({"permohonan", "formulir"}),)),
    (Intent.THANKS, (frozenset({"terima", "kasih", "thanks", "oke", "siap", "bye", "cukup", "makasih",
                                "mantap", "sampai", "jumpa"}),)),
    (Intent.GREETING, (frozenset({"halo", "salam", "pagi", "siang", "sore", "malam", "selamat", "p"}),)),
)  # fmt: skip

# Words that belong to some intent (a message made only of these and fillers is an intent).
_INTENT_WORDS = frozenset(
    {"informasi", "publik", "jumpa", "lanjut", "ngerti", "paham", "jelas", "mengerti", "understood"}
    | {"saya", "sih", "nih", "wah", "kasih", "terima", "banyak", "much", "lot", "so", "very", "ok"}
    | {"ajukan", "buat", "isi", "minta", "kirim", "daftar", "formulir", "permohonan", "pengajuan", "baru"}
    | {"status", "cek", "tanya", "nasib", "hasil", "kelanjutan", "proses", "kok", "lama", "belum", "dijawab"}
    | {"petugas", "orang", "asli", "bicara", "sambung", "hubungi", "cs", "ppid", "admin", "pusat"}
    | {"keberatan", "tolak", "atas", "keputusan", "ajukan"}
    | {"halo", "salam", "pagi", "siang", "sore", "malam", "selamat", "p", "warahmatullahi", "wabarakatuh"}
    | {"oke", "siap", "bye", "cukup", "thanks", "mantap", "sampai", "kak", "dulu", "infonya", "bantuannya"}
    | {"rahayu", "wilujeng", "enjing", "sonten", "waalaikumsalam"}
)
# A how-to question about a procedure ("cara", "siapa yang boleh"): the FAQ answers it.
_QUESTION_WORDS = frozenset(
    {"cara", "caranya", "carane", "siapa", "how", "who", "syarat", "syaratnya", "apa", "apakah"}
)
_KNOWN = sorted(_INTENT_WORDS | _FILLER | frozenset(_SLANG))
_WORD = re.compile(r"[a-z0-9']+")
_REPEATS = re.compile(r"(.)\1{2,}")
_REDUPLICATED = re.compile(r"(?<=[a-z])2$")  # "makasih2", "surat2": the word repeated
MAX_INTENT_WORDS = 14  # a longer message describes something: the search reads it


@lru_cache(maxsize=4096)
def _closest(token: str) -> str:
    """A typo of a known word ("petugass", "permohnan"), else the word itself."""
    close = get_close_matches(token, _KNOWN, n=1, cutoff=0.8)
    return close[0] if close else token


def words(text: str, *, repair: bool = True) -> list[str]:
    """Lower-case words, accents and repeated letters squeezed ("makasiiih" -> "makasih"),
    slang mapped, typos of known words repaired."""
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    out: list[str] = []
    for raw in _WORD.findall(plain):
        token = _REDUPLICATED.sub("", _REPEATS.sub(r"\1", raw))  # "makasih2" -> "makasih"
        if not token:
            continue
        if token in _QUESTION_WORDS:
            out.append(token)
            continue
        known = token in _SLANG or token in _INTENT_WORDS or token in _FILLER
        if repair and not known and len(token) >= 5:
            token = _closest(token)
        out.extend(_SLANG.get(token, token).split())
    return out


def classify(text: str) -> Intent | None:
    """The intent of a short message made only of an intent's words and fillers, else None."""
    if len(_WORD.findall(text.lower())) > MAX_INTENT_WORDS:
        return None  # a long message describes something (and is not worth repairing word by word)
    tokens = words(text)
    if not tokens or len(tokens) > MAX_INTENT_WORDS:
        return None
    present = set(tokens)
    if not present <= _INTENT_WORDS | _FILLER:
        return None  # it names something else: an information question for the search
    for intent, groups in _RULES:
        if all(present & group for group in groups):
            return intent
    return None


_REQUEST_WORDS = frozenset({"minta", "permohonan", "ajukan", "formulir"})
_PROCEDURE_WORDS = frozenset(
    {"gimana", "kapan", "berapa", "lama", "biaya", "bayar", "ditolak", "tolak", "keberatan"}
    | {"procedure", "prosedur", "mekanisme", "alur", "tata", "syarat", "persyaratan", "diwakilkan", "kuasa"}
)


def mentions_request(text: str) -> bool:
    """A message that also asks to be given information ("saya mau minta data APBD"): the search
    answers it and offers the request form alongside."""
    return not _REQUEST_WORDS.isdisjoint(words(text, repair=False))


def request_topic(text: str) -> str:
    """What a request names, without the asking: "saya mau minta data APBD" -> "APBD"; "" when it
    names nothing. The search looks for the topic, not for the request procedure."""
    typed = set(words(text, repair=False))
    if typed & (_QUESTION_WORDS | _PROCEDURE_WORDS):
        return ""  # "bagaimana cara mengajukan permohonan?": a question about the procedure itself
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    kept = [
        raw
        for raw in re.findall(r"[A-Za-z0-9']+", plain)
        if not set(words(raw, repair=False))
        <= _REQUEST_WORDS | _FILLER | {"data", "informasi", "publik", "dokumen", "salinan"}
    ]
    return " ".join(kept)
