"""Vetting personnel proposals (thẩm định đề xuất nhân sự) before they reach the standing committee.

A proposal batch is a table with one row per proposal:

==================  =====================================================================
column              meaning
==================  =====================================================================
``proposal_id``     id of the proposal (unique in the batch)
``cadre_id``        the cadre proposed
``action``          ``bo_nhiem`` (appointment), ``gioi_thieu_ung_cu`` (nomination for
                    election), ``luan_chuyen`` (rotation), ``quy_hoach`` (planning); the
                    Vietnamese labels ("Bổ nhiệm", …) are accepted too
``position_id``     the post (a row of ``positions``), or else
``target_title``    the title code and
``target_unit_id``  the unit of the post
``term``            optional: the term of the post, ``YYYY-YYYY`` spanning ``term.length_years``
``effective_date``  the date the decision takes effect: every item below is
                    judged under the rules in force on that date
==================  =====================================================================

Files: a ``.csv`` with these codes or their Vietnamese headers, or a workbook
whose sheet "Đề xuất nhân sự" (the data-entry template's sheet, with drop-down
lists), "Đề xuất" or ``proposals`` holds them.

Checklist items (one row per proposal and item, each with its reason and its
regulation reference, read from the dated parameters):

``vi_tri``
    the target unit exists on the effective date (``valid_from``/``valid_to``;
    a unit merged away names its successor); and the batch does not both plan
    and propose the same person for the same post
    (``vetting.plan_and_propose_same_post``, Quy định 377-QĐ/TW).
``tuoi``
    service left before retirement (Nghị định 135/2020 roadmap): for a first
    appointment or nomination ``standards.first_appointment_min_years_left``
    and the service-left standards of the title (``months_left_first``,
    ``terms_left_first`` in ``standards.commune_key``); for a rotation
    ``rotation.min_years_left``; for planning
    ``planning.full_terms_required_at_planning`` × ``term.length_years``.
``tieu_chuan``
    the qualification and first-appointment age standards of the title
    (:func:`kimson_ds.rules.standards.standards_gaps`). For planning, a gap that
    training can close gives "cần xem xét" (a planned cadre must basically
    meet the standards).
``quy_hoach``
    in planning (``vetting.planning_required``): for the very post, or for
    any post for a rotation; for a planning proposal, not planned already and
    within ``planning.max_posts_per_person``.
``xep_loai``
    ratings of the ``vetting.min_rating_years`` years before the effective
    year are "hoàn thành tốt" or better (a missing year: "cần xem xét"; a
    level left empty is read from the score with ``rating.point_thresholds``).
``ky_luat``
    no discipline in force: ``expires_on``, else
    ``rotation.discipline_bar_months`` of the form after the decision (a form
    absent from that table never expires).
``khong_dia_phuong``
    the non-local rules of ``vetting.non_local_rules`` that match the action,
    the title and the target unit (``committee_level: huyen`` keeps a rule to
    the district's own Party committee, not a Đảng ủy Khối under it); a home
    commune that no longer exists on the effective date is read as its
    successor (:func:`kimson_ds.rules.notions.unit_on`).
``nguoi_than``
    no relatives conflict (:mod:`kimson_ds.vetting.conflicts`, driven by
    ``relatives.linked_posts``) with the current holders of linked posts, nor
    with another proposal of the batch. For a planning proposal a conflict
    only gives "cần xem xét" (nobody holds the post yet).

Each item is ``dat``, ``khong_dat``, ``can_xem_xet`` or ``khong_ap_dung``; a
proposal is **không đạt** if any item is, else **cần xem xét** if any item is,
else **đạt**.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kimson_ds.data.codes import RATING_LEVEL, RATING_ORDER, TITLE, code_lookup
from kimson_ds.data.io import empty_table
from kimson_ds.data.validate import Issue
from kimson_ds.errors import DataError
from kimson_ds.rules import notions
from kimson_ds.rules.parameters import ParameterSet, parameters
from kimson_ds.rules.retirement import years_of_service_left
from kimson_ds.rules.standards import standards_gaps
from kimson_ds.vetting.conflicts import CONFLICT_COLUMNS, current_conflicts, proposal_conflicts, unit_scopes

__all__ = [
    "ACTIONS",
    "CHECKLIST_COLUMNS",
    "ITEMS",
    "PROPOSAL_COLUMNS",
    "STATUS",
    "VERDICT_COLUMNS",
    "VetResult",
    "checklist",
    "parse_proposals",
    "read_proposals",
    "vet",
    "verdicts",
]

#: Proposal actions and their Vietnamese names.
ACTIONS = {
    "bo_nhiem": "Bổ nhiệm",
    "gioi_thieu_ung_cu": "Giới thiệu ứng cử",
    "luan_chuyen": "Luân chuyển",
    "quy_hoach": "Quy hoạch",
}

#: Checklist items, in the order they are listed.
ITEMS = {
    "vi_tri": "Vị trí đề xuất",
    "tuoi": "Thời gian công tác còn lại",
    "tieu_chuan": "Tiêu chuẩn chức danh",
    "quy_hoach": "Quy hoạch",
    "xep_loai": "Xếp loại các năm gần nhất",
    "ky_luat": "Kỷ luật",
    "khong_dia_phuong": "Bố trí không là người địa phương",
    "nguoi_than": "Người thân (kiểm soát quyền lực trong công tác cán bộ)",
    "tham_quyen": "Thẩm quyền và hình thức (bầu, bổ nhiệm)",
}

#: Status of a checklist item and verdict of a proposal.
STATUS = {
    "dat": "Đạt",
    "khong_dat": "Không đạt",
    "can_xem_xet": "Cần xem xét",
    "khong_ap_dung": "Không áp dụng",
}

#: Columns of a proposal batch: code → Vietnamese header (both accepted in files).
PROPOSAL_COLUMNS = {
    "proposal_id": "Mã đề xuất",
    "cadre_id": "Mã cán bộ",
    "action": "Hình thức đề xuất",
    "position_id": "Mã chức danh",
    "target_title": "Chức danh",
    "target_unit_id": "Mã đơn vị",
    "term": "Nhiệm kỳ",
    "effective_date": "Ngày hiệu lực",
    "note": "Ghi chú",
}

#: Columns of :func:`checklist`.
CHECKLIST_COLUMNS = [
    "proposal_id", "cadre_id", "full_name", "action", "action_vi", "post", "effective_date",
    "item", "item_vi", "status", "status_vi", "reason", "reference", "assumption",
]

#: Columns of :func:`verdicts`.
VERDICT_COLUMNS = [
    "proposal_id", "cadre_id", "full_name", "action", "action_vi", "post", "effective_date",
    "verdict", "verdict_vi", "failed_items", "review_items", "summary",
]

_SEVERITY = {"khong_ap_dung": 0, "dat": 1, "can_xem_xet": 2, "khong_dat": 3}
_BY_SEVERITY = {v: k for k, v in _SEVERITY.items()}
_REQUIRED = ("proposal_id", "cadre_id", "action", "effective_date")
_TABLE = "proposals"


# =========================================================================== reading


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NaT or (isinstance(v, str) and not v.strip())


def _norm(text: Any) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text)).casefold().split())


def _cell(v: Any) -> Any:
    """A raw cell as clean text (dates stay dates; 12.0 → "12")."""
    if _blank(v):
        return None
    if isinstance(v, (datetime, date, pd.Timestamp)):
        return v
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return unicodedata.normalize("NFC", str(v)).strip()


def _parse_dates(values: pd.Series) -> pd.Series:
    from kimson_ds.data.io import parse_date_cells

    return parse_date_cells(values)[0]  # years outside 1800–2100 stay NaT (an error, never an overflow)


#: Largest proposal batch (one meeting's proposals are a few dozen); keeps vetting memory bounded.
MAX_PROPOSALS = 500


def parse_proposals(frame: pd.DataFrame, tables, *, source: str = "đề xuất",
                    rows: np.ndarray | None = None) -> pd.DataFrame:
    """Check and type a proposal batch read from a file or built in memory.

    Parameters
    ----------
    frame : DataFrame
        Raw cells; headers are the codes of :data:`PROPOSAL_COLUMNS` or their
        Vietnamese headers (case and spacing ignored).
    tables : Dataset or dict of DataFrame
        ``cadres``, ``positions``, ``units`` (ids are checked against them).
    source : str
        Name of the file or sheet, used in messages.
    rows : array of int, optional
        Row number of each row as the user sees it (default: header is row 1).

    Returns
    -------
    DataFrame
        ``proposal_id, cadre_id, action, position_id, target_title,
        target_unit_id, term, effective_date, note, row``. A given ``position_id``
        fills the title and unit; a title and unit with exactly one position
        fill ``position_id``.

    Raises
    ------
    DataError
        With one :class:`~kimson_ds.data.validate.Issue` per problem, each naming
        the file, row, column, value and what was expected.
    """
    issues: list[Issue] = []
    rows = np.arange(len(frame)) + 2 if rows is None else np.asarray(rows)
    header = {}
    for code, vi in PROPOSAL_COLUMNS.items():
        header[_norm(code)] = code
        header[_norm(vi)] = code
    from kimson_ds.config import shorten

    positions_of, seen = {}, {}
    for i, h in enumerate(frame.columns):  # by position: a repeated header never collapses into one
        code = header.get(_norm(h))
        if code is None:
            if str(h).strip() and not str(h).startswith("Unnamed:"):
                issues.append(Issue("warning", _TABLE, source, 1, shorten(str(h)), None,
                                    "cột không được dùng nên bị bỏ qua", "các cột: " + ", ".join(PROPOSAL_COLUMNS)))
            continue
        if code in seen:
            issues.append(Issue("error", _TABLE, source, 1, shorten(str(h)), None,
                                f"cột trùng với cột '{seen[code]}' (cột thứ {i + 1})", "mỗi cột chỉ xuất hiện một lần"))
            continue
        seen[code], positions_of[code] = shorten(str(h)), i
    df = frame.iloc[:, list(positions_of.values())].copy()
    df.columns = list(positions_of)
    df = df.reset_index(drop=True)
    if len(df) > MAX_PROPOSALS:
        issues.append(Issue("error", _TABLE, source, None, None, None,
                            f"tệp có {len(df):,} dòng đề xuất".replace(",", ".") + ", quá số đề xuất của một đợt",
                            f"tối đa {MAX_PROPOSALS} đề xuất mỗi đợt; chia thành nhiều tệp"))
    for code in _REQUIRED:
        if code not in df.columns:
            issues.append(Issue("error", _TABLE, source, 1, code, None,
                                f"thiếu cột bắt buộc '{code}' ({PROPOSAL_COLUMNS[code]})",
                                f"dòng tiêu đề có cột '{code}' hoặc '{PROPOSAL_COLUMNS[code]}'"))
    if "position_id" not in df.columns and not {"target_title", "target_unit_id"} <= set(df.columns):
        issues.append(Issue("error", _TABLE, source, 1, "position_id", None,
                            "thiếu cột vị trí đề xuất",
                            "cột 'position_id' (Mã chức danh) hoặc cả hai cột 'target_title' (Chức danh) và "
                            "'target_unit_id' (Mã đơn vị)"))
    if len(df) == 0 and not any(i.severity == "error" for i in issues):
        issues.append(Issue("error", _TABLE, source, None, None, None, "tệp không có đề xuất nào",
                            "ít nhất một dòng đề xuất dưới dòng tiêu đề"))
    if any(i.severity == "error" for i in issues):
        raise DataError(_summary(source, issues), issues)

    for code in PROPOSAL_COLUMNS:
        df[code] = df[code].map(_cell) if code in df.columns else None

    def flag(mask, col, message, expected, values=None):
        for i in np.flatnonzero(np.asarray(mask, dtype=bool)):
            v = (values if values is not None else df[col]).iloc[i]
            exp = expected.iloc[i] if isinstance(expected, pd.Series) else expected
            issues.append(Issue("error", _TABLE, source, int(rows[i]), col, None if _blank(v) else shorten(str(v)),
                                message, exp))

    blank = {c: df[c].map(_blank).astype(bool) for c in PROPOSAL_COLUMNS}
    for code in _REQUIRED:
        flag(blank[code], code, "thiếu giá trị bắt buộc", PROPOSAL_COLUMNS[code])
    ids = df["proposal_id"].where(~blank["proposal_id"])
    flag(ids.notna() & ids.duplicated(keep="first"), "proposal_id", "mã đề xuất bị trùng",
         "mỗi đề xuất một mã riêng")
    same = [c for c in ("cadre_id", "action", "position_id", "target_title", "target_unit_id", "effective_date")
            if c in df.columns]
    content = df[same].astype(str).apply(lambda c: c.str.strip().str.casefold())
    flag(~blank["cadre_id"] & content.duplicated(keep="first") & ~(ids.notna() & ids.duplicated(keep="first")),
         "proposal_id", "đề xuất trùng nội dung với một dòng trước (cùng cán bộ, hình thức, vị trí và ngày)",
         "mỗi đề xuất chỉ một dòng; xóa các dòng chép lặp")

    actions = {_norm(k): k for k in ACTIONS} | {_norm(v): k for k, v in ACTIONS.items()}
    action = df["action"].map(lambda v: None if _blank(v) else actions.get(_norm(v)))
    flag(~blank["action"] & action.isna(), "action", "hình thức đề xuất không hợp lệ",
         "một trong: " + ", ".join(f"{k} ({v})" for k, v in ACTIONS.items()))

    cadres = tables["cadres"]
    flag(~blank["cadre_id"] & ~df["cadre_id"].isin(cadres["cadre_id"]), "cadre_id",
         "không có cán bộ này trong bảng cán bộ", "mã cán bộ có trong cadres")

    positions = tables["positions"].set_index("position_id")
    units = tables["units"].set_index("unit_id")
    has_pos = ~blank["position_id"]
    flag(has_pos & ~df["position_id"].isin(positions.index), "position_id",
         "không có vị trí này trong bảng chức danh", "mã vị trí có trong positions")
    titles = code_lookup("title")
    title = df["target_title"].map(lambda v: None if _blank(v) else titles.get(_norm(v)))
    flag(~blank["target_title"] & title.isna(), "target_title", "mã chức danh không hợp lệ",
         "một trong: " + ", ".join(list(TITLE)[:12]) + ", … (hoặc tên tiếng Việt)")
    flag(~blank["target_unit_id"] & ~df["target_unit_id"].isin(units.index), "target_unit_id",
         "không có đơn vị này trong bảng đơn vị", "mã đơn vị có trong units")
    flag(~has_pos & (blank["target_title"] | blank["target_unit_id"]), "position_id",
         "không xác định được vị trí đề xuất",
         "mã vị trí (position_id) hoặc cả chức danh (target_title) và mã đơn vị (target_unit_id)")
    pos_title = df["position_id"].map(positions["title"])
    pos_unit = df["position_id"].map(positions["unit_id"])
    known = has_pos & pos_title.notna()
    flag(known & title.notna() & (title != pos_title), "target_title", "chức danh không khớp với vị trí đề xuất",
         "chức danh của vị trí: " + pos_title.fillna("").astype(str), values=df["target_title"])
    flag(known & ~blank["target_unit_id"] & (df["target_unit_id"] != pos_unit), "target_unit_id",
         "đơn vị không khớp với vị trí đề xuất", "đơn vị của vị trí: " + pos_unit.fillna("").astype(str))
    when = _parse_dates(df["effective_date"])
    flag(~blank["effective_date"] & when.isna(), "effective_date", "ngày không hợp lệ",
         "ngày có thật từ 01/01/1800 đến 31/12/2100, dạng yyyy-mm-dd (2020-03-01) hoặc dd/mm/yyyy (01/03/2020)")
    term = df["term"].map(lambda v: None if _blank(v) else str(v).replace("–", "-").replace(" ", ""))
    span = term.str.extract(r"^(\d{4})-(\d{4})$").astype(float)
    lengths = {d: float(parameters(d).get("term.length_years")) for d in when[term.notna()].dropna().unique()}
    length = when.map(lengths).astype(float)
    flag(term.notna() & span[0].isna(), "term", "nhiệm kỳ không hợp lệ", "nhiệm kỳ dạng năm-năm, ví dụ 2025-2030")
    flag(span[0].notna() & length.notna() & (span[1] - span[0] != length), "term",
         "nhiệm kỳ không đúng độ dài một nhiệm kỳ",
         "nhiệm kỳ dài " + length.map(lambda x: "" if pd.isna(x) else f"{x:g}") + " năm, ví dụ 2025-2030")
    errors = [i for i in issues if i.severity == "error"]
    if errors:
        raise DataError(_summary(source, errors), errors)

    out = pd.DataFrame({
        "proposal_id": df["proposal_id"].astype(str),
        "cadre_id": df["cadre_id"].astype(str),
        "action": action,
        "position_id": df["position_id"].where(has_pos, None),
        "target_title": title.where(~has_pos, pos_title),
        "target_unit_id": df["target_unit_id"].where(~has_pos, pos_unit),
        "term": term.where(term.notna(), None),
        "effective_date": when,
        "note": df["note"].fillna("").astype(str),
        "row": rows,
    })
    # a title and unit with exactly one position name that position
    pos = tables["positions"]
    one = pos.groupby(["title", "unit_id"])["position_id"].agg(["count", "first"])
    one = one.loc[one["count"] == 1, "first"]
    key = pd.MultiIndex.from_arrays([out["target_title"], out["target_unit_id"]])
    fill = pd.Series(one.reindex(key).to_numpy(), index=out.index)
    out["position_id"] = out["position_id"].where(out["position_id"].notna(), fill)
    out["position_id"] = out["position_id"].astype(object).where(out["position_id"].notna(), None)
    return out


def _summary(source: str, issues: list[Issue]) -> str:
    from kimson_ds.data.validate import summarise_issues

    errs = [i for i in issues if i.severity == "error"]
    head = "\n".join(f"  - {line}" for line in summarise_issues(errs, per_column=5, total=30))
    return f"Tệp đề xuất '{source}' có {len(errs)} lỗi:\n{head}"


def read_proposals(path: str | Path, tables) -> pd.DataFrame:
    """Read a proposal batch from a ``.csv`` (UTF-8) or ``.xlsx`` file and check it.

    The workbook's sheet "Đề xuất nhân sự" (the data-entry template's), ``proposals``
    or "Đề xuất" is read, else the first sheet. See :func:`parse_proposals` for the result and the errors.

    Raises
    ------
    DataError
        Missing or unreadable file, or any problem in its rows (exit code 2).
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"Không tìm thấy tệp đề xuất '{path}'.")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        data = path.read_bytes()
        if not data.strip():
            issue = Issue("error", _TABLE, path.name, None, None, None, "tệp rỗng, không có dòng tiêu đề",
                          "dòng đầu là tên cột: " + ", ".join(PROPOSAL_COLUMNS))
            raise DataError(_summary(path.name, [issue]), [issue])
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            issue = Issue("error", _TABLE, path.name, None, None, None,
                          f"tệp không phải mã UTF-8 (byte lỗi ở vị trí {exc.start})", "lưu tệp CSV với mã hóa UTF-8")
            raise DataError(_summary(path.name, [issue]), [issue]) from None
        from io import StringIO

        try:
            frame = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False, header=None)
            head = [str(h) for h in frame.iloc[0]]  # as typed: pandas would rename a repeated header
            frame = frame.iloc[1:].reset_index(drop=True)
            frame.columns = head
        except (pd.errors.ParserError, ValueError) as exc:
            issue = Issue("error", _TABLE, path.name, None, None, None, f"không đọc được tệp CSV: {exc}",
                          "tệp CSV phân cách bằng dấu phẩy")
            raise DataError(_summary(path.name, [issue]), [issue]) from None
        rows = np.arange(len(frame)) + 2
        source = path.name
    elif suffix == ".xlsx":
        import openpyxl

        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds
            raise DataError(f"{path.name}: không mở được tệp Excel ({exc}).") from None
        try:
            sheets = {_norm(ws.title): ws for ws in wb.worksheets}
            ws = (sheets.get(_norm("Đề xuất nhân sự")) or sheets.get("proposals") or sheets.get(_norm("Đề xuất"))
                  or wb.worksheets[0])
            values = list(ws.iter_rows(values_only=True))
            source = f"{path.name} › trang '{ws.title}'"
        finally:
            wb.close()
        if not values or all(v is None for v in values[0]):
            issue = Issue("error", _TABLE, source, None, None, None, "trang tính rỗng, không có dòng tiêu đề",
                          "dòng 1 là tên cột: " + ", ".join(PROPOSAL_COLUMNS))
            raise DataError(_summary(source, [issue]), [issue])
        head = ["" if v is None else str(v) for v in values[0]]
        while head and head[-1] == "":
            head.pop()
        body = [list(r[: len(head)]) + [None] * (len(head) - len(r[: len(head)])) for r in values[1:]]
        frame = pd.DataFrame(body, columns=head, dtype=object)
        rows = np.arange(len(frame)) + 2
    else:
        raise DataError(f"Tệp đề xuất '{path.name}' phải là .csv hoặc .xlsx.")
    if len(frame):
        keep = ~frame.map(_blank).all(axis=1).to_numpy()
        frame, rows = frame.loc[keep].reset_index(drop=True), rows[keep]
    return parse_proposals(frame, tables, source=source, rows=rows)


