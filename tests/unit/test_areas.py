"""The area file and area keys (handlers.domain.areas): every problem listed, keys canonical."""

from __future__ import annotations

from pathlib import Path

from handlers.domain.areas import (
    AreaLevel,
    normalise_key,
    parse_areas,
    pick_places,
    read_area_query,
)

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "areas.csv"


def test_the_sample_has_four_kelurahan_with_five_rw_of_five_rt() -> None:
    parsed = parse_areas(SAMPLE.read_text(encoding="utf-8"))
    assert parsed.problems == []
    levels = [a.level for a in parsed.areas]
    assert levels.count(AreaLevel.KELURAHAN) == 4
    assert levels.count(AreaLevel.RW) == 20
    assert levels.count(AreaLevel.RT) == 100
    keys = {a.key for a in parsed.areas}
    assert {"kota-sukamaju", "pondok-cempaka", "sukamaju-wetan/rw02/rt003"} <= keys
    rt = next(a for a in parsed.areas if a.key == "sukamaju-wetan/rw02/rt003")
    assert (rt.parent_key, rt.number, rt.name) == ("sukamaju-wetan/rw02", 3, "RT 003")


def test_every_problem_is_listed_with_its_line() -> None:
    text = (
        "kota,kecamatan,kelurahan,rw,rt\n"
        "Kota X,,Kel A,1,2\n"  # no kecamatan
        "Kota X,Kec B,Kel A,x,2\n"  # not a number
        "Kota X,Kec B,Kel A,,3\n"  # an RT without its RW
        "Kota X,Kec B,Kota X,,\n"  # a kelurahan named like the kota: one key, two areas
        "Kota X,Kec B,Kel D,1000,1\n"  # out of range
        "Kota X,Kec B,Kel E,1,1\n"  # good
        "Kota X,Kec C,Kel E,1,2\n"  # the same kelurahan under another kecamatan
    )
    problems = parse_areas(text).problems
    assert [p.split(":")[0] for p in problems] == [
        "line 2", "line 3", "line 4", "line 5", "line 6", "line 8",
    ]  # fmt: skip


def test_a_file_without_the_columns_or_rows_is_refused() -> None:
    assert "missing column" in parse_areas("name,number\nA,1\n").problems[0]
    assert parse_areas("kota,kecamatan,kelurahan\n").problems == ["the file has no areas"]


def test_keys_are_canonical_whatever_the_operator_types() -> None:
    assert normalise_key("Sukamaju-Wetan/RW2/RT3") == "sukamaju-wetan/rw02/rt003"
    assert normalise_key("sukamaju-wetan/rw02") == "sukamaju-wetan/rw02"
    assert normalise_key("sukamaju-wetan") == "sukamaju-wetan"
    assert normalise_key("sukamaju-wetan/rt3") is None
    assert normalise_key("../etc") is None


def test_residents_name_areas_in_many_ways() -> None:
    for text, wanted in [
        ("langganan RT 3 RW 2 Sukamaju Wetan", (3, 2, "sukamaju wetan")),
        ("daftar info rw 02 kel. sukamaju wetan", (None, 2, "sukamaju wetan")),
        ("RT03/RW02", (3, 2, "")),
        ("langganan rt.5 rw.1 kelurahan Pondok Jati", (5, 1, "pondok jati")),
    ]:
        q = read_area_query(text)
        assert (q.rt, q.rw, q.place) == wanted, text


def test_place_names_fit_with_prefixes_and_typos() -> None:
    names = [
        ("sukamaju-wetan", "Sukamaju Wetan"),
        ("pondok-jati", "Pondok Jati"),
        ("cempaka-indah", "Cempaka Indah"),
    ]
    assert pick_places("sukamaju wtn", names) == ["sukamaju-wetan"]
    assert pick_places("sukamju wetan", names) == ["sukamaju-wetan"]
    assert pick_places("jakarta", names) == []
