"""Excel workbooks: the data-entry template, dataset export and printable lists.

The data-entry workbook has one sheet per table of :data:`kimson_ds.data.schema.TABLES`
(sheet name = table code, so :func:`kimson_ds.data.io.load_dataset` recognises it),
Vietnamese headers with a note on each header cell, drop-down lists of
Vietnamese labels for code and yes/no columns (fed from the hidden ``_lists``
sheet), date columns formatted ``dd/mm/yyyy`` and an instructions sheet
``Hướng dẫn``. :func:`write_dataset` writes a dataset in that same form, with
its rows; loading the workbook back gives the same tables (the CSV → xlsx → CSV
round trip is lossless).

:func:`write_print_table` and :func:`write_workbook` write printable,
formatted lists (title, bold header, borders, landscape A4 fitted to the page
width, header repeated on every page) for meeting packs.

Every workbook is saved deterministically: the same input gives the same bytes.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import zipfile
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from kimson_ds.data.codes import CODESETS
from kimson_ds.data.schema import OPTIONAL_TABLES, REQUIRED_TABLES, TABLES, Column, Table
from kimson_ds.errors import DataError

#: Default path of the data-entry template (relative to the project root).
DEFAULT_TEMPLATE = Path("templates") / "kimson-nhap-lieu.xlsx"

INSTRUCTIONS_SHEET = "Hướng dẫn"
LISTS_SHEET = "_lists"

#: Sheet of personnel proposals read by ``kimson-ds vet DATASET --proposals WORKBOOK``
#: (:func:`kimson_ds.vetting.checklist.read_proposals`); the dataset loader skips it.
PROPOSALS_SHEET = "Đề xuất nhân sự"

#: Proposal actions as the drop-down offers them (the labels of ``kimson_ds.vetting.checklist.ACTIONS``;
#: a test keeps both equal — this layer cannot import the vetting room).
PROPOSAL_ACTION_LABELS = ("Bổ nhiệm", "Giới thiệu ứng cử", "Luân chuyển", "Quy hoạch")

#: Congress terms offered in the drop-down (the vetting parser checks a typed term against
#: the dated term length ``term.length_years``).
PROPOSAL_TERMS = ("2010-2015", "2015-2020", "2020-2025", "2025-2030", "2030-2035")

#: Columns of the proposals sheet: (code, Vietnamese header, note, list source). The headers are
#: those of ``kimson_ds.vetting.checklist.PROPOSAL_COLUMNS``.
PROPOSAL_SHEET_COLUMNS = (
    ("proposal_id", "Mã đề xuất", "Mã riêng của đề xuất trong đợt, ví dụ DX01.", None),
    ("cadre_id", "Mã cán bộ", "Cán bộ được đề xuất: chọn mã trong bảng cán bộ (trang cadres).", ("table", "cadres")),
    ("action", "Hình thức đề xuất", "Bổ nhiệm, Giới thiệu ứng cử, Luân chuyển hoặc Quy hoạch.", ("list", "action")),
    ("position_id", "Mã chức danh", "Vị trí đề xuất: chọn mã vị trí trong bảng chức danh (trang positions); "
     "hoặc để trống và điền Chức danh cùng Mã đơn vị.", ("table", "positions")),
    ("target_title", "Chức danh", "Chức danh đề xuất (khi không chọn Mã chức danh).", ("code", "title")),
    ("target_unit_id", "Mã đơn vị", "Đơn vị của vị trí đề xuất (khi không chọn Mã chức danh).", ("table", "units")),
    ("term", "Nhiệm kỳ", "Nhiệm kỳ của vị trí, ví dụ 2025-2030 (cần cho đề xuất quy hoạch).", ("list", "term")),
    ("effective_date", "Ngày hiệu lực", "Ngày quyết định có hiệu lực (dd/mm/yyyy); mọi tiêu chí được xét theo "
     "quy định có hiệu lực ngày đó.", ("date", None)),
    ("note", "Ghi chú", "Ghi chú tùy ý.", None),
)

YES, NO = "có", "không"
DATE_FORMAT = "dd/mm/yyyy"
TEXT_FORMAT = "@"

#: Rows of a data sheet that carry drop-down lists and validations.
VALIDATION_LAST_ROW = 5000

#: Excel's 1900 date system cannot hold dates before 1 March 1900 reliably;
#: such dates are written as ISO text, which the loader also accepts.
_FIRST_EXCEL_DATE = pd.Timestamp("1900-03-01")
_LAST_VALID_DATE = date(2100, 12, 31)

#: Fixed timestamp stored in every workbook so that saves are reproducible.
_FIXED_TIME = datetime(2000, 1, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

KIND_VI = {
    "id": "mã (văn bản)",
    "text": "văn bản",
    "int": "số nguyên",
    "float": "số (dấu chấm thập phân, ví dụ 5.92)",
    "date": "ngày (dd/mm/yyyy)",
    "bool": "có/không (chọn trong danh sách)",
    "code": "chọn trong danh sách",
}

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FILL_REQUIRED = PatternFill("solid", fgColor="BDD7EE")
_FILL_OPTIONAL = PatternFill("solid", fgColor="E7E6E6")
_FILL_HEADER = PatternFill("solid", fgColor="D9E1F2")
_BOLD = Font(bold=True)
_HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WRAP_TOP = Alignment(vertical="top", wrap_text=True)
_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


# ------------------------------------------------------------------ helpers
def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _labels(codeset: str) -> list[str]:
    return [_nfc(v) for v in CODESETS[codeset].values()]


def _list_values(name: str) -> list[str]:
    if name == "bool":
        return [YES, NO]
    if name == "proposal_action":
        return list(PROPOSAL_ACTION_LABELS)
    if name == "term":
        return list(PROPOSAL_TERMS)
    return _labels(name)


def _list_columns() -> dict[str, tuple[str, int]]:
    """Column letter and length of each list on the ``_lists`` sheet (proposal lists last)."""
    names = [*CODESETS, "bool", "proposal_action", "term"]
    return {name: (get_column_letter(j), len(_list_values(name))) for j, name in enumerate(names, start=1)}


def _list_ref(name: str) -> str:
    letter, n = _list_columns()[name]
    return f"'{LISTS_SHEET}'!${letter}$2:${letter}${n + 1}"


def _header_note(table: Table, col: Column) -> str:
    lines = [col.header_vi, f"Mã cột: {col.name}", f"Mô tả: {col.description}", f"Kiểu: {KIND_VI[col.kind]}"]
    if col.unit:
        lines.append(f"Đơn vị tính: {col.unit}")
    if col.min_value is not None or col.max_value is not None:
        low = "" if col.min_value is None else f"từ {col.min_value:g} "
        high = "" if col.max_value is None else f"đến {col.max_value:g}"
        lines.append(f"Giới hạn: {low}{high}".strip())
    if col.references:
        ref_table, ref_col = col.references.split(".")
        lines.append(f"Phải là mã có trong trang '{ref_table}' ({TABLES[ref_table].title_vi}), cột {ref_col}")
    if col.kind == "code":
        lines.append("Có thể gõ tên tiếng Việt trong danh sách hoặc mã tương ứng")
    lines.append("BẮT BUỘC" if col.required else "Không bắt buộc")
    if col.name in table.key:
        lines.append("Thuộc khóa của bảng: " + ", ".join(table.key) + " (không được trùng)")
    return "\n".join(lines)


def _check_text(name: str, col: Column, values: pd.Series) -> None:
    """Raise :class:`DataError` for characters an Excel file cannot hold."""
    strs = values.map(lambda v: v if isinstance(v, str) else "")
    bad = strs.str.contains(ILLEGAL_CHARACTERS_RE.pattern, regex=True)
    if bad.any():
        rows = ", ".join(str(i + 2) for i in np.flatnonzero(bad.to_numpy())[:10])
        raise DataError(f"Bảng {name}, cột {col.name} ({col.header_vi}): dòng {rows} có ký tự điều khiển "
                        "không ghi được vào Excel; hãy xóa các ký tự đó.")


def _cell_values(name: str, col: Column, series: pd.Series) -> list:
    """Python values to write for one column (codes as labels, dates as datetimes)."""
    s = series.reset_index(drop=True)
    missing = s.isna().to_numpy()
    if col.kind in ("id", "text"):
        out = s.map(lambda v: v if isinstance(v, str) else str(v)).astype(object)
        _check_text(name, col, out.where(~missing, None))
    elif col.kind == "code":
        mapping = {k: _nfc(v) for k, v in CODESETS[col.codeset].items()}
        labels = s.map(mapping)
        out = labels.where(labels.notna(), s).astype(object)
    elif col.kind == "bool":
        out = s.map(lambda v: None if v is None or v is pd.NA or v != v else (YES if v else NO)).astype(object)
    elif col.kind == "int":
        out = pd.Series(s.astype("Int64").astype(object), dtype=object)
        out = out.map(lambda v: None if v is pd.NA else int(v))
    elif col.kind == "float":
        out = pd.to_numeric(s, errors="coerce").astype(float).astype(object).map(float)
    elif col.kind == "date":
        d = pd.to_datetime(s)
        early = (d < _FIRST_EXCEL_DATE).to_numpy()
        out = pd.Series(d.dt.normalize().dt.to_pydatetime(), dtype=object)
        if early.any():
            out[early] = d[early].dt.strftime("%Y-%m-%d")
        missing = missing | d.isna().to_numpy()
    else:  # pragma: no cover - schema bug
        raise ValueError(f"unknown column kind {col.kind}")
    out = out.where(~missing, None)
    return out.tolist()


def _keep_full_precision(ws: Worksheet, j: int, values: list) -> None:
    """Store floats with all 17 significant digits.

    openpyxl writes numbers with ``"%.16g"``, which loses the last digit of
    some doubles (0.30000000000000004 becomes 0.3). A cell whose value is
    the number's shortest exact text (``repr``) keeps type ``n`` and is
    written verbatim, so Excel and the loader read back the same double.
    """
    for i, v in enumerate(values):
        if isinstance(v, float) and np.isfinite(v) and float(f"{v:.16g}") != v:
            ws.cell(row=i + 2, column=j)._value = repr(v)


_MIN_WIDTH = {"id": 12, "text": 20, "int": 8, "float": 10, "date": 12, "bool": 9}


def _width(col: Column, values: list, high: int = 45) -> float:
    """Column width from the header, the kind and (a sample of) the values."""
    low = _MIN_WIDTH.get(col.kind, 8)
    if col.kind == "code":
        low = min(max(len(v) for v in _labels(col.codeset)) + 3, 32)
    sample = [len(str(v)) for v in values[:500] if v is not None and not isinstance(v, datetime)]
    longest = max([len(col.header_vi) * 0.8 + 2, *(n + 2 for n in sample)])
    return float(min(max(low, round(longest)), high))


def save_workbook(wb: Workbook, path: str | Path) -> Path:
    """Save ``wb`` to ``path`` reproducibly (fixed timestamps), atomically.

    Parameters
    ----------
    wb : openpyxl.Workbook
    path : str or Path
        Target ``.xlsx``; its folder is created if needed.

    Returns
    -------
    Path
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.properties.creator = "kimson-ds"
    wb.properties.lastModifiedBy = "kimson-ds"
    wb.properties.created = _FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    stamp = _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + stamp.encode() + rb"\g<2>", data)
            zi = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, data)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(out.getvalue())
    os.replace(tmp, path)
    return path