# =========================================================================== helpers


def _table(tables, name: str) -> pd.DataFrame:
    """A table of a Dataset or a dict of frames; an empty typed table when absent."""
    try:
        return tables[name]
    except KeyError:
        return empty_table(name)


def _ref(P: ParameterSet, *names: str) -> tuple[str, bool]:
    """Reference titles of the parameters ``names`` read in ``P`` and whether any is an ASSUMPTION."""
    refs = P.references()
    rows = refs.loc[refs["name"].isin(names)]
    titles = list(dict.fromkeys(t for r in rows["reference"] for t in str(r).split("; ") if t))
    return "; ".join(titles), bool(rows["assumption"].any())


def _num(x: pd.Series, nd: int = 1) -> pd.Series:
    """Numbers as Vietnamese text (decimal comma), vectorised."""
    s = pd.Series(x, dtype=float).round(nd)
    txt = s.map(lambda v: "" if v != v else (f"{v:.{nd}f}".rstrip("0").rstrip(".")))
    return txt.str.replace(".", ",", regex=False)


def _check(props: pd.DataFrame, item: str, status, reason, reference, assumption) -> pd.DataFrame:
    n = len(props)
    return pd.DataFrame({
        "proposal_id": props["proposal_id"].to_numpy(),
        "item": item,
        "status": np.broadcast_to(np.asarray(status, dtype=object), (n,)),
        "reason": np.broadcast_to(np.asarray(reason, dtype=object), (n,)),
        "reference": np.broadcast_to(np.asarray(reference, dtype=object), (n,)),
        "assumption": np.broadcast_to(np.asarray(assumption, dtype=bool), (n,)),
    })


