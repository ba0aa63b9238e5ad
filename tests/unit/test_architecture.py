"""Imports point one way: bot -> handlers -> handlers/domain; knowledge and storage never import bot."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("handlers", ("bot", "storage", "knowledge", "sqlalchemy")),
        ("knowledge", ("bot", "handlers")),
        ("storage", ("bot", "handlers")),
    ],
)
def test_layers_do_not_import_upwards(package: str, forbidden: tuple[str, ...]) -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _files(package)
        for name in _imports(path)
        if name.split(".")[0] in forbidden
    ]
    assert offenders == []


def test_domain_uses_the_standard_library_only() -> None:
    allowed = set(sys.stdlib_module_names) | {"handlers"}
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _files("handlers/domain")
        for name in _imports(path)
        if name.split(".")[0] not in allowed
        or (name.startswith("handlers") and not name.startswith("handlers.domain"))
    ]
    assert offenders == []