# ------------------------------------------------------------ data workbook
def _write_lists_sheet(wb: Workbook) -> None:
    ws = wb.create_sheet(LISTS_SHEET)
    for name, (letter, _n) in _list_columns().items():
        values = _list_values(name)
        ws[f"{letter}1"] = name
        for i, v in enumerate(values, start=2):
            ws[f"{letter}{i}"] = v
        ws.column_dimensions[letter].width = max(len(v) for v in values) + 2
    ws.sheet_state = "hidden"


def _validation_for(col: Column) -> DataValidation | None:
    common = dict(allow_blank=True, showErrorMessage=True, showInputMessage=True, errorStyle="warning")
    if col.kind in ("code", "bool"):
        ref = _list_ref("bool" if col.kind == "bool" else col.codeset)
        return DataValidation(type="list", formula1=ref, errorTitle="Giá trị ngoài danh sách",
                              error="Hãy chọn một giá trị trong danh sách thả xuống.",
                              promptTitle=col.header_vi[:32], prompt="Chọn trong danh sách thả xuống.", **common)
    if col.kind == "date":
        return DataValidation(type="date", operator="between", formula1=str(int(to_excel(_FIRST_EXCEL_DATE))),
                              formula2=str(int(to_excel(_LAST_VALID_DATE))), errorTitle="Ngày không hợp lệ",
                              error="Nhập ngày dạng dd/mm/yyyy, ví dụ 31/12/2018.",
                              promptTitle=col.header_vi[:32], prompt="Ngày dạng dd/mm/yyyy, ví dụ 31/12/2018.",
                              **common)
    if col.kind in ("int", "float") and (col.min_value is not None or col.max_value is not None):
        vtype = "whole" if col.kind == "int" else "decimal"
        if col.min_value is not None and col.max_value is not None:
            op, f1, f2 = "between", f"{col.min_value:g}", f"{col.max_value:g}"
            msg = f"Nhập số từ {col.min_value:g} đến {col.max_value:g}."
        elif col.min_value is not None:
            op, f1, f2 = "greaterThanOrEqual", f"{col.min_value:g}", None
            msg = f"Nhập số không nhỏ hơn {col.min_value:g}."
        else:
            op, f1, f2 = "lessThanOrEqual", f"{col.max_value:g}", None
            msg = f"Nhập số không lớn hơn {col.max_value:g}."
        if col.kind == "float":
            msg += " Dùng dấu chấm thập phân."
        return DataValidation(type=vtype, operator=op, formula1=f1, formula2=f2, errorTitle="Số không hợp lệ",
                              error=msg, promptTitle=col.header_vi[:32], prompt=msg, **common)
    return None


