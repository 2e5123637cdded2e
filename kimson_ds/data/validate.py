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

from kimson_ds.config import shorten
from kimson_ds.data.codes import LADDERS, RELATION, RELATION_INVERSE, SINGLE_HOLDER_TITLES, TITLE
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


def _vn_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def summarise_issues(issues: list[Issue], per_column: int = 10, total: int = 200) -> list[str]:
    """Issues as printable lines, bounded whatever the input.

    The first ``per_column`` issues of each (file, column, problem) are listed,
    then one line counts the rest; at most ``total`` issue lines in all, then a
    count per file. Values are already shortened (see :func:`kimson_ds.config.shorten`).
    """
    lines: list[str] = []
    shown: dict[tuple, int] = {}
    hidden: dict[tuple, int] = {}
    order: list[tuple] = []
    for issue in issues:
        key = (issue.severity, issue.source, issue.column, issue.message)
        if key not in shown:
            shown[key], hidden[key] = 0, 0
            order.append(key)
        if shown[key] < per_column and len(lines) < total:
            lines.append(str(issue))
            shown[key] += 1
        else:
            hidden[key] += 1
    rest = [(k, n) for k, n in ((k, hidden[k]) for k in order) if n]
    for (severity, source, column, message), n in rest[:50]:
        where = f"{source}, cột {column}" if column else source
        lines.append(f"[{SEVERITY_VI[severity]}] {where}: … và {_vn_int(n)} dòng khác cùng lỗi «{message}»")
    if len(rest) > 50:
        more = sum(n for _, n in rest[50:])
        lines.append(f"… và {_vn_int(more)} vấn đề khác ở {len(rest) - 50} nhóm lỗi khác")
    return lines


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
        if isinstance(mask, pd.Series):  # comparisons with a missing value are "not flagged", never a crash
            mask = mask.astype("boolean").fillna(False).to_numpy(dtype=bool)
        idx = np.flatnonzero(np.asarray(mask, dtype=bool))
        rows = self.rows.get(table, np.arange(0))
        for i in idx:
            val = None
            if values is not None:
                val = _cell_text(values.iloc[i]) or None
            self.issues.append(Issue(severity, table, self.sources.get(table, table),
                                     int(rows[i]) if i < len(rows) else None, column, val, message, expected))


def validate_tables(tables: dict[str, pd.DataFrame], sources: dict[str, str], rows: dict[str, np.ndarray],
                    *, as_of=None, unavailable=frozenset(), max_gap_days: int | None = None) -> list[Issue]:
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
    max_gap_days : int, optional
        Longest break between two holdings of a cadre in the work history
        before a warning (default :data:`MAX_CAREER_GAP_DAYS`).

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
    history_issues(tables, c, unavailable, max_gap_days=MAX_CAREER_GAP_DAYS if max_gap_days is None else max_gap_days)
    return c.issues


def _cell_text(v) -> str:
    """A typed cell as the user would type it: ISO dates, whole numbers without .0, blanks empty."""
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return shorten(str(v))


def _keys(tables, c: _Collector) -> None:
    for name, table in TABLES.items():
        df = tables[name]
        if not table.key or df.empty:
            continue
        key = list(table.key)
        complete = df[key].notna().all(axis=1)  # rows missing a key part already have their own error
        dup = df[key].duplicated(keep="first") & complete
        label = " + ".join(key)
        if len(key) == 1:
            c.add("error", name, dup, key[0], df[key[0]], f"mã trùng ({label} đã xuất hiện ở dòng trước)",
                  "mỗi mã chỉ xuất hiện một lần")
        elif dup.any():
            vals = pd.Series("", index=df.index, dtype=object)
            vals[dup] = df.loc[dup, key].apply(lambda col: col.map(_cell_text)).agg(" / ".join, axis=1)
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
    _people(tables, c, today)


#: Plausibility bands of the data contract (not regulation values: a row outside them is a typing
#: slip to fix before any analysis runs, never a case a rule should decide).
WORKING_AGE_MIN = 18  #: no cadre works, holds a post, joins the Party or is rated before 18
WORKING_AGE_MAX = 75  #: no cadre in the working records is older (retirement is at most ~62)
WORK_START_AGE_MIN = 15  #: labour starts at 15 at the earliest
BIRTH_YEAR_MIN = 1900  #: nobody in the records was born earlier


