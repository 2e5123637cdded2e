"""Reading and writing datasets (a folder of CSV files or one ``.xlsx`` workbook).

Loading turns what users type into the typed tables of the data contract
(:mod:`kimson_ds.data.schema`):

* headers may be the column codes or the Vietnamese headers of the template;
* codes may be typed as codes or as their full Vietnamese labels;
* dates may be ISO, ``dd/mm/yyyy`` or real Excel dates;
* text is normalised to Unicode NFC (Vietnamese keyboards often type NFD).

Every problem becomes an :class:`~kimson_ds.data.validate.Issue` that names the
file or sheet, the row as the user sees it, the column, the value and what was
expected. Input files are only ever opened for reading.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from kimson_ds.config import DATE_FORMATS_VI, DATE_MAX, DATE_MIN, DATE_RANGE_VI, shorten
from kimson_ds.data.codes import CODESETS, code_lookup
from kimson_ds.data.schema import TABLES, Column, Table
from kimson_ds.data.validate import Issue, summarise_issues, validate_tables
from kimson_ds.errors import DataError

TRUE_WORDS = {"true", "1", "x", "có", "co", "yes", "đúng", "c"}
FALSE_WORDS = {"false", "0", "không", "khong", "no", "sai", "k"}

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}( 00:00:00)?$")
_DMY_DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")
#: Bound of a number column that names none in the schema (every column should name its own).
NUMBER_CELL_MAX = 1e9
_COMMA_DECIMAL = re.compile(r"^[-+]?\d+(,\d+)+$")
_THOUSANDS_INT = re.compile(r"^[-+]?\d{1,3}(\.\d{3})+$")
_THOUSANDS_FLOAT = re.compile(r"^[-+]?\d{1,3}((\.\d{3}){2,}|\.\d\d0)$")


def _numeric_cell(v):
    """A cell for :func:`pandas.to_numeric`: text and floats as is, huge ints as ±inf, others NaN."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int):
        return float(v) if abs(v) < 10**300 else float("inf")
    if isinstance(v, (float, str)):
        return v
    if isinstance(v, (np.integer, np.floating)):
        return float(v)
    return None


def _blank(v) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and np.isnan(v)) or v == ""


def _norm_key(text: object) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text)).casefold().split())


def _header_map(table: Table) -> dict[str, str]:
    out: dict[str, str] = {}
    for col in table.columns:
        out[_norm_key(col.name)] = col.name
        out[_norm_key(col.header_vi)] = col.name
    return out


def _table_for_name(name: str) -> str | None:
    key = _norm_key(Path(name).stem if name.lower().endswith(".csv") else name)
    for t in TABLES.values():
        if key in (_norm_key(t.name), _norm_key(t.title_vi)):
            return t.name
    return None


@dataclass
class RawTable:
    """A table as read from disk: text cells plus where each row came from."""

    table: str
    source: str
    frame: pd.DataFrame  # object dtype, original headers
    rows: np.ndarray  # user-visible row numbers (header is row 1)


@dataclass
class Dataset:
    """A loaded dataset: typed tables plus provenance.

    Attributes
    ----------
    path : Path
        The folder or workbook it was read from.
    tables : dict of str to DataFrame
        Every table of the contract (missing optional tables are empty).
    sources : dict of str to str
        The file or sheet each table came from, as the user names it.
    rows : dict of str to ndarray
        For each table, the user-visible row number of every row.
    fingerprint : str
        sha256 over the input files (names and bytes).
    issues : list of Issue
        Every error and warning found while loading and validating.
    """

    path: Path | None
    tables: dict[str, pd.DataFrame]
    sources: dict[str, str] = field(default_factory=dict)
    rows: dict[str, np.ndarray] = field(default_factory=dict)
    fingerprint: str = ""
    file_hashes: dict[str, str] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @classmethod
    def from_frames(cls, frames: dict[str, pd.DataFrame], *, as_of=None, check: bool = True) -> Dataset:
        """Build a dataset from in-memory tables (codes and typed values).

        Missing optional tables become empty; the frames go through the same
        parsing and validation as files, so tests and notebooks can build small
        datasets inline.
        """
        raws = {}
        for name, frame in frames.items():
            df = frame.copy()
            for col in df.columns:
                if pd.api.types.is_datetime64_any_dtype(df[col]):
                    df[col] = df[col].dt.strftime("%Y-%m-%d")
            df = df.astype(object).where(df.notna(), None)
            raws[name] = RawTable(name, f"{name} (bảng trong bộ nhớ)", df, np.arange(len(df)) + 2)
        ds = _build(None, raws, [], as_of=as_of)
        if check and ds.errors:
            raise DataError(_summary(ds), ds.errors)
        return ds


