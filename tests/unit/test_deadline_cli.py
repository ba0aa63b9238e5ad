"""``tanya deadline``: the officer's deadline calculator."""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence

import pytest

from bot import cli
from bot.commands import deadline
from bot.settings import get_settings


@pytest.fixture(autouse=True)
def office(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TANYA_OFFICE_TIMEZONE", "Asia/Jakarta")
    monkeypatch.setenv("TANYA_SERVICE_START", "08:00")
    monkeypatch.setenv("TANYA_SERVICE_END", "16:00")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def main(argv: Sequence[str]) -> int:
    """The command on its own parser, so other sub-commands cannot break these tests."""
    parser = argparse.ArgumentParser(prog="tanya")
    deadline.register(parser.add_subparsers())
    args = parser.parse_args(argv)
    return int(args.func(args))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    assert main(["deadline", *argv]) == 0
    return capsys.readouterr().out.splitlines()


def test_the_tanya_entry_point_has_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["deadline", "2026-03-16T10:00+07:00"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "2026-04-07"


@pytest.mark.parametrize(
    ("argv", "lines"),
    [
        (["2026-03-16T10:00+07:00"], ["2026-04-07", "Selasa, 7 April 2026"]),
        (["2026-03-16T10:00+07:00", "--working-days", "17"], ["2026-04-16", "Kamis, 16 April 2026"]),
        (["2026-03-16T10:00+07:00", "--working-days", "0"], ["2026-03-16", "Senin, 16 Maret 2026"]),
        (["2026-03-14T09:00+07:00"], ["2026-04-07", "Selasa, 7 April 2026"]),  # Saturday
        (["2026-03-16T16:30"], ["2026-04-08", "Rabu, 8 April 2026"]),  # no offset: office time, after hours
        (["2026-12-24T10:00+07:00"], ["2027-01-13", "Rabu, 13 Januari 2027"]),  # across the year
    ],
)
def test_deadline(capsys: pytest.CaptureFixture[str], argv: list[str], lines: list[str]) -> None:
    assert run(capsys, *argv) == lines


def test_service_hours_come_from_the_settings(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TANYA_SERVICE_END", "17:00")
    get_settings.cache_clear()
    assert run(capsys, "2026-03-16T16:30")[0] == "2026-04-07"


@pytest.mark.parametrize("argv", [["kemarin"], ["2026-03-16T10:00+07:00", "--working-days", "-1"], []])
def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["deadline", *argv])
    assert caught.value.code == 2
    assert "usage: tanya deadline" in capsys.readouterr().err
