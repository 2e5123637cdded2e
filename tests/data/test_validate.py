"""Validation: the broken-dataset corpus, input normalisation, and no side effects."""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from kimson_ds.cli import main
from kimson_ds.data.io import Dataset, load_dataset, read_dataset, write_csv_folder
from kimson_ds.errors import DataError

HERE = Path(__file__).parent
MINIMAL = HERE.parent / "fixtures" / "minimal"
BROKEN = HERE.parent / "fixtures" / "broken"
CASES = yaml.safe_load((BROKEN / "expected.yaml").read_text(encoding="utf-8"))


def _hash_tree(path: Path) -> dict[str, str]:
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    return {str(f): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


def test_corpus_has_at_least_twelve_kinds():
    assert len(CASES) >= 12


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_corpus(case, capsys):
    expected = CASES[case]
    path = BROKEN / case
    before = _hash_tree(path)
    code = main(["validate", str(path)])
    out = capsys.readouterr()
    text = out.out + out.err
    assert code == expected["exit"], text
    for piece in expected["contains"]:
        assert piece in text, f"{case}: thiếu '{piece}' trong:\n{text}"
    assert "Traceback" not in text
    assert _hash_tree(path) == before, "validation must never modify the input files"


def test_minimal_dataset_is_valid_and_typed():
    ds = load_dataset(MINIMAL)
    assert ds.errors == [] and ds.warnings == []
    assert len(ds.cadres) == 4
    assert ds.cadres["birth_date"].dtype.kind == "M"
    assert ds.cadres["managed_by_btv"].dtype == bool
    assert ds.ratings["year"].dtype == "Int64"
    assert ds.units.loc[ds.units.unit_id == "XA_KIM_HAI", "area_km2"].item() == pytest.approx(5.76)
    assert set(ds.tables) >= {"units", "positions", "cadres", "ratings", "discipline"}


def test_nfd_text_is_normalised_to_nfc():
    ds = load_dataset(BROKEN / "nfd-text")
    names = ds.cadres["full_name"].tolist()
    assert "Nguyễn Văn An" in names
    assert all(unicodedata.is_normalized("NFC", n) for n in names)


def test_all_errors_collected_not_just_first(tmp_path):
    ds = load_dataset(MINIMAL)
    cad = ds.cadres.copy()
    write_csv_folder(ds.tables, tmp_path)
    text = (tmp_path / "cadres.csv").read_text(encoding="utf-8")
    text = text.replace("1978-11-02", "2/30/1978").replace(",nam,", ",male,", 1)
    (tmp_path / "cadres.csv").write_text(text, encoding="utf-8")
    result = read_dataset(tmp_path)
    cols = {(i.row, i.column) for i in result.errors}
    assert (3, "birth_date") in cols and (2, "gender") in cols
    assert len(cad) == 4


def test_load_raises_data_error_with_issues(tmp_path):
    with pytest.raises(DataError) as info:
        load_dataset(BROKEN / "duplicate-id")
    assert info.value.exit_code == 2
    assert any(i.column == "cadre_id" and i.row == 5 for i in info.value.issues)


def test_missing_optional_table_is_empty(tmp_path):
    ds = load_dataset(MINIMAL)
    write_csv_folder({k: v for k, v in ds.tables.items() if k in ("units", "positions", "cadres")}, tmp_path)
    loaded = load_dataset(tmp_path)
    assert loaded.ratings.empty and list(loaded.ratings.columns)[:2] == ["cadre_id", "year"]


def test_workbook_with_vietnamese_headers_labels_and_excel_dates(tmp_path):
    ds = load_dataset(MINIMAL)
    from kimson_ds.data.schema import TABLES

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    labels = {"nam": "Nam", "nu": "Nữ", "dai_hoc": "Đại học", "thac_si": "Thạc sĩ", "trung_cap": "Trung cấp",
              "cao_cap": "Cao cấp", "so_cap": "Sơ cấp", "chuyen_vien": "Chuyên viên",
              "chuyen_vien_chinh": "Chuyên viên chính", "chua_co": "Chưa qua bồi dưỡng"}
    for name in ("units", "positions", "cadres"):
        table = TABLES[name]
        ws = wb.create_sheet(table.title_vi)
        ws.append([c.header_vi for c in table.columns])
        for rec in ds.tables[name].itertuples(index=False):
            row = []
            for col, v in zip(table.columns, rec, strict=True):
                if isinstance(v, pd.Timestamp):
                    row.append(None if pd.isna(v) else datetime(v.year, v.month, v.day))
                elif col.kind == "code" and name == "cadres":
                    row.append(labels.get(v, v))
                elif col.kind == "bool":
                    row.append("có" if v else "không")
                else:
                    row.append(None if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)) else v)
            ws.append(row)
    path = tmp_path / "nhap-lieu.xlsx"
    wb.save(path)
    loaded = load_dataset(path)
    pd.testing.assert_frame_equal(loaded.cadres, ds.cadres)
    pd.testing.assert_frame_equal(loaded.positions, ds.positions)


def test_from_frames_builds_inline_datasets():
    ds = load_dataset(MINIMAL)
    small = Dataset.from_frames({k: ds.tables[k] for k in ("units", "positions", "cadres")})
    pd.testing.assert_frame_equal(small.cadres, ds.cadres)
    bad = ds.cadres.assign(gender=["nam", "x", "nu", "nu"])
    with pytest.raises(DataError, match="gender"):
        Dataset.from_frames({"units": ds.units, "positions": ds.positions, "cadres": bad})


def test_dd_mm_yyyy_dates_accepted(tmp_path):
    ds = load_dataset(MINIMAL)
    write_csv_folder(ds.tables, tmp_path)
    p = tmp_path / "cadres.csv"
    p.write_text(p.read_text(encoding="utf-8").replace("1978-11-02", "02/11/1978"), encoding="utf-8")
    loaded = load_dataset(tmp_path)
    assert loaded.cadres.loc[1, "birth_date"] == pd.Timestamp("1978-11-02")


def test_fingerprint_changes_with_content(tmp_path):
    ds = load_dataset(MINIMAL)
    write_csv_folder(ds.tables, tmp_path)
    same = read_dataset(tmp_path)
    assert same.fingerprint == ds.fingerprint
    p = tmp_path / "cadres.csv"
    p.write_text(p.read_text(encoding="utf-8").replace("Nguyễn Văn An", "Nguyễn Văn Ân"), encoding="utf-8")
    assert read_dataset(tmp_path).fingerprint != ds.fingerprint


def test_validate_missing_path_is_clear(capsys):
    code = main(["validate", "/khong/ton/tai"])
    err = capsys.readouterr().err
    assert code == 2 and "Không tìm thấy" in err and "Traceback" not in err