# --------------------------------------------------------------------- reading
def _read_csv_folder(folder: Path, issues: list[Issue]) -> dict[str, RawTable]:
    raws: dict[str, RawTable] = {}
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
    by_table: dict[str, list[Path]] = {}
    for path in files:
        table = _table_for_name(path.name)
        if table is not None:
            by_table.setdefault(table, []).append(path)
    for table, paths in by_table.items():
        if len(paths) > 1:  # cadres.csv beside "Cán bộ.csv" or CADRES.CSV: never pick one silently
            names = ", ".join(f"'{q.name}'" for q in paths)
            issues.append(Issue("error", table, paths[0].name, None, None, None,
                                f"bảng {table} ({TABLES[table].title_vi}) có ở {len(paths)} tệp: {names}",
                                "mỗi bảng chỉ một tệp; xóa hoặc đổi tên các tệp thừa"))
    for path in files:
        table = _table_for_name(path.name)
        if table is not None and len(by_table[table]) > 1:
            continue
        if table is None:
            expected = ", ".join(f"{t}.csv" for t in TABLES)
            issues.append(Issue("warning", "", path.name, None, None, None,
                                "tệp không thuộc bộ dữ liệu nên bị bỏ qua", expected))
            continue
        data = path.read_bytes()
        if not data.strip():
            issues.append(Issue("error", table, path.name, None, None, None,
                                "tệp rỗng, không có dòng tiêu đề",
                                "dòng đầu là tên cột: " + ", ".join(TABLES[table].column_names)))
            continue
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            issues.append(Issue("error", table, path.name, None, None, None,
                                f"tệp không phải mã UTF-8 (byte lỗi ở vị trí {exc.start})",
                                "lưu tệp CSV với mã hóa UTF-8"))
            continue
        from io import StringIO

        try:
            # header=None: pandas would rename a repeated header to "year.1" and the copy would be
            # dropped silently; the header row is taken as typed and checked column by column.
            frame = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False,
                                header=None)
        except (pd.errors.ParserError, ValueError) as exc:
            issues.append(Issue("error", table, path.name, None, None, None,
                                f"không đọc được tệp CSV: {shorten(_csv_error_vi(exc), 200)}",
                                "tệp CSV phân cách bằng dấu phẩy, mọi dòng cùng số cột với dòng tiêu đề"))
            continue
        header = ["" if h is None else str(h) for h in frame.iloc[0].tolist()] if len(frame) else []
        if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
            sep = "dấu chấm phẩy (;)" if ";" in header[0] else "dấu tab"
            issues.append(Issue("error", table, path.name, 1, None, shorten(header[0]),
                                f"tệp CSV phân cách bằng {sep}",
                                "tệp CSV phân cách bằng dấu phẩy (,); khi lưu từ Excel chọn «CSV UTF-8 (Comma delimited)»"))
            continue
        frame = frame.iloc[1:].reset_index(drop=True).astype(object)
        frame.columns = pd.Index(header, dtype=object)
        rows = np.arange(len(frame)) + 2
        blank = frame.apply(lambda c: c.astype(str).str.strip() == "").all(axis=1) if len(frame.columns) else None
        if blank is not None and blank.any():
            frame, rows = frame.loc[~blank.to_numpy()].reset_index(drop=True), rows[~blank.to_numpy()]
        raws[table] = RawTable(table, path.name, frame, rows)
    return raws