def _not_in_force(props: pd.DataFrame, item: str, name: str, when: pd.Timestamp) -> pd.DataFrame:
    return _check(props, item, "khong_ap_dung",
                  f"Chưa có quy định ({name}) có hiệu lực vào ngày {when:%d/%m/%Y}", "", False)


# =========================================================================== items


def _position_item(props: pd.DataFrame, batch: pd.DataFrame, units: pd.DataFrame, P: ParameterSet,
                   when: pd.Timestamp) -> pd.DataFrame:
    """``vi_tri``: the target unit exists on the effective date; no plan and proposal of one person for one post."""
    u = units.set_index("unit_id")
    valid = notions.units_valid_on(units, when)
    ok = props["target_unit_id"].map(valid).fillna(False).astype(bool)
    name = props["target_unit_id"].map(u["name"]).fillna(props["target_unit_id"]).astype(str)
    vf = pd.to_datetime(props["target_unit_id"].map(u["valid_from"])) if "valid_from" in u else None
    vt = pd.to_datetime(props["target_unit_id"].map(u["valid_to"])) if "valid_to" in u else None
    successor = notions.unit_on(units, props["target_unit_id"], when)
    succ_name = successor.map(u["name"]).fillna(successor).astype(str)
    not_yet = vf.notna() & (vf > when) if vf is not None else pd.Series(False, index=props.index)
    gone_txt = ("Không đạt: đơn vị " + name + " không còn tồn tại vào ngày " + f"{when:%d/%m/%Y}"
                + (" (hết hiệu lực ngày " + vt.dt.strftime("%d/%m/%Y") + ")" if vt is not None else "")
                + np.where(successor != props["target_unit_id"], "; đơn vị kế thừa: " + succ_name, ""))
    reason = np.where(ok, "Đạt: đơn vị " + name + f" tồn tại vào ngày {when:%d/%m/%Y}",
                      np.where(not_yet, "Không đạt: đơn vị " + name + f" chưa được thành lập vào ngày {when:%d/%m/%Y}",
                               gone_txt))
    basis = "Bảng đơn vị: ngày thành lập, ngày sáp nhập hoặc giải thể và đơn vị kế thừa"
    parts = [_check(props, "vi_tri", np.where(ok, "dat", "khong_dat"), reason, basis, False)]
    # the same person planned and proposed for the same post in one batch
    name_p = "vetting.plan_and_propose_same_post"
    if name_p in P:
        severity = P.get(name_p)
        ref, assumption = _ref(P, name_p)
        keys = ["cadre_id", "target_title", "target_unit_id"]
        plan = batch.loc[batch["action"] == "quy_hoach", keys].drop_duplicates().assign(_plan=True)
        appoint = batch.loc[batch["action"].isin(["bo_nhiem", "gioi_thieu_ung_cu"]), keys].drop_duplicates().assign(
            _appoint=True)
        both = props[keys].merge(plan, on=keys, how="left").merge(appoint, on=keys, how="left")
        hit = (both["_plan"].notna() & both["_appoint"].notna()).to_numpy()
        if hit.any():
            sub = props.loc[hit]
            parts.append(_check(sub, "vi_tri", severity,
                                ("Không đạt: " if severity == "khong_dat" else "Cần xem xét: ")
                                + "cùng một đợt vừa đề xuất quy hoạch vừa đề xuất bổ nhiệm, giới thiệu ứng cử "
                                "cùng người vào cùng chức danh (mỗi đề xuất được thẩm định theo tiêu chuẩn riêng)",
                                ref, assumption))
    return pd.concat(parts, ignore_index=True)


