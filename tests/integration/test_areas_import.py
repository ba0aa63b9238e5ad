"""``tanya areas import``: validated and atomic; a second import changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.area_store import AreaStore
from bot.areas import SAMPLE_AREAS, import_areas, load_sample_areas, read_area_file
from bot.cli import main
from handlers.domain.areas import read_area_query
from storage.db import Database


async def test_the_sample_loads_once_and_names_its_areas(database: Database) -> None:
    await load_sample_areas(database)
    await load_sample_areas(database)  # a second start adds nothing
    async with database.session() as session:
        repo = AreaStore(session)
        assert await repo.repo.count() == 128
        rt = await repo.get("sukamaju-wetan/rw02/rt003")
        assert rt is not None and rt.label == "RT 003 RW 02 Sukamaju Wetan"
        rw = await repo.get("sukamaju-wetan/rw02")
        assert rw is not None and len(await repo.repo.descendant_ids(rw.id)) == 6
        match = await repo.match(read_area_query("RT 3 RW 2 Sukamaju Wetan"))
        assert match.exact and [a.key for a in match.areas] == ["sukamaju-wetan/rw02/rt003"]
        ambiguous = await repo.match(read_area_query("RT03/RW02"))  # four kelurahan have one
        assert ambiguous.exact and len(ambiguous.areas) == 4
        unknown = await repo.match(read_area_query("rw 9 sukamaju wetan"))  # no RW 09: its RWs instead
        assert not unknown.exact and [a.name for a in unknown.areas][:2] == ["RW 01", "RW 02"]


async def test_a_renamed_area_is_renamed_not_duplicated(database: Database, tmp_path: Path) -> None:
    await import_areas(database, read_area_file(SAMPLE_AREAS))
    changed = tmp_path / "areas.csv"
    changed.write_text("kota,kecamatan,kelurahan,rw,rt\nKota Sukamaju,Pondok Cempaka,Pondok  Jati ,1,1\n"
                       "Kota Sukamaju,Pondok Cempaka,Pondok Jati Baru,1,1\n")  # fmt: skip
    summary = await import_areas(database, read_area_file(changed))
    assert (summary.added, summary.renamed) == (3, 0)


def test_a_bad_file_imports_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    monkeypatch.setenv("TANYA_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/t.db")
    bad = tmp_path / "bad.csv"
    bad.write_text("kota,kecamatan,kelurahan,rw,rt\nKota A,Kec B,Kel C,1,1\nKota A,Kec B,,1,1\n")
    assert main(["areas", "import", str(bad)]) == 1
    assert "line 3: kelurahan is empty" in capsys.readouterr().err
    assert main(["areas", "list"]) == 0
    assert capsys.readouterr().out.strip() == "0 area(s)"  # the good first row was not imported either
    assert main(["areas", "import", str(SAMPLE_AREAS)]) == 0
    assert main(["areas", "list", "cempaka-indah/rw1"]) == 0
    assert capsys.readouterr().out.strip().endswith("6 area(s)")
    assert main(["areas", "list", "nowhere"]) == 1
    assert main(["areas", "import", str(tmp_path / "missing.csv")]) == 1


def test_a_key_that_names_another_place_already_imports_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A new kecamatan named like an existing kelurahan would share its key: refused with the reason,
    and nothing of the file goes in (its new kelurahan would otherwise hang under the wrong area)."""
    monkeypatch.setenv("TANYA_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/t.db")
    assert main(["areas", "import", str(SAMPLE_AREAS)]) == 0
    capsys.readouterr()
    clash = tmp_path / "clash.csv"
    clash.write_text("kota,kecamatan,kelurahan,rw,rt\nKota Sukamaju,Sukamaju Wetan,Wetan Baru,1,1\n")
    assert main(["areas", "import", str(clash)]) == 1
    err = capsys.readouterr().err
    assert "sukamaju-wetan is already a kelurahan under" in err and "nothing imported" in err
    assert main(["areas", "list", "wetan-baru"]) == 1
    assert main(["areas", "list"]) == 0
    assert capsys.readouterr().out.strip().endswith("128 area(s)")
