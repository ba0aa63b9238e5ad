"""Near-duplicate keys for register entries: the same document in other years, title styles or units.

A register holds one document many times: each year's edition ("APBD 2023", "APBD 2024"), in the
house style of the unit that wrote it ("Renstra Dishub ...", "Rencana Strategis (Renstra) Dinas
Perhubungan ..."), and held by several units (every kelurahan's "SOP Penerbitan SKTM", a UPT's
copy that adds its own name). Two keys capture this:

* ``group``: same unit, same title words once years, style words and the city's name are set
  aside. Editions and restyled titles of one unit's document.
* ``family``: the group's words without the holder's own name (its acronym, or a run of two or
  more words of its name, such as "UPT Wilayah Mekar Sari" or "Kelurahan Pondok Jati"). The same
  document whoever holds it; a query that names no unit sees one family as one document.
"""

from __future__ import annotations

from collections.abc import Sequence

from knowledge.normalize import Normalizer, raw_tokens

# Words that differ between the title styles of one document ("Daftar ..."/"Data ...", "SOP"/
# "Prosedur", "Dokumen Rencana Strategis ... Periode"): left out of the keys.
TITLE_STYLE_WORDS = frozenset(
    {"dokumen", "data", "daftar", "rekapitulasi", "informasi", "sop", "prosedur", "standar", "periode"}
    | {"agenda", "jadwal", "skpd", "pemerintah", "kota"}
)
# The word after one of these names the region ("Kota Sukamaju"): some styles name it, some not.
PLACE_WORDS = frozenset({"kota", "kabupaten", "kab", "provinsi"})
MIN_NAME_RUN = 2  # consecutive words of the holder's name that name the holder, not the subject


class NearDuplicates:
    """Hands out ``group`` and ``family`` ids while the index is built."""

    def __init__(self, normalizer: Normalizer) -> None:
        self.normalizer = normalizer
        self._acronyms = normalizer.lexicon.nostem  # every acronym the lexicon knows
        self._unit_words: dict[int, frozenset[str]] = {}
        self._groups: dict[tuple[int, frozenset[str]], int] = {}
        self._families: dict[frozenset[str] | tuple[int, frozenset[str]], int] = {}

    def add_unit(self, unit: int, names: Sequence[str]) -> None:
        """The words that name a unit: its names and their acronyms."""
        normalizer = self.normalizer
        words: set[str] = set()
        for name in names:
            replaced = normalizer.replace(raw_tokens(name, chat=False))
            words.update(normalizer.content(normalizer.add_acronyms(replaced)))
            words.update(normalizer.content(normalizer.compact(replaced)))
        self._unit_words[unit] = frozenset(words)

    def keys(self, unit: int, replaced: Sequence[str], compact: Sequence[str]) -> tuple[int, int]:
        """(group, family) of a register entry. ``replaced``: its title after the lexicon;
        ``compact``: the same with acronyms for full phrases and stop words removed."""
        places: set[str] = set()
        if not PLACE_WORDS.isdisjoint(replaced):
            places = {replaced[i + 1] for i in range(len(replaced) - 1) if replaced[i] in PLACE_WORDS}
        kept = [t for t in compact if t not in TITLE_STYLE_WORDS and t not in places and not t.isdigit()]
        signature = frozenset(kept)
        group = self._groups.setdefault((unit, signature), len(self._groups))
        shared = signature & self._unit_words.get(unit, frozenset())
        if len(shared) < MIN_NAME_RUN and shared.isdisjoint(self._acronyms):
            subject = signature  # no run of the holder's name, no acronym of it
        else:
            subject = frozenset(self._without_holder(kept, shared))
        family_key = subject if subject else (unit, signature)
        family = self._families.setdefault(family_key, len(self._families))
        return group, family

    def _without_holder(self, tokens: list[str], names: frozenset[str]) -> list[str]:
        """``tokens`` without the holder's acronyms and runs of its name's words."""
        out: list[str] = []
        run: list[str] = []
        for token in (*tokens, ""):  # "" ends the last run
            if token and token in names:
                run.append(token)
                continue
            if len(run) < MIN_NAME_RUN:
                out.extend(t for t in run if t not in self._acronyms)
            run = []
            if token:
                out.append(token)
        return out