def _years_left_item(props: pd.DataFrame, P: ParameterSet, gaps: pd.DataFrame) -> pd.DataFrame:
    """``tuoi``: service left before retirement, by action."""
    parts = []
    left = props["_years_left"]
    retire_txt = "còn " + _num(left) + " năm công tác (tính theo lộ trình tuổi nghỉ hưu Nghị định 135/2020)"
    rot = props["action"] == "luan_chuyen"
    if rot.any():
        need = float(P.get("rotation.min_years_left"))
        ref, assumption = _ref(P, "rotation.min_years_left", "retirement.age_men_months", "retirement.age_women_months")
        ok = left[rot] >= need
        parts.append(_check(props.loc[rot], "tuoi", np.where(ok, "dat", "khong_dat"),
                            np.where(ok, "Đạt: ", "Không đạt: ") + retire_txt[rot]
                            + f", yêu cầu khi luân chuyển ít nhất {need:g} năm", ref, assumption))
    plan = props["action"] == "quy_hoach"
    if plan.any():
        terms = float(P.get("planning.full_terms_required_at_planning"))
        length = float(P.get("term.length_years"))
        need = terms * length
        ref, assumption = _ref(P, "planning.full_terms_required_at_planning", "term.length_years")
        # counted from the start of the planned term (as in planning.succession), not the proposal date
        left_t = props.loc[plan, "_years_left_term"]
        start_txt = props.loc[plan, "_term_start"].dt.strftime("%d/%m/%Y")
        txt = ("còn " + _num(left_t) + " năm công tác tính từ ngày bắt đầu nhiệm kỳ quy hoạch " + start_txt
               + props.loc[plan, "_term_note"] + " (lộ trình tuổi nghỉ hưu Nghị định 135/2020)")
        ok = left_t >= need
        parts.append(_check(props.loc[plan], "tuoi", np.where(ok, "dat", "khong_dat"),
                            np.where(ok, "Đạt: ", "Không đạt: ") + txt
                            + f", yêu cầu khi quy hoạch đủ {terms:g} nhiệm kỳ ({need:g} năm)", ref, assumption))
    # appointments, nominations and rotations: the service-left standards of a first appointment
    svc = gaps.loc[gaps["standard"].isin(["years_left_first", "months_left_first", "terms_left_first"])]
    if len(svc):
        g = svc.merge(props[["proposal_id", "_gap_key"]], left_on="_key", right_on="_gap_key")
        parts.append(pd.DataFrame({
            "proposal_id": g["proposal_id"].to_numpy(), "item": "tuoi",
            "status": np.where(g["met"].astype(bool), "dat", "khong_dat"),
            "reason": (g["reason"].astype(str) + " (" + g["standard_vi"].astype(str).str.lower() + ")").to_numpy(),
            "reference": g["reference"].astype(str).to_numpy(), "assumption": g["assumption"].astype(bool).to_numpy(),
        }))
    appoint = props["action"].isin(["bo_nhiem", "gioi_thieu_ung_cu"]) & ~props["_first_time"]
    if appoint.any():
        parts.append(_check(props.loc[appoint], "tuoi", "khong_ap_dung",
                            "Không phải giữ chức danh này lần đầu: không xét điều kiện tuổi khi bổ nhiệm lần đầu; "
                            + retire_txt[appoint], "", False))
    return pd.concat(parts, ignore_index=True) if parts else _check(props.iloc[:0], "tuoi", "dat", "", "", False)