def _csv_error_vi(exc: Exception) -> str:
    m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
    if m:
        return f"dòng {m.group(2)} có {m.group(3)} ô trong khi dòng tiêu đề có {m.group(1)} cột"
    return "cấu trúc tệp không đúng dạng CSV (" + str(exc) + ")"


def _read_workbook(path: Path, issues: list[Issue]) -> dict[str, RawTable]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds
        raise DataError(f"{path.name}: không mở được tệp Excel ({exc}).") from None
    raws: dict[str, RawTable] = {}
    try:
        by_table: dict[str, list[str]] = {}
        for ws in wb.worksheets:
            table = _table_for_name(ws.title)
            if table is not None:
                hidden = " (trang ẩn)" if getattr(ws, "sheet_state", "visible") != "visible" else ""
                by_table.setdefault(table, []).append(f"'{ws.title}'{hidden}")
        for table, sheets in by_table.items():
            if len(sheets) > 1:  # a hidden "Cán bộ" beside "cadres": never pick one silently
                issues.append(Issue("error", table, path.name, None, None, None,
                                    f"bảng {table} ({TABLES[table].title_vi}) có ở {len(sheets)} trang tính: "
                                    + ", ".join(sheets),
                                    "mỗi bảng chỉ một trang tính; xóa hoặc đổi tên các trang thừa"))
        for ws in wb.worksheets:
            table = _table_for_name(ws.title)
            if table is not None and len(by_table[table]) > 1:
                continue
            if table is None:
                # instructions, lists and the proposals to vet (read by ``vet``) are not dataset tables
                if _norm_key(ws.title) not in ("hướng dẫn", "huong dan", "danh mục", "_lists", "đề xuất nhân sự"):
                    expected = ", ".join(f"{t.name} hoặc {t.title_vi}" for t in TABLES.values())
                    issues.append(Issue("warning", "", f"{path.name} › trang '{ws.title}'", None, None, None,
                                        "trang tính không thuộc bộ dữ liệu nên bị bỏ qua", expected))
                continue
            values = list(ws.iter_rows(values_only=True))
            source = f"{path.name} › trang '{ws.title}'"
            if not values or all(v is None for v in values[0]):
                issues.append(Issue("error", table, source, None, None, None,
                                    "trang tính rỗng, không có dòng tiêu đề",
                                    "dòng 1 là tên cột: " + ", ".join(TABLES[table].column_names)))
                continue
            header = ["" if v is None else str(v) for v in values[0]]
            while header and header[-1] == "":
                header.pop()
            body = [r[: len(header)] for r in values[1:]]
            frame = pd.DataFrame(body, columns=header, dtype=object) if body else pd.DataFrame(columns=header, dtype=object)
            rows = np.arange(len(frame)) + 2
            if len(frame):
                blank = frame.map(lambda cell: cell is None or str(cell).strip() == "").all(axis=1).to_numpy()
                frame, rows = frame.loc[~blank].reset_index(drop=True), rows[~blank]
            raws[table] = RawTable(table, source, frame, rows)
    finally:
        wb.close()
    return raws


def _fingerprint(path: Path) -> tuple[str, dict[str, str]]:
    files = [path] if path.is_file() else sorted(p for p in path.iterdir() if p.suffix.lower() in (".csv", ".xlsx"))
    total = hashlib.sha256()
    hashes = {}
    for f in files:
        digest = hashlib.sha256(f.read_bytes()).hexdigest()
        hashes[f.name] = digest
        total.update(f.name.encode() + b"\0" + digest.encode() + b"\n")
    return total.hexdigest(), hashes


# --------------------------------------------------------------------- parsing
def _issue_rows(issues, raw: RawTable, col: Column, mask, values, message, expected, severity="error"):
    idx = np.flatnonzero(np.asarray(mask))
    for i in idx:
        issues.append(Issue(severity, raw.table, raw.source, int(raw.rows[i]), col.name,
                            None if values is None else shorten(str(values.iloc[i])), message, expected))


