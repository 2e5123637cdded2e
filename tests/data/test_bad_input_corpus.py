"""The bad-input corpus: every class of bad data gives the clean error, never a wrong number.

Each case starts from ``tests/fixtures/minimal``, spoils one cell, header or file, writes the
dataset as a CSV folder and as an ``.xlsx`` workbook, runs a command that reads it and asserts:
exit code 2, a Vietnamese message naming the file or sheet, the row, the column and the value,
no "Lỗi không mong đợi", and every input file byte-identical afterwards. ``CLASSES`` counts the
cases by class (see the closing note of issue 11).
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kimson_ds.cli import main
from kimson_ds.data.io import read_dataset
from kimson_ds.data.schema import TABLES

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"
SCENARIOS = ROOT / "data" / "scenarios"


# ----------------------------------------------------------------------------- building datasets
def _read(name: str) -> list[list[str]]:
    with open(MINIMAL / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return [list(r) for r in csv.reader(fh)]


def _tables() -> dict[str, list[list[str]]]:
    return {p.stem: _read(p.stem) for p in sorted(MINIMAL.glob("*.csv"))}


def _set(tables, table: str, row: int, column: str, value: str) -> None:
    """Set data row ``row`` (0 = first under the header) of ``column``."""
    header = tables[table][0]
    tables[table][1 + row][header.index(column)] = value


def _write_csv(tables, folder: Path, names: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        (folder / (names or {}).get(name, f"{name}.csv")).write_text(buf.getvalue(), encoding="utf-8")
    return folder


def _write_xlsx(tables, path: Path, *, formula: tuple | None = None, hidden_copy: str | None = None) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in tables.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append([None if v == "" else v for v in r])
        if formula and formula[0] == name:  # a formula cell saved without its computed value
            header = rows[0]
            ws.cell(row=2 + formula[1], column=1 + header.index(formula[2])).value = "=1+1"
    if hidden_copy:
        ws = wb.create_sheet(TABLES[hidden_copy].title_vi)
        for r in tables[hidden_copy]:
            ws.append(r)
        ws.sheet_state = "hidden"
    wb.save(path)
    return path


def _hashes(*paths: Path) -> dict[str, str]:
    out = {}
    for p in paths:
        files = [p] if p.is_file() else sorted(q for q in p.rglob("*") if q.is_file())
        out.update({str(f): hashlib.sha256(f.read_bytes()).hexdigest() for f in files})
    return out


def _run(argv: list[str], capsys, inputs: list[Path]) -> str:
    before = _hashes(*inputs)
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    text = out.out + out.err
    assert code == 2, f"exit {code}:\n{text[:3000]}"
    assert "Lỗi không mong đợi" not in text and "Traceback" not in text, text[:3000]
    assert _hashes(*inputs) == before, "a command changed one of its input files"
    assert len(text) < 60_000, f"unbounded error output ({len(text)} characters)"
    return text


# ----------------------------------------------------------------------------- the cases
#: (class, case id, table, row, column, bad value, words the message must hold besides the value)
CELL_CASES: list[tuple[str, str, str, int, str, str, tuple[str, ...]]] = []


def _add(cls, table, row, column, value, *words):
    CELL_CASES.append((cls, f"{cls}-{table}.{column}={value[:20]}", table, row, column, value, words))


# blank or unparsable key cells: the message names the cell; validation goes on to the others
for t, col in (("ratings", "year"), ("org_ratings", "year"), ("trainings", "year"),
               ("discipline", "decided_on"), ("rotations", "start_date")):
    _add("khoa-trong", t, 0, col, "", "thiếu giá trị bắt buộc")
    _add("khoa-sai", t, 0, col, "không rõ", "không")

# out-of-range numbers in every number column of the contract
NUMBER_CELLS = {("units", 2): ("area_km2", "population", "distance_km"),
                ("ratings", 0): ("year", "score", "tasks_exceeded_pct"),
                ("org_ratings", 0): ("year",),
                ("courses", 0): ("months", "seats_per_year", "cost_million_vnd"),
                ("trainings", 0): ("year", "days")}
BAD_NUMBERS = ("0001", "9999", "99999999999999999999999", "1e19", "1e30", "inf", "nan", "1e999", "-5")
for (t, row), cols in NUMBER_CELLS.items():
    for col in cols:
        for v in BAD_NUMBERS:
            if v == "0001" and col not in ("year",) and TABLES[t].column(col).min_value == 0:
                continue  # 1 is a fine count/area: 0001 is only out of range for years
            if v == "9999" and TABLES[t].column(col).max_value >= 9999:
                continue  # 9999 people or km² is a plausible number
            _add("so-ngoai-khoang", t, row, col, v)

# far dates in every date column (never an overflow, never a wrapped 1816 date)
DATE_CELLS = {("units", 0): ("valid_from", "valid_to"), ("positions", 0): ("holder_since",),
              ("cadres", 0): ("birth_date", "party_join_date", "work_start_date"),
              ("planning", 0): ("added_on", "removed_on"), ("rotations", 0): ("start_date", "end_date"),
              ("discipline", 0): ("decided_on", "expires_on")}
for (t, row), cols in DATE_CELLS.items():
    for col in cols:
        for v in ("0001-01-01", "9999-12-31", "31/12/9999", "1677-09-21"):
            _add("ngay-ngoai-khoang", t, row, col, v, "năm ngoài khoảng cho phép")

# Vietnamese thousands separators are refused, never read as 12 or 1
for t, row, col, v in (("units", 2, "population", "12.000"), ("courses", 0, "seats_per_year", "1.000"),
                       ("courses", 0, "cost_million_vnd", "1.500.000"), ("courses", 0, "cost_million_vnd", "12.000"),
                       ("trainings", 0, "days", "1.000"), ("units", 2, "area_km2", "2.250")):
    _add("phan-cach-hang-nghin", t, row, col, v, "hàng nghìn")

# implausible people and dates
_add("nguoi-vo-ly", "cadres", 0, "birth_date", "1890-05-01", "1900")
_add("nguoi-vo-ly", "cadres", 0, "birth_date", "2030-01-01", "tương lai")
_add("nguoi-vo-ly", "cadres", 0, "birth_date", "2011-03-01", "chưa đủ 18 tuổi")
_add("nguoi-vo-ly", "cadres", 0, "birth_date", "1930-03-01", "trên 75 tuổi")
_add("nguoi-vo-ly", "cadres", 0, "party_join_date", "1980-01-01", "vào Đảng khi chưa đủ 18 tuổi")
_add("nguoi-vo-ly", "cadres", 0, "work_start_date", "1960-01-01", "trước ngày sinh")
_add("nguoi-vo-ly", "positions", 0, "holder_since", "1969-01-01", "trước ngày sinh")
_add("nguoi-vo-ly", "positions", 0, "holder_since", "1980-01-01", "chưa đủ 18 tuổi")
_add("nguoi-vo-ly", "rotations", 0, "start_date", "1975-01-01", "chưa đủ 18 tuổi")
_add("nguoi-vo-ly", "ratings", 1, "year", "1990", "chưa đủ 18 tuổi")

# contradictions
_add("mau-thuan", "units", 0, "parent_unit_id", "HU", "chính nó")
_add("mau-thuan", "relatives", 0, "relative_id", "CB0004", "chính mình")


def test_corpus_counts_by_class():
    """The corpus holds every class of issue 11 with several cases each (printed for the closing note)."""
    counts = pd.Series([c[0] for c in CELL_CASES]).value_counts()
    print(counts.to_string())
    assert {"khoa-trong", "khoa-sai", "so-ngoai-khoang", "ngay-ngoai-khoang", "phan-cach-hang-nghin",
            "nguoi-vo-ly", "mau-thuan"} <= set(counts.index)
    assert counts["so-ngoai-khoang"] >= 80 and counts["ngay-ngoai-khoang"] >= 40


def _place_words(fmt: str, table: str, row: int) -> tuple[str, str]:
    source = f"{table}.csv" if fmt == "csv" else f"trang '{table}'"
    return source, f"dòng {row + 2}"


#: Every case as CSV; as a workbook every case of the small classes and every fourth of the
#: large ones (the workbook reader shares the cell parser; this keeps the suite fast).
FORMAT_CASES = [("csv", c) for c in CELL_CASES] + [
    ("xlsx", c) for i, c in enumerate(CELL_CASES) if c[0] not in ("so-ngoai-khoang", "ngay-ngoai-khoang") or i % 4 == 0]


@pytest.mark.parametrize("fmt, case", FORMAT_CASES, ids=[f"{f}-{c[1]}" for f, c in FORMAT_CASES])
def test_bad_cell_is_named_with_file_row_column_and_value(case, fmt, tmp_path, capsys):
    cls, _, table, row, column, value, words = case
    tables = _tables()
    _set(tables, table, row, column, value)
    path = _write_csv(tables, tmp_path / "ds") if fmt == "csv" else _write_xlsx(tables, tmp_path / "ds.xlsx")
    text = _run(["validate", path, "--as-of", "2019-12-31"], capsys, [path])
    source, where = _place_words(fmt, table, row)
    line = next((ln for ln in text.splitlines() if source in ln and where in ln and column in ln), None)
    assert line is not None, f"no line names {source}, {where}, {column}:\n{text}"
    if value:
        assert f"'{value}'" in line or f"'{value.lstrip('0') or value}'" in line, line
    for w in words:
        assert w in text, f"'{w}' missing:\n{text}"
    assert "cần:" in line  # what is expected


# ----------------------------------------------------------------------------- structural classes
def test_contradictions_two_heads_cycle_and_relatives(tmp_path, capsys):
    tables = _tables()
    _set(tables, "units", 0, "parent_unit_id", "PB_NOI_VU")  # HU → PB_NOI_VU → HU
    _set(tables, "units", 1, "parent_unit_id", "HU")
    pos = tables["positions"]
    pos.append(["XA_KIM_HAI-BI_THU-2", "XA_KIM_HAI", "bi_thu", "true", "CB0003", "2017-01-01", "false"])
    tables["relatives"].append(["CB0001", "CB0004", "vo_chong"])  # CB0004's parent is also their spouse
    for fmt in ("csv", "xlsx"):
        path = (_write_csv(tables, tmp_path / "ds") if fmt == "csv" else _write_xlsx(tables, tmp_path / "ds.xlsx"))
        text = _run(["validate", path, "--as-of", "2019-12-31"], capsys, [path])
        assert "vòng lặp cấp trên" in text and "parent_unit_id" in text
        assert "chức danh chỉ có một người giữ" in text and "CB0003" in text
        assert "mâu thuẫn" in text and "relatives" in text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("table", ["units", "cadres", "ratings", "positions"])
def test_duplicated_header_is_an_error_not_a_dropped_column(table, fmt, tmp_path, capsys):
    tables = _tables()
    rows = tables[table]
    col = rows[0][1]
    rows[0].append(col if table != "cadres" else "Họ và tên")  # the same column, by code or Vietnamese header
    for r in rows[1:]:
        r.append("giá trị khác")
    path = _write_csv(tables, tmp_path / "ds") if fmt == "csv" else _write_xlsx(tables, tmp_path / "ds.xlsx")
    text = _run(["validate", path], capsys, [path])
    assert "cột trùng với cột" in text and "dòng 1" in text, text


@pytest.mark.parametrize("second", ["Cán bộ.csv", "CADRES.csv", "cadres.CSV", "Cán Bộ.csv"])
def test_same_table_twice_in_a_folder_is_an_error(second, tmp_path, capsys):
    folder = _write_csv(_tables(), tmp_path / "ds")
    shutil.copy(folder / "cadres.csv", folder / second)
    if (folder / second).samefile(folder / "cadres.csv"):  # case-insensitive file systems
        pytest.skip("the file system folds case")
    text = _run(["validate", folder], capsys, [folder])
    assert "có ở 2 tệp" in text and second in text and "cadres.csv" in text


def test_units_beside_upper_case_units_is_an_error(tmp_path, capsys):
    folder = _write_csv(_tables(), tmp_path / "ds")
    (folder / "UNITS.csv").write_bytes((folder / "units.csv").read_bytes())
    text = _run(["validate", folder], capsys, [folder])
    assert "UNITS.csv" in text and "units.csv" in text


def test_hidden_sheet_with_the_same_table_is_an_error(tmp_path, capsys):
    path = _write_xlsx(_tables(), tmp_path / "ds.xlsx", hidden_copy="cadres")
    text = _run(["validate", path], capsys, [path])
    assert "có ở 2 trang tính" in text and "(trang ẩn)" in text and "Cán bộ" in text


def test_formula_without_stored_value_is_named(tmp_path, capsys):
    path = _write_xlsx(_tables(), tmp_path / "ds.xlsx", formula=("ratings", 0, "year"))
    text = _run(["validate", path], capsys, [path])
    assert "trang 'ratings', dòng 2, cột year" in text and "thiếu giá trị bắt buộc" in text


def test_file_full_of_bad_cells_prints_a_bounded_summary(tmp_path, capsys):
    tables = _tables()
    head = tables["ratings"][0]
    tables["ratings"] = [head] + [["CB0001", f"20{i % 100:02d}x", "abc", "1e999", "zz", ""] for i in range(20_000)]
    folder = _write_csv(tables, tmp_path / "ds")
    text = _run(["validate", folder], capsys, [folder])
    assert "… và 19.990 dòng khác cùng lỗi «không phải là số»" in text
    assert len(text) < 20_000


@pytest.mark.slow
def test_fifty_megabyte_cell_is_echoed_shortened(tmp_path, capsys):
    tables = _tables()
    _set(tables, "cadres", 0, "birth_date", "9" * 50_000_000)
    folder = _write_csv(tables, tmp_path / "ds")
    text = _run(["validate", folder], capsys, [folder])
    assert "ký tự)" in text and len(text) < 20_000


# ----------------------------------------------------------------------------- every command
def _inputs(tmp_path: Path) -> dict[str, Path]:
    """Copies of the valid scenario inputs the commands need (checked unchanged too)."""
    sc = tmp_path / "sc"
    shutil.copytree(SCENARIOS, sc)
    return {"rotate": sc / "luan-chuyen-2016.yaml", "train": sc / "dao-tao-2020-2025.yaml",
            "vet": sc / "de-xuat-mau.csv", "pack": sc / "hop-btv", "folder": sc}


def _argv(command: str, data: Path, files: dict[str, Path], out: Path) -> list:
    return {
        "validate": ["validate", data],
        "rate": ["rate", data, "--year", "2018", "--out", out / "r.csv"],
        "rotate": ["rotate", data, "--scenario", files["rotate"], "--out", out],
        "plan": ["plan", data, "--check", "--out", out],
        "train": ["train", data, "--scenario", files["train"], "--out", out],
        "vet": ["vet", data, "--proposals", files["vet"], "--out", out],
        "export": ["export", data, "--out", out / "x.xlsx"],
        "report": ["report", ROOT / "notebooks" / "00-tong-quan.ipynb", "-p", "dataset", data, "--out", out],
        "pack": ["pack", data, "--scenarios", files["pack"], "--out", out, "--no-pdf"],
    }[command]


#: One representative case of each dataset class, run through every command that reads a dataset.
COMMAND_CASES = {
    "khoa-trong": ("ratings", 0, "year", ""),
    "so-vo-han": ("trainings", 0, "days", "inf"),
    "ngay-9999": ("discipline", 0, "expires_on", "9999-12-31"),
    "hang-nghin": ("units", 2, "population", "12.000"),
    "nguoi-8-tuoi": ("cadres", 0, "birth_date", "2011-03-01"),
}
COMMANDS = ["validate", "rate", "rotate", "plan", "train", "vet", "export", "report", "pack"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("case", sorted(COMMAND_CASES))
@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_refuses_bad_data_cleanly(command, case, fmt, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    table, row, column, value = COMMAND_CASES[case]
    tables = _tables()
    _set(tables, table, row, column, value)
    data = _write_csv(tables, tmp_path / "ds") if fmt == "csv" else _write_xlsx(tables, tmp_path / "ds.xlsx")
    files = _inputs(tmp_path)
    text = _run(_argv(command, data, files, tmp_path / "out"), capsys, [data, files["folder"]])
    source, where = _place_words(fmt, table, row)
    assert source in text and where in text and column in text, text[:2000]
    if value:
        assert f"'{value}'" in text
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.csv")), \
        "no result may be written from bad data"


# ----------------------------------------------------------------------------- properties (classes, not examples)
_cell_text = st.one_of(
    st.text(max_size=12),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.from_regex(r"[0-9]{1,3}(\.[0-9]{3}){1,3}", fullmatch=True),
    st.from_regex(r"[0-9]{1,4}-[0-9]{1,2}-[0-9]{1,2}", fullmatch=True),
    st.sampled_from(["", " ", "nan", "NaN", "inf", "-inf", "1e999", "0001", "9999", "1,5", "12.000"]),
)


def _load_with(table: str, row: int, column: str, value: str, tmp: Path):
    tables = _tables()
    _set(tables, table, row, column, value)
    folder = _write_csv(tables, tmp)
    return read_dataset(folder, as_of="2019-12-31")


NUMBER_COLUMNS = [(t, r, c) for (t, r), cols in NUMBER_CELLS.items() for c in cols]
DATE_COLUMNS = [(t, r, c) for (t, r), cols in DATE_CELLS.items() for c in cols]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(where=st.sampled_from(NUMBER_COLUMNS), value=_cell_text)
def test_any_number_cell_is_either_a_bounded_number_or_a_named_error(where, value, tmp_path_factory):
    table, row, column = where
    ds = _load_with(table, row, column, value, tmp_path_factory.mktemp("n"))
    col = TABLES[table].column(column)
    got = ds.tables[table][column].iloc[row]
    named = [i for i in ds.errors if i.table == table and i.row == row + 2 and i.column == column]
    if pd.isna(got):
        assert named or value.strip() == "" and not col.required, (value, ds.errors)
    else:
        assert not named
        assert col.min_value <= float(got) <= col.max_value
        assert float(got) == float(value.strip())  # never a guessed value (12.000 → 12)
        assert "." not in value.strip() or col.kind == "float" or float(value) % 1 == 0


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(where=st.sampled_from(DATE_COLUMNS), value=_cell_text)
def test_any_date_cell_is_either_a_real_date_in_range_or_a_named_error(where, value, tmp_path_factory):
    table, row, column = where
    ds = _load_with(table, row, column, value, tmp_path_factory.mktemp("d"))
    got = ds.tables[table][column].iloc[row]
    named = [i for i in ds.errors if i.table == table and i.row == row + 2 and i.column == column]
    if pd.isna(got):
        assert named or value.strip() == "" and not TABLES[table].column(column).required
    else:
        assert 1800 <= got.year <= 2100
        assert got.strftime("%Y-%m-%d") in (value.strip()[:10], pd.Timestamp(value.strip()).strftime("%Y-%m-%d"))


def test_every_number_column_names_its_plausible_range():
    """A typo such as 1e19 or 9999 people must be out of range in every number column."""
    for t in TABLES.values():
        for c in t.columns:
            if c.kind in ("int", "float"):
                assert c.min_value is not None and c.max_value is not None, f"{t.name}.{c.name}"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=st.sampled_from(sorted(p.stem for p in MINIMAL.glob("*.csv"))), data=st.data())
def test_any_missing_or_blank_columns_give_named_errors_never_a_crash(table, data, tmp_path_factory):
    """Structural damage (columns dropped, whole columns blank or repeated) is reported, never a crash."""
    tables = _tables()
    rows = tables[table]
    n = len(rows[0])
    drop = data.draw(st.sets(st.integers(0, n - 1), max_size=n))
    blank = data.draw(st.sets(st.integers(0, n - 1), max_size=n))
    for r in rows[1:]:
        for i in blank:
            r[i] = ""
    tables[table] = [[v for i, v in enumerate(r) if i not in drop] for r in rows]
    if data.draw(st.booleans()) and tables[table][0]:
        tables[table] = [r + r[:1] for r in tables[table]]  # the first column twice
    if data.draw(st.booleans()):
        tables[table] = tables[table] + tables[table][1:]  # every row twice: duplicated ids and keys
    ds = read_dataset(_write_csv(tables, tmp_path_factory.mktemp("s")), as_of="2019-12-31")
    required = {c.name for c in TABLES[table].columns if c.required}
    remaining = set(range(n)) - drop
    row_survives = len(rows) > 1 and not remaining <= blank  # a wholly blank row is skipped, not an error
    lost = {rows[0][i] for i in (drop | blank if row_survives else drop)} & required
    if lost:
        assert ds.errors and all(i.source.startswith(table) or i.table != table for i in ds.errors)


def test_semicolon_csv_is_named(tmp_path, capsys):
    folder = _write_csv(_tables(), tmp_path / "ds")
    text = (folder / "cadres.csv").read_text(encoding="utf-8").replace(",", ";")
    (folder / "cadres.csv").write_text(text, encoding="utf-8")
    out = _run(["validate", folder], capsys, [folder])
    assert "cadres.csv, dòng 1" in out and "dấu chấm phẩy" in out
