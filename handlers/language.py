"""Tell English from Indonesian in short chat messages, and clean raw text."""

from __future__ import annotations

import re
import unicodedata

from handlers.types import Lang

_WORD = re.compile(r"[a-z']+")
# Words that mark a language. Loan words used in both ("status", "data", "info", "online") are in neither.
_ENGLISH = frozenset(
    [
        "the",
        "what",
        "where",
        "when",
        "how",
        "is",
        "are",
        "was",
        "do",
        "does",
        "can",
        "could",
        "would",
        "should",
        "please",
        "hello",
        "hi",
        "thanks",
        "thank",
        "you",
        "i",
        "my",
        "me",
        "want",
        "need",
        "find",
        "get",
        "about",
        "for",
        "of",
        "to",
        "with",
        "which",
        "who",
        "why",
        "there",
        "this",
        "that",
        "these",
        "those",
        "information",
        "request",
        "budget",
        "school",
        "schedule",
        "report",
        "hospital",
        "birth",
        "certificate",
        "map",
        "city",
        "office",
        "open",
        "hours",
        "list",
        "show",
        "tell",
        "give",
        "check",
    ]
)
_INDONESIAN = frozenset(
    [
        "yang",
        "dan",
        "di",
        "ke",
        "dari",
        "apa",
        "bagaimana",
        "gimana",
        "gmn",
        "cara",
        "mau",
        "minta",
        "tolong",
        "saya",
        "aku",
        "sy",
        "ada",
        "tidak",
        "gak",
        "ga",
        "nggak",
        "ngga",
        "enggak",
        "bisa",
        "untuk",
        "utk",
        "dengan",
        "dgn",
        "ini",
        "itu",
        "berapa",
        "brp",
        "kapan",
        "dimana",
        "mana",
        "halo",
        "selamat",
        "pagi",
        "siang",
        "sore",
        "malam",
        "terima",
        "kasih",
        "makasih",
        "informasi",
        "jadwal",
        "tahun",
        "thn",
        "anggaran",
        "sekolah",
        "akta",
        "akte",
        "ktp",
        "kk",
        "cek",
        "permohonan",
        "keberatan",
        "mohon",
        "dong",
        "sih",
        "kak",
        "pak",
        "bu",
        "bapak",
        "ibu",
        "min",
        "nya",
        "punya",
        "sudah",
        "belum",
        "lagi",
        "juga",
        "kota",
        "dinas",
        "kantor",
        "jam",
        "buka",
        "daftar",
        "lihat",
        "kirim",
        "ajukan",
        "ngurus",
        "urus",
        "mengurus",
        "syarat",
        "biaya",
    ]
)


# Regional function words (Javanese, Sundanese, Betawi, Minang): a citizen writing in a regional mix
# is answered in Indonesian, never kept in English from an earlier message.
_REGIONAL = frozenset(
    [
        "piye",
        "pripun",
        "carane",
        "opo",
        "nopo",
        "endi",
        "ngendi",
        "neng",
        "ning",
        "nang",
        "karo",
        "kudu",
        "arep",
        "pengen",
        "ora",
        "mboten",
        "iki",
        "kuwi",
        "kae",
        "wis",
        "uwis",
        "durung",
        "aku",
        "awakmu",
        "njaluk",
        "nyuwun",
        "tulung",
        "matur",
        "suwun",
        "nggih",
        "inggih",
        "kumaha",
        "naon",
        "abdi",
        "hoyong",
        "teu",
        "aya",
        "tos",
        "atuh",
        "mah",
        "teh",
        "nyuhunkeun",
        "punten",
        "hatur",
        "nuhun",
        "ti",
        "kana",
        "gimane",
        "aye",
        "kagak",
        "kaga",
        "ntar",
        "udeh",
        "gue",
        "lu",
        "elu",
        "nyang",
        "ame",
        "baa",
        "caro",
        "ambo",
        "indak",
        "alah",
        "untuak",
    ]
)


def detect_language(text: str, current: Lang) -> Lang:
    """English when English function words clearly outnumber Indonesian ones; else keep ``current``."""
    words = _WORD.findall(text.lower())
    english = sum(w in _ENGLISH for w in words)
    indonesian = sum(w in _INDONESIAN or w in _REGIONAL for w in words)
    if english > indonesian and english >= 1 and (english >= 2 or len(words) <= 2):
        return Lang.EN
    if indonesian > english:
        return Lang.ID
    return current


def clean_text(raw: str) -> str:
    """Drop control and format characters (keep newlines and emoji), fold runs of spaces."""
    kept = []
    for ch in unicodedata.normalize("NFC", raw):
        category = unicodedata.category(ch)
        if ch in "\n\t":
            kept.append(" " if ch == "\t" else ch)
        elif category in ("Cc", "Cs", "Co", "Cn") or (category == "Cf" and ch != "\u200d"):
            continue
        else:
            kept.append(ch)
    lines = [" ".join(line.split()) for line in "".join(kept).splitlines()]
    return "\n".join(line for line in lines if line).strip()


def has_words(text: str) -> bool:
    """True when the text has a letter or digit (not only emoji, symbols or punctuation)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)
