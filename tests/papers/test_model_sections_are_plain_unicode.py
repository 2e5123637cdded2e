"""The notebooks' markdown carries no LaTeX: the offline reports have no math renderer."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))

# $…$ / $$…$$ spans, TeX commands (\sum, \le, \max, \text{…}, \overline …) and braced sub/superscripts.
LATEX = re.compile(r"\$[^$\n]+\$|\\[A-Za-z]+|[_^]\{")


def _markdown_cells(path: Path) -> list[tuple[int, str]]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [
        (i, "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"])
        for i, cell in enumerate(nb["cells"])
        if cell["cell_type"] == "markdown"
    ]


def test_pattern_catches_latex_and_spares_plain_unicode():
    assert LATEX.search(r"Ràng buộc $\sum_p x_{cp} \le 1$.")
    assert LATEX.search(r"$$\max \sum s x$$")
    assert LATEX.search(r"chỉ tiêu \le 3")
    assert LATEX.search("x_{cp}")
    assert not LATEX.search("∑<sub>p</sub> *x*<sub>cp</sub> ≤ 1&emsp;với mọi cán bộ *c*; tệp `gaps.csv`")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_markdown_has_no_latex(path):
    bad = [(i, m.group(0)) for i, src in _markdown_cells(path) for m in LATEX.finditer(src)]
    assert not bad, f"{path.name}: LaTeX trong ô markdown (ô, đoạn): {bad[:5]}"


@pytest.mark.parametrize("name", ["20-quy-hoach", "30-luan-chuyen", "40-dao-tao"])
def test_model_section_keeps_numbered_unicode_constraints(name):
    path = next(p for p in NOTEBOOKS if p.stem == name)
    model = [src for _, src in _markdown_cells(path) if src.startswith("## Mô hình")]
    assert len(model) == 1
    text = model[0]
    assert "∑" in text and "<sub>" in text
    numbers = [int(n) for n in re.findall(r"^(\d+)\. ", text, flags=re.M)]
    assert numbers and numbers == list(range(1, len(numbers) + 1))
