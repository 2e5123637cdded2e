"""Evaluation and classification (đánh giá, xếp loại) with dated rule sets.

One pure function, :func:`rate`, classifies the cadres of one year into the
four levels of :data:`kimson_ds.codes.RATING_ORDER` and explains every result.
It does no I/O: DataFrames in, :class:`RatingResult` (DataFrames) out.

The rules in force are chosen by ``as_of`` (the day the rules are applied on),
only through the dated parameters of ``kimson_ds/params/rating/``; no date is
written in this module. The dates at which the rule set changes are the
dates of those parameters (:func:`rule_change_dates`):

1. **Kim Sơn 2018** (``rating.point_thresholds``, ``rating.org_links``,
   ``rating.org_rating_year_offset`` = -1; Quy định 01-QĐ/HU 2017):

   a. level by points: ``score ≥ xuat_sac`` → xuất sắc, ``≥ tot`` → tốt,
      ``≥ hoan_thanh`` → hoàn thành, else không hoàn thành (thresholds
      90/70/50 are an ASSUMPTION);
   b. cap by the linked organisation: a cadre holding a linked post (seed's
      five cases, in ``rating.org_links``) may not be rated above the rating
      (scheme ``tccsd``, ``chinh_quyen`` or ``co_quan``) of that post's unit
      in year ``year + offset``. With concurrent posts the first matching
      rule of the list wins (a truong_phong who is also bi_thu_chi_bo is
      linked to the TCCSĐ).

2. **From 18-10-2019** (Hướng dẫn 21-HD/BTCTW; ``rating.excellent_quota_of_good``
   appears, offset becomes 0): the head may not exceed the unit (same links,
   same year), and within each group of equivalent posts the final number
   of xuất sắc ``x`` may not exceed ``q`` times the final number of tốt.
   People moved down from xuất sắc become tốt, so with ``T`` = xuất sắc +
   tốt before the quota the condition on the final counts is
   ``x ≤ floor(q · (T − x))``. As ``x`` is an integer this is
   ``x ≤ q·(T − x)``, i.e. ``x ≤ q·T / (1 + q)``; the largest admissible count
   is ``x* = min(xs, floor(q·T / (1 + q)))`` ("không vượt quá" = never exceed,
   so the share becomes a head count by rounding **down**). It is computed in
   exact rational arithmetic (q = 1/5 gives ``floor(T / 6)``). The proposed
   moves are the xuất sắc with the lowest scores; at equal score the larger
   ``cadre_id`` moves first (the smaller id keeps the level). Every move is
   listed (``quota_moved``); the committee decides.

3. **From 15-9-2023** (Nghị định 48/2023/NĐ-CP; ``rating.discipline_forces_fail``):
   a cadre with a discipline decision dated in the rated year is rated
   không hoàn thành (applied before the quota, so that person no longer
   counts in the group's tốt/xuất sắc numbers).

4. **From 1-9-2025** (Quy định 366-QĐ/TW; ``rating.excellent_min_tasks_exceeded_pct``):
   100-point scale (same thresholds, now confirmed), and xuất sắc also needs
   ``tasks_exceeded_pct`` ≥ the minimum. If it is lower the level by points
   becomes tốt; if it is missing the condition "could not be checked": the
   cadre is provisionally rated tốt and flagged
   (``excellent_check = "khong_kiem_tra_duoc"``), never silently.

A missing organisation rating never crashes: no cap is applied, the row is
flagged ``org_missing`` and its reason says "chưa có xếp loại tổ chức".

Order of the steps: points → (366) task condition → organisation cap →
(48/2023) discipline → (HD 21) quota.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import pandas as pd

from kimson_ds.codes import DISCIPLINE_FORM, ORG_SCHEME, RATING_LEVEL, RATING_ORDER, TITLE
from kimson_ds.errors import DataError, ParameterError, ScenarioError
from kimson_ds.parameters import ParameterSet, history, parameters

__all__ = [
    "COLUMNS_VI",
    "RATING_PARAMS",
    "RatingResult",
    "compare",
    "compare_rule_sets",
    "excellent_allowed",
    "rate",
    "rate_dataset",
    "rule_change_dates",
    "rule_set_description",
    "year_over_year",
]

#: Parameters whose dated values make up the rule sets.
RATING_PARAMS = (
    "rating.point_thresholds",
    "rating.org_links",
    "rating.org_rating_year_offset",
    "rating.equivalent_post_groups",
    "rating.excellent_quota_of_good",
    "rating.discipline_forces_fail",
    "rating.excellent_min_tasks_exceeded_pct",
)

_XS, _TOT, _HT, _KHT = range(4)
_LEVEL_RANK = {code: i for i, code in enumerate(RATING_ORDER)}
_OTHER_GROUP = "khac"
_OTHER_GROUP_LABEL = "Chức danh khác"

#: Vietnamese headers of the output table (for Excel and notebooks).
COLUMNS_VI = {
    "cadre_id": "Mã cán bộ",
    "full_name": "Họ và tên",
    "managed_by_btv": "Diện BTV quản lý",
    "year": "Năm đánh giá",
    "position_id": "Mã chức danh",
    "title": "Chức danh",
    "post_unit_id": "Đơn vị",
    "post_unit_name": "Tên đơn vị",
    "posts": "Các chức danh (kiêm nhiệm)",
    "group": "Nhóm chức danh",
    "group_label": "Tên nhóm chức danh",
    "quota_group": "Nhóm tính tỷ lệ",
    "score": "Điểm",
    "tasks_exceeded_pct": "Tỷ lệ nhiệm vụ vượt (%)",
    "stored_level": "Mức đã ghi nhận",
    "points_level": "Mức theo điểm",
    "excellent_check": "Điều kiện xuất sắc (≥ % nhiệm vụ vượt)",
    "link_position_id": "Chức danh liên kết",
    "link_title": "Chức danh liên kết (mã)",
    "cap_unit_id": "Đơn vị liên kết",
    "cap_unit_name": "Tên đơn vị liên kết",
    "cap_scheme": "Hình thức xếp loại tổ chức",
    "cap_org_year": "Năm xếp loại tổ chức",
    "cap_level": "Mức của tổ chức (trần)",
    "org_missing": "Chưa có xếp loại tổ chức",
    "capped": "Bị hạ theo tổ chức",
    "after_cap_level": "Mức sau giới hạn tổ chức",
    "disciplined_in_year": "Bị kỷ luật trong năm",
    "discipline_applied": "Hạ do kỷ luật",
    "quota_rank": "Thứ tự trong nhóm (xuất sắc)",
    "quota_allowed": "Số xuất sắc tối đa của nhóm",
    "quota_moved": "Đề xuất hạ do tỷ lệ",
    "final_level": "Mức xếp loại",
    "final_level_vi": "Mức xếp loại (tên)",
    "matches_stored": "Khớp mức đã ghi nhận",
    "reason": "Lý do",
}

_OUT_COLUMNS = list(COLUMNS_VI)


# --------------------------------------------------------------------------- helpers


def _vn_date(d: dt.date) -> str:
    return f"{d.day:02d}-{d.month:02d}-{d.year}"


def _num_text(s: pd.Series) -> pd.Series:
    """Numbers as short text (``92.5``, ``90``), vectorised; empty for NaN."""
    x = pd.to_numeric(s, errors="coerce").astype(float).round(2).to_numpy()
    ok = ~np.isnan(x)
    whole = ok & (x == np.floor(np.where(ok, x, 0)))
    txt = np.where(whole, np.where(ok, x, 0).astype(np.int64).astype(str), x.astype(str)).astype(object)
    txt[~ok] = ""
    return pd.Series(txt, index=s.index, dtype=object)


def _level_rank(codes: pd.Series) -> pd.Series:
    """Level codes → rank 0 (xuất sắc) … 3 (không hoàn thành), NaN if empty/unknown."""
    return codes.map(_LEVEL_RANK).astype(float)


def _rank_to_code(rank: pd.Series) -> pd.Series:
    arr = np.asarray(RATING_ORDER + ("",), dtype=object)
    r = rank.fillna(len(RATING_ORDER)).astype(int).to_numpy()
    out = pd.Series(arr[r], index=rank.index, dtype=object)
    return out.where(rank.notna(), None)


def _label(codes: pd.Series) -> pd.Series:
    return codes.map(RATING_LEVEL).fillna("")


def _obj(values) -> np.ndarray:
    """Text as an object array with "" for missing values."""
    a = pd.Series(values).astype(object).to_numpy(dtype=object, copy=True)
    a[pd.isna(a)] = ""
    return a


def _frame(df: pd.DataFrame | None, columns: list[str]) -> pd.DataFrame:
    """``df`` with at least ``columns`` (missing ones empty); empty frame for None."""
    if df is None:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    df = df.copy()
    for c in columns:
        if c not in df.columns:
            df[c] = None
    return df


def _ref(P: ParameterSet, name: str, short: bool = False) -> str:
    """Legal reference of a parameter read from ``P``, flagged GIẢ ĐỊNH / theo kịch bản.

    ``short`` keeps only the name of each text ("Hướng dẫn 21-HD/BTCTW"), for
    the reason column; the full titles are in the "Căn cứ pháp lý" table.
    """
    refs = P.references().set_index("name")
    if name not in refs.index:
        return ""
    row = refs.loc[name]
    text = row["reference"]
    if short:
        text = ", ".join(dict.fromkeys(
            _SHORT_REF.split(part, maxsplit=1)[0].strip() for part in text.split("; ") if part.strip()))
    if row["overridden"]:
        return f"{text}; giá trị theo kịch bản"
    if row["assumption"]:
        return f"{text}; GIẢ ĐỊNH"
    return text


_SHORT_REF = re.compile(r" ngày | \(| của ")


def _joined_posts(posts: pd.DataFrame, n: int) -> np.ndarray:
    """``"P1, P2"`` for each cadre row ``ci`` from posts sorted by (``ci``, post); loops over post ranks only."""
    out = np.full(n, "", dtype=object)
    if posts.empty:
        return out
    ci = posts["ci"].to_numpy()
    pid = posts["position_id"].to_numpy(dtype=object)
    pos = np.arange(len(ci))
    start = np.r_[True, ci[1:] != ci[:-1]]
    k = pos - np.maximum.accumulate(np.where(start, pos, 0))
    out[ci[k == 0]] = pid[k == 0]
    for j in range(1, int(k.max()) + 1):
        sel = k == j
        out[ci[sel]] = out[ci[sel]] + (", " + pid[sel])
    return out


def _match_rules(posts: pd.DataFrame, rules: list[dict]) -> pd.Series:
    """Index of the first rule matching each post (title, optional unit_kinds); NaN if none."""
    out = pd.Series(np.nan, index=posts.index)
    for i in range(len(rules) - 1, -1, -1):  # loop over rules (few), not rows
        rule = rules[i]
        titles = rule.get("titles", [rule.get("title")])
        mask = posts["title"].isin(titles)
        kinds = rule.get("unit_kinds")
        if kinds:
            mask &= posts["unit_kind"].isin(kinds)
        out = out.mask(mask, i)
    return out


def excellent_allowed(n_good_or_better, quota) -> np.ndarray:
    """Largest number of xuất sắc allowed in a group, on the final counts.

    Parameters
    ----------
    n_good_or_better : int or array-like of int
        ``T`` = number rated xuất sắc + tốt before the quota is applied.
    quota : float
        ``q``, the maximum ratio xuất sắc / tốt (0.20).

    Returns
    -------
    ndarray of int
        ``floor(q·T / (1 + q))``, computed exactly with ``q`` as a fraction:
        the largest ``x`` with ``x ≤ floor(q·(T − x))`` (people moved down
        count as tốt; "không vượt quá" rounds down).
    """
    q = Fraction(str(quota)).limit_denominator(10**6)
    t = np.asarray(n_good_or_better, dtype=np.int64)
    return (q.numerator * t) // (q.denominator + q.numerator)


# --------------------------------------------------------------------------- rule sets


def rule_change_dates() -> list[dt.date]:
    """Dates on which any rating parameter changes value, sorted (from the parameter files)."""
    dates: set[dt.date] = set()
    for name in RATING_PARAMS:
        dates.update(d for d, _ in history(name))
    return sorted(dates)


def rule_set_description(as_of, overrides: dict | None = None) -> pd.DataFrame:
    """The rules that apply on ``as_of``, one row each, in Vietnamese.

    Returns
    -------
    pandas.DataFrame
        Columns ``rule`` (Vietnamese description), ``in_force`` (bool) and
        ``reference``.
    """
    P = parameters(as_of, overrides)
    th = P["rating.point_thresholds"]
    off = P["rating.org_rating_year_offset"]
    P["rating.org_links"]  # read so that its reference is listed
    rows = [
        (f"Xếp loại theo điểm: xuất sắc ≥ {th['xuat_sac']}, tốt ≥ {th['tot']}, hoàn thành ≥ {th['hoan_thanh']}",
         True, _ref(P, "rating.point_thresholds")),
        ("Mức của người đứng đầu không cao hơn mức của tổ chức liên kết "
         f"(xếp loại tổ chức năm {'N' if off == 0 else f'N{off:+d}'})",
         True, _ref(P, "rating.org_links") + " | " + _ref(P, "rating.org_rating_year_offset")),
    ]
    has_quota = "rating.excellent_quota_of_good" in P
    q = P["rating.excellent_quota_of_good"] if has_quota else None
    rows.append((f"Số xuất sắc không vượt quá {q:.0%} số tốt trong từng nhóm chức danh tương đương"
                 if has_quota else "Tỷ lệ xuất sắc so với số tốt", has_quota,
                 _ref(P, "rating.excellent_quota_of_good") if has_quota else "chưa có quy định"))
    has_disc = "rating.discipline_forces_fail" in P and bool(P["rating.discipline_forces_fail"])
    rows.append(("Bị kỷ luật trong năm thì không hoàn thành nhiệm vụ", has_disc,
                 _ref(P, "rating.discipline_forces_fail") if has_disc else "chưa có quy định"))
    has_tasks = "rating.excellent_min_tasks_exceeded_pct" in P
    m = P["rating.excellent_min_tasks_exceeded_pct"] if has_tasks else None
    rows.append((f"Xuất sắc phải có ≥ {m}% nhiệm vụ hoàn thành vượt mức" if has_tasks
                 else "Điều kiện tỷ lệ nhiệm vụ vượt mức cho mức xuất sắc", has_tasks,
                 _ref(P, "rating.excellent_min_tasks_exceeded_pct") if has_tasks else "chưa có quy định"))
    return pd.DataFrame(rows, columns=["rule", "in_force", "reference"])


# --------------------------------------------------------------------------- result


@dataclass
class RatingResult:
    """Outcome of :func:`rate`.

    Attributes
    ----------
    table : DataFrame
        One row per cadre rated (columns in :data:`COLUMNS_VI`).
    by_group : DataFrame
        Per quota group: counts per level, allowed xuất sắc, moves, shares.
    summary : DataFrame
        One row: counts per level, share of xuất sắc, numbers capped, moved,
        disciplined and without organisation rating.
    params : ParameterSet
        The parameters read (for "Căn cứ pháp lý" and the audit record).
    year, as_of, group_by
        What was asked.
    rules : DataFrame
        :func:`rule_set_description` of ``as_of``.
    """

    table: pd.DataFrame
    by_group: pd.DataFrame
    summary: pd.DataFrame
    params: ParameterSet
    year: int
    as_of: dt.date
    group_by: str
    rules: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def share_excellent(self) -> float:
        """Share of xuất sắc among the cadres with a final level (NaN if none)."""
        lv = self.table["final_level"].dropna()
        return float((lv == "xuat_sac").mean()) if len(lv) else float("nan")

    def share_excellent_among(self, mask) -> float:
        """Share of xuất sắc among the rows selected by a boolean ``mask``."""
        lv = self.table.loc[np.asarray(mask, dtype=bool), "final_level"].dropna()
        return float((lv == "xuat_sac").mean()) if len(lv) else float("nan")

    @property
    def capped(self) -> pd.DataFrame:
        """Cadres whose level was lowered by their organisation's rating."""
        return self.table[self.table["capped"]]

    @property
    def moved(self) -> pd.DataFrame:
        """Cadres proposed to move down from xuất sắc to tốt by the quota."""
        return self.table[self.table["quota_moved"]]

    @property
    def missing_org(self) -> pd.DataFrame:
        """Cadres with a linked post whose organisation has no rating."""
        return self.table[self.table["org_missing"]]

    def distribution(self) -> pd.DataFrame:
        """Counts and shares of each final level (rows in RATING_ORDER)."""
        counts = self.table["final_level"].value_counts().reindex(list(RATING_ORDER), fill_value=0)
        total = int(counts.sum())
        return pd.DataFrame({
            "level": list(RATING_ORDER),
            "label": [RATING_LEVEL[c] for c in RATING_ORDER],
            "count": counts.to_numpy(),
            "share": counts.to_numpy() / total if total else np.nan,
        })

    def vietnamese(self) -> pd.DataFrame:
        """The table with Vietnamese headers and labels (for display and Excel)."""
        t = self.table.copy()
        for c in ("stored_level", "points_level", "cap_level", "after_cap_level"):
            t[c] = _label(t[c])
        t["title"] = t["title"].map(TITLE).fillna(t["title"])
        t["cap_scheme"] = t["cap_scheme"].map(ORG_SCHEME).fillna(t["cap_scheme"])
        t["excellent_check"] = t["excellent_check"].map(_CHECK_VI).fillna("")
        for c in ("managed_by_btv", "org_missing", "capped", "disciplined_in_year", "discipline_applied",
                  "quota_moved", "matches_stored"):
            t[c] = t[c].map({True: "có", False: "không"}).astype(object).where(t[c].notna(), "")
        t = t.drop(columns=["final_level", "link_title"]).rename(columns=COLUMNS_VI)
        return t