def _dates_of(keys: pd.Series, dates: pd.Series) -> pd.Series:
    """``keys`` looked up in a date Series; always ``datetime64[ns]`` (NaT where unknown), even when empty."""
    if dates.empty or keys.empty:
        return pd.Series(pd.NaT, index=keys.index, dtype="datetime64[ns]")
    return pd.to_datetime(keys.map(dates))


def _people(tables, c: _Collector, today: pd.Timestamp) -> None:
    """Implausible people and dates: ages, and events before birth or before working age."""
    cad = tables["cadres"]
    if cad.empty:
        return
    birth = cad["birth_date"]
    c.add("error", "cadres", birth.notna() & (birth.dt.year < BIRTH_YEAR_MIN), "birth_date", birth,
          f"năm sinh trước {BIRTH_YEAR_MIN}", f"ngày sinh từ 01/01/{BIRTH_YEAR_MIN}")
    age_min = birth + pd.DateOffset(years=WORKING_AGE_MIN)
    c.add("error", "cadres", birth.notna() & (age_min > today), "birth_date", birth,
          f"cán bộ chưa đủ {WORKING_AGE_MIN} tuổi vào ngày {today:%d/%m/%Y}",
          f"ngày sinh không muộn hơn {today - pd.DateOffset(years=WORKING_AGE_MIN):%d/%m/%Y}")
    too_old = birth.notna() & (birth + pd.DateOffset(years=WORKING_AGE_MAX + 1) <= today)
    c.add("error", "cadres", too_old, "birth_date", birth,
          f"cán bộ trên {WORKING_AGE_MAX} tuổi vào ngày {today:%d/%m/%Y} (không còn công tác)",
          f"ngày sinh sau {today - pd.DateOffset(years=WORKING_AGE_MAX + 1):%d/%m/%Y}")
    for col, min_age, label in (("work_start_date", WORK_START_AGE_MIN, "bắt đầu công tác"),
                                ("party_join_date", WORKING_AGE_MIN, "vào Đảng")):
        early = cad[col].notna() & birth.notna() & (cad[col] < birth)
        c.add("error", "cadres", early, col, cad[col], f"ngày {label} trước ngày sinh", "ngày sau ngày sinh")
        young = ~early & cad[col].notna() & (cad[col] < birth + pd.DateOffset(years=min_age))
        c.add("error", "cadres", young, col, cad[col], f"{label} khi chưa đủ {min_age} tuổi",
              f"ngày từ khi đủ {min_age} tuổi; kiểm tra lại ngày sinh và ngày {label}")
    born = cad.dropna(subset=["cadre_id"]).drop_duplicates("cadre_id").set_index("cadre_id")["birth_date"]
    adult = born + pd.DateOffset(years=WORKING_AGE_MIN)
    events = (("positions", "holder_id", "holder_since", "giữ chức vụ"),
              ("rotations", "cadre_id", "start_date", "luân chuyển"),
              ("rotations", "cadre_id", "end_date", "kết thúc luân chuyển"),
              ("planning", "cadre_id", "added_on", "được đưa vào quy hoạch"),
              ("discipline", "cadre_id", "decided_on", "bị kỷ luật"))
    for name, who, col, label in events:
        df = tables[name]
        if df.empty:
            continue
        b = _dates_of(df[who], born)
        before_birth = df[col].notna() & b.notna() & (df[col] < b)
        c.add("error", name, before_birth, col, df[col], f"ngày {label} trước ngày sinh của cán bộ",
              "ngày sau ngày sinh")
        minor = ~before_birth & df[col].notna() & b.notna() & (df[col] < _dates_of(df[who], adult))
        c.add("error", name, minor, col, df[col], f"{label} khi cán bộ chưa đủ {WORKING_AGE_MIN} tuổi",
              f"ngày từ khi cán bộ đủ {WORKING_AGE_MIN} tuổi; kiểm tra lại ngày sinh trong bảng cadres")
    for name, label in (("ratings", "được đánh giá"), ("trainings", "đi học")):
        df = tables[name]
        if df.empty:
            continue
        by = _dates_of(df["cadre_id"], born).dt.year
        minor = df["year"].notna() & by.notna() & (df["year"].astype("Float64") < by + WORKING_AGE_MIN - (
            0 if name == "ratings" else WORKING_AGE_MIN - WORK_START_AGE_MIN))
        age = WORKING_AGE_MIN if name == "ratings" else WORK_START_AGE_MIN
        c.add("error", name, minor, "year", df["year"], f"năm {label} khi cán bộ chưa đủ {age} tuổi",
              f"năm từ khi cán bộ đủ {age} tuổi; kiểm tra lại ngày sinh trong bảng cadres")


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
    units = tables["units"].dropna(subset=["unit_id"]).drop_duplicates("unit_id").set_index("unit_id")["kind"]
    if not org.empty:
        kind = org["unit_id"].map(units)
        bad = (org["scheme"] == "chinh_quyen") & kind.notna() & ~kind.isin(["xa", "thi_tran"])
        c.add("warning", "org_ratings", bad, "scheme", org["scheme"],
              "xếp loại chính quyền cho đơn vị không phải xã, thị trấn", "tccsd hoặc co_quan")
    _contradictions(tables, c)
    pos = tables["positions"]
    if not pos.empty:
        dup_holder = pos["holder_id"].notna() & pos.duplicated(["unit_id", "title", "holder_id"], keep="first")
        c.add("error", "positions", dup_holder, "holder_id", pos["holder_id"],
              "một người giữ hai vị trí cùng chức danh trong cùng đơn vị", "mỗi người một vị trí cho mỗi chức danh")



