"""The README documents every setting (the configuration table must keep up with the code)."""

from __future__ import annotations

import re
from pathlib import Path

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_configuration_table() -> None:
    missing = [name for name in Settings.model_fields if f"`TANYA_{name.upper()}`" not in README]
    assert missing == []


def test_every_image_the_readme_shows_exists() -> None:
    images = re.findall(r'<img src="([^"]+)"', README) + re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README)
    assert images, "the README shows the web chat"
    assert [path for path in images if not (ROOT / path).is_file()] == []
