"""Excel template, export and the lossless CSV → xlsx → CSV round trip."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kimson_ds.cli import main
from kimson_ds.data import excel
from kimson_ds.data.codes import CODESETS, code_lookup
from kimson_ds.data.io import Dataset, load_dataset, read_dataset, write_csv_folder
from kimson_ds.data.schema import TABLES
from kimson_ds.errors import DataError

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "kimson"
AS_OF = "2019-12-31"


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def small_frames() -> dict[str, pd.DataFrame]:
    """A tiny but awkward dataset: every column kind, NFD-free typed values."""
    units = pd.DataFrame({
        "unit_id": ["HU", "XA_KIM_DONG", "007"],
        "name": ["Huyện ủy Kim Sơn", "Xã Kim Đông", "=Đơn vị có dấu bằng"],
        "kind": ["chinh_quyen_huyen", "xa", "phong_ban"],
        "function": ["dang_uy", "dia_phuong", None],
        "parent_unit_id": [None, "HU", "HU"],
        "area_km2": [None, 12.345678901234567, 0.1 + 0.2],
        "population": [None, 10234, 0],
        "distance_km": [None, 5.92, 1e-7],
        "valid_from": [None, pd.Timestamp("1899-12-30"), pd.Timestamp("2016-01-01")],
        "valid_to": [None, None, pd.Timestamp("2025-06-30")],
        "successor_unit_id": [None, None, "HU"],
    })
    positions = pd.DataFrame({
        "position_id": ["P1", "P2", "P3"],
        "unit_id": ["HU", "XA_KIM_DONG", "XA_KIM_DONG"],
        "title": ["bi_thu", "chu_tich_ubnd", "chuyen_vien"],
        "is_key": [True, True, False],
        "holder_id": ["C1", "C2", None],
        "holder_since": [pd.Timestamp("2015-10-20"), pd.Timestamp("2016-06-01"), None],
        "open_for_rotation": [False, True, False],
    })
    cadres = pd.DataFrame({
        "cadre_id": ["C1", "C2"],
        "full_name": ["Nguyễn Văn Ấn", "Phạm Thị Ngọc  Ánh"],
        "gender": ["nam", "nu"],
        "birth_date": [pd.Timestamp("1965-02-28"), pd.Timestamp("1980-02-29")],
        "ethnicity": ["Kinh", None],
        "home_unit_id": ["XA_KIM_DONG", None],
        "unit_id": ["HU", "XA_KIM_DONG"],
        "party_join_date": [pd.Timestamp("1990-05-19"), None],
        "work_start_date": [pd.Timestamp("1987-08-01"), pd.Timestamp("2002-09-01")],
        "education": ["dai_hoc", "thac_si"],
        "political_theory": ["cao_cap", "trung_cap"],
        "state_mgmt": ["chuyen_vien_chinh", None],
        "managed_by_btv": [True, False],
    })
    ratings = pd.DataFrame({
        "cadre_id": ["C1", "C1", "C2"],
        "year": [2017, 2018, 2018],
        "score": [92.5, None, 71.0],
        "tasks_exceeded_pct": [33.333333333333336, None, 0.0],
        "level": ["xuat_sac", "tot", None],
        "position_id": ["P1", None, "P2"],
    })
    relatives = pd.DataFrame({"cadre_id": ["C1"], "relative_id": ["C2"], "relation": ["vo_chong"]})
    courses = pd.DataFrame({
        "course_id": ["LLCT_CC"], "name": ["Cao cấp lý luận chính trị"], "field": ["political_theory"],
        "grants_level": ["cao_cap"], "months": [18.0], "seats_per_year": [3], "cost_million_vnd": [45.5],
        "prerequisite_level": ["trung_cap"],
    })
    return {"units": units, "positions": positions, "cadres": cadres, "ratings": ratings,
            "relatives": relatives, "courses": courses}


@pytest.fixture
def small_ds() -> Dataset:
    return Dataset.from_frames(small_frames(), as_of=AS_OF)


@pytest.fixture(autouse=True)
def _audit_log(tmp_path, monkeypatch):
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))


def _csv_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def _roundtrip(tables, tmp_path: Path) -> tuple[dict[str, bytes], dict[str, bytes], Dataset]:
    write_csv_folder(tables, tmp_path / "a")
    xlsx = excel.write_dataset(tables, tmp_path / "export.xlsx")
    back = load_dataset(xlsx, as_of=AS_OF)
    write_csv_folder(back.tables, tmp_path / "b")
    return _csv_bytes(tmp_path / "a"), _csv_bytes(tmp_path / "b"), back


# ----------------------------------------------------------------- template
@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return excel.write_template(tmp_path_factory.mktemp("tpl") / "mau.xlsx")


def test_template_has_every_sheet_and_headers(template):
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == [excel.INSTRUCTIONS_SHEET, *TABLES, excel.PROPOSALS_SHEET, excel.LISTS_SHEET]
    assert wb[excel.LISTS_SHEET].sheet_state == "hidden"
    for name, table in TABLES.items():
        ws = wb[name]
        assert [c.value for c in ws[1]] == [c.header_vi for c in table.columns]
        assert ws.max_row == 1
        assert ws.freeze_panes == "A2"
        for cell, col in zip(ws[1], table.columns, strict=True):
            assert cell.font.b
            assert cell.comment is not None and col.description in cell.comment.text
            assert ("BẮT BUỘC" in cell.comment.text) == col.required
            assert ws.column_dimensions[cell.column_letter].width >= 8


def test_template_validations_on_code_bool_and_date_columns(template):
    wb = openpyxl.load_workbook(template)
    lists = wb[excel.LISTS_SHEET]
    for name, table in TABLES.items():
        ws = wb[name]
        by_col = {}
        for dv in ws.data_validations.dataValidation:
            for rng in dv.sqref.ranges:
                by_col[rng.min_col] = dv
        for j, col in enumerate(table.columns, start=1):
            dv = by_col.get(j)
            if col.kind in ("code", "bool"):
                assert dv is not None and dv.type == "list", (name, col.name)
                ref = dv.formula1.lstrip("=").split("!")[1].replace("$", "")
                listed = [c.value for row in lists[ref] for c in row]
                expected = ["có", "không"] if col.kind == "bool" else list(CODESETS[col.codeset].values())
                assert listed == expected
            elif col.kind == "date":
                assert dv is not None and dv.type == "date"
                assert ws.column_dimensions[openpyxl.utils.get_column_letter(j)].number_format == "dd/mm/yyyy"


def test_template_instructions_sheet(template):
    ws = openpyxl.load_workbook(template)[excel.INSTRUCTIONS_SHEET]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    for needle in ("kimson-ds validate", "dd/mm/yyyy", "dấu chấm", "cadres", "Hoàn thành xuất sắc nhiệm vụ",
                   "xuat_sac", "bắt buộc"):
        assert needle in text


def test_empty_template_loads_as_missing_rows_not_missing_tables(template):
    ds = read_dataset(template, as_of=AS_OF)
    assert ds.errors == []  # header-only sheets are empty tables, no sheet is unrecognised
    assert ds.warnings == []
    assert all(df.empty for df in ds.tables.values())


def test_template_is_reproducible_and_committed_copy_is_current(tmp_path, template):
    again = excel.write_template(tmp_path / "again.xlsx")
    assert again.read_bytes() == template.read_bytes()
    committed = ROOT / excel.DEFAULT_TEMPLATE
    if committed.exists():
        assert committed.read_bytes() == template.read_bytes(), "chạy lại: kimson-ds template"


def test_filled_template_with_labels_headers_and_dates_loads_codes(template, tmp_path):
    wb = openpyxl.load_workbook(template)
    wb["units"].append(["HU", "Huyện ủy Kim Sơn", "Cơ quan lãnh đạo cấp huyện", "Cấp ủy đảng"])
    wb["units"].append(["XA1", _nfd("Xã Kim Đông"), "  xã ", "Địa phương (xã, thị trấn)", "HU", 12.5, 9000])
    wb["positions"].append(["P1", "XA1", "Chủ tịch UBND", "có", "C1", datetime(2016, 6, 1), "không"])
    wb["cadres"].append(["C1", _nfd("Trần Thị Hường"), _nfd("Nữ"), datetime(1980, 2, 29), "Kinh", None, "XA1",
                         "19/05/2005", "2002-09-01", "Thạc sĩ", "trung_cap", "Chuyên viên", "không"])
    wb["ratings"].append(["C1", 2018, 88.5, None, _nfd("Hoàn thành tốt nhiệm vụ"), "P1"])
    path = tmp_path / "filled.xlsx"
    wb.save(path)
    ds = load_dataset(path, as_of=AS_OF)
    assert ds.units["kind"].tolist() == ["chinh_quyen_huyen", "xa"]
    assert ds.units["function"].tolist() == ["dang_uy", "dia_phuong"]
    assert ds.units.loc[1, "name"] == unicodedata.normalize("NFC", "Xã Kim Đông")
    assert ds.positions.loc[0, "title"] == "chu_tich_ubnd"
    assert bool(ds.positions.loc[0, "is_key"]) is True
    assert bool(ds.positions.loc[0, "open_for_rotation"]) is False
    c = ds.cadres.iloc[0]
    assert c["full_name"] == "Trần Thị Hường" and unicodedata.is_normalized("NFC", c["full_name"])
    assert (c["gender"], c["education"], c["political_theory"], c["state_mgmt"]) == (
        "nu", "thac_si", "trung_cap", "chuyen_vien")
    assert c["birth_date"] == pd.Timestamp("1980-02-29")
    assert c["party_join_date"] == pd.Timestamp("2005-05-19")
    assert c["work_start_date"] == pd.Timestamp("2002-09-01")
    assert ds.ratings.loc[0, "level"] == "tot"


def test_wrong_sheet_name_gives_clear_error(tmp_path):
    frames = small_frames()
    xlsx = excel.write_dataset(Dataset.from_frames(frames, as_of=AS_OF), tmp_path / "x.xlsx")
    wb = openpyxl.load_workbook(xlsx)
    wb["cadres"].title = "Canbo"
    wb.save(xlsx)
    with pytest.raises(DataError) as err:
        load_dataset(xlsx, as_of=AS_OF)
    msg = str(err.value)
    assert "thiếu bảng bắt buộc 'cadres' (Cán bộ)" in msg
    assert "trang tính 'cadres' / 'Cán bộ'" in msg
    ds = read_dataset(xlsx, as_of=AS_OF)
    assert any("Canbo" in i.source and i.severity == "warning" for i in ds.issues)


def test_vietnamese_sheet_title_in_nfd_is_recognised(tmp_path, small_ds):
    xlsx = excel.write_dataset(small_ds, tmp_path / "x.xlsx")
    wb = openpyxl.load_workbook(xlsx)
    wb["cadres"].title = _nfd("Cán bộ")
    wb.save(xlsx)
    back = load_dataset(xlsx, as_of=AS_OF)
    pd.testing.assert_frame_equal(back.cadres, small_ds.cadres)


# ------------------------------------------------------------------ export
def test_export_writes_labels_dates_bools_numbers_and_text_ids(tmp_path, small_ds):
    xlsx = excel.write_dataset(small_ds, tmp_path / "x.xlsx")
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["units"]
    head = [c.value for c in ws[1]]
    row = {h: c for h, c in zip(head, ws[3], strict=True)}
    hv = {c.name: c.header_vi for c in TABLES["units"].columns}
    assert row[hv["kind"]].value == "Xã"
    assert row[hv["valid_from"]].value == "1899-12-30"  # before Excel's reliable dates: ISO text
    assert isinstance(row[hv["area_km2"]].value, float)
    assert row[hv["population"]].value == 10234 and row[hv["population"]].data_type == "n"
    ids = {c.value: c for c in ws["A"][1:]}
    assert "007" in ids and ids["007"].data_type == "s" and ids["007"].number_format == "@"
    formula_like = [c for c in ws["B"][1:] if str(c.value).startswith("=")]
    assert formula_like and formula_like[0].data_type == "s"
    ws = wb["cadres"]
    head = [c.value for c in ws[1]]
    row = {h: c for h, c in zip(head, ws[2], strict=True)}
    hv = {c.name: c.header_vi for c in TABLES["cadres"].columns}
    assert row[hv["birth_date"]].value == datetime(1965, 2, 28)
    assert row[hv["birth_date"]].number_format == "dd/mm/yyyy"
    assert row[hv["gender"]].value == "Nam"
    assert row[hv["managed_by_btv"]].value == "có"
    assert row[hv["education"]].value == "Đại học"


def test_roundtrip_small_dataset_is_lossless(tmp_path, small_ds):
    before, after, back = _roundtrip(small_ds.tables, tmp_path)
    assert set(before) == {f"{t}.csv" for t in TABLES} and before == after
    for name in TABLES:
        pd.testing.assert_frame_equal(back.tables[name], small_ds.tables[name], check_dtype=True)
    # xlsx → xlsx is a fixed point: exporting the reloaded workbook gives the same bytes
    again = excel.write_dataset(back, tmp_path / "again.xlsx")
    assert again.read_bytes() == (tmp_path / "export.xlsx").read_bytes()


def test_export_refuses_control_characters(tmp_path, small_ds):
    tables = dict(small_ds.tables)
    cad = tables["cadres"].copy()
    cad.loc[1, "full_name"] = "Phạm\x07Thị"
    tables["cadres"] = cad
    with pytest.raises(DataError, match=r"cadres.*full_name.*dòng 3"):
        excel.write_dataset(tables, tmp_path / "bad.xlsx")


def test_every_label_maps_back_to_its_code():
    for name, table in CODESETS.items():
        lookup = code_lookup(name)
        for code, label in table.items():
            assert lookup[" ".join(label.casefold().split())] == code, (name, code)


# ------------------------------------------------------------ print tables
def test_write_workbook_printable_list(tmp_path):
    frame = pd.DataFrame({
        "Họ và tên": ["Nguyễn Văn A", "Trần Thị B"],
        "Ngày sinh": [pd.Timestamp("1975-03-02"), pd.NaT],
        "Điểm": [91.5, float("nan")],
        "Đủ tiêu chuẩn": [True, False],
        "Ghi chú": ["=không phải công thức", "dài " * 40],
    })
    long_name = "Danh sách đề xuất luân chuyển: cấp xã/huyện"
    path = excel.write_workbook(tmp_path / "ds.xlsx", {long_name: frame, "Trống": frame.iloc[:0]},
                                title="DANH SÁCH ĐỀ XUẤT", subtitle="Kỳ họp BTV", notes={long_name: "Ghi chú: thử"})
    wb = openpyxl.load_workbook(path)
    assert len(wb.sheetnames) == 2 and wb.sheetnames[0] == "Danh sách đề xuất luân chuyển"
    ws = wb[wb.sheetnames[0]]
    assert ws["A1"].value == "DANH SÁCH ĐỀ XUẤT" and ws["A1"].font.b
    assert "A1:F1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value == f"{long_name} — Kỳ họp BTV"
    assert [c.value for c in ws[4]] == ["STT", *frame.columns]
    assert all(c.font.b and c.border.top.style == "thin" for c in ws[4])
    assert [ws.cell(5, j).value for j in range(1, 6)] == [1, "Nguyễn Văn A", datetime(1975, 3, 2), 91.5, "có"]
    assert ws.cell(5, 3).number_format == "dd/mm/yyyy"
    assert ws.cell(6, 3).value is None and ws.cell(6, 4).value is None and ws.cell(6, 5).value == "không"
    assert ws.cell(5, 6).data_type == "s"
    assert ws.cell(6, 6).alignment.wrap_text and ws.cell(6, 6).border.left.style == "thin"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$4:$4"
    assert ws["A8"].value == "Ghi chú: thử"
    again = excel.write_workbook(tmp_path / "ds2.xlsx", {long_name: frame, "Trống": frame.iloc[:0]},
                                 title="DANH SÁCH ĐỀ XUẤT", subtitle="Kỳ họp BTV", notes={long_name: "Ghi chú: thử"})
    assert again.read_bytes() == path.read_bytes()


# --------------------------------------------------------------------- CLI
def test_cli_template_and_export(tmp_path, small_ds, capsys):
    tpl = tmp_path / "tpl.xlsx"
    assert main(["template", "--out", str(tpl)]) == 0
    assert openpyxl.load_workbook(tpl).sheetnames[1] == "units"
    src = tmp_path / "csv"
    write_csv_folder(small_ds.tables, src)
    out = tmp_path / "out.xlsx"
    assert main(["export", str(src), "--out", str(out), "--as-of", AS_OF]) == 0
    printed = capsys.readouterr().out
    assert "Đã xuất" in printed and "out.xlsx" in printed
    assert len(load_dataset(out, as_of=AS_OF).cadres) == 2
    log = (tmp_path / "audit.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(log) == 2 and '"command":"export' in log[1]


def test_cli_export_bad_input_exits_2(tmp_path, capsys):
    assert main(["export", str(tmp_path / "khong-co"), "--out", str(tmp_path / "o.xlsx")]) == 2
    assert "Không tìm thấy" in capsys.readouterr().err
    assert main(["export", str(tmp_path), "--out", str(tmp_path / "o.csv")]) == 2
    assert ".xlsx" in capsys.readouterr().err


# ------------------------------------------------------------ sample data
@pytest.mark.slow
@pytest.mark.skipif(not (SAMPLE / "cadres.csv").exists(), reason="chưa có bộ dữ liệu mẫu data/kimson")
def test_roundtrip_sample_dataset_is_lossless(tmp_path):
    ds = load_dataset(SAMPLE, as_of=AS_OF)
    before, after, _ = _roundtrip(ds.tables, tmp_path)
    assert before == after
    originals = _csv_bytes(SAMPLE)
    for name, data in originals.items():
        assert after[name] == data, name