_CHECK_VI = {
    "dat": "Đạt",
    "khong_dat": "Không đạt",
    "khong_kiem_tra_duoc": "Không kiểm tra được điều kiện (thiếu số liệu)",
    "": "",
}


# --------------------------------------------------------------------------- engine


def rate(
    ratings: pd.DataFrame,
    cadres: pd.DataFrame,
    positions: pd.DataFrame,
    org_ratings: pd.DataFrame | None = None,
    discipline: pd.DataFrame | None = None,
    units: pd.DataFrame | None = None,
    *,
    year: int,
    as_of,
    group_by: str = "group",
    btv_only: bool = True,
    overrides: dict | None = None,
) -> RatingResult:
    """Rate the cadres of one year under the rules in force on ``as_of``.

    Parameters
    ----------
    ratings : DataFrame
        ``cadre_id``, ``year``, ``score`` (0–100, may be empty),
        ``tasks_exceeded_pct`` (may be empty), ``level`` (the level recorded,
        may be empty: used as the level by points when the score is empty),
        ``position_id`` (post held in the rated year; empty = the posts the
        cadre holds in ``positions`` and took by 31 December of ``year``).
    cadres : DataFrame
        ``cadre_id``, ``full_name``, ``managed_by_btv``.
    positions : DataFrame
        ``position_id``, ``unit_id``, ``title``, ``holder_id``, ``holder_since``
        (optional; a post taken after the rated year is not used for it).
    org_ratings : DataFrame, optional
        ``unit_id``, ``year``, ``scheme`` (tccsd, chinh_quyen, co_quan), ``level``.
    discipline : DataFrame, optional
        ``cadre_id``, ``form``, ``decided_on``.
    units : DataFrame, optional
        ``unit_id``, ``name``, ``kind`` (rules restricted to unit kinds need it).
    year : int
        The rated year.
    as_of : date-like
        The day the rules are applied on; selects the rule set.
    group_by : str
        Column of the result defining the groups of equivalent posts for the
        quota and the summaries: ``"group"`` (from
        ``rating.equivalent_post_groups``), any other column of the result
        such as ``"title"`` or ``"post_unit_id"``, or ``"all"`` (one group).
    btv_only : bool
        Rate only the cadres managed by the standing committee (default).
    overrides : dict, optional
        Scenario values of parameters (``{"rating.point_thresholds": {...}}``).

    Returns
    -------
    RatingResult

    Raises
    ------
    ParameterError
        If no rating rule is in force on ``as_of``.
    ScenarioError
        If ``group_by`` names no column of the result.
    DataError
        If a cadre has two rating rows for ``year``.
    """
    P = parameters(as_of, overrides)
    year = int(year)
    thresholds = P["rating.point_thresholds"]
    links = P["rating.org_links"]
    groups = P["rating.equivalent_post_groups"]
    offset = int(P["rating.org_rating_year_offset"])
    quota = P["rating.excellent_quota_of_good"] if "rating.excellent_quota_of_good" in P else None
    disc_rule = bool(P["rating.discipline_forces_fail"]) if "rating.discipline_forces_fail" in P else False
    tasks_min = (P["rating.excellent_min_tasks_exceeded_pct"]
                 if "rating.excellent_min_tasks_exceeded_pct" in P else None)

    ratings = _frame(ratings, ["cadre_id", "year", "score", "tasks_exceeded_pct", "level", "position_id"])
    cadres = _frame(cadres, ["cadre_id", "full_name", "managed_by_btv"])
    positions = _frame(positions, ["position_id", "unit_id", "title", "holder_id", "holder_since"])
    org_ratings = _frame(org_ratings, ["unit_id", "year", "scheme", "level"])
    discipline = _frame(discipline, ["cadre_id", "form", "decided_on"])
    units = _frame(units, ["unit_id", "name", "kind"])

    # ---- the cadres rated --------------------------------------------------------
    r = ratings.loc[pd.to_numeric(ratings["year"], errors="coerce") == year,
                    ["cadre_id", "score", "tasks_exceeded_pct", "level", "position_id"]]
    dup = r["cadre_id"].duplicated(keep=False)
    if dup.any():
        ids = ", ".join(sorted(r.loc[dup, "cadre_id"].astype(str).unique())[:10])
        raise DataError(f"Bảng xếp loại có nhiều dòng cho cùng cán bộ trong năm {year}: {ids}.")
    t = r.rename(columns={"level": "stored_level", "position_id": "rated_position_id"}).merge(
        cadres[["cadre_id", "full_name", "managed_by_btv"]].drop_duplicates("cadre_id"),
        on="cadre_id", how="left")
    t["managed_by_btv"] = t["managed_by_btv"].fillna(False).astype(bool)
    if btv_only:
        t = t[t["managed_by_btv"]]
    t = t.sort_values("cadre_id", kind="stable").reset_index(drop=True)
    t["year"] = year
    t["score"] = pd.to_numeric(t["score"], errors="coerce").astype(float)
    t["tasks_exceeded_pct"] = pd.to_numeric(t["tasks_exceeded_pct"], errors="coerce").astype(float)

    # ---- posts: the rated post when given, else every post held (concurrent posts)
    unit_kind = units.drop_duplicates("unit_id").set_index("unit_id")
    pos = positions[["position_id", "unit_id", "title", "holder_id", "holder_since"]].drop_duplicates("position_id")
    explicit = t.loc[t["rated_position_id"].notna(), ["cadre_id", "rated_position_id"]].rename(
        columns={"rated_position_id": "position_id"})
    # a post held now counts for the rated year only if it was taken by 31-12 of that year
    since = pd.to_datetime(pos["holder_since"], errors="coerce")
    held_then = since.isna() | (since.dt.year <= year)
    held = pos.loc[pos["holder_id"].isin(t.loc[t["rated_position_id"].isna(), "cadre_id"]) & held_then,
                   ["holder_id", "position_id"]].rename(columns={"holder_id": "cadre_id"})
    posts = pd.concat([explicit, held], ignore_index=True).merge(
        pos[["position_id", "unit_id", "title"]], on="position_id", how="left")
    posts["unit_kind"] = posts["unit_id"].map(unit_kind["kind"]) if len(unit_kind) else None
    posts["unit_name"] = posts["unit_id"].map(unit_kind["name"]) if len(unit_kind) else None
    posts["title"] = posts["title"].astype("category")
    posts["unit_kind"] = posts["unit_kind"].astype("category")
    posts["link_rule"] = _match_rules(posts, links)
    posts["group_rule"] = _match_rules(posts, groups)
    # integer keys: row of the cadre in t (t is sorted by cadre_id) and rank of the post id
    posts["ci"] = pd.Index(t["cadre_id"]).get_indexer(posts["cadre_id"])
    posts["pc"] = pd.factorize(posts["position_id"], sort=True)[0]
    posts = posts.iloc[np.lexsort((posts["pc"].to_numpy(), posts["ci"].to_numpy()))]
    n = len(t)

    def first_per_cadre(frame: pd.DataFrame, rule: str) -> pd.DataFrame:
        key = frame[rule].fillna(np.inf).to_numpy()
        f = frame.iloc[np.lexsort((frame["pc"].to_numpy(), key, frame["ci"].to_numpy()))]
        ci = f["ci"].to_numpy()
        return f[np.r_[True, ci[1:] != ci[:-1]] if len(f) else np.zeros(0, dtype=bool)]

    def put(frame: pd.DataFrame, col: str) -> np.ndarray:
        out = np.full(n, None, dtype=object)
        out[frame["ci"].to_numpy()] = frame[col].to_numpy(dtype=object)
        return out

    # primary post (title, group): the rated post, else the post of the first matching group
    prim = first_per_cadre(posts, "group_rule")
    t["position_id"] = put(prim, "position_id")
    t["title"] = put(prim, "title")
    t["post_unit_id"] = put(prim, "unit_id")
    t["post_unit_name"] = put(prim, "unit_name")
    t["posts"] = _joined_posts(posts, n)
    group_codes = {i: g["group"] for i, g in enumerate(groups)}
    group_labels = {g["group"]: g.get("label", g["group"]) for g in groups}
    t["group"] = pd.Series(put(prim, "group_rule"), index=t.index).map(group_codes).fillna(_OTHER_GROUP)
    t["group_label"] = t["group"].map({**group_labels, _OTHER_GROUP: _OTHER_GROUP_LABEL})

    # linked post: first matching link rule among all posts, with its organisation's rating
    lk = first_per_cadre(posts[posts["link_rule"].notna()], "link_rule")
    lk = lk.assign(scheme=lk["link_rule"].map({i: rule["scheme"] for i, rule in enumerate(links)}))
    org = org_ratings[["unit_id", "year", "scheme", "level"]].copy()
    org["year"] = pd.to_numeric(org["year"], errors="coerce")
    org = org[(org["year"] == year + offset) & org["level"].isin(RATING_ORDER)]
    org = org.drop_duplicates(["unit_id", "scheme"])[["unit_id", "scheme", "level"]]
    lk = lk.merge(org, on=["unit_id", "scheme"], how="left")
    t["link_position_id"] = put(lk, "position_id")
    t["link_title"] = put(lk, "title")
    t["cap_unit_id"] = put(lk, "unit_id")
    t["cap_unit_name"] = put(lk, "unit_name")
    t["cap_scheme"] = put(lk, "scheme")
    linked = t["cap_scheme"].notna()
    t["cap_org_year"] = pd.Series(np.where(linked, year + offset, np.nan), index=t.index).astype("Int64")
    t["cap_level"] = put(lk, "level")
    t["cap_level"] = t["cap_level"].where(t["cap_level"].notna(), None)
    t["org_missing"] = linked & t["cap_level"].isna()

    # ---- 1a. level by points ------------------------------------------------------
    s = t["score"]
    by_points = pd.Series(np.select(
        [s >= thresholds["xuat_sac"], s >= thresholds["tot"], s >= thresholds["hoan_thanh"], s.notna()],
        [_XS, _TOT, _HT, _KHT], default=-1), index=t.index).astype(float).replace(-1, np.nan)
    stored_rank = _level_rank(t["stored_level"])
    from_stored = by_points.isna() & stored_rank.notna()
    pts = by_points.fillna(stored_rank)

    # ---- 4. (366-QĐ/TW) task condition for xuất sắc -------------------------------
    t["excellent_check"] = ""
    if tasks_min is not None:
        xs = pts == _XS
        pct = t["tasks_exceeded_pct"]
        t.loc[xs & (pct >= tasks_min), "excellent_check"] = "dat"
        t.loc[xs & (pct < tasks_min), "excellent_check"] = "khong_dat"
        t.loc[xs & pct.isna(), "excellent_check"] = "khong_kiem_tra_duoc"
        pts = pts.mask(xs & ~(pct >= tasks_min), _TOT)
    t["points_level"] = _rank_to_code(pts)

    # ---- 1b/2a. cap by the linked organisation -----------------------------------
    cap = _level_rank(t["cap_level"])
    after_cap = pd.Series(np.fmax(pts.to_numpy(), cap.to_numpy()), index=t.index).where(pts.notna())
    t["capped"] = (after_cap > pts).fillna(False).astype(bool)
    t["after_cap_level"] = _rank_to_code(after_cap)

    # ---- 3. (48/2023) discipline in the rated year ---------------------------------
    d = discipline[["cadre_id", "form", "decided_on"]].copy()
    d["decided_on"] = pd.to_datetime(d["decided_on"], errors="coerce")
    d = d[d["decided_on"].dt.year == year].sort_values(["cadre_id", "decided_on"], kind="stable")
    d = d.drop_duplicates("cadre_id").set_index("cadre_id")
    t["disciplined_in_year"] = t["cadre_id"].isin(d.index)
    level = after_cap.copy()
    if disc_rule:
        apply = t["disciplined_in_year"] & level.notna()
        t["discipline_applied"] = (apply & (level != _KHT)).astype(bool)
        level = level.mask(apply, _KHT)
    else:
        t["discipline_applied"] = False

    # ---- 2b. (HD 21) quota within groups of equivalent posts ----------------------
    if group_by == "all":
        t["quota_group"] = "Toàn bộ"
    elif group_by in t.columns:
        t["quota_group"] = t[group_by].astype(object).where(t[group_by].notna(), "(trống)").astype(str)
    else:
        raise ScenarioError(
            f"Không có cột '{group_by}' để chia nhóm chức danh tương đương; dùng 'group', 'title', "
            "'post_unit_id', 'cap_unit_id' hoặc 'all'.")
    # rank of each xuất sắc within its group: score descending, then cadre_id (t is sorted by id)
    gcode, guniq = pd.factorize(t["quota_group"], sort=True)
    is_xs = (level == _XS).to_numpy()
    xs_rows = np.flatnonzero(is_xs)
    neg = -t["score"].to_numpy()[xs_rows]
    o = xs_rows[np.lexsort((xs_rows, np.where(np.isnan(neg), np.inf, neg), gcode[xs_rows]))]
    g_sorted = gcode[o]
    pos = np.arange(len(o))
    start = np.r_[True, g_sorted[1:] != g_sorted[:-1]] if len(o) else np.zeros(0, dtype=bool)
    rank = np.zeros(len(t), dtype=np.int64)
    rank[o] = pos - np.maximum.accumulate(np.where(start, pos, 0)) + 1
    t["quota_rank"] = pd.array(np.where(is_xs, rank, 0), dtype="Int64")
    t.loc[~is_xs, "quota_rank"] = pd.NA
    t["quota_allowed"] = pd.Series(pd.NA, index=t.index, dtype="Int64")
    t["quota_moved"] = False
    if quota is not None:
        n_xs = np.bincount(gcode, weights=is_xs, minlength=len(guniq)).astype(np.int64)
        n_tot = np.bincount(gcode, weights=(level == _TOT).to_numpy(), minlength=len(guniq)).astype(np.int64)
        allowed = np.minimum(excellent_allowed(n_xs + n_tot, quota), n_xs)
        t["quota_allowed"] = pd.array(allowed[gcode], dtype="Int64")
        moved = is_xs & (rank > allowed[gcode])
        t["quota_moved"] = moved
        level = level.mask(moved, _TOT)

    t["final_level"] = _rank_to_code(level)
    t["final_level_vi"] = _label(t["final_level"])
    t["matches_stored"] = pd.Series(
        np.where(t["stored_level"].isna(), pd.NA, t["stored_level"] == t["final_level"]),
        index=t.index, dtype="boolean")

    # ---- reasons -------------------------------------------------------------------
    t["reason"] = _reasons(t, P, thresholds, by_points, from_stored, tasks_min, quota, disc_rule, d, year)
    table = t[_OUT_COLUMNS].reset_index(drop=True)
    by_group = _by_group(table, quota)
    summary = _summary(table)
    return RatingResult(table, by_group, summary, P, year, P.as_of, group_by,
                        rule_set_description(P.as_of, overrides))


