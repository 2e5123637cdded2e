"""The package's rooms import only downwards: a change to one analysis stays in its folder."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[2] / "kimson_ds"
CORE = {"errors", "config", "solver", "audit", "outputs", "optimise", "_lazy"}
ANALYSES = {"overview", "rating", "planning", "rotation", "training", "vetting", "procedure", "history"}
# room -> rooms it may import (besides itself and the core)
ALLOWED = {
    "data": set(),
    "rules": {"data"},
    "sample": {"data", "rules"},
    **{a: {"data", "rules"} for a in ANALYSES},
    "papers": {"data", "rules", *ANALYSES},
    "ui": {"data", "rules", "papers", *ANALYSES},
    "commands": {"data", "rules", "papers", "ui", "sample", *ANALYSES},
}


def _room(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "kimson_ds" or len(parts) < 2 or parts[1].startswith("__"):
        return None
    return parts[1]


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names if node.module == "kimson_ds"}
    return found


@pytest.mark.parametrize("room", sorted(ALLOWED))
def test_room_imports_only_rooms_below_it(room):
    folder = PKG / room
    if not folder.is_dir():
        pytest.skip(f"{room}/ does not exist yet")
    bad = []
    for path in sorted(folder.rglob("*.py")):
        for mod in _imports(path):
            other = _room(mod)
            if other is None or other == room or other in CORE or other == "__init__":
                continue
            if other not in ALLOWED[room]:
                bad.append(f"{path.relative_to(PKG)} imports {mod}")
    assert not bad, "\n".join(bad)


def test_core_modules_import_no_room():
    bad = [
        f"{name}.py imports {mod}"
        for name in sorted(CORE)
        for mod in _imports(PKG / f"{name}.py")
        if _room(mod) not in (None, *CORE)
    ]
    assert not bad, "\n".join(bad)


def test_no_flat_module_is_left_beside_the_rooms():
    flat = {p.stem for p in PKG.glob("*.py")} - CORE - {"__init__", "cli"}
    assert not flat, f"module(s) outside a room: {sorted(flat)}"


def test_test_files_are_named_by_behaviour_and_live_in_a_room():
    tests = Path(__file__).resolve().parents[1]
    history_named = [p.name for p in tests.rglob("test_*.py") if re.search(r"review_fix|polish|fixes|issue_?\d", p.name)]
    assert not history_named, f"test files named after the history of the work: {history_named}"
    loose = [p.name for p in tests.glob("test_*.py")]
    assert not loose, f"test files outside a room folder: {loose}"
