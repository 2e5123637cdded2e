"""``kimson-ds rate … --out X.xlsx`` is printable like every decision command's ``ket-qua.xlsx``."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kimson_ds.cli import main

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "kimson"
CODE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")          # truong_phong_ban
ID = re.compile(r"^[A-Z][A-Z0-9]*(?:[_\-][A-Z0-9]+)+$")        # HU_VAN_PHONG-TRUONG_BAN-1
DECIMAL_POINT = re.compile(r"(?<![\d.])\d+\.\d+(?![\d.])")      # 90.7 written in a text


@pytest.fixture(autouse=True)
def _audit_log(tmp_path, monkeypatch):
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))


def _table(ws):
    header = next(r for r in range(1, 8) if ws.cell(r, 1).value == "STT")
    heads = [c.value for c in ws[header]]
    rows = list(ws.iter_rows(min_row=header + 1, max_row=ws.max_row))
    return header, heads, rows


@pytest.mark.skipif(not SAMPLE.is_dir(), reason="data/kimson is not generated")
def test_rate_workbook_has_labels_formats_and_print_setup(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # the default output goes under reports/ of the working folder
    assert main(["rate", str(SAMPLE), "--year", "2018", "--compare-as-of", "2019-10-18"]) == 0
    out = tmp_path / "reports" / "xep-loai-2018.xlsx"
    assert "reports/xep-loai-2018.xlsx" in capsys.readouterr().out
    wb = load_workbook(out)
    assert wb.sheetnames == ["Kết quả", "Tổng hợp", "So sánh", "Căn cứ pháp lý"]
    for ws in wb:
        header, heads, rows = _table(ws)
        assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4, ws.title
        assert ws.print_title_rows == f"${header}:${header}" and ws.freeze_panes == f"A{header + 1}", ws.title
        for row in rows:
            for head, cell in zip(heads, row, strict=False):
                v = cell.value
                if isinstance(v, str) and not str(head).startswith("Mã"):
                    assert not CODE.fullmatch(v) and not ID.fullmatch(v), (ws.title, head, v)
                    assert not DECIMAL_POINT.search(v), (ws.title, head, v)
                    assert v not in ("True", "False", "None", "nan") and "['" not in v, (ws.title, head, v)
                if isinstance(v, float) and v % 1:
                    assert cell.number_format != "General", (ws.title, head, v)
                if isinstance(v, dt.datetime):
                    assert cell.number_format == "dd/mm/yyyy", (ws.title, head)
    _, heads, rows = _table(wb["Tổng hợp"])
    share = [r[heads.index("Tỷ lệ xuất sắc")] for r in rows if r[heads.index("Tỷ lệ xuất sắc")].value is not None]
    assert share and all(c.number_format.endswith("%") for c in share)
    _, heads, rows = _table(wb["Kết quả"])
    assert {"Chức danh", "Đơn vị", "Nhóm chức danh", "Mức xếp loại đề xuất", "Lý do"} <= set(heads)
    assert "Mã chức danh" not in heads and "Tên đơn vị" not in heads
    _, heads, rows = _table(wb["Căn cứ pháp lý"])
    assert any(isinstance(r[heads.index("Áp dụng từ ngày")].value, dt.datetime) for r in rows)