def _standards_item(props: pd.DataFrame, gaps: pd.DataFrame) -> pd.DataFrame:
    """``tieu_chuan``: qualifications and first-appointment age of the title."""
    std = gaps.loc[~gaps["standard"].isin(["years_left_first", "months_left_first", "terms_left_first"])]
    g = std.merge(props[["proposal_id", "_gap_key", "action"]], left_on="_key", right_on="_gap_key")
    met = g["met"].astype(bool)
    planning_closable = (g["action"] == "quy_hoach") & g["closable"].astype(bool)
    status = np.select([met, planning_closable], ["dat", "can_xem_xet"], "khong_dat")
    reason = g["reason"].astype(str) + np.where(~met & planning_closable,
                                                " — có thể bổ sung qua đào tạo sau khi quy hoạch", "")
    out = pd.DataFrame({"proposal_id": g["proposal_id"].to_numpy(), "item": "tieu_chuan", "status": status,
                        "reason": reason.to_numpy(), "reference": g["reference"].astype(str).to_numpy(),
                        "assumption": g["assumption"].astype(bool).to_numpy()})
    none = props.loc[~props["proposal_id"].isin(out["proposal_id"])]
    if len(none):
        out = pd.concat([out, _check(none, "tieu_chuan", "khong_ap_dung",
                                     "Chức danh này không có tiêu chuẩn riêng trong tham số tiêu chuẩn", "", False)],
                        ignore_index=True)
    return out


def _planning_item(props: pd.DataFrame, planning: pd.DataFrame, P: ParameterSet, when: pd.Timestamp) -> pd.DataFrame:
    """``quy_hoach``: the cadre is in planning as the action requires."""
    name = "vetting.planning_required"
    if name not in P:
        return _not_in_force(props, "quy_hoach", name, when)
    required = P.get(name)
    ref, assumption = _ref(P, name)
    pl = planning.copy()
    end_year = pd.to_numeric(pl["term"].astype(str).str.extract(r"(\d{4})\D+(\d{4})")[1], errors="coerce")
    active = ((pl["added_on"].isna() | (pl["added_on"] <= when))
              & (pl["removed_on"].isna() | (pl["removed_on"] > when))
              & (end_year.isna() | (end_year >= when.year)))
    pl = pl.loc[active & pl["cadre_id"].isin(props["cadre_id"])]
    pl_label = pl["target_title"].map(TITLE).fillna(pl["target_title"]) + " (" + pl["target_unit_id"] + ", " + pl["term"] + ")"
    listing = pl.assign(_l=pl_label).groupby("cadre_id")["_l"].agg(lambda s: ", ".join(sorted(set(s))))
    n_posts = pl.drop_duplicates(["cadre_id", "target_title", "target_unit_id"]).groupby("cadre_id").size()
    same = props.merge(pl[["cadre_id", "target_title", "target_unit_id"]].drop_duplicates(),
                       on=["cadre_id", "target_title", "target_unit_id"], how="left", indicator=True)
    in_same = pd.Series((same["_merge"] == "both").to_numpy(), index=props.index)
    in_any = props["cadre_id"].isin(pl["cadre_id"])
    have = props["cadre_id"].map(listing).astype(object).fillna("")
    mode = props["action"].map(required)
    parts = []
    m = mode == "cung_chuc_danh"
    if m.any():
        st = np.select([in_same[m], in_any[m]], ["dat", "can_xem_xet"], "khong_dat")
        rs = np.select([in_same[m], in_any[m]],
                       ["Đạt: đang trong quy hoạch chức danh được đề xuất",
                        "Chưa có trong quy hoạch chức danh được đề xuất tại đơn vị này; đang trong quy hoạch: "
                        + have[m]],
                       "Không đạt: chưa có trong quy hoạch chức danh được đề xuất")
        parts.append(_check(props.loc[m], "quy_hoach", st, rs, ref, assumption))
    m = mode == "bat_ky"
    if m.any():
        parts.append(_check(props.loc[m], "quy_hoach", np.where(in_any[m], "dat", "khong_dat"),
                            np.where(in_any[m], "Đạt: đang trong quy hoạch " + have[m],
                                     "Không đạt: cán bộ luân chuyển phải đang trong quy hoạch chức danh lãnh đạo"),
                            ref, assumption))
    m = props["action"] == "quy_hoach"
    if m.any():
        cap = int(P.get("planning.max_posts_per_person"))
        ref2, assumption2 = _ref(P, "planning.max_posts_per_person")
        count = props.loc[m, "cadre_id"].map(n_posts).fillna(0).astype(int) + (~in_same[m]).astype(int)
        st = np.select([in_same[m], count > cap], ["can_xem_xet", "khong_dat"], "dat")
        rs = np.select([in_same[m], count > cap],
                       ["Đã có trong quy hoạch chức danh này: đề xuất bị trùng",
                        "Không đạt: sẽ được quy hoạch vào " + count.astype(str) + f" chức danh, tối đa {cap}"],
                       "Đạt: sau đề xuất được quy hoạch vào " + count.astype(str) + f" chức danh (tối đa {cap})")
        parts.append(_check(props.loc[m], "quy_hoach", st, rs, ref2, assumption2))
    rest = props.loc[~props["proposal_id"].isin(pd.concat(parts)["proposal_id"] if parts else [])]
    if len(rest):
        parts.append(_check(rest, "quy_hoach", "khong_ap_dung", "Không xét quy hoạch với hình thức đề xuất này",
                            ref, assumption))
    # Quy định 377-QĐ/TW: no planning at the same time as proposing an appointment or nomination
    rule = "planning.no_planning_with_appointment"
    if rule in P and bool(P.get(rule)) and "_batch_appoint" in props:
        both = (props["action"] == "quy_hoach") & props["_batch_appoint"]
        if both.any():
            ref3, assumption3 = _ref(P, rule)
            parts.append(_check(props.loc[both], "quy_hoach", "khong_dat",
                                "Không đạt: cùng đợt đã đề xuất bổ nhiệm hoặc giới thiệu ứng cử cán bộ này; không "
                                "quy hoạch đồng thời với đề xuất bổ nhiệm, giới thiệu ứng cử", ref3, assumption3))
    return pd.concat(parts, ignore_index=True)


def _competence_item(props: pd.DataFrame, P: ParameterSet, scopes: pd.DataFrame, when: pd.Timestamp) -> pd.DataFrame:
    """``tham_quyen``: who decides the post and whether it is filled by election or appointment.

    Reads :func:`kimson_ds.rules.competence.competence` (``management.competence``): a
    "bổ nhiệm" of a post filled by election, designation or consultation is không đạt; a
    post decided by the provincial standing committee is cần xem xét (the district only
    proposes).
    """
    from kimson_ds.rules.competence import COMPETENCE_PARAM, competence

    if COMPETENCE_PARAM not in P:
        return _not_in_force(props, "tham_quyen", COMPETENCE_PARAM, when)
    kind = props["target_unit_id"].map(scopes["kind"]) if "kind" in scopes else pd.Series(None, index=props.index)
    c = competence(pd.DataFrame({"title": props["target_title"], "unit_kind": kind}, index=props.index), when,
                   params=P)
    mode, body = c["mode"].fillna(""), c["body"].fillna("")
    elected = mode.isin(["bau", "chi_dinh", "hiep_thuong"]) & (props["action"] == "bo_nhiem")
    province = body == "btv_tinh_uy"
    unknown = mode == ""
    status = np.select([unknown, elected, province], ["khong_ap_dung", "khong_dat", "can_xem_xet"], "dat")
    reason = np.select(
        [unknown, elected, province],
        [f"Không có quy tắc phân cấp cho chức danh này vào ngày {when:%d/%m/%Y}",
         "Không đạt: chức danh được " + c["mode_vi"].str.lower() + ", không bổ nhiệm",
         "Chức danh thuộc diện " + c["body_vi"] + " quản lý: cấp huyện chỉ đề xuất, cấp tỉnh thẩm định và quyết định"],
        "Đạt: " + c["body_vi"] + " quyết định, hình thức " + c["mode_vi"].str.lower())
    return _check(props, "tham_quyen", status, reason, c["reference"].to_numpy(), c["assumption"].to_numpy())


