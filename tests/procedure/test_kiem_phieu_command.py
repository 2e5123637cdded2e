"""``kimson-ds kiem-phieu`` on the sample and on broken tallies: outputs, exit codes, minutes in Word."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

from kimson_ds.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "kimson"


@pytest.fixture(autouse=True)
def _audit_log(tmp_path, monkeypatch):
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_sample_procedures_give_one_proposal_one_shortfall_and_exit_1(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    before = _hashes(SAMPLE)
    code = main(["kiem-phieu", str(SAMPLE), "--out", str(tmp_path / "kp"), "--no-pdf"])
    out = capsys.readouterr().out
    assert code == 1  # one procedure falls short of the leadership collective's majority
    assert "1 đủ điều kiện đề nghị, 1 không đạt tỷ lệ" in out
    assert "không ai đạt trên 50% tổng số thành viên tập thể lãnh đạo (5 người); cao nhất 40%" in out
    assert "tín nhiệm thấp — " in out
    summary = pd.read_csv(tmp_path / "kp" / "tong-hop-quy-trinh.csv", encoding="utf-8-sig")
    assert list(summary["Kết quả"]) == ["Đủ điều kiện đề nghị", "Không đạt tỷ lệ"]
    assert summary["Cấp có thẩm quyền"].eq("Ban Thường vụ Huyện ủy").all()
    steps = pd.read_csv(tmp_path / "kp" / "ket-qua-tung-buoc.csv", encoding="utf-8-sig")
    last = steps.loc[(steps["Mã quy trình"] == "QT2019-02") & (steps["Bước"] == 5)]
    assert set(last["Tỷ lệ trên tổng số được triệu tập"]) == {"40%"} and set(last["Số có mặt"]) == {4}
    assert _hashes(SAMPLE) == before


def test_minutes_are_a_word_document_with_the_party_header_and_every_ballot_step(tmp_path, monkeypatch):
    from docx import Document

    monkeypatch.chdir(tmp_path)
    main(["kiem-phieu", str(SAMPLE), "--out", str(tmp_path / "kp"), "--no-pdf", "--mat",
          "--quy-trinh", "QT2019-01", "--co-quan", "Ban Thường vụ Đảng ủy xã Kim Sơn"])
    doc = Document(tmp_path / "kp" / "bien-ban-QT2019-01.docx")
    text = "\n".join(p.text for p in doc.paragraphs)
    header = [c.text for row in doc.tables[0].rows for c in row.cells]
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in header and "BAN THƯỜNG VỤ ĐẢNG ỦY XÃ KIM SƠN" in header and "MẬT" in header
    assert any(h.startswith("Kim Sơn, ngày 05 tháng 9 năm 2019") for h in header)
    assert "BIÊN BẢN KIỂM PHIẾU" in text
    for step in (2, 3, 4, 5):
        assert f"Bước {step}:" in text
    assert "Căn cứ: Quy định 105-QĐ/TW" in text and "TỔ TRƯỞNG TỔ KIỂM PHIẾU" in "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert not (tmp_path / "kp" / "bien-ban-QT2019-02.docx").exists()


def test_unknown_procedure_is_a_clean_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code = main(["kiem-phieu", str(SAMPLE), "--out", str(tmp_path / "kp"), "--no-pdf", "--quy-trinh", "QT9"])
    err = capsys.readouterr().err
    assert code == 2 and "Không có quy trình: QT9" in err and "QT2019-01" in err


@pytest.mark.parametrize("column, value, expected", [
    ("present", "6", "số người có mặt ≤ số người được triệu tập"),
    ("valid", "6", "số phiếu hợp lệ ≤ số phiếu thu về"),
])
def test_inconsistent_tally_in_csv_exits_2_naming_file_row_and_column(tmp_path, monkeypatch, capsys, column, value,
                                                                       expected):
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "ds"
    shutil.copytree(SAMPLE, data)
    rounds = pd.read_csv(data / "ballot_rounds.csv", dtype=str)
    rounds.loc[1, column] = value  # QT2019-01 step 3: 5 members, 5 ballots
    rounds.to_csv(data / "ballot_rounds.csv", index=False)
    before = _hashes(data)
    code = main(["kiem-phieu", str(data), "--out", str(tmp_path / "kp"), "--no-pdf"])
    err = capsys.readouterr().err
    assert code == 2
    assert "ballot_rounds.csv" in err and "dòng 3" in err and f"giá trị '{value}'" in err and expected in err
    assert _hashes(data) == before


def test_inconsistent_tally_in_a_workbook_names_the_sheet(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["export", str(SAMPLE), "--out", str(tmp_path / "ds.xlsx")]) == 0
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "ds.xlsx")
    ws = wb["ballot_votes"]
    headers = [c.value for c in ws[1]]
    ws.cell(row=2, column=next(i for i, h in enumerate(headers) if h in ("votes", "Số phiếu")) + 1, value=99)
    wb.save(tmp_path / "ds.xlsx")
    code = main(["kiem-phieu", str(tmp_path / "ds.xlsx"), "--out", str(tmp_path / "kp"), "--no-pdf"])
    err = capsys.readouterr().err
    assert code == 2 and "ballot_votes" in err and "dòng 2" in err and "'99'" in err and "Số phiếu" in err


@pytest.mark.slow
def test_procedure_notebook_renders_results_first_with_the_outcomes(tmp_path, monkeypatch):
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    code = main(["report", str(ROOT / "notebooks" / "60-quy-trinh.ipynb"), "--out", str(tmp_path / "r")])
    assert code == 0
    html = (tmp_path / "r" / "60-quy-trinh.html").read_text(encoding="utf-8")
    summary, appendix = html.index("Tóm tắt"), html.index("Phụ lục: các bước và nguyên tắc")
    assert summary < html.index("Kết quả từng bước") < appendix
    assert "Đủ điều kiện đề nghị" in html and "Không đạt tỷ lệ" in html and "tín nhiệm thấp" in html
    assert "btv_huyen_uy" not in html and "tai_cho" not in html