def _parse_column(raw: RawTable, col: Column, series: pd.Series, issues: list[Issue]) -> pd.Series:
    # NFC, no surrounding blanks, and one line-break convention: Excel files cannot keep "\r"
    # (XML turns "\r\n" into "\n"), so CSV and xlsx must agree on "\n".
    series = series.astype(object)
    is_str = series.map(type).eq(str).to_numpy()  # exact type: cheap, and what CSV cells all are
    text = series.copy()
    if is_str.any():
        s = series[is_str].astype(str)
        text[is_str] = s.str.normalize("NFC").str.replace("\r\n", "\n").str.replace("\r", "\n").str.strip().astype(object)
    missing = pd.Series(~is_str, index=series.index)
    if (~is_str).any():
        missing[~is_str] = series[~is_str].map(_blank).astype(bool)
    missing = missing | (pd.Series(is_str, index=series.index) & text.eq(""))
    missing = missing.astype(bool)
    if col.required:
        _issue_rows(issues, raw, col, missing, None, "thiếu giá trị bắt buộc", col.description)
    kind = col.kind
    if kind in ("id", "text"):
        as_text = text.map(lambda v: None if _blank(v) else v if isinstance(v, str) else
                           (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)))
        return pd.Series(as_text, index=series.index, dtype=object)
    if kind == "code":
        lookup = code_lookup(col.codeset)
        mapped = text.map(lambda v: None if _blank(v) else lookup.get(" ".join(str(v).casefold().split())))
        bad = ~missing & mapped.isna()
        if bad.any():
            codes = list(CODESETS[col.codeset])
            shown = ", ".join(codes[:12]) + (", …" if len(codes) > 12 else "")
            _issue_rows(issues, raw, col, bad, text, "mã không hợp lệ", f"một trong: {shown} (hoặc tên tiếng Việt tương ứng)")
        return pd.Series(mapped.where(~missing, None), index=series.index, dtype=object)
    if kind == "bool":
        low = text.map(lambda v: _norm_key(v) if v is not None and not isinstance(v, bool) else v)
        val = low.map(lambda v: v if isinstance(v, bool) else (True if v in TRUE_WORDS else (False if v in FALSE_WORDS else None)))
        bad = ~missing & val.isna()
        _issue_rows(issues, raw, col, bad, text, "giá trị đúng/sai không hợp lệ", "true/false, có/không, 1/0 hoặc x")
        return val.where(~missing, False).astype(bool) if not col.required else val.fillna(False).astype(bool)
    if kind in ("int", "float"):
        strs = text.map(lambda v: v if isinstance(v, str) else "")
        comma = strs.str.match(_COMMA_DECIMAL.pattern)
        _issue_rows(issues, raw, col, comma & ~missing, text, "số dùng dấu phẩy",
                    "số viết liền, dấu chấm thập phân, ví dụ 5.92 hoặc 12000 (không dùng dấu phân cách hàng nghìn)")
        # "12.000" / "1.500.000": Vietnamese thousands groups, never guessed. In a whole-number
        # column any dotted group is one; in a decimal column several groups, or one group of three
        # digits ending in 0 (a real decimal is not written 12.000 or 2.250).
        groups = strs.str.match(_THOUSANDS_INT.pattern if kind == "int" else _THOUSANDS_FLOAT.pattern)
        _issue_rows(issues, raw, col, groups & ~missing & ~comma, text,
                    "số có dấu chấm phân cách hàng nghìn (không rõ là phần nghìn hay phần thập phân)",
                    "số viết liền không dấu phân cách, ví dụ 12000 (mười hai nghìn) hoặc 12 (mười hai)")
        usable = ~missing & ~comma & ~groups
        num = pd.to_numeric(text.where(usable, None).map(_numeric_cell), errors="coerce").astype(float)
        bad = usable & num.isna()
        expected = "số nguyên" if kind == "int" else "số, ví dụ 12.5"
        _issue_rows(issues, raw, col, bad, text, "không phải là số", expected)
        lo = col.min_value if col.min_value is not None else -NUMBER_CELL_MAX
        hi = col.max_value if col.max_value is not None else NUMBER_CELL_MAX
        infinite = num.notna() & ~np.isfinite(num)
        _issue_rows(issues, raw, col, infinite, text, "số vô hạn hoặc quá lớn", f"số từ {lo:g} đến {hi:g}")
        num = num.where(~infinite)
        if kind == "int":
            frac = num.notna() & (num % 1 != 0)
            _issue_rows(issues, raw, col, frac, text, "không phải số nguyên", "số nguyên")
            num = num.where(~frac)
        ok = num.notna()
        low = ok & (num < lo)
        _issue_rows(issues, raw, col, low, text, "giá trị nhỏ hơn mức cho phép", f"≥ {lo:g}")
        high = ok & (num > hi)
        _issue_rows(issues, raw, col, high, text, "giá trị lớn hơn mức cho phép", f"≤ {hi:g}")
        num = num.where(~low & ~high)  # never carried on: an overflowing Int64 or a wrong total
        if kind == "int":
            return num.astype("Int64")
        return num
    if kind == "date":
        # Years are checked before any timestamp is built: datetime64[ns] only spans 1677–2262,
        # and a typed 0001 or a "never" 9999 must be an error naming the cell, not an overflow.
        out, far = parse_date_cells(text)
        far = far & ~missing
        _issue_rows(issues, raw, col, far, text, "năm ngoài khoảng cho phép",
                    f"một ngày {DATE_RANGE_VI} (để trống nếu không có hoặc không thời hạn)")
        bad = ~missing & ~far & out.isna()
        _issue_rows(issues, raw, col, bad, text, "ngày không hợp lệ",
                    f"ngày có thật dạng {DATE_FORMATS_VI} hoặc ô kiểu ngày của Excel")
        return out
    raise ValueError(f"unknown column kind {kind}")  # pragma: no cover - schema bug


