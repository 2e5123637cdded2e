"""Rule modules read every regulatory number from ``parameters(as_of)``: no new numeric literals.

Each numeric literal (other than 0, 1 and -1) in a rule module must be listed here with
the reason it is not a regulatory value (a unit conversion, a display limit, a solver
tolerance…). A new literal makes this test fail: put the number in a dated parameter
file under ``kimson_ds/rules/params/`` (with its reference) and read it through
``parameters(as_of)``, or, if it really is not a regulation, list it here with the reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: module → {literal: why it is not a regulatory value}
ALLOWED: dict[str, dict[float, str]] = {
    "kimson_ds/rules/__init__.py": {},
    "kimson_ds/rules/relatives.py": {},
    "kimson_ds/rules/dates.py": {},
    "kimson_ds/rules/linked_posts.py": {8: "maximum depth of unit parent chains"},
    "kimson_ds/rules/durations.py": {12.0: "months per year (unit conversion)"},
    "kimson_ds/rules/parameters.py": {127: "ASCII range when checking for Vietnamese letters",
                                      10: "plausibility bounds of parameter values (validation, not rules)",
                                      100: "plausibility bound", 1000: "plausibility bound",
                                      1000000: "plausibility bound", 101: "a threshold nobody reaches (what-if)",
                                      1200: "plausibility bound (months)", 18: "plausibility bound (age)",
                                      20: "plausibility bound", 366: "plausibility bound (days)",
                                      5: "plausibility bound", 540: "plausibility bound (months)",
                                      75: "plausibility bound (age)", 900: "plausibility bound (months)"},
    "kimson_ds/rules/notions.py": {12: "months per year", 1e-09: "float tolerance", 8: "depth of unit chains"},
    "kimson_ds/rules/competence.py": {},
    "kimson_ds/rules/retirement.py": {12.0: "months per year", 1970: "epoch placeholder for missing dates",
                                      2000: "placeholder date for missing values"},
    "kimson_ds/rules/standards.py": {12: "months per year", 1e-09: "float tolerance",
                                     2: "decimals in a message", 20: "ids listed in an error message"},
    "kimson_ds/rating/engine.py": {10: "ids listed in a message / exact-fraction denominator power",
                                   12: "December (31-12 of the rated year)", 31: "day of 31-12",
                                   2: "decimals / key arithmetic", 3: "rank of không hoàn thành (4 levels)",
                                   4: "number of levels + 1 (empty)", 6: "denominator bound 10**6",
                                   100: "percent"},
    "kimson_ds/planning/succession.py": {100: "percent", 1e-09: "float tolerance",
                                         2.0: "readiness points (tool convention)",
                                         3.0: "readiness points (tool convention)", 4: "decimals/columns",
                                         7: "slice of the summary table", 9: "display width"},
    "kimson_ds/rotation/eligibility.py": {12.0: "months per year", 9000: "year marking 'never expires'",
                                          1e-09: "float tolerance"},
    "kimson_ds/vetting/checklist.py": {10: "ids in a message", 12: "months per year", 2: "decimals / pairs",
                                       3: "decimals", 30: "errors listed in a message",
                                       5: "errors listed per column", 500: "maximum proposals in one batch"},
    "kimson_ds/vetting/conflicts.py": {},
    "kimson_ds/training/schedule.py": {0.01: "solver MIP gap", 0.2: "display", 0.5: "rounding",
                                       12: "months per year", 1e-06: "tolerance", 1e-09: "tolerance",
                                       2.0: "display", 3.0: "long course ≥ 3 months (tool convention)",
                                       31: "day of 31-12", 40: "default class size (tool configuration)",
                                       5: "display", 6: "display", 60.0: "seconds of solver time limit"},
}

_NEUTRAL = {0, 1, -1}


def _literals(path: Path) -> set:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and type(node.value) in (int, float) and node.value not in _NEUTRAL:
            out.add(node.value)
    return out


def test_every_rule_module_is_scanned():
    rule_modules = {str(p.relative_to(ROOT)) for p in (ROOT / "kimson_ds" / "rules").glob("*.py")}
    assert rule_modules <= set(ALLOWED), f"thêm mô-đun quy tắc mới vào ALLOWED: {rule_modules - set(ALLOWED)}"


@pytest.mark.parametrize("module", sorted(ALLOWED))
def test_rule_module_has_no_new_regulatory_literal(module):
    found = _literals(ROOT / module)
    new = sorted(found - set(ALLOWED[module]), key=str)
    assert not new, (f"{module}: số mới {new} — đưa vào tham số có ngày hiệu lực (kimson_ds/rules/params) "
                     "và đọc bằng parameters(as_of), hoặc ghi lý do trong ALLOWED nếu không phải số của quy định")


def test_scanner_catches_a_planted_literal(tmp_path):
    planted = tmp_path / "rule.py"
    planted.write_text("def ok(years):\n    return years >= 10\n", encoding="utf-8")
    assert _literals(planted) == {10}
