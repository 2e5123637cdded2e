"""Proposals typed in the data-entry template's "Đề xuất nhân sự" sheet are vetted like the CSV batch."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kimson_ds.cli import main
from kimson_ds.data import excel
from kimson_ds.data.codes import TITLE
from kimson_ds.data.io import load_dataset
from kimson_ds.errors import DataError
from kimson_ds.vetting.checklist import ACTIONS, PROPOSAL_COLUMNS, read_proposals

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "kimson"
SAMPLE_BATCH = ROOT / "data" / "scenarios" / "de-xuat-mau.csv"

needs_sample = pytest.mark.skipif(not SAMPLE.is_dir(), reason="sample dataset not generated")


@pytest.fixture(autouse=True)
def _audit(tmp_path, monkeypatch):
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))


def _fill_template(path: Path, batch: pd.DataFrame) -> Path:
    """The empty template with ``batch`` typed into its proposals sheet as staff would (labels, dd/mm/yyyy)."""
    excel.write_template(path)
    wb = openpyxl.load_workbook(path)
    ws = wb[excel.PROPOSALS_SHEET]
    heads = [c.value for c in ws[1]]
    for r, rec in enumerate(batch.to_dict("records"), start=2):
        for code, value in rec.items():
            if value in ("", None) or pd.isna(value):
                continue
            if code == "action":
                value = ACTIONS[value]
            elif code == "target_title":
                value = TITLE[value]
            elif code == "effective_date":
                value = pd.Timestamp(value).to_pydatetime()
            ws.cell(row=r, column=heads.index(PROPOSAL_COLUMNS[code]) + 1, value=value)
    wb.save(path)
    return path


def test_template_sheet_has_vietnamese_headers_and_drop_downs(tmp_path):
    wb = openpyxl.load_workbook(excel.write_template(tmp_path / "mau.xlsx"))
    ws = wb[excel.PROPOSALS_SHEET]
    heads = [c.value for c in ws[1]]
    assert heads == [h for _c, h, _n, _s in excel.PROPOSAL_SHEET_COLUMNS]
    assert set(heads) <= set(PROPOSAL_COLUMNS.values())  # the parser reads every header
    lists = {str(dv.sqref).split(":")[0][0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    col = {h: openpyxl.utils.get_column_letter(i) for i, h in enumerate(heads, start=1)}
    lists_ws = wb[excel.LISTS_SHEET]

    def values(ref):
        rng = ref.split("!")[1].replace("$", "")
        return [c.value for (c,) in lists_ws[rng]]

    assert values(lists[col["Hình thức đề xuất"]]) == list(ACTIONS.values())
    assert values(lists[col["Nhiệm kỳ"]]) == list(excel.PROPOSAL_TERMS)
    assert lists[col["Mã chức danh"]].startswith("'positions'!$A$2")  # target post chosen among the posts
    assert lists[col["Mã cán bộ"]].startswith("'cadres'!$A$2")


@needs_sample
def test_vet_accepts_the_template_sheet_like_the_csv(tmp_path, capsys):
    batch = pd.read_csv(SAMPLE_BATCH, dtype=str, keep_default_na=False)
    book = _fill_template(tmp_path / "de-xuat.xlsx", batch)
    ds = load_dataset(SAMPLE)
    from_csv = read_proposals(SAMPLE_BATCH, ds).drop(columns="row")
    from_xlsx = read_proposals(book, ds).drop(columns="row")
    pd.testing.assert_frame_equal(from_xlsx, from_csv)

    assert main(["vet", str(SAMPLE), "--proposals", str(SAMPLE_BATCH), "--out", str(tmp_path / "csv")]) == 1
    assert main(["vet", str(SAMPLE), "--proposals", str(book), "--out", str(tmp_path / "xlsx")]) == 1
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    a = pd.read_csv(tmp_path / "csv" / "verdicts.csv")
    b = pd.read_csv(tmp_path / "xlsx" / "verdicts.csv")
    pd.testing.assert_frame_equal(a, b)


@needs_sample
def test_a_wrong_term_in_the_sheet_names_row_column_and_expected_length(tmp_path):
    batch = pd.read_csv(SAMPLE_BATCH, dtype=str, keep_default_na=False).head(2)
    book = _fill_template(tmp_path / "de-xuat.xlsx", batch)
    wb = openpyxl.load_workbook(book)
    ws = wb[excel.PROPOSALS_SHEET]
    heads = [c.value for c in ws[1]]
    ws.cell(row=3, column=heads.index("Nhiệm kỳ") + 1, value="2020-2026")
    wb.save(book)
    with pytest.raises(DataError) as err:
        read_proposals(book, load_dataset(SAMPLE))
    text = str(err.value)
    assert "Đề xuất nhân sự" in text and "dòng 3" in text and "term" in text and "2020-2026" in text
    assert "5 năm" in text


@needs_sample
def test_the_dataset_loader_skips_the_proposals_sheet(tmp_path):
    ds = load_dataset(SAMPLE)
    book = excel.write_dataset(ds, tmp_path / "bo-du-lieu.xlsx")
    again = load_dataset(book)
    assert not any("Đề xuất nhân sự" in str(i) for i in again.issues)
