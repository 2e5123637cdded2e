"""A report run writes one consistent set (HTML, executed notebook, references) and audits exactly it."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from kimson_ds import audit
from kimson_ds.errors import ReportError
from kimson_ds.papers import report


def _nb(path: Path, body: str) -> Path:
    nb = new_notebook(cells=[new_markdown_cell("# Báo cáo thử"),
                             new_code_cell("x: int = 1  # số thử", metadata={"tags": ["parameters"]}),
                             new_code_cell(body)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


@pytest.mark.slow
def test_report_set_is_replaced_whole_and_a_failed_run_leaves_no_stale_html(tmp_path, monkeypatch):
    log = tmp_path / "audit.jsonl"
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(log))
    src = tmp_path / "nguon"
    src.mkdir()
    out = tmp_path / "bc"
    good = _nb(src / "thu.ipynb", "print(x * 2)")
    res = report.build_report(good, {"x": 21}, out)
    names = sorted(p.name for p in out.iterdir())
    assert names == ["thu.html", "thu.ipynb", "thu.references.json"]
    rec = audit.read_log(log)[-1]
    assert sorted(Path(p).name for p in rec["outputs"]) == names
    assert all(audit.file_digest(p) == h for p, h in rec["outputs"].items())
    assert "42" in res.html.read_text(encoding="utf-8")

    _nb(src / "thu.ipynb", "raise ValueError('hỏng')")
    with pytest.raises(ReportError, match=str(out / "thu.ipynb").replace("\\", "\\\\")):
        report.build_report(src / "thu.ipynb", {"x": 1}, out)
    assert sorted(p.name for p in out.iterdir()) == ["thu.ipynb"]  # the failed notebook only, no stale HTML
    assert len(audit.read_log(log)) == 1 and audit.verify(log).ok
    assert not [p for p in out.iterdir() if "kimson-tmp" in p.name]