def _reasons(t, P, thresholds, by_points, from_stored, tasks_min, quota, disc_rule, d, year) -> np.ndarray:
    """The Vietnamese reason of every row, built column-wise on object arrays (no row loop).

    Exactly one of the first three fragments (points / recorded level / none)
    applies to each row; every later fragment is appended, with a space, only
    to the rows it concerns.
    """
    n = len(t)

    def lab(codes):
        return _obj(pd.Series(codes, index=t.index).map(RATING_LEVEL))

    def add(mask, build):
        idx = np.flatnonzero(np.asarray(mask, dtype=bool))
        if idx.size:
            out[idx] = out[idx] + (" " + build(idx))

    ref_th = _ref(P, "rating.point_thresholds", short=True)
    th_txt = f"{thresholds['xuat_sac']}/{thresholds['tot']}/{thresholds['hoan_thanh']}"
    out = np.full(n, "Không có điểm và mức xếp loại: không xếp loại được, cần bổ sung số liệu.", dtype=object)
    score_txt, pts_lab, stored_lab = _obj(_num_text(t["score"])), lab(_rank_to_code(by_points)), lab(t["stored_level"])
    idx = np.flatnonzero(by_points.notna().to_numpy())
    out[idx] = "Điểm " + score_txt[idx] + " → " + pts_lab[idx] + f" (ngưỡng {th_txt}; {ref_th})."
    idx = np.flatnonzero(from_stored.to_numpy())
    out[idx] = "Không có điểm: dùng mức đã ghi nhận \"" + stored_lab[idx] + "\"."
    if tasks_min is not None:
        ref_t = _ref(P, "rating.excellent_min_tasks_exceeded_pct", short=True)
        chk = t["excellent_check"].to_numpy(dtype=object)
        pct = _obj(_num_text(t["tasks_exceeded_pct"]))
        add(chk == "dat", lambda i: "Đạt điều kiện xuất sắc: tỷ lệ nhiệm vụ vượt mức " + pct[i]
            + f"% ≥ {tasks_min}% ({ref_t}).")
        add(chk == "khong_dat", lambda i: "Chưa đủ điều kiện xuất sắc: tỷ lệ nhiệm vụ vượt mức " + pct[i]
            + f"% < {tasks_min}% ({ref_t}) → Hoàn thành tốt nhiệm vụ.")
        add(chk == "khong_kiem_tra_duoc", lambda i: np.full(
            len(i), f"Không kiểm tra được điều kiện xuất sắc (tỷ lệ nhiệm vụ vượt mức ≥ {tasks_min}%, thiếu số "
            f"liệu; {ref_t}) → tạm xếp Hoàn thành tốt nhiệm vụ, cần bổ sung.", dtype=object))
    ref_l = _ref(P, "rating.org_links", short=True)
    linked = t["cap_scheme"].notna().to_numpy()
    capped = t["capped"].to_numpy(dtype=bool)
    missing = t["org_missing"].to_numpy(dtype=bool)
    has_cap = t["cap_level"].notna().to_numpy()
    org_txt = np.full(n, "", dtype=object)
    li = np.flatnonzero(linked)
    if li.size:
        tl = t.iloc[li]
        unit = np.where(tl["cap_unit_name"].isna(), _obj(tl["cap_unit_id"]), _obj(tl["cap_unit_name"]))
        org_txt[li] = (_obj(tl["cap_scheme"].map(ORG_SCHEME)) + " của " + unit + " năm "
                       + _obj(tl["cap_org_year"].astype(object)).astype(str))
    cap_lab, after_lab = lab(t["cap_level"]), lab(t["after_cap_level"])
    add(~linked, lambda i: np.full(len(i), "Chức danh không liên kết với xếp loại tổ chức.",
                                   dtype=object))
    add(capped, lambda i: "Không cao hơn xếp loại " + org_txt[i] + " (" + cap_lab[i] + f"; {ref_l}) → hạ xuống "
        + after_lab[i] + ".")
    add(linked & ~capped & has_cap, lambda i: "Xếp loại " + org_txt[i] + ": " + cap_lab[i] + " (không phải hạ).")
    add(missing, lambda i: "Chưa có xếp loại tổ chức (" + org_txt[i]
        + "): chưa áp dụng được giới hạn theo tổ chức, cần bổ sung.")
    disc = t["disciplined_in_year"].to_numpy(dtype=bool)
    if disc.any():
        ids = t["cadre_id"]
        form = _obj(pd.Series(d["form"].reindex(ids).to_numpy(), index=t.index).map(DISCIPLINE_FORM))
        day = _obj(d["decided_on"].dt.strftime("%d-%m-%Y").reindex(ids))
        if disc_rule:
            ref_d = _ref(P, "rating.discipline_forces_fail", short=True)
            add(disc, lambda i: "Bị kỷ luật (" + form[i] + ", ngày " + day[i]
                + f") trong năm {year} → Không hoàn thành nhiệm vụ ({ref_d}).")
        else:
            add(disc, lambda i: "Có kỷ luật trong năm (" + form[i] + ", ngày " + day[i]
                + "); quy định hạ mức do kỷ luật chưa áp dụng vào ngày này.")
    moved = t["quota_moved"].to_numpy(dtype=bool)
    if quota is not None and moved.any():
        ref_q = _ref(P, "rating.excellent_quota_of_good", short=True)
        qlabel = _obj(t["group_label"] if (t["quota_group"] == t["group"]).all() else t["quota_group"])
        allowed = _obj(t["quota_allowed"].astype(object)).astype(str)
        rank = _obj(t["quota_rank"].astype(object)).astype(str)
        add(moved, lambda i: "Đề xuất hạ xuống Hoàn thành tốt nhiệm vụ do tỷ lệ: nhóm \"" + qlabel[i]
            + "\" chỉ được " + allowed[i]
            + f" người xuất sắc (không vượt quá {quota:.0%} số tốt sau khi hạ, làm tròn xuống; {ref_q}); "
            "xếp thứ " + rank[i] + " theo điểm (điểm thấp hạ trước, bằng điểm thì mã lớn hơn hạ trước).")
    final_lab = _obj(t["final_level_vi"])
    add(t["final_level"].notna(), lambda i: "Kết quả: " + final_lab[i] + ".")
    add(t["matches_stored"].eq(False).fillna(False).to_numpy(dtype=bool),
        lambda i: "Khác mức đã ghi nhận (" + stored_lab[i] + ").")
    return out