def _write_table_sheet(wb: Workbook, table: Table, frame: pd.DataFrame | None) -> Worksheet:
    ws = wb.create_sheet(table.name)
    n = 0 if frame is None else len(frame)
    columns: list[list] = []
    for col in table.columns:
        if frame is None or col.name not in frame.columns:
            columns.append([None] * n)
        else:
            columns.append(_cell_values(table.name, col, frame[col.name]))
    ws.append([col.header_vi for col in table.columns])
    for row in zip(*columns, strict=True):
        ws.append(row)
    last_row = max(VALIDATION_LAST_ROW, n + 1000)
    for j, col in enumerate(table.columns, start=1):
        letter = get_column_letter(j)
        head = ws.cell(row=1, column=j)
        head.font = _BOLD
        head.fill = _FILL_REQUIRED if col.required else _FILL_OPTIONAL
        head.alignment = _HEADER_ALIGN
        head.border = _BORDER
        note = Comment(_header_note(table, col), "kimson-ds")
        note.width, note.height = 320, 180
        head.comment = note
        dim = ws.column_dimensions[letter]
        dim.width = _width(col, columns[j - 1])
        fmt = {"date": DATE_FORMAT, "id": TEXT_FORMAT, "text": TEXT_FORMAT, "int": "0"}.get(col.kind)
        if fmt:
            dim.number_format = fmt
        if n and col.kind in ("date", "id", "text"):
            for (cell,) in ws.iter_rows(min_row=2, max_row=n + 1, min_col=j, max_col=j):
                if cell.value is None:
                    continue
                if cell.data_type == "f":  # text starting with "=" stays text
                    cell.data_type = "s"
                if isinstance(cell.value, datetime):
                    cell.number_format = DATE_FORMAT
                else:
                    cell.number_format = TEXT_FORMAT
        if n and col.kind == "float":
            _keep_full_precision(ws, j, columns[j - 1])
        dv = _validation_for(col)
        if dv is not None:
            dv.add(f"{letter}2:{letter}{last_row}")
            ws.add_data_validation(dv)
    ws.row_dimensions[1].height = 45
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{n + 1}"
    _print_setup(ws, header_row=1)
    return ws


