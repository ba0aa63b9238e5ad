"""Near-duplicates: one document in other years, title styles and units is one family; a query
with no year or unit gets its current edition once, a query naming a unit gets that unit's copy."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from knowledge.index import SearchIndex
from knowledge.models import Category, RegisterEntry
from knowledge.register import parse_register
from knowledge.search import GROUP_SHOWN, SearchEngine

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def entry(entry_id: str, title: str, unit: str, short: str, year: int) -> RegisterEntry:
    return RegisterEntry(entry_id, title, "", Category.SETIAP_SAAT, unit, short, tahun=year)


DOMISILI = entry(
    "K-1", "SOP Penerbitan Surat Keterangan Domisili", "Kelurahan Pondok Jati", "Kel. Pondok Jati", 2023
)
PLACES = ["Mekar Sari", "Bukit Indah", "Sumber Jaya", "Karang Asri", "Tanjung Baru", "Jati Mulya"]


def copies() -> list[RegisterEntry]:
    """Older copies of the SOP in other kelurahan and UPTs, in the three title styles."""
    out: list[RegisterEntry] = []
    for i, place in enumerate(PLACES * 5):
        year = 2005 + i % 13
        style = ("SOP", "Prosedur", "Standar Operasional Prosedur")[i % 3]
        if i % 2:
            title = f"{style} Penerbitan Surat Keterangan Domisili Kelurahan {place}"
            out.append(entry(f"C-{i}", title, f"Kelurahan {place}", f"Kel. {place}", year))
        else:
            title = f"{style} Penerbitan Surat Keterangan Domisili UPT Wilayah {place}"
            out.append(entry(f"C-{i}", title, f"UPT Kel. Pondok Jati Wilayah {place}", f"UPT {place}", year))
    return out


def keys(entries: list[RegisterEntry]) -> dict[str, tuple[int, int]]:
    index = SearchIndex.build(entries)
    return {doc.id: (doc.group, doc.family) for doc in index.docs}


def test_editions_and_title_styles_of_one_units_document_share_a_group() -> None:
    found = keys(
        [
            entry(
                "A",
                "Rencana Strategis (Renstra) Dinas Perhubungan Tahun 2021–2026",
                "Dinas Perhubungan",
                "Dishub",
                2021,
            ),
            entry("B", "Renstra Dishub Kota Sukamaju 2015-2020", "Dinas Perhubungan", "Dishub", 2015),
            entry(
                "C",
                "Dokumen Rencana Strategis Dinas Perhubungan Periode 2009–2014",
                "Dinas Perhubungan",
                "Dishub",
                2009,
            ),
            entry("D", "Renja Dishub Kota Sukamaju 2024", "Dinas Perhubungan", "Dishub", 2024),
        ]
    )
    assert found["A"][0] == found["B"][0] == found["C"][0]
    assert found["D"][0] != found["A"][0] and found["D"][1] != found["A"][1]


def test_copies_held_by_other_units_share_a_family_not_a_group() -> None:
    entries = [DOMISILI, *copies()]
    found = keys(entries)
    assert len({family for _, family in found.values()}) == 1
    assert found["C-0"][0] != found["K-1"][0]  # another unit: its own group


def test_a_word_of_the_holders_name_that_is_the_subject_stays() -> None:
    """ "Wilayah" names the zones here; only the UPT's trailing name is the holder's."""
    original = entry(
        "Z", "Peta Zonasi dan Daftar Wilayah Zonasi Sekolah Negeri", "Dinas Pendidikan", "Dindik", 2024
    )
    copy = entry(
        "Y",
        "Peta Zonasi Sekolah Negeri UPT Wilayah Jati Mulya",
        "UPT Dindik Wilayah Jati Mulya",
        "UPT Jati Mulya",
        2018,
    )
    same = entry(
        "X",
        f"{original.judul} UPT Wilayah Jati Mulya",
        "UPT Dindik Wilayah Jati Mulya",
        "UPT Jati Mulya",
        2018,
    )
    found = keys([original, copy, same])
    assert found["X"][1] == found["Z"][1] != found["Y"][1]


def test_a_query_without_unit_gets_the_current_edition_once() -> None:
    engine = SearchEngine.from_entries([DOMISILI, *copies()])
    hits = [hit.id for hit in engine.search("surat keterangan domisili").hits]
    assert hits[0] == "K-1" and len(hits) <= GROUP_SHOWN
    other = entry(
        "F", "Formulir Surat Keterangan Domisili Usaha", "Kelurahan Pondok Jati", "Kel. Pondok Jati", 2024
    )
    engine = SearchEngine.from_entries([DOMISILI, other, *copies()])
    hits = [hit.id for hit in engine.search("surat keterangan domisili").hits]
    assert "F" in hits[:3] and hits.index("K-1") < min(i for i, h in enumerate(hits) if h.startswith("C-"))


def test_a_query_naming_a_unit_or_its_place_prefers_that_units_copy() -> None:
    engine = SearchEngine.from_entries([DOMISILI, *copies()])
    assert engine.search("sop domisili kelurahan bukit indah").hits[0].unit == "Kelurahan Bukit Indah"
    assert engine.search("sop domisili kelurahan pondok jati").hits[0].id == "K-1"
    place = entry(
        "M",
        "Prosedur Penerbitan Surat Keterangan Domisili UPT Wilayah Mekar Sari",
        "UPT Kel. Pondok Jati Wilayah Mekar Sari",
        "UPT Mekar Sari",
        2010,
    )
    newer = [
        entry(f"N-{i}", f"SOP Penerbitan Surat Keterangan Domisili Kelurahan {p}", f"Kelurahan {p}", "", 2020)
        for i, p in enumerate(PLACES[1:])
    ]
    engine = SearchEngine.from_entries([DOMISILI, place, *newer])
    assert engine.search("domisili mekar sari").hits[0].id == "M"  # older, but the place asked for


def test_a_superseded_edition_follows_a_current_document_of_similar_score() -> None:
    """Without a year, an edition ten years old is not glued to its current one ahead of the
    next document; asked for by year, it comes first."""
    register = list(parse_register(SAMPLE / "register.csv").entries)
    current = next(e for e in register if e.id == "DIP-2024-0185")  # Daftar Perumahan ... PSU, 2024
    register.append(replace(current, id="OLD", judul=current.judul.replace("Daftar", "Data"), tahun=2014))
    engine = SearchEngine.from_entries(register)
    hits = [hit.id for hit in engine.search("perumahan yang sudah menyerahkan psu").hits]
    assert hits[:3] == ["DIP-2024-0185", "DIP-2024-0186", "OLD"]  # 0186: SOP Penyerahan PSU, 2023
    assert engine.search("perumahan yang sudah menyerahkan psu 2014").hits[0].id == "OLD"