# Two holdings of the same unit and a title of SINGLE_HOLDER_TITLES (codes) may not overlap,
# even without a position id.
#: Minimum age to hold a post: 18 (Luật Cán bộ, công chức 2008, Điều 36: đủ 18 tuổi trở lên).
MIN_HOLDING_AGE_YEARS = 18
#: Longest break between two holdings of one cadre before the validation warns (days; a data-quality
#: setting, not a rule: ``kimson-ds validate --max-gap-months N`` changes it). A longer break is usually
#: a missing row (study leave, secondment) in the work history.
MAX_CAREER_GAP_DAYS = 365


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


def _career_gaps(h: pd.DataFrame) -> pd.Series:
    """Days between each holding's start and the end of the cadre's earlier holdings (0 when they touch or
    overlap, NaN for a cadre's first holding or after an open one); vectorised over sorted rows."""
    far = pd.Timestamp.max.normalize()
    x = h[["cadre_id", "start_date", "end_date"]].dropna(subset=["cadre_id", "start_date"])
    x = x.sort_values(["cadre_id", "start_date"], kind="stable")
    end = x["end_date"].fillna(far)
    # latest end among the earlier holdings of the same cadre
    reach = end.groupby(x["cadre_id"], sort=False).cummax().groupby(x["cadre_id"], sort=False).shift()
    gap = (x["start_date"] - reach).dt.days - 1
    gap = gap.where(reach.notna() & (reach < far)).clip(lower=0)
    return gap.reindex(h.index)


def history_issues(tables, c: _Collector, unavailable, *, max_gap_days: int = MAX_CAREER_GAP_DAYS) -> None:
    """Checks of the work history: order of dates, overlaps of single-holder posts, age, units in force,
    breaks between holdings longer than ``max_gap_days``."""
    h = tables.get("work_history")
    if h is None or h.empty:
        return
    ordered = h["start_date"].notna() & ~(h["end_date"] < h["start_date"])
    gap = _career_gaps(h[ordered]).reindex(h.index)
    long_gap = gap > max_gap_days
    if long_gap.any():
        names = tables["cadres"].drop_duplicates("cadre_id").set_index("cadre_id")["full_name"] \
            if "cadres" not in unavailable and not tables["cadres"].empty else pd.Series(dtype=object)
        who = h["cadre_id"].astype(object) + h["cadre_id"].map(names).map(lambda n: f" ({n})", na_action="ignore") \
            .fillna("")
        c.add("warning", "work_history", long_gap, "start_date",
              who + ": nghỉ " + gap.fillna(0).astype(int).astype(str)
              + " ngày trước ngày " + h["start_date"].dt.strftime("%d/%m/%Y"),
              f"quá trình công tác bị gián đoạn quá {max_gap_days} ngày giữa hai lần giữ chức danh "
              "(có thể thiếu một dòng: đi học, biệt phái, nghỉ việc)",
              "ghi thêm dòng quá trình công tác cho khoảng thời gian này, hoặc kiểm tra lại ngày bắt đầu, kết thúc")
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