def _write_proposals_sheet(wb: Workbook) -> Worksheet:
    """The "Đề xuất nhân sự" sheet: Vietnamese headers with notes, drop-downs fed from the data sheets."""
    ws = wb.create_sheet(PROPOSALS_SHEET)
    ws.append([head for _c, head, _n, _s in PROPOSAL_SHEET_COLUMNS])
    common = dict(allow_blank=True, showErrorMessage=True, showInputMessage=True, errorStyle="warning")
    for j, (code, head, note, src) in enumerate(PROPOSAL_SHEET_COLUMNS, start=1):
        letter = get_column_letter(j)
        cell = ws.cell(row=1, column=j)
        cell.font, cell.alignment, cell.border = _BOLD, _HEADER_ALIGN, _BORDER
        cell.fill = _FILL_REQUIRED if code in ("proposal_id", "cadre_id", "action", "effective_date") else _FILL_OPTIONAL
        comment = Comment(f"{head}\nMã cột: {code}\n{note}", "kimson-ds")
        comment.width, comment.height = 320, 140
        cell.comment = comment
        ws.column_dimensions[letter].width = 40 if code == "note" else 22
        kind, arg = src if src else (None, None)
        if kind == "date":
            ws.column_dimensions[letter].number_format = DATE_FORMAT
            dv = _validation_for(Column(code, "date", head, note))
        elif kind in ("list", "code", "table"):
            if kind == "table":
                key = TABLES[arg].columns[0]
                ref = f"'{arg}'!$A$2:$A${VALIDATION_LAST_ROW}"
                prompt = f"Chọn {key.header_vi.lower()} có trong trang {arg}."
            else:
                ref = _list_ref("proposal_action" if arg == "action" else arg)
                prompt = "Chọn trong danh sách thả xuống."
            ws.column_dimensions[letter].number_format = TEXT_FORMAT
            dv = DataValidation(type="list", formula1=ref, errorTitle="Giá trị ngoài danh sách",
                                error="Hãy chọn một giá trị trong danh sách thả xuống.", promptTitle=head[:32],
                                prompt=prompt, **common)
        else:
            ws.column_dimensions[letter].number_format = TEXT_FORMAT
            dv = None
        if dv is not None:
            dv.add(f"{letter}2:{letter}{VALIDATION_LAST_ROW}")
            ws.add_data_validation(dv)
    ws.row_dimensions[1].height = 45
    ws.freeze_panes = "A2"
    _print_setup(ws, header_row=1)
    return ws


