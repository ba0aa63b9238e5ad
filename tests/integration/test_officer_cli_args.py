"""``tanya request show 1`` as README documents it, and errors told as sentences (issue 14)."""

from __future__ import annotations

import pytest

from bot.cli import build_parser
from tests.dialogs.requests_chat import Chat
from tests.integration.test_officer_cli import APRIL_2, chat, tanya  # noqa: F401  (chat: the fixture)


async def test_a_bare_sequence_names_this_years_request_and_objection(
    chat: Chat,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    number = await chat.file()
    assert number == "PPID-2026-000001"
    status, out = await tanya(chat, "request", "show", "1", at=APRIL_2)
    assert status == 0 and out.startswith("PPID-2026-000001")
    status, _ = await tanya(chat, "request", "show", "ppid-2026-1", at=APRIL_2)
    assert status == 0

    status, _ = await tanya(chat, "request", "show", "2", at=APRIL_2)
    assert status == 1
    assert capsys.readouterr().err.strip() == (
        "error: There is no request PPID-2026-000002. `tanya request list` shows the requests and their numbers."
    )

    assert (await tanya(chat, "request", "extend", "1", "--reason", "Dokumen di arsip lain.", at=APRIL_2))[
        0
    ] == 0
    status, _ = await tanya(chat, "request", "extend", "1", "--reason", "Lagi.", at=APRIL_2)
    assert status == 1
    assert "Request PPID-2026-000001 has already been extended once" in capsys.readouterr().err

    await chat.transcript(
        [(f"keberatan {number}", ["alasan"]), ("f", ["jelaskan"]), ("Biaya Rp1.000.000.", ["periksa"])]
    )
    assert "KBR-2026-000001" in await chat.say("1")
    decide = ("objection", "decide", "1", "--result", "dismissed", "--answer", "Biaya sesuai tarif.")
    status, out = await tanya(chat, *decide, at=APRIL_2)
    assert status == 0 and "KBR-2026-000001" in out
    status, _ = await tanya(chat, *decide, at=APRIL_2)
    assert status == 1
    err = capsys.readouterr().err
    assert "Objection KBR-2026-000001 has already been answered" in err and "error: 1" not in err

    status, _ = await tanya(
        chat, "objection", "decide", "7", "--result", "upheld", "--answer", "x", at=APRIL_2
    )
    assert status == 1
    assert "There is no objection KBR-2026-000007. `tanya objection list`" in capsys.readouterr().err


def test_a_number_that_is_no_number_is_refused_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["request", "show", "KBR-2026-000001"])
    assert "is not a request number; give it whole, e.g. PPID-2026-000001, or just its sequence" in (
        capsys.readouterr().err
    )