def _ratings_item(props: pd.DataFrame, ratings: pd.DataFrame, P: ParameterSet) -> pd.DataFrame:
    """``xep_loai``: the last N years rated "hoàn thành tốt" or better."""
    n = int(P.get("vetting.min_rating_years"))
    ref, assumption = _ref(P, "vetting.min_rating_years")
    year0 = props["effective_date"].dt.year
    grid = props[["proposal_id", "cadre_id"]].assign(_y0=year0.to_numpy()).merge(
        pd.DataFrame({"_k": np.arange(1, n + 1)}), how="cross")
    grid["year"] = grid["_y0"] - grid["_k"]
    r = ratings[["cadre_id", "year", "score", "level"]].copy()
    r["year"] = r["year"].astype("Int64").astype(float)
    grid["year"] = grid["year"].astype(float)
    g = grid.merge(r, on=["cadre_id", "year"], how="left")
    level = g["level"].astype(object)
    need_score = level.isna() & g["score"].notna()
    if need_score.any() and "rating.point_thresholds" in P:
        th = P.get("rating.point_thresholds")
        ref_t, a_t = _ref(P, "rating.point_thresholds")
        ref, assumption = "; ".join(x for x in (ref, ref_t) if x), assumption or a_t
        s = g["score"]
        by_score = np.select([s >= th["xuat_sac"], s >= th["tot"], s >= th["hoan_thanh"]],
                             ["xuat_sac", "tot", "hoan_thanh"], "khong_hoan_thanh")
        level = level.where(~need_score, pd.Series(by_score, index=g.index))
    g["level"] = level
    rank = {c: i for i, c in enumerate(RATING_ORDER)}
    g["_rank"] = g["level"].map(rank)
    g["_bad"] = g["_rank"] > rank["tot"]
    g["_missing"] = g["_rank"].isna()
    g["_txt"] = (g["year"].astype(int).astype(str) + ": "
                 + g["level"].map(RATING_LEVEL).fillna("chưa có dữ liệu xếp loại").str.lower())
    g = g.sort_values(["proposal_id", "year"])
    agg = g.groupby("proposal_id", sort=False).agg(bad=("_bad", "any"), missing=("_missing", "any"),
                                                    txt=("_txt", "; ".join))
    agg = agg.reindex(props["proposal_id"])
    st = np.select([agg["bad"].to_numpy(dtype=bool), agg["missing"].to_numpy(dtype=bool)],
                   ["khong_dat", "can_xem_xet"], "dat")
    head = np.select([st == "khong_dat", st == "can_xem_xet"], ["Không đạt", "Cần xem xét (thiếu dữ liệu)"], "Đạt")
    reason = (pd.Series(head, index=agg.index) + ": xếp loại " + agg["txt"].astype(str)
              + f" (yêu cầu {n} năm gần nhất từ hoàn thành tốt nhiệm vụ trở lên)")
    return _check(props, "xep_loai", st, reason.to_numpy(), ref, assumption)


def _discipline_item(props: pd.DataFrame, discipline: pd.DataFrame, P: ParameterSet,
                     when: pd.Timestamp) -> pd.DataFrame:
    """``ky_luat``: no discipline in force on the effective date (:mod:`kimson_ds.rules.notions`)."""
    months = P.get("rotation.discipline_bar_months")
    ref, assumption = _ref(P, "rotation.discipline_bar_months")
    d = discipline.loc[discipline["cadre_id"].isin(props["cadre_id"])]
    periods = notions.discipline_periods(d, months)
    periods = periods.loc[periods["decided_on"] <= when]
    if len(periods):
        live = periods["until"].isna() | (periods["until"] > when)  # notions.discipline_in_force
        active = periods.loc[live].groupby("cadre_id")["text"].agg("; ".join)
        past = periods.loc[~live].groupby("cadre_id")["text"].agg("; ".join)
    else:
        active = past = pd.Series(dtype=object)
    a = props["cadre_id"].map(active).astype(object)
    p = props["cadre_id"].map(past).astype(object)
    st = np.where(a.notna(), "khong_dat", "dat")
    reason = np.where(a.notna(), "Không đạt: đang trong thời hạn kỷ luật — " + a.fillna(""),
                      np.where(p.notna(), "Đạt: kỷ luật đã hết thời hạn — " + p.fillna(""),
                               "Đạt: không bị kỷ luật"))
    return _check(props, "ky_luat", st, reason, ref, assumption)


def _non_local_item(props: pd.DataFrame, P: ParameterSet, scopes: pd.DataFrame, units: pd.DataFrame,
                    when: pd.Timestamp) -> pd.DataFrame:
    """``khong_dia_phuong``: the non-local rules that match each proposal."""
    name = "vetting.non_local_rules"
    if name not in P:
        return _not_in_force(props, "khong_dia_phuong", name, when)
    rules = P.get(name) or []
    assumption = _ref(P, name)[1]
    kind = props["target_unit_id"].map(scopes["kind"])
    function = props["target_unit_id"].map(scopes["function"])
    parent = props["target_unit_id"].map(scopes["parent"])
    target_loc = props["target_unit_id"].map(scopes["locality"])
    home = notions.unit_on(units, props["home_unit_id"], when)  # a merged home commune is its successor
    home_loc = home.map(scopes["locality"])
    parts = []
    for rule in rules:  # a couple of rules
        m = props["action"].isin(rule.get("actions") or list(ACTIONS))
        if rule.get("titles"):
            m &= props["target_title"].isin(rule["titles"])
        if rule.get("unit_kinds"):
            m &= kind.isin(rule["unit_kinds"])
        if rule.get("unit_functions"):
            m &= function.isin(rule["unit_functions"])
        if rule.get("committee_level") == "huyen":  # the district's own committee, not one under it
            m &= parent.isna()
        if not m.any():
            continue
        if rule["scope"] == "xa":
            local = home_loc[m] == target_loc[m]
            where = "xã, thị trấn nơi đến"
        else:
            local = home[m].isin(pd.Index(units["unit_id"]))
            where = "huyện"
        unknown = home[m].isna()
        st = np.select([unknown, local], ["can_xem_xet", rule.get("severity", "khong_dat")], "dat")
        desc = " ".join(str(rule.get("description_vi", "")).split())
        rs = np.select([unknown, local],
                       [f"Cần xem xét: thiếu quê quán để áp dụng quy tắc — {desc}",
                        f"Quê quán thuộc {where} (người địa phương) — {desc}"],
                       f"Đạt: không là người địa phương của {where} — {desc}")
        parts.append(_check(props.loc[m], "khong_dia_phuong", st, rs, str(rule.get("reference", "")), assumption))
    done = pd.concat(parts)["proposal_id"] if parts else pd.Series(dtype=object)
    rest = props.loc[~props["proposal_id"].isin(done)]
    if len(rest):
        parts.append(_check(rest, "khong_dia_phuong", "khong_ap_dung",
                            "Không có quy tắc bố trí không là người địa phương cho chức danh, hình thức này", "", False))
    return pd.concat(parts, ignore_index=True)