_INSTRUCTIONS = [
    ("h", "HƯỚNG DẪN NHẬP LIỆU — BỘ DỮ LIỆU CÔNG TÁC CÁN BỘ HUYỆN KIM SƠN"),
    ("p", "Tệp này dùng để nhập dữ liệu cho công cụ kimson-ds (Ban Tổ chức Huyện ủy Kim Sơn). "
          "Mỗi trang tính là một bảng dữ liệu; tên trang là mã bảng (ví dụ 'cadres' là bảng Cán bộ)."),
    ("h", "1. Cách điền"),
    ("p", "• Mỗi dòng là một bản ghi; dòng 1 là tiêu đề cột — không sửa, không xóa, không đổi tên trang tính."),
    ("p", "• Tiêu đề nền xanh là cột bắt buộc; nền xám là cột không bắt buộc (có thể để trống). "
          "Di chuột vào ô tiêu đề để xem mô tả, kiểu dữ liệu, đơn vị tính và điều kiện của cột."),
    ("p", "• Không gộp ô, không chèn dòng tổng cộng hay ghi chú vào giữa bảng; dòng trống sẽ được bỏ qua."),
    ("p", "• Mã (mã cán bộ, mã đơn vị, mã chức danh, mã khóa học) là văn bản, nên dùng chữ không dấu, "
          "không khoảng trắng, ví dụ CB0001, XA_KIM_DONG. Mã tham chiếu phải có trong bảng tương ứng."),
    ("p", "• Có thể dán dữ liệu từ tệp khác (Dán giá trị — Paste Values) để giữ định dạng của mẫu."),
    ("h", "2. Các bảng"),
    ("tables", ""),
    ("h", "3. Ngày tháng"),
    ("p", "• Nhập ngày dạng dd/mm/yyyy, ví dụ 31/12/2018. Cũng được chấp nhận: yyyy-mm-dd (2018-12-31) "
          "hoặc ô kiểu ngày của Excel. Không nhập ngày dạng tháng/ngày/năm."),
    ("h", "4. Danh mục (mã) và có/không"),
    ("p", "• Các cột có danh sách thả xuống (giới tính, chức danh, mức xếp loại, trình độ, …): chọn tên tiếng Việt "
          "trong danh sách. Công cụ chấp nhận cả tên tiếng Việt lẫn mã không dấu (ví dụ 'Hoàn thành xuất sắc "
          "nhiệm vụ' hoặc 'xuat_sac'); chữ hoa, chữ thường và khoảng trắng thừa không ảnh hưởng."),
    ("p", "• Cột có/không: chọn 'có' hoặc 'không' (cũng chấp nhận true/false, 1/0, x/để trống)."),
    ("p", "• Bảng mã đầy đủ ở cuối trang này."),
    ("h", "5. Số"),
    ("p", "• Số thập phân dùng dấu chấm, ví dụ 5.92; không dùng dấu phân cách hàng nghìn. "
          "Năm là số nguyên, ví dụ 2018."),
    ("h", "6. Kiểm tra tệp sau khi nhập"),
    ("p", "• Chạy lệnh: kimson-ds validate TÊN_TỆP.xlsx — công cụ liệt kê mọi lỗi theo trang tính, dòng, cột, "
          "giá trị và điều cần sửa; sửa hết lỗi rồi chạy lại đến khi báo 'Bộ dữ liệu hợp lệ'."),
    ("p", "• Xuất bộ dữ liệu hiện có ra mẫu này: kimson-ds export THƯ_MỤC_DỮ_LIỆU --out TÊN_TỆP.xlsx. "
          "Tạo lại mẫu trống: kimson-ds template --out TÊN_TỆP.xlsx."),
    ("p", "• Chữ tiếng Việt được chuẩn hóa Unicode (NFC) khi đọc, nên gõ bằng bảng mã nào cũng được."),
    ("h", "7. Đề xuất nhân sự"),
    ("p", f"• Trang '{PROPOSALS_SHEET}' ghi các đề xuất cần thẩm định (mỗi dòng một đề xuất): chọn mã cán bộ, "
          "hình thức đề xuất, vị trí (mã chức danh, hoặc chức danh và mã đơn vị), nhiệm kỳ và ngày hiệu lực trong "
          "các danh sách thả xuống. Trang này không thuộc bộ dữ liệu; kiểm tra bằng lệnh: "
          "kimson-ds vet THƯ_MỤC_DỮ_LIỆU --proposals TÊN_TỆP.xlsx --out THƯ_MỤC_KẾT_QUẢ."),
    ("h", "8. Bảng mã"),
    ("codes", ""),
]