def _by_group(table: pd.DataFrame, quota) -> pd.DataFrame:
    g = table.groupby("quota_group", sort=True)
    counts = pd.crosstab(table["quota_group"], table["final_level"]).reindex(
        columns=list(RATING_ORDER), fill_value=0) if len(table) else pd.DataFrame(columns=list(RATING_ORDER))
    out = pd.DataFrame({"n": g.size()})
    out = out.join(counts).fillna(0)
    for c in RATING_ORDER:
        out[c] = out[c].astype(int)
    out["xs_before_quota"] = g["after_cap_level"].apply(lambda s: int((s == "xuat_sac").sum())) \
        if len(table) else 0
    out["quota_allowed"] = g["quota_allowed"].first() if quota is not None else pd.NA
    out["quota_moved"] = g["quota_moved"].sum().astype(int)
    out["capped"] = g["capped"].sum().astype(int)
    out["xs_share"] = out["xuat_sac"] / out["n"].where(out["n"] > 0)
    out["xs_over_tot"] = out["xuat_sac"] / out["tot"].where(out["tot"] > 0)
    labels = g["group_label"].first() if len(table) else pd.Series(dtype=object)
    out.insert(0, "group_label", labels)
    out.index.name = "quota_group"
    return out.reset_index()


def _summary(table: pd.DataFrame) -> pd.DataFrame:
    lv = table["final_level"]
    counts = {c: int((lv == c).sum()) for c in RATING_ORDER}
    rated = int(lv.notna().sum())
    return pd.DataFrame([{
        "n": len(table),
        "rated": rated,
        **counts,
        "xs_share": counts["xuat_sac"] / rated if rated else np.nan,
        "capped": int(table["capped"].sum()),
        "quota_moved": int(table["quota_moved"].sum()),
        "discipline_applied": int(table["discipline_applied"].sum()),
        "org_missing": int(table["org_missing"].sum()),
        "unrated": len(table) - rated,
    }])


