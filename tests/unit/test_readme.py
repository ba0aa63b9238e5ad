"""The README documents every setting (the configuration table must keep up with the code)."""

from __future__ import annotations

from pathlib import Path

from bot.settings import Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_configuration_table() -> None:
    missing = [name for name in Settings.model_fields if f"`TANYA_{name.upper()}`" not in README]
    assert missing == []