def _write_instructions(wb: Workbook) -> Worksheet:
    ws = wb.create_sheet(INSTRUCTIONS_SHEET, 0)
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 34
    ws.column_dimensions["C"].width = 70
    r = 1
    for kind, text in _INSTRUCTIONS:
        if kind == "h":
            cell = ws.cell(row=r, column=1, value=text)
            cell.font = Font(bold=True, size=14 if r == 1 else 12)
            r += 1 if r > 1 else 2
        elif kind == "p":
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
            cell = ws.cell(row=r, column=1, value=text)
            cell.alignment = _WRAP_TOP
            ws.row_dimensions[r].height = 15 * (1 + len(text) // 120)
            r += 1
        elif kind == "tables":
            for j, head in enumerate(("Trang tính", "Bảng", "Nội dung"), start=1):
                c = ws.cell(row=r, column=j, value=head)
                c.font, c.fill, c.border = _BOLD, _FILL_HEADER, _BORDER
            r += 1
            for name in [*REQUIRED_TABLES, *OPTIONAL_TABLES]:
                t = TABLES[name]
                need = "bắt buộc" if t.required else "không bắt buộc"
                for j, v in enumerate((t.name, f"{t.title_vi} ({need})", t.description), start=1):
                    c = ws.cell(row=r, column=j, value=v)
                    c.border, c.alignment = _BORDER, _WRAP_TOP
                r += 1
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
            ws.cell(row=r, column=1, value="Các bảng bắt buộc: " + ", ".join(REQUIRED_TABLES)
                    + ". Các bảng khác có thể để trống (chỉ giữ dòng tiêu đề).").font = Font(italic=True)
            r += 1
        elif kind == "codes":
            for j, head in enumerate(("Danh mục", "Mã", "Tên tiếng Việt (chọn trong danh sách)"), start=1):
                c = ws.cell(row=r, column=j, value=head)
                c.font, c.fill, c.border = _BOLD, _FILL_HEADER, _BORDER
            r += 1
            used = {}
            for t in TABLES.values():
                for col in t.columns:
                    if col.codeset:
                        used.setdefault(col.codeset, []).append(f"{t.name}.{col.name}")
            for codeset, cols in used.items():
                for k, (code, lab) in enumerate(CODESETS[codeset].items()):
                    first = f"{codeset} ({', '.join(cols)})" if k == 0 else None
                    for j, v in enumerate((first, code, _nfc(lab)), start=1):
                        c = ws.cell(row=r, column=j, value=v)
                        c.border, c.alignment = _BORDER, _WRAP_TOP
                    r += 1
    ws.sheet_view.showGridLines = False
    _print_setup(ws, header_row=None)
    return ws


def build_workbook(tables: dict[str, pd.DataFrame] | None = None) -> Workbook:
    """Build the data-entry workbook, empty (the template) or holding ``tables``.

    Parameters
    ----------
    tables : dict of str to DataFrame, optional
        Typed tables of the data contract (as in ``Dataset.tables``); missing
        tables get a header-only sheet.

    Returns
    -------
    openpyxl.Workbook
        Sheets: ``Hướng dẫn``, one per table (named by table code),
        ``Đề xuất nhân sự`` (proposals to vet), hidden ``_lists``.
    """
    wb = Workbook()
    wb.remove(wb.active)
    _write_instructions(wb)
    for name, table in TABLES.items():
        _write_table_sheet(wb, table, None if tables is None else tables.get(name))
    _write_proposals_sheet(wb)
    _write_lists_sheet(wb)
    wb.active = 0
    return wb


def write_template(path: str | Path = DEFAULT_TEMPLATE) -> Path:
    """Write the empty data-entry template to ``path`` (``.xlsx``)."""
    return save_workbook(build_workbook(None), path)


def write_dataset(tables, path: str | Path) -> Path:
    """Write a dataset as a data-entry workbook with its rows.

    Code columns are written as Vietnamese labels, dates as real Excel dates
    (formatted ``dd/mm/yyyy``; dates before 1 March 1900 as ISO text), yes/no
    columns as ``có``/``không``, numbers as numbers and ids as text.
    :func:`kimson_ds.data.io.load_dataset` reads the result back to the same tables.

    Parameters
    ----------
    tables : Dataset or dict of str to DataFrame
        A loaded :class:`kimson_ds.data.io.Dataset` or its typed tables.
    path : str or Path
        Target ``.xlsx``.

    Returns
    -------
    Path

    Raises
    ------
    DataError
        If a text cell holds a control character Excel cannot store.
    """
    frames = getattr(tables, "tables", tables)
    return save_workbook(build_workbook(frames), path)


# ------------------------------------------------------------ printable lists
def _print_setup(ws: Worksheet, header_row: int | None) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "Trang &P/&N"
    if header_row is not None:
        ws.print_title_rows = f"{header_row}:{header_row}"


def _merge_row(ws: Worksheet, row: int, ncols: int) -> None:
    if ncols > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)