# --------------------------------------------------------------------------- wrappers


def rate_dataset(ds, *, year: int, as_of, group_by: str = "group", btv_only: bool = True,
                 overrides: dict | None = None) -> RatingResult:
    """:func:`rate` applied to the tables of a loaded :class:`~kimson_ds.io.Dataset`."""
    return rate(ds["ratings"], ds["cadres"], ds["positions"], ds["org_ratings"], ds["discipline"],
                ds["units"], year=year, as_of=as_of, group_by=group_by, btv_only=btv_only,
                overrides=overrides)


def compare(a: RatingResult, b: RatingResult) -> pd.DataFrame:
    """Side-by-side levels of the same cadres under two results (rule sets).

    Returns
    -------
    DataFrame
        ``cadre_id``, ``full_name``, ``group_label``, ``score``, ``level_a``,
        ``level_b`` (codes), ``level_a_vi``, ``level_b_vi``, ``differs``,
        ``reason_a``, ``reason_b``; cadres present in only one result have an
        empty level on the other side.
    """
    cols = ["cadre_id", "full_name", "group_label", "score", "final_level", "reason"]
    m = a.table[cols].merge(b.table[["cadre_id", "final_level", "reason"]], on="cadre_id", how="outer",
                            suffixes=("_a", "_b"))
    m = m.rename(columns={"final_level_a": "level_a", "final_level_b": "level_b"})
    m["level_a_vi"] = _label(m["level_a"])
    m["level_b_vi"] = _label(m["level_b"])
    m["differs"] = (m["level_a"].fillna("") != m["level_b"].fillna("")).astype(bool)
    return m[["cadre_id", "full_name", "group_label", "score", "level_a", "level_b", "level_a_vi",
              "level_b_vi", "differs", "reason_a", "reason_b"]].sort_values("cadre_id").reset_index(drop=True)