def _relatives_item(props: pd.DataFrame, conflicts: pd.DataFrame, P: ParameterSet, when: pd.Timestamp,
                    all_props: pd.DataFrame) -> pd.DataFrame:
    """``nguoi_than``: no relatives conflict with current holders or inside the batch."""
    name = "relatives.linked_posts"
    for needed in (name, "relatives.definition"):
        if needed not in P:
            return _not_in_force(props, "nguoi_than", needed, when)
    P.get(name)
    P.get("relatives.definition")
    ref, assumption = _ref(P, name, "relatives.definition")
    long = pd.concat([conflicts.assign(_pid=conflicts["proposal_a"], _other=conflicts["proposal_b"]),
                      conflicts.loc[conflicts["proposal_b"] != ""].assign(_pid=conflicts["proposal_b"],
                                                                           _other=conflicts["proposal_a"])],
                     ignore_index=True)
    long = long.loc[long["_pid"].isin(props["proposal_id"])]
    # a plan is not a holding: a conflict with a planning proposal counts against the plan only
    plans = set(all_props.loc[all_props["action"] == "quy_hoach", "proposal_id"])
    long = long.loc[long["_pid"].isin(plans) | ~long["_other"].isin(plans)]
    txt = long.groupby("_pid")["reason"].agg(lambda s: " | ".join(dict.fromkeys(s)))
    refs = long.groupby("_pid")["reference"].agg(lambda s: "; ".join(dict.fromkeys(s)))
    found = props["proposal_id"].map(txt).astype(object)
    planning = props["action"] == "quy_hoach"
    st = np.select([found.notna() & planning, found.notna()], ["can_xem_xet", "khong_dat"], "dat")
    reason = np.where(found.notna(),
                      np.where(planning, "Cần xem xét (quy hoạch, chưa giữ chức vụ): ", "Không đạt: ") + found.fillna(""),
                      "Đạt: không có người thân giữ chức vụ liên quan, kể cả trong cùng đợt đề xuất")
    reference = props["proposal_id"].map(refs).astype(object).fillna(ref)
    return _check(props, "nguoi_than", st, reason, reference.to_numpy(), assumption)


# =========================================================================== public API


@dataclass
class VetResult:
    """Outcome of :func:`vet`.

    Attributes
    ----------
    checklist : DataFrame
        :data:`CHECKLIST_COLUMNS`, one row per proposal and item.
    verdicts : DataFrame
        :data:`VERDICT_COLUMNS`, one row per proposal.
    conflicts : DataFrame
        :data:`~kimson_ds.vetting.conflicts.CONFLICT_COLUMNS`: existing conflicts among
        current holders on ``as_of`` and the conflicts the batch creates.
    params : list of ParameterSet
        Every parameter set read (one or more per date), for "Căn cứ pháp lý".
    as_of : Timestamp
        The date of the current-holders conflicts report.
    """

    checklist: pd.DataFrame
    verdicts: pd.DataFrame
    conflicts: pd.DataFrame
    params: list = field(default_factory=list)
    as_of: pd.Timestamp | None = None

    @property
    def exit_code(self) -> int:
        """0 when every proposal is đạt or cần xem xét, 1 when any is không đạt."""
        return int((self.verdicts["verdict"] == "khong_dat").any())

    def parameters_used(self) -> dict:
        """``{date: {name: value}}`` of every parameter read, for the run record."""
        out: dict[str, dict] = {}
        for P in self.params:
            out.setdefault(P.as_of.isoformat(), {}).update(P.used)
        return {k: dict(sorted(v.items())) for k, v in sorted(out.items())}


def checklist(tables, proposals: pd.DataFrame, *, overrides: dict | None = None,
              used_params: list | None = None, conflicts: pd.DataFrame | None = None) -> pd.DataFrame:
    """The checklist of every proposal (see the module docstring for the items).

    Parameters
    ----------
    tables : Dataset or dict of DataFrame
        The dataset (``cadres``, ``units``, ``positions``, ``planning``,
        ``ratings``, ``discipline``, ``relatives``, ``rotations``, ``trainings``,
        ``courses``).
    proposals : DataFrame
        From :func:`parse_proposals` / :func:`read_proposals`.
    overrides : dict, optional
        Scenario overrides of parameters (ASSUMPTIONs can be changed here).
    used_params : list, optional
        Receives every :class:`ParameterSet` read.
    conflicts : DataFrame, optional
        Precomputed :func:`kimson_ds.vetting.conflicts.proposal_conflicts`.

    Returns
    -------
    DataFrame
        :data:`CHECKLIST_COLUMNS`, ordered by proposal (file order) and item.
    """
    used = used_params if used_params is not None else []
    cadres, units = tables["cadres"], tables["units"]
    props = proposals.reset_index(drop=True).copy()
    props["effective_date"] = pd.to_datetime(props["effective_date"]).dt.normalize()
    info = cadres.set_index("cadre_id")
    for col in ("full_name", "birth_date", "gender", "home_unit_id"):
        props[col] = props["cadre_id"].map(info[col]) if col in info.columns else None
    scopes = unit_scopes(units)
    props["post"] = (props["target_title"].map(TITLE).fillna(props["target_title"]) + " – "
                     + props["target_unit_id"].map(scopes["name"]).fillna(props["target_unit_id"]))
    # first appointment (shared notion): never held the title, in any unit, on or before the effective date
    props["_first_time"] = True
    for when in props["effective_date"].unique():  # a few dates
        on = props["effective_date"] == when
        props.loc[on, "_first_time"] = notions.first_appointment(props.loc[on], notions.titles_held(tables, when))
    props["_first_time"] = props["_first_time"].astype(bool)
    props["_years_left"] = years_of_service_left(props["birth_date"], props["gender"], props["effective_date"])
    props["_gap_key"] = props.index.astype(str)
    # planning proposals: the planned term is the next term of the planning table starting after the proposal
    starts = pd.to_numeric(_table(tables, "planning")["term"].astype(str).str.extract(r"(\d{4})")[0],
                           errors="coerce").dropna().astype(int).unique()
    eff_year = props["effective_date"].dt.year.to_numpy()
    nxt = np.array([min((y for y in starts if y > e), default=-1) for e in eff_year], dtype=int) if len(props) \
        else np.zeros(0, dtype=int)  # loop over a handful of distinct years per proposal batch
    known = nxt > 0
    start_year = pd.Series(np.where(known, nxt, props["effective_date"].dt.year), index=props.index)
    md = (parameters(props["effective_date"].max().date(), overrides).get("term.start_default") if len(props)
          else {"month": 1, "day": 1})
    props["_term_start"] = pd.to_datetime(pd.DataFrame({"year": start_year, "month": int(md["month"]),
                                                        "day": int(md["day"])})).where(known, props["effective_date"])
    props["_term_note"] = np.where(known, "", " (chưa có nhiệm kỳ sau trong dữ liệu quy hoạch: tính từ ngày hiệu lực)")
    props["_years_left_term"] = years_of_service_left(props["birth_date"], props["gender"], props["_term_start"])

    # the same cadre proposed for appointment or nomination in the same batch (for the QĐ 377 sequencing rule)
    appointed = props.loc[props["action"].isin(["bo_nhiem", "gioi_thieu_ung_cu"]), "cadre_id"]
    props["_batch_appoint"] = props["cadre_id"].isin(appointed)

    # standards of the title (qualifications as on the effective date)
    # one standards call per date (a few dates), with the qualifications held on that date
    gap_parts = []
    props["_first_std"] = props["_first_time"] & (props["action"] != "quy_hoach")
    # one call per (date, first appointment or not): a plan and a proposal of the same person for the same
    # post on one day keep their own standards
    for when, first in props[["effective_date", "_first_std"]].drop_duplicates().sort_values(
            ["effective_date", "_first_std"]).itertuples(index=False):
        sub = props.loc[(props["effective_date"] == when) & (props["_first_std"] == first)]
        qc = notions.qualifications_on(tables, pd.Timestamp(when))
        targets = pd.DataFrame({"cadre_id": sub["cadre_id"], "target_title": sub["target_title"],
                                "target_unit_id": sub["target_unit_id"], "take_up_date": sub["effective_date"],
                                "first_time": sub["_first_std"],
                                "_key": sub["_gap_key"]})
        g = standards_gaps(qc, targets.drop(columns="_key").drop_duplicates(), pd.Timestamp(when), units=units,
                           overrides=overrides, used_params=used)
        # standards_gaps keeps the target order within a date; map rows back by their keys
        g = g.merge(targets[["cadre_id", "target_title", "target_unit_id", "_key"]],
                    on=["cadre_id", "target_title", "target_unit_id"])
        gap_parts.append(g)
    gaps = pd.concat(gap_parts, ignore_index=True) if gap_parts else pd.DataFrame(columns=["_key", "standard"])

    if conflicts is None:
        conflicts = proposal_conflicts(tables, props, overrides=overrides, used_params=used)

    parts = []
    for when in sorted(props["effective_date"].unique()):  # a few dates
        when = pd.Timestamp(when)
        sub = props.loc[props["effective_date"] == when]
        P = parameters(when.date(), overrides)
        used.append(P)
        sub_gaps = gaps.loc[gaps["_key"].isin(sub["_gap_key"])]
        parts += [
            _position_item(sub, props, units, P, when),
            _years_left_item(sub, P, sub_gaps),
            _standards_item(sub, sub_gaps),
            _planning_item(sub, _table(tables, "planning"), P, when),
            _ratings_item(sub, _table(tables, "ratings"), P),
            _discipline_item(sub, _table(tables, "discipline"), P, when),
            _non_local_item(sub, P, scopes, units, when),
            _relatives_item(sub, conflicts, P, when, props),
            _competence_item(sub, P, scopes, when),
        ]
    raw = pd.concat(parts, ignore_index=True)
    return _aggregate(raw, props)