def parse_date_cells(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates typed by users (ISO, dd/mm/yyyy, Excel date cells) as ``datetime64[ns]``.

    Returns the dates (NaT where not a date) and the mask of cells whose year lies
    outside :data:`kimson_ds.config.DATE_MIN` … ``DATE_MAX`` (left NaT): years are
    checked before any timestamp is built, so 0001 or 9999 never overflow.
    """
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    is_dt = text.map(lambda v: isinstance(v, (datetime, date)) and not pd.isna(v)).astype(bool)
    strs = text.map(lambda v: v.strip() if isinstance(v, str) else "")
    iso = strs.str.match(_ISO_DATE.pattern)
    dmy = strs.str.match(_DMY_DATE.pattern)
    year = pd.Series(np.nan, index=text.index)
    if is_dt.any():
        year[is_dt] = text[is_dt].map(lambda v: v.year).astype(float)
    year[iso] = pd.to_numeric(strs[iso].str.slice(0, 4), errors="coerce")
    year[dmy] = pd.to_numeric(strs[dmy].str.slice(-4), errors="coerce")
    in_range = year.between(DATE_MIN.year, DATE_MAX.year)
    if (is_dt & in_range).any():
        sel = is_dt & in_range
        out[sel] = pd.to_datetime(text[sel].map(lambda v: pd.Timestamp(v.year, v.month, v.day)))
    if (iso & in_range).any():
        sel = iso & in_range
        out[sel] = pd.to_datetime(strs[sel].str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
    if (dmy & in_range).any():
        sel = dmy & in_range
        out[sel] = pd.to_datetime(strs[sel], format="%d/%m/%Y", errors="coerce")
    return out, year.notna() & ~in_range


def _parse_table(raw: RawTable, issues: list[Issue]) -> pd.DataFrame:
    table = TABLES[raw.table]
    hmap = _header_map(table)
    positions: dict[str, int] = {}  # by position: duplicated headers must never collapse into one
    seen: dict[str, str] = {}
    for i, h in enumerate(raw.frame.columns):
        shown = shorten(str(h))
        target = hmap.get(_norm_key(h))
        if target is None:
            if str(h).strip() and not str(h).startswith("Unnamed:"):
                issues.append(Issue("warning", raw.table, raw.source, 1, shown, None,
                                    "cột không thuộc bảng nên bị bỏ qua",
                                    "các cột: " + ", ".join(table.column_names)))
            continue
        if target in seen:
            issues.append(Issue("error", raw.table, raw.source, 1, shown, None,
                                f"cột trùng với cột '{seen[target]}' (cột thứ {i + 1} của dòng tiêu đề)",
                                "mỗi cột chỉ xuất hiện một lần; xóa hoặc đổi tên cột thừa"))
            continue
        seen[target] = shown
        positions[target] = i
    frame = raw.frame.iloc[:, list(positions.values())].copy()
    frame.columns = list(positions)
    out = {}
    for col in table.columns:
        if col.name not in frame.columns:
            if col.required:
                issues.append(Issue("error", raw.table, raw.source, 1, col.name, None,
                                    f"thiếu cột bắt buộc '{col.name}' ({col.header_vi})",
                                    f"dòng tiêu đề có cột '{col.name}' hoặc '{col.header_vi}'"))
            series = pd.Series([None] * len(frame), dtype=object)
            out[col.name] = _parse_column(raw, _optional(col), series, [])
        else:
            out[col.name] = _parse_column(raw, col, frame[col.name].reset_index(drop=True), issues)
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)))


def _optional(col: Column) -> Column:
    from dataclasses import replace

    return replace(col, required=False)


def empty_table(name: str) -> pd.DataFrame:
    """An empty, correctly typed table of the contract."""
    raw = RawTable(name, name, pd.DataFrame(columns=TABLES[name].column_names, dtype=object), np.arange(0))
    return _parse_table(raw, [])


def _build(path: Path | None, raws: dict[str, RawTable], issues: list[Issue], *, as_of=None,
           max_gap_days: int | None = None) -> Dataset:
    tables: dict[str, pd.DataFrame] = {}
    sources: dict[str, str] = {}
    rows: dict[str, np.ndarray] = {}
    for name, table in TABLES.items():
        raw = raws.get(name)
        if raw is None:
            if table.required and not any(i.table == name and i.severity == "error" for i in issues):
                where = f"thư mục {path.name}" if path is not None and path.is_dir() else (
                    path.name if path is not None else "bộ dữ liệu")
                ignored = [i.source for i in issues if i.table == "" and i.severity == "warning"]
                extra = f" (đã bỏ qua vì không nhận ra: {', '.join(ignored)})" if ignored else ""
                issues.append(Issue("error", name, where, None, None, None,
                                    f"thiếu bảng bắt buộc '{name}' ({table.title_vi}){extra}",
                                    f"tệp {name}.csv hoặc trang tính '{name}' / '{table.title_vi}'"))
            tables[name] = empty_table(name)
            sources[name] = f"{name}.csv"
            rows[name] = np.arange(0)
            continue
        tables[name] = _parse_table(raw, issues)
        sources[name] = raw.source
        rows[name] = raw.rows
    ds = Dataset(path, tables, sources, rows)
    unavailable = {name for name in TABLES if name not in raws}
    issues.extend(validate_tables(tables, sources, rows, as_of=as_of, unavailable=unavailable,
                                  max_gap_days=max_gap_days))
    order = {name: i for i, name in enumerate(TABLES)}
    ds.issues = sorted(issues, key=lambda i: (order.get(i.table, -1), i.source, i.row or 0))
    return ds


def read_dataset(path: str | Path, *, as_of=None, max_gap_days: int | None = None) -> Dataset:
    """Read and validate a dataset without raising on data errors.

    Parameters
    ----------
    path : str or Path
        A folder of CSV files or one ``.xlsx`` workbook.
    as_of : date-like, optional
        Dates of events after this day are errors; defaults to today.
    max_gap_days : int, optional
        Longest break between two holdings in the work history before a
        warning (default :data:`kimson_ds.data.validate.MAX_CAREER_GAP_DAYS`).

    Returns
    -------
    Dataset
        With ``issues`` holding every error and warning found.

    Raises
    ------
    DataError
        Only when the path itself cannot be read.
    """
    path = Path(path)
    issues: list[Issue] = []
    if not path.exists():
        raise DataError(f"Không tìm thấy bộ dữ liệu '{path}' (cần một thư mục tệp CSV hoặc một tệp .xlsx).")
    if path.is_dir():
        raws = _read_csv_folder(path, issues)
    elif path.suffix.lower() == ".xlsx":
        raws = _read_workbook(path, issues)
    else:
        raise DataError(f"'{path}' không phải thư mục CSV hay tệp .xlsx.")
    ds = _build(path, raws, issues, as_of=as_of, max_gap_days=max_gap_days)
    ds.fingerprint, ds.file_hashes = _fingerprint(path)
    return ds


def _summary(ds: Dataset) -> str:
    errs = ds.errors
    head = "\n".join(f"  - {line}" for line in summarise_issues(errs, per_column=5, total=50))
    name = shorten(str(ds.path), 200) if ds.path is not None else "bộ dữ liệu"
    return f"Bộ dữ liệu '{name}' có {len(errs):,} lỗi:".replace(",", ".") + f"\n{head}"


#: Environment variable that turns on the in-process cache of :func:`load_dataset` (set by the meeting pack
#: for itself and its report kernels, where the same dataset is loaded by every report).
CACHE_ENV = "KIMSON_DATASET_CACHE"
_CACHE: dict[tuple, Dataset] = {}
_CACHE_SIZE = 2


def _copy(ds: Dataset) -> Dataset:
    """An independent copy (every table copied): a caller may change its tables in place."""
    return replace(ds, tables={k: v.copy() for k, v in ds.tables.items()}, sources=dict(ds.sources),
                   rows=dict(ds.rows), file_hashes=dict(ds.file_hashes), issues=list(ds.issues))


def load_dataset(path: str | Path, *, as_of=None) -> Dataset:
    """Load a dataset, raising :class:`DataError` listing every error found.

    This is what every command runs on its input; warnings stay in
    ``Dataset.issues``. With ``$KIMSON_DATASET_CACHE=1`` a dataset already
    loaded in this process is not read and validated again when its files
    have the same bytes (sha256 of every file) and the check date is the
    same: a copy of the first load is returned.
    """
    key = None
    if os.environ.get(CACHE_ENV) == "1" and Path(path).exists():
        day = pd.Timestamp(as_of).date() if as_of is not None else date.today()
        key = (str(Path(path).resolve()), day, _fingerprint(Path(path))[0])
        if key in _CACHE:
            return _copy(_CACHE[key])
    ds = read_dataset(path, as_of=as_of)
    if ds.errors:
        raise DataError(_summary(ds), ds.errors)
    if key is not None:
        while len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = _copy(ds)
    return ds


# --------------------------------------------------------------------- writing
def format_table(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` as the text cells of the canonical CSV form.

    Dates become ISO, booleans ``true``/``false``, whole numbers lose ``.0``,
    missing values become empty strings; columns follow the schema order.
    """
    table = TABLES[name]
    out = {}
    for col in table.columns:
        s = frame[col.name] if col.name in frame.columns else pd.Series([None] * len(frame), index=frame.index)
        if col.kind == "date":
            d = pd.to_datetime(s)
            out[col.name] = d.dt.strftime("%Y-%m-%d").where(d.notna(), "")
        elif col.kind == "bool":
            out[col.name] = s.map(lambda v: "" if v is None or v != v else ("true" if bool(v) else "false"))
        elif col.kind in ("int", "float"):
            out[col.name] = s.map(_fmt_number)
        else:
            out[col.name] = s.map(lambda v: "" if v is None or v != v else str(v))
    return pd.DataFrame(out, index=frame.index).astype(object)


def _fmt_number(v) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return ""
    f = float(v)
    return str(int(f)) if f.is_integer() else repr(f)


def write_csv_folder(tables: dict[str, pd.DataFrame], out_dir: str | Path, *, skip_empty_optional: bool = False) -> list[Path]:
    """Write tables as a CSV folder in the canonical form (UTF-8, ``\\n``)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in TABLES.items():
        frame = tables.get(name)
        if frame is None or (skip_empty_optional and not table.required and frame.empty):
            continue
        path = out_dir / f"{name}.csv"
        format_table(name, frame).to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        written.append(path)
    return written