def _contradictions(tables, c: _Collector) -> None:
    """Rows that cannot all be true: two heads of one unit, units above themselves, relations that disagree."""
    pos = tables["positions"]
    if not pos.empty:
        head = pos["title"].isin(SINGLE_HOLDER_TITLES) & pos["holder_id"].notna() & pos["unit_id"].notna()
        second = head & pos.loc[:, ["unit_id", "title"]].where(head).duplicated(keep="first") & head
        c.add("error", "positions", second, "holder_id",
              pos["holder_id"].astype(object) + " (" + pos["title"].map(TITLE).fillna("") + " tại "
              + pos["unit_id"].astype(object) + ")",
              "chức danh chỉ có một người giữ mà đơn vị đã có người giữ ở dòng trước",
              "mỗi đơn vị chỉ một người giữ chức danh đứng đầu; để trống người giữ ở vị trí thừa")
    units = tables["units"]
    if not units.empty:
        ids = units["unit_id"]
        parent = units.dropna(subset=["unit_id"]).drop_duplicates("unit_id").set_index("unit_id")["parent_unit_id"]
        own = units["parent_unit_id"].notna() & (units["parent_unit_id"] == ids)
        c.add("error", "units", own, "parent_unit_id", units["parent_unit_id"],
              "đơn vị là cấp trên của chính nó", "mã một đơn vị khác, hoặc để trống nếu là cấp huyện")
        # follow the parents once per level (vectorised over units): back at the start = a cycle
        cur, in_cycle = units["parent_unit_id"].copy(), pd.Series(False, index=units.index)
        for _ in range(len(parent)):
            cur = cur.map(parent).where(cur.notna())
            in_cycle |= cur.notna() & (cur == ids)
            if cur.isna().all():
                break
        c.add("error", "units", in_cycle & ~own, "parent_unit_id", units["parent_unit_id"],
              "vòng lặp cấp trên (đơn vị gián tiếp là cấp trên của chính nó)",
              "cây đơn vị không có vòng: đi lên theo cấp trên phải dừng ở một đơn vị cấp huyện")
    rel = tables["relatives"]
    if not rel.empty:
        r = rel.loc[rel["cadre_id"].notna() & rel["relative_id"].notna() & rel["relation"].notna()]
        back = r.drop_duplicates(["cadre_id", "relative_id"]).rename(
            columns={"cadre_id": "relative_id", "relative_id": "cadre_id", "relation": "other"})
        other = rel[["cadre_id", "relative_id"]].merge(back[["cadre_id", "relative_id", "other"]],
                                                       on=["cadre_id", "relative_id"], how="left")["other"]
        other.index = rel.index
        expect = rel["relation"].map(RELATION_INVERSE)
        clash = other.notna() & expect.notna() & (other != expect)
        first = clash & (rel["cadre_id"].astype(str) < rel["relative_id"].astype(str))
        c.add("error", "relatives", first, "relation",
              rel["relation"].map(RELATION).fillna("") + " / ngược lại: " + other.map(RELATION).fillna(""),
              "hai dòng quan hệ giữa cùng hai người mâu thuẫn nhau",
              "quan hệ ngược phải tương ứng (cha, mẹ ↔ con; vợ, chồng ↔ vợ, chồng; anh, chị, em ↔ anh, chị, em)")
        cad = tables["cadres"]
        if not cad.empty:
            born = cad.dropna(subset=["cadre_id"]).drop_duplicates("cadre_id").set_index("cadre_id")["birth_date"]
            b_self, b_rel = _dates_of(rel["cadre_id"], born), _dates_of(rel["relative_id"], born)
            older = pd.Series(np.where(rel["relation"] == "cha_me", b_rel, b_self), index=rel.index)
            younger = pd.Series(np.where(rel["relation"] == "cha_me", b_self, b_rel), index=rel.index)
            gen = rel["relation"].isin(["cha_me", "con"]) & b_self.notna() & b_rel.notna()
            bad = gen & (pd.to_datetime(older) + pd.DateOffset(years=12) > pd.to_datetime(younger))
            c.add("warning", "relatives", bad, "relation", rel["relation"].map(RELATION),
                  "cha, mẹ không lớn hơn con ít nhất 12 tuổi theo ngày sinh trong bảng cadres",
                  "kiểm tra lại quan hệ (ai là cha, mẹ của ai) hoặc ngày sinh")