def _print_value(v):
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (bool, np.bool_)):
        return YES if v else NO
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return None if np.isnan(v) else float(v)
    if isinstance(v, float) and np.isnan(v):
        return None
    if isinstance(v, date) and not isinstance(v, datetime):
        return datetime(v.year, v.month, v.day)
    if isinstance(v, str):
        return _nfc(v)
    if isinstance(v, (int, float, datetime)):
        return v
    return str(v)


def write_print_table(ws: Worksheet, frame: pd.DataFrame, title: str, *, subtitle: str | None = None,
                      note: str | None = None, numbered: bool = True, widths: dict[str, float] | None = None,
                      number_formats: dict[str, str] | None = None, start_row: int = 1) -> int:
    """Write ``frame`` as a printable, formatted list on ``ws``.

    Layout: a bold title row (merged across the table), an optional italic
    subtitle, a bold shaded header row (repeated on every printed page and
    frozen on screen), then the rows with thin borders and wrapped text; an
    optional note below. The sheet prints landscape on A4, fitted to the page
    width, with page numbers in the footer.

    Parameters
    ----------
    ws : openpyxl Worksheet
        Sheet to write on (normally empty).
    frame : DataFrame
        The list; column names are the printed headers (Vietnamese). The index
        is not written.
    title : str
        Title row, e.g. "DANH SÁCH ĐỀ XUẤT LUÂN CHUYỂN CÁN BỘ NĂM 2018".
    subtitle : str, optional
        Line under the title (basis, date, unit).
    note : str, optional
        Text under the table (e.g. "Ghi chú: …").
    numbered : bool, default True
        Add a first column "STT" (1, 2, …).
    widths : dict of str to float, optional
        Column widths by header; others are sized to their content (8–60).
    number_formats : dict of str to str, optional
        Excel number format by header; dates default to ``dd/mm/yyyy``.
    start_row : int, default 1
        Row of the title.

    Returns
    -------
    int
        The last row written.
    """
    data = frame.reset_index(drop=True)
    headers = [str(c) for c in data.columns]
    if numbered:
        headers = ["STT", *headers]
    ncols = max(len(headers), 1)
    last_letter = get_column_letter(ncols)
    r = start_row
    cell = ws.cell(row=r, column=1, value=_nfc(title))
    cell.font = Font(bold=True, size=14)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    _merge_row(ws, r, ncols)
    ws.row_dimensions[r].height = 36
    r += 1
    if subtitle:
        cell = ws.cell(row=r, column=1, value=_nfc(subtitle))
        cell.font = Font(italic=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        _merge_row(ws, r, ncols)
        r += 1
    r += 1  # blank line before the table
    header_row = r
    for j, h in enumerate(headers, start=1):
        c = ws.cell(row=r, column=j, value=_nfc(h))
        c.font, c.fill, c.alignment, c.border = _BOLD, _FILL_HEADER, _HEADER_ALIGN, _BORDER
    formats = dict(number_formats or {})
    for c in data.columns:  # decimals and shares: Excel formats (shown with the PC's decimal comma)
        h = str(c)
        if h in formats or not pd.api.types.is_float_dtype(data[c]):
            continue
        vals = data[c].dropna()
        if not len(vals) or bool((vals % 1 == 0).all()):
            continue
        share = ("tỷ lệ" in h.lower() or "share" in h.lower()) and "%" not in h and float(vals.abs().max()) <= 1
        formats[h] = "0.0%" if share else "#,##0.00"
    columns = [data[c].tolist() for c in data.columns]
    if numbered:
        columns = [list(range(1, len(data) + 1)), *columns]
    for i in range(len(data)):
        r += 1
        for j, values in enumerate(columns, start=1):
            v = _print_value(values[i])
            c = ws.cell(row=r, column=j, value=v)
            if isinstance(v, str) and c.data_type == "f":
                c.data_type = "s"
            c.border, c.alignment = _BORDER, _WRAP_TOP
            fmt = formats.get(headers[j - 1])
            if fmt:
                c.number_format = fmt
            elif isinstance(v, datetime):
                c.number_format = DATE_FORMAT
    if note:
        r += 2
        c = ws.cell(row=r, column=1, value=_nfc(note))
        c.font = Font(italic=True)
        c.alignment = _WRAP_TOP
        _merge_row(ws, r, ncols)
    given = widths or {}
    for j, h in enumerate(headers, start=1):
        if h in given:
            width = given[h]
        elif numbered and j == 1:
            width = 5
        else:
            lengths = [len(str(_print_value(v) or "")) for v in columns[j - 1][:500]]
            if any(isinstance(_print_value(v), datetime) for v in columns[j - 1][:50]):
                lengths.append(11)
            width = min(max(8, *(n + 2 for n in lengths), min(len(h), 20) + 2), 60)
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    _print_setup(ws, header_row)
    ws.print_area = f"A{start_row}:{last_letter}{r}"
    return r


def _sheet_title(name: str, taken: set[str]) -> str:
    base = _INVALID_SHEET_CHARS.sub(" ", _nfc(str(name))).strip().strip("'")[:31].strip() or "Trang"
    title, k = base, 2
    while title.casefold() in taken:
        suffix = f" ({k})"
        title, k = base[: 31 - len(suffix)] + suffix, k + 1
    taken.add(title.casefold())
    return title


def write_workbook(path: str | Path, sheets: dict[str, pd.DataFrame], *, title: str | None = None,
                   subtitle: str | None = None, notes: dict[str, str] | None = None,
                   numbered: bool = True) -> Path:
    """Write printable lists, one sheet per frame (e.g. "danh sách đề xuất").

    Parameters
    ----------
    path : str or Path
        Target ``.xlsx``.
    sheets : dict of str to DataFrame
        Sheet name (shortened to Excel's 31 characters) → list to print.
    title : str, optional
        Title printed on every sheet; the sheet name becomes its subtitle.
        Without it, the sheet name is the title and ``subtitle`` the subtitle.
    subtitle : str, optional
        Subtitle when ``title`` is not given (appended otherwise).
    notes : dict of str to str, optional
        Note printed under the table of the sheet of the same name.
    numbered : bool, default True
        Add an "STT" column.

    Returns
    -------
    Path
    """
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for name, frame in sheets.items():
        ws = wb.create_sheet(_sheet_title(name, taken))
        if title:
            head, sub = title, " — ".join(x for x in (str(name), subtitle) if x)
        else:
            head, sub = str(name), subtitle
        write_print_table(ws, frame, head, subtitle=sub, note=(notes or {}).get(name), numbered=numbered)
    if not sheets:
        ws = wb.create_sheet("Danh sách")
        write_print_table(ws, pd.DataFrame(), title or "Danh sách", subtitle=subtitle, numbered=False)
    if title:
        wb.properties.title = _nfc(title)
    return save_workbook(wb, path)