def compare_rule_sets(ds, *, year: int, as_of_a, as_of_b, group_by: str = "group", btv_only: bool = True,
                      overrides: dict | None = None) -> tuple[RatingResult, RatingResult, pd.DataFrame]:
    """Rate the same year of ``ds`` under the rules of two dates; return both and :func:`compare`."""
    a = rate_dataset(ds, year=year, as_of=as_of_a, group_by=group_by, btv_only=btv_only, overrides=overrides)
    b = rate_dataset(ds, year=year, as_of=as_of_b, group_by=group_by, btv_only=btv_only, overrides=overrides)
    return a, b, compare(a, b)


def year_over_year(ds, *, years, as_of=None, group_by: str = "group", btv_only: bool = True,
                   overrides: dict | None = None) -> pd.DataFrame:
    """Distribution of levels per year: recorded levels and levels computed by the engine.

    Parameters
    ----------
    years : iterable of int
    as_of : date-like, optional
        Rules applied to every year (a what-if); default: 31 December of each
        rated year (the rules in force at the end of that year).

    Returns
    -------
    DataFrame
        One row per year: ``as_of``, ``n``, counts of each computed level,
        ``xs_share``, ``stored_xs_share`` (recorded levels), ``capped``,
        ``quota_moved``, ``org_missing``.
    """
    rows = []
    for y in sorted({int(y) for y in years}):  # loop over years, not rows
        when = as_of if as_of is not None else dt.date(y, 12, 31)
        stored = ds["ratings"].loc[pd.to_numeric(ds["ratings"]["year"], errors="coerce") == y]
        if btv_only:
            btv = ds["cadres"].loc[ds["cadres"]["managed_by_btv"].fillna(False).astype(bool), "cadre_id"]
            stored = stored[stored["cadre_id"].isin(btv)]
        stored = stored["level"].dropna()
        row = {"year": y, "as_of": pd.Timestamp(when).date().isoformat(),
               "stored_xs_share": float((stored == "xuat_sac").mean()) if len(stored) else np.nan}
        try:
            res = rate_dataset(ds, year=y, as_of=when, group_by=group_by, btv_only=btv_only,
                               overrides=overrides)
        except ParameterError:
            row["note"] = f"Chưa có quy định xếp loại trong tham số vào ngày {pd.Timestamp(when):%d-%m-%Y}."
            rows.append(row)
            continue
        s = res.summary.iloc[0].to_dict()
        row.update({k: s[k] for k in ("n", *RATING_ORDER, "xs_share", "capped", "quota_moved", "org_missing")})
        row["note"] = ""
        rows.append(row)
    cols = ["year", "as_of", "n", *RATING_ORDER, "xs_share", "stored_xs_share", "capped", "quota_moved",
            "org_missing", "note"]
    return pd.DataFrame(rows).reindex(columns=cols)
