"""Validation of a dataset: referential integrity and domain sanity.

Column-level checks (types, codes, required values) happen while parsing in
:mod:`kimson_ds.data.io`; this module checks what needs whole tables: duplicate ids,
references that do not resolve, impossible dates, dates in the future, and
planning rows that do not fit the organisation. It never raises: it returns
every :class:`Issue` it finds, errors and warnings alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kimson_ds.data.codes import LADDERS, TITLE
from kimson_ds.data.schema import TABLES

SEVERITY_VI = {"error": "LỖI", "warning": "CẢNH BÁO"}


@dataclass(frozen=True)
class Issue:
    """One problem found in a dataset.

    Attributes
    ----------
    severity : {"error", "warning"}
    table : str
        Table code (``cadres``), empty for a file outside the contract.
    source : str
        The file or sheet, as the user names it.
    row : int or None
        The row as the user sees it (the header is row 1).
    column : str or None
    value : str or None
        The offending value, as typed.
    message : str
        What is wrong, in Vietnamese.
    expected : str or None
        What was expected, in Vietnamese.
    """

    severity: str
    table: str
    source: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    expected: str | None = None

    def __str__(self) -> str:
        parts = [f"[{SEVERITY_VI[self.severity]}] {self.source}"]
        if self.row is not None:
            parts.append(f"dòng {self.row}")
        if self.column:
            col = self.column
            if self.table in TABLES and col in TABLES[self.table].column_names:
                col = f"{col} ({TABLES[self.table].column(col).header_vi})"
            parts.append(f"cột {col}")
        text = ", ".join(parts) + ": "
        if self.value is not None:
            text += f"giá trị '{self.value}' — "
        text += self.message
        if self.expected:
            text += f"; cần: {self.expected}"
        return text

    def as_dict(self) -> dict:
        return {
            "muc_do": SEVERITY_VI[self.severity],
            "tep": self.source,
            "dong": self.row,
            "cot": self.column,
            "gia_tri": self.value,
            "loi": self.message,
            "can": self.expected,
        }


def issues_frame(issues: list[Issue]) -> pd.DataFrame:
    """Issues as a table with Vietnamese column names, for reports."""
    cols = {"muc_do": "Mức độ", "tep": "Tệp/trang", "dong": "Dòng", "cot": "Cột",
            "gia_tri": "Giá trị", "loi": "Vấn đề", "can": "Cần"}
    return pd.DataFrame([i.as_dict() for i in issues], columns=list(cols)).rename(columns=cols)


def _as_of(as_of) -> pd.Timestamp:
    return pd.Timestamp.today().normalize() if as_of is None else pd.Timestamp(as_of).normalize()


class _Collector:
    def __init__(self, sources, rows):
        self.sources, self.rows, self.issues = sources, rows, []

    def add(self, severity, table, mask, column, values, message, expected=None):
        idx = np.flatnonzero(np.asarray(mask, dtype=bool))
        rows = self.rows.get(table, np.arange(0))
        for i in idx:
            val = None
            if values is not None:
                v = values.iloc[i]
                val = v.strftime("%Y-%m-%d") if isinstance(v, pd.Timestamp) else (None if v is None or v != v else str(v))
            self.issues.append(Issue(severity, table, self.sources.get(table, table),
                                     int(rows[i]) if i < len(rows) else None, column, val, message, expected))


def validate_tables(tables: dict[str, pd.DataFrame], sources: dict[str, str], rows: dict[str, np.ndarray],
                    *, as_of=None, unavailable=frozenset()) -> list[Issue]:
    """Check keys, references and domain rules over typed tables.

    Parameters
    ----------
    tables : dict of str to DataFrame
        Parsed tables (see :mod:`kimson_ds.data.io`).
    sources, rows : dict
        Where each table and row came from, for the messages.
    as_of : date-like, optional
        Event dates after this day are errors; defaults to today.
    unavailable : set of str
        Tables that could not be read; references into them are not checked,
        so one unreadable file does not bury its own error under hundreds.

    Returns
    -------
    list of Issue
    """
    c = _Collector(sources, rows)
    today = _as_of(as_of)
    _keys(tables, c)
    _references(tables, c, unavailable)
    _dates(tables, c, today)
    _domain(tables, c, unavailable)
    history_issues(tables, c, unavailable)
    return c.issues


def _keys(tables, c: _Collector) -> None:
    for name, table in TABLES.items():
        df = tables[name]
        if not table.key or df.empty:
            continue
        key = list(table.key)
        complete = df[key].notna().all(axis=1)
        dup = df[key].duplicated(keep="first") & complete
        label = " + ".join(key)
        if len(key) == 1:
            c.add("error", name, dup, key[0], df[key[0]], f"mã trùng ({label} đã xuất hiện ở dòng trước)",
                  "mỗi mã chỉ xuất hiện một lần")
        else:
            vals = df[key].astype(str).agg(" / ".join, axis=1)
            c.add("error", name, dup, label, vals, "dòng trùng khóa với một dòng trước",
                  f"mỗi tổ hợp {label} chỉ xuất hiện một lần")


def _references(tables, c: _Collector, unavailable) -> None:
    for name, table in TABLES.items():
        df = tables[name]
        for col in table.columns:
            if not col.references or df.empty:
                continue
            ref_table, ref_col = col.references.split(".")
            if ref_table in unavailable:
                continue
            known = set(tables[ref_table][ref_col].dropna())
            vals = df[col.name]
            bad = vals.notna() & ~vals.isin(known)
            c.add("error", name, bad, col.name, vals, f"mã không tồn tại trong bảng {ref_table}",
                  f"một {ref_col} có trong {ref_table}")
    rel = tables["relatives"]
    if not rel.empty and "cadres" not in unavailable:
        known = set(tables["cadres"]["cadre_id"].dropna())
        c.add("warning", "relatives", rel["relative_id"].notna() & ~rel["relative_id"].isin(known), "relative_id",
              rel["relative_id"], "người thân không có trong bảng cán bộ; chỉ dùng để suy ra quan hệ", None)
        c.add("error", "relatives", rel["relative_id"] == rel["cadre_id"], "relative_id", rel["relative_id"],
              "một người không thể là người thân của chính mình", "mã người thân khác mã cán bộ")


def _dates(tables, c: _Collector, today: pd.Timestamp) -> None:
    for name, table in TABLES.items():
        df = tables[name]
        for col in table.columns:
            if col.kind == "date" and col.not_future and not df.empty:
                c.add("error", name, df[col.name] > today, col.name, df[col.name],
                      f"ngày ở tương lai (sau ngày {today:%d/%m/%Y})", f"ngày không muộn hơn {today:%d/%m/%Y}")
        for col in table.columns:
            if col.name == "year" and not df.empty:
                c.add("error", name, df["year"].astype("Float64") > today.year, "year", df["year"],
                      f"năm ở tương lai (sau năm {today.year})", f"năm không muộn hơn {today.year}")
    pairs = [
        ("units", "valid_from", "valid_to", "ngày hết hiệu lực trước ngày bắt đầu hiệu lực"),
        ("planning", "added_on", "removed_on", "ngày đưa ra khỏi quy hoạch trước ngày đưa vào"),
        ("rotations", "start_date", "end_date", "ngày kết thúc trước ngày bắt đầu"),
        ("discipline", "decided_on", "expires_on", "ngày hết hiệu lực trước ngày quyết định"),
    ]
    for name, start, end, msg in pairs:
        df = tables[name]
        if not df.empty:
            c.add("error", name, df[end] < df[start], end, df[end], msg, f"ngày không sớm hơn {start}")
    cad = tables["cadres"]
    if not cad.empty:
        for col, min_age, label in (("work_start_date", 15, "bắt đầu công tác"), ("party_join_date", 18, "vào Đảng")):
            early = cad[col].notna() & cad["birth_date"].notna() & (cad[col] < cad["birth_date"])
            c.add("error", "cadres", early, col, cad[col], f"ngày {label} trước ngày sinh", "ngày sau ngày sinh")
            young = ~early & cad[col].notna() & (cad[col] < cad["birth_date"] + pd.DateOffset(years=min_age))
            c.add("warning", "cadres", young, col, cad[col], f"{label} khi chưa đủ {min_age} tuổi",
                  "kiểm tra lại ngày sinh và ngày " + label)


def _domain(tables, c: _Collector, unavailable) -> None:
    plan = tables["planning"]
    if not plan.empty:
        term = plan["term"].fillna("")
        parsed = term.str.extract(r"^(\d{4})\s*[-–]\s*(\d{4})$")
        good = parsed.notna().all(axis=1)
        c.add("error", "planning", ~good & (term != ""), "term", plan["term"], "nhiệm kỳ không đúng dạng",
              "dạng năm-năm, ví dụ 2020-2025")
        span = parsed[1].astype(float) - parsed[0].astype(float)
        c.add("error", "planning", good & (span <= 0), "term", plan["term"], "năm kết thúc nhiệm kỳ không sau năm bắt đầu",
              "ví dụ 2020-2025")
        if "positions" not in unavailable and "units" not in unavailable:
            pos = tables["positions"]
            have = set(zip(pos["unit_id"], pos["title"], strict=False))
            pairs = pd.Series(list(zip(plan["target_unit_id"], plan["target_title"], strict=False)), index=plan.index)
            missing = ~pairs.isin(have) & plan["target_unit_id"].notna() & plan["target_title"].notna()
            c.add("error", "planning", missing, "target_title",
                  plan["target_title"].map(lambda t: TITLE.get(t, t)) + " tại " + plan["target_unit_id"].astype(str),
                  "đơn vị không có chức danh này (quy hoạch cho chức danh không tồn tại)",
                  "một cặp (đơn vị, chức danh) có trong bảng positions")
        reason_wo_date = plan["removal_reason"].notna() & plan["removed_on"].isna()
        c.add("warning", "planning", reason_wo_date, "removal_reason", plan["removal_reason"],
              "có lý do đưa ra nhưng không có ngày đưa ra", "điền ngày đưa ra khỏi quy hoạch")
    courses = tables["courses"]
    if not courses.empty:
        for col in ("grants_level", "prerequisite_level"):
            allowed = courses["field"].map(lambda f: set(LADDERS.get(f, ("co",))) | ({"co"} if f == "knowledge_update" else set()))
            bad = courses[col].notna() & courses["field"].notna() & ~pd.Series(
                [v in a for v, a in zip(courses[col], allowed, strict=False)], index=courses.index)
            c.add("error", "courses", bad, col, courses[col], "trình độ không thuộc lĩnh vực của khóa học",
                  "một trình độ của đúng lĩnh vực (ví dụ lý luận chính trị: so_cap, trung_cap, cao_cap)")
    org = tables["org_ratings"]
    units = tables["units"].set_index("unit_id")["kind"] if not tables["units"].empty else pd.Series(dtype=object)
    if not org.empty:
        kind = org["unit_id"].map(units)
        bad = (org["scheme"] == "chinh_quyen") & kind.notna() & ~kind.isin(["xa", "thi_tran"])
        c.add("warning", "org_ratings", bad, "scheme", org["scheme"],
              "xếp loại chính quyền cho đơn vị không phải xã, thị trấn", "tccsd hoặc co_quan")
    pos = tables["positions"]
    if not pos.empty:
        dup_holder = pos["holder_id"].notna() & pos.duplicated(["unit_id", "title", "holder_id"], keep="first")
        c.add("error", "positions", dup_holder, "holder_id", pos["holder_id"],
              "một người giữ hai vị trí cùng chức danh trong cùng đơn vị", "mỗi người một vị trí cho mỗi chức danh")



#: Titles one person holds at a time in a unit (heads): two holdings of the same unit and
#: title may not overlap even without a position id.
SINGLE_HOLDER_TITLES = ("bi_thu", "chu_tich_ubnd", "chu_tich_hdnd", "chu_tich_mttq", "chu_nhiem_ubkt",
                        "truong_ban", "truong_phong", "truong_doan_the")
#: Minimum age to hold a post: 18 (Luật Cán bộ, công chức 2008, Điều 36: đủ 18 tuổi trở lên).
MIN_HOLDING_AGE_YEARS = 18


def _overlaps(h: pd.DataFrame, key: list[str]) -> pd.Series:
    """Rows of ``h`` overlapping another row with the same ``key`` but another cadre (vectorised self-join)."""
    far = pd.Timestamp.max.normalize()
    x = h[key + ["cadre_id", "start_date", "end_date"]].assign(_row=np.arange(len(h)),
                                                               _end=h["end_date"].fillna(far))
    m = x.merge(x, on=key, suffixes=("", "_o"))
    m = m[(m["_row"] != m["_row_o"]) & (m["cadre_id"] != m["cadre_id_o"])
          & (m["start_date"] <= m["_end_o"]) & (m["start_date_o"] <= m["_end"])]
    out = np.zeros(len(h), dtype=bool)
    out[m["_row"].to_numpy()] = True
    return pd.Series(out, index=h.index)


def history_issues(tables, c: _Collector, unavailable) -> None:
    """Checks of the work history: order of dates, overlaps of single-holder posts, age, units in force."""
    h = tables.get("work_history")
    if h is None or h.empty:
        return
    c.add("error", "work_history", h["end_date"] < h["start_date"], "end_date", h["end_date"],
          "ngày kết thúc trước ngày bắt đầu", "ngày không sớm hơn start_date")
    # The history may run past the analysis date (a run "as of 2016" on a history to 2026) but not past today.
    today = pd.Timestamp.today().normalize()
    c.add("error", "work_history", h["start_date"] > today, "start_date", h["start_date"],
          f"ngày bắt đầu ở tương lai (sau hôm nay {today:%d/%m/%Y})", "ngày đã diễn ra")
    ok = h["start_date"].notna() & ~(h["end_date"] < h["start_date"])
    hp = h[ok & h["position_id"].notna()]
    if len(hp):
        bad = _overlaps(hp, ["position_id"]).reindex(h.index, fill_value=False)
        c.add("error", "work_history", bad, "position_id", h["position_id"],
              "hai người giữ cùng một vị trí trong cùng thời gian",
              "thời gian giữ vị trí của người trước kết thúc trước khi người sau bắt đầu")
    hs = h[ok & h["title"].isin(SINGLE_HOLDER_TITLES)]
    if len(hs):
        bad = _overlaps(hs, ["unit_id", "title"]).reindex(h.index, fill_value=False)
        c.add("error", "work_history", bad, "title", h["title"],
              "hai người cùng giữ chức danh người đứng đầu của một đơn vị trong cùng thời gian",
              "mỗi đơn vị chỉ có một người đứng đầu ở mỗi thời điểm")
    if "cadres" not in unavailable and not tables["cadres"].empty:
        cad = tables["cadres"].drop_duplicates("cadre_id").set_index("cadre_id")
        birth = h["cadre_id"].map(cad["birth_date"])
        young = birth.notna() & (h["start_date"] < birth + pd.DateOffset(years=MIN_HOLDING_AGE_YEARS))
        c.add("error", "work_history", young, "start_date", h["start_date"],
              f"giữ chức danh khi chưa đủ {MIN_HOLDING_AGE_YEARS} tuổi (trước tuổi lao động)",
              "ngày bắt đầu sau ngày sinh ít nhất 18 năm; kiểm tra lại ngày sinh hoặc ngày bắt đầu")
        ws = h["cadre_id"].map(cad["work_start_date"])
        c.add("warning", "work_history", ~young & ws.notna() & (h["start_date"] < ws), "start_date",
              h["start_date"], "giữ chức danh trước ngày bắt đầu công tác ghi ở bảng cán bộ",
              "ngày không sớm hơn work_start_date của cán bộ")
    if "units" not in unavailable and not tables["units"].empty:
        u = tables["units"].drop_duplicates("unit_id").set_index("unit_id")
        vf, vt = h["unit_id"].map(u["valid_from"]), h["unit_id"].map(u["valid_to"])
        known = h["unit_id"].isin(u.index)
        before = known & vf.notna() & (h["start_date"] < vf)
        after = known & vt.notna() & (h["end_date"].isna() | (h["end_date"] > vt))
        c.add("error", "work_history", before, "start_date", h["start_date"],
              "giữ chức danh ở đơn vị trước ngày đơn vị bắt đầu hiệu lực",
              "ngày bắt đầu không sớm hơn valid_from của đơn vị")
        c.add("error", "work_history", after & ~before, "end_date", h["end_date"],
              "giữ chức danh ở đơn vị sau ngày đơn vị hết hiệu lực (hoặc chưa ghi ngày kết thúc)",
              "ngày kết thúc không muộn hơn valid_to của đơn vị")
    us = tables.get("unit_successions")
    if us is not None and not us.empty:
        total = us.groupby("unit_id")["share"].transform("sum")
        c.add("error", "unit_successions", us["share"].notna() & (total > 1.0001), "share", us["share"],
              "tổng tỷ lệ chuyển cho các đơn vị kế thừa vượt 1", "tổng tỷ lệ của một đơn vị cũ không quá 1")