def _aggregate(raw: pd.DataFrame, props: pd.DataFrame) -> pd.DataFrame:
    """One row per (proposal, item): the worst status, reasons and references joined."""
    raw = raw.copy()
    raw["_sev"] = raw["status"].map(_SEVERITY)
    raw["reason"] = raw["reason"].astype(str)
    raw["reference"] = raw["reference"].astype(str)
    agg = raw.groupby(["proposal_id", "item"], sort=False).agg(
        _sev=("_sev", "max"),
        reason=("reason", lambda s: "; ".join(dict.fromkeys(x for x in s if x))),
        reference=("reference", lambda s: "; ".join(dict.fromkeys(t for x in s for t in x.split("; ") if t))),
        assumption=("assumption", "any"),
    ).reset_index()
    agg["status"] = agg["_sev"].map(_BY_SEVERITY)
    out = agg.merge(props[["proposal_id", "cadre_id", "full_name", "action", "post", "effective_date"]],
                    on="proposal_id")
    out["action_vi"] = out["action"].map(ACTIONS)
    out["item_vi"] = out["item"].map(ITEMS)
    out["status_vi"] = out["status"].map(STATUS)
    out["reference"] = np.where(out["assumption"] & (out["reference"] != ""),
                                out["reference"] + " (có GIẢ ĐỊNH)", out["reference"])
    order = {pid: i for i, pid in enumerate(props["proposal_id"])}
    items = {k: i for i, k in enumerate(ITEMS)}
    out = out.assign(_o=out["proposal_id"].map(order), _i=out["item"].map(items)).sort_values(["_o", "_i"])
    out["effective_date"] = pd.to_datetime(out["effective_date"]).dt.strftime("%Y-%m-%d")
    return out[CHECKLIST_COLUMNS].reset_index(drop=True)


def verdicts(items: pd.DataFrame) -> pd.DataFrame:
    """One verdict per proposal from its checklist.

    ``khong_dat`` if any item is không đạt, else ``can_xem_xet`` if any item
    needs review, else ``dat``. ``failed_items`` and ``review_items`` name the
    items; ``summary`` gives their reasons.
    """
    c = items.copy()
    c["_sev"] = c["status"].map(_SEVERITY)
    c["_fail"] = np.where(c["status"] == "khong_dat", c["item_vi"], "")
    c["_review"] = np.where(c["status"] == "can_xem_xet", c["item_vi"], "")
    c["_why"] = np.where(c["_sev"] >= 2, c["item_vi"] + ": " + c["reason"], "")

    def join(s):
        return "; ".join(x for x in s if x)

    v = c.groupby("proposal_id", sort=False).agg(
        cadre_id=("cadre_id", "first"), full_name=("full_name", "first"), action=("action", "first"),
        action_vi=("action_vi", "first"), post=("post", "first"), effective_date=("effective_date", "first"),
        _sev=("_sev", "max"), failed_items=("_fail", join), review_items=("_review", join),
        summary=("_why", lambda s: " | ".join(x for x in s if x)),
    ).reset_index()
    v["verdict"] = v["_sev"].clip(lower=1).map(_BY_SEVERITY)
    v["verdict_vi"] = v["verdict"].map(STATUS)
    v["summary"] = v["summary"].where(v["summary"] != "", "Đạt tất cả các mục kiểm tra")
    return v[VERDICT_COLUMNS]


def vet(tables, proposals: pd.DataFrame, *, as_of: Any = None, overrides: dict | None = None) -> VetResult:
    """Vet a batch of proposals: checklist, verdicts and relatives conflicts.

    Parameters
    ----------
    tables : Dataset or dict of DataFrame
    proposals : DataFrame
        From :func:`read_proposals` or :func:`parse_proposals`.
    as_of : date-like, optional
        A further date of the report of existing conflicts among current
        holders (they are listed on every effective date of the batch, each
        once on the first date it exists; default: the latest effective date).
    overrides : dict, optional
        Scenario overrides of parameters.

    Returns
    -------
    VetResult
    """
    used: list[ParameterSet] = []
    props = proposals.copy()
    props["effective_date"] = pd.to_datetime(props["effective_date"]).dt.normalize()
    when = pd.Timestamp(as_of).normalize() if as_of is not None else props["effective_date"].max()
    batch = proposal_conflicts(tables, props, overrides=overrides, used_params=used)
    items = checklist(tables, props, overrides=overrides, used_params=used, conflicts=batch)
    # existing conflicts among current holders on every batch date (and ``as_of``), each on its first date
    dates = sorted({*props["effective_date"].unique(), when})
    found = []
    for day in dates:  # a few dates
        P = parameters(pd.Timestamp(day).date(), overrides)
        used.append(P)
        found.append(current_conflicts(tables, pd.Timestamp(day), params=P))
    found = [f for f in found if len(f)]
    existing = (pd.concat(found, ignore_index=True).drop_duplicates(
        ["rule_id", "cadre_a", "position_a", "cadre_b", "position_b"]) if found else pd.DataFrame())
    parts = [x for x in (existing, batch) if len(x)]
    conflicts = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=CONFLICT_COLUMNS)
    return VetResult(items, verdicts(items), conflicts[CONFLICT_COLUMNS], used, when)
