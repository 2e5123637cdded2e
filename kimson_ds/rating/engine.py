"""Evaluation and classification (đánh giá, xếp loại) with dated rule sets.

One pure function, :func:`rate`, classifies the cadres of one year into the
four levels of :data:`kimson_ds.data.codes.RATING_ORDER` and explains every result.
It does no I/O: DataFrames in, :class:`RatingResult` (DataFrames) out.

The rules in force are chosen by ``as_of`` (the day the rules are applied on),
only through the dated parameters of ``kimson_ds/rules/params/rating/``; no date is
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

from kimson_ds.data.codes import (
    DISCIPLINE_FORM,
    DISCIPLINE_RATING_EXCEPTION,
    ORG_LEVEL_OLD_SCALE,
    ORG_SCHEME,
    RATING_LEVEL,
    RATING_ORDER,
    TITLE,
)
from kimson_ds.errors import DataError, ParameterError, ScenarioError
from kimson_ds.rules.dates import date_vi, dates_vi
from kimson_ds.rules.parameters import ParameterSet, history, parameters

__all__ = [
    "COLUMNS_VI",
    "RATING_PARAMS",
    "RatingResult",
    "check_year",
    "compare",
    "compare_rule_sets",
    "excellent_allowed",
    "rate",
    "rate_dataset",
    "rating_years",
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
    "rating.org_cap_rule",
    "rating.discipline_exceptions",
    "rating.quota_outstanding_org_exception",
    "rating.leader_subordinate_units",
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
    "subordinate_check": "Điều kiện xuất sắc (đơn vị trực thuộc)",
    "subordinate_detail": "Đơn vị trực thuộc",
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


def _num_text(s: pd.Series) -> pd.Series:
    """Numbers as short text (``92.5``, ``90``), vectorised; empty for NaN."""
    x = pd.to_numeric(s, errors="coerce").astype(float).round(2).to_numpy()
    ok = ~np.isnan(x)
    whole = ok & (x == np.floor(np.where(ok, x, 0)))
    txt = np.where(whole, np.where(ok, x, 0).astype(np.int64).astype(str), x.astype(str)).astype(object)
    txt[~ok] = ""
    return pd.Series(txt, index=s.index, dtype=object)


def _rank_of(codes) -> np.ndarray:
    """Level codes (array-like) → float rank 0 (xuất sắc) … 3, NaN if empty/unknown."""
    c = pd.Categorical(np.asarray(codes, dtype=object), categories=list(RATING_ORDER)).codes.astype(float)
    c[c < 0] = np.nan
    return c


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


def _joined_posts(ci: np.ndarray, pid: np.ndarray, n: int) -> np.ndarray:
    """``"P1, P2"`` for each cadre row from posts sorted by (``ci``, post); loops over post ranks only."""
    out = np.full(n, "", dtype=object)
    if len(ci) == 0:
        return out
    pos = np.arange(len(ci))
    start = np.r_[True, ci[1:] != ci[:-1]]
    k = pos - np.maximum.accumulate(np.where(start, pos, 0))
    out[ci[k == 0]] = pid[k == 0]
    for j in range(1, int(k.max()) + 1):
        sel = k == j
        out[ci[sel]] = out[ci[sel]] + (", " + pid[sel])
    return out


def _match_rules(title: np.ndarray, kind: np.ndarray, rules: list[dict]) -> np.ndarray:
    """Index of the first rule matching each post (title, optional unit_kinds); NaN if none.

    Rules are evaluated on the distinct (title, unit kind) pairs and the
    result is taken back by code: the loop is over rules, not rows.
    """
    out = np.full(len(title), np.nan)
    if len(title) == 0:
        return out
    tc, tu = pd.factorize(title)
    kc, ku = pd.factorize(kind)
    tu, ku = pd.Index(tu, dtype=object), pd.Index(ku, dtype=object)
    for i in range(len(rules) - 1, -1, -1):
        rule = rules[i]
        titles = rule.get("titles", [rule.get("title")])
        mask = np.append(tu.isin(titles), False)[tc]  # code -1 (empty title) never matches
        kinds = rule.get("unit_kinds")
        if kinds:
            mask &= np.append(ku.isin(kinds), False)[kc]
        out[mask] = i
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
    has_sub = "rating.leader_subordinate_units" in P
    sub = P["rating.leader_subordinate_units"] if has_sub else None
    rows.append((f"Lãnh đạo xuất sắc khi 100% đơn vị trực thuộc hoàn thành nhiệm vụ, ≥ {sub['min_good_pct']}% "
                 "hoàn thành tốt trở lên" if has_sub else "Điều kiện đơn vị trực thuộc cho lãnh đạo xuất sắc",
                 has_sub, _ref(P, "rating.leader_subordinate_units") if has_sub else "chưa có quy định"))
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
        t["subordinate_check"] = t["subordinate_check"].map(_CHECK_VI).fillna("")
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


@dataclass
class _Rules:
    """The rating parameters in force on ``as_of`` (read once from :func:`parameters`)."""

    P: ParameterSet
    thresholds: dict
    links: list
    groups: list
    offset: int
    cap_rule: str
    quota: float | None
    quota_exception: bool
    disc_rule: bool
    disc_exceptions: tuple
    tasks_min: float | None
    subordinate: dict | None = None

    @classmethod
    def read(cls, P: ParameterSet) -> _Rules:
        def opt(name, default=None):
            return P[name] if name in P else default

        return cls(
            P=P,
            thresholds=P["rating.point_thresholds"],
            links=P["rating.org_links"],
            groups=P["rating.equivalent_post_groups"],
            offset=int(P["rating.org_rating_year_offset"]),
            cap_rule=str(opt("rating.org_cap_rule", "first")),
            quota=opt("rating.excellent_quota_of_good"),
            quota_exception=bool(opt("rating.quota_outstanding_org_exception", False)),
            disc_rule=bool(opt("rating.discipline_forces_fail", False)),
            disc_exceptions=tuple(opt("rating.discipline_exceptions", ()) or ()),
            tasks_min=opt("rating.excellent_min_tasks_exceeded_pct"),
            subordinate=opt("rating.leader_subordinate_units"),
        )


@dataclass
class _Posts:
    """Posts of the rated cadres as parallel arrays sorted by (cadre row ``ci``, post id)."""

    ci: np.ndarray
    pid: np.ndarray
    unit: np.ndarray
    title: np.ndarray
    uname: np.ndarray
    kind: np.ndarray
    u_code: np.ndarray
    pc: np.ndarray
    n: int

    def first_per_cadre(self, key: np.ndarray, sel: np.ndarray | None = None) -> np.ndarray:
        """Row chosen for each cadre: lowest ``key`` (NaN last), then post id."""
        rows = np.arange(len(self.ci)) if sel is None else np.flatnonzero(sel)
        k = np.where(np.isnan(key[rows]), np.inf, key[rows])
        f = rows[np.lexsort((self.pc[rows], k, self.ci[rows]))]
        c = self.ci[f]
        return f[np.r_[True, c[1:] != c[:-1]]] if len(f) else f

    def put(self, rows: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Per-cadre column (length ``n``) with ``values[rows]`` at the cadres of ``rows``."""
        out = np.full(self.n, None, dtype=object)
        out[self.ci[rows]] = values[rows]
        return out


def _org_new_scale(org: pd.DataFrame, P: ParameterSet) -> pd.DataFrame:
    """Organisation ratings with old-scale levels translated by ``rating.org_scale_crosswalk``."""
    old = org["level"].isin(list(ORG_LEVEL_OLD_SCALE))
    if not old.any() or "rating.org_scale_crosswalk" not in P:
        return org
    org = org.copy()
    org.loc[old, "level"] = org.loc[old, "level"].map(P["rating.org_scale_crosswalk"])
    return org


def _select_rated(ratings: pd.DataFrame, cadres: pd.DataFrame, year: int, btv_only: bool) -> pd.DataFrame:
    """Step 0: the cadres rated in ``year`` (one row each, sorted by ``cadre_id``)."""
    r = ratings.loc[pd.to_numeric(ratings["year"], errors="coerce") == year,
                    ["cadre_id", "score", "tasks_exceeded_pct", "level", "position_id"]]
    dup = r["cadre_id"].duplicated(keep=False)
    if dup.any():
        ids = ", ".join(sorted(r.loc[dup, "cadre_id"].astype(str).unique())[:10])
        raise DataError(f"Bảng xếp loại có nhiều dòng cho cùng cán bộ trong năm {year}: {ids}.")
    t = r.rename(columns={"level": "stored_level", "position_id": "rated_position_id"})
    cad = cadres[["cadre_id", "full_name", "managed_by_btv"]].drop_duplicates("cadre_id")
    ci_cad = pd.Index(cad["cadre_id"]).get_indexer(t["cadre_id"])
    t["full_name"] = np.append(cad["full_name"].to_numpy(dtype=object), np.nan)[ci_cad]  # -1 → NaN
    btv = np.append(cad["managed_by_btv"].to_numpy(dtype=object), None)[ci_cad]
    t["managed_by_btv"] = pd.Series(btv, index=t.index).fillna(False).astype(bool)
    if btv_only:
        t = t[t["managed_by_btv"]]
    t = t.sort_values("cadre_id", kind="stable").reset_index(drop=True)
    t["year"] = year
    t["score"] = pd.to_numeric(t["score"], errors="coerce").astype(float)
    t["tasks_exceeded_pct"] = pd.to_numeric(t["tasks_exceeded_pct"], errors="coerce").astype(float)
    return t


def _posts_of(t: pd.DataFrame, positions: pd.DataFrame, units: pd.DataFrame, year: int) -> _Posts:
    """Step 1: the posts each cadre is rated on: the rated post when given, else every post held.

    A post held now counts for the rated year only if it was taken by 31-12 of that year.
    """
    n = len(t)
    pos = positions[["position_id", "unit_id", "title", "holder_id", "holder_since"]].drop_duplicates("position_id")
    pos_pid = pos["position_id"].to_numpy(dtype=object)
    pos_unit = pos["unit_id"].to_numpy(dtype=object)
    pos_title = pos["title"].to_numpy(dtype=object)
    explicit = np.flatnonzero(t["rated_position_id"].notna().to_numpy())
    ex_pid = t["rated_position_id"].to_numpy(dtype=object)[explicit]
    ex_row = pd.Index(pos_pid).get_indexer(ex_pid) if explicit.size else np.zeros(0, dtype=np.int64)
    since = pd.to_datetime(pos["holder_since"], errors="coerce")
    held_then = (since.isna() | (since.dt.year <= year)).to_numpy()
    hci = pd.Index(t["cadre_id"]).get_indexer(pos["holder_id"])
    needs_held = np.ones(n + 1, dtype=bool)
    needs_held[explicit] = False
    needs_held[n] = False  # holder not rated (get_indexer gives -1 → index n)
    held = np.flatnonzero(needs_held[np.where(hci < 0, n, hci)] & held_then)
    p_ci = np.concatenate([explicit, hci[held]]).astype(np.int64)
    p_pid = np.concatenate([ex_pid, pos_pid[held]]).astype(object)
    p_unit = np.concatenate([np.append(pos_unit, None)[ex_row], pos_unit[held]]).astype(object)
    p_title = np.concatenate([np.append(pos_title, None)[ex_row], pos_title[held]]).astype(object)
    # sort by (cadre, post id); the post id rank is needed only for cadres with several posts
    o = np.argsort(p_ci, kind="stable")
    p_ci, p_pid, p_unit, p_title = p_ci[o], p_pid[o], p_unit[o], p_title[o]
    multi = np.bincount(p_ci, minlength=n)[p_ci] > 1 if len(p_ci) else np.zeros(0, dtype=bool)
    pc = np.zeros(len(p_ci), dtype=np.int64)
    pc[multi] = pd.factorize(p_pid[multi], sort=True)[0]
    o = np.lexsort((pc, p_ci))
    p_ci, p_pid, p_unit, p_title, pc = p_ci[o], p_pid[o], p_unit[o], p_title[o], pc[o]
    un = units.drop_duplicates("unit_id")
    u_row = pd.Index(un["unit_id"]).get_indexer(p_unit)
    u_code = u_row.copy()  # unit key: row in units, else a code per unknown unit id
    unknown = u_code < 0
    u_code[unknown] = len(un) + 1 + pd.factorize(p_unit[unknown])[0]
    return _Posts(ci=p_ci, pid=p_pid, unit=p_unit, title=p_title,
                  uname=np.append(un["name"].to_numpy(dtype=object), None)[u_row],
                  kind=np.append(un["kind"].to_numpy(dtype=object), None)[u_row],  # -1 (unknown unit) → None
                  u_code=u_code, pc=pc, n=n)


def _assign_groups(t: pd.DataFrame, posts: _Posts, groups: list) -> None:
    """Step 2: primary post and group of equivalent posts of each cadre (in place).

    The primary post is the post of the first matching group. A post matching
    no group forms its own group per title ("Chức danh khác: …"), so unrelated
    posts never share one quota.
    """
    group_rule = _match_rules(posts.title, posts.kind, groups)
    prim = posts.first_per_cadre(group_rule)
    t["position_id"] = posts.put(prim, posts.pid)
    t["title"] = posts.put(prim, posts.title)
    t["post_unit_id"] = posts.put(prim, posts.unit)
    t["post_unit_name"] = posts.put(prim, posts.uname)
    t["posts"] = _joined_posts(posts.ci, posts.pid, posts.n)
    group_codes = np.array([g["group"] for g in groups] + [_OTHER_GROUP], dtype=object)
    group_labels = {g["group"]: g.get("label", g["group"]) for g in groups}
    gi = np.full(posts.n, len(groups), dtype=np.int64)
    gi[posts.ci[prim]] = np.nan_to_num(group_rule[prim], nan=len(groups)).astype(np.int64)
    group = pd.Series(group_codes[gi], index=t.index).astype(str)
    other = group == _OTHER_GROUP
    title = t["title"].astype(object)
    t["group"] = group.where(~other, _OTHER_GROUP + ":" + title.fillna("").astype(str))
    t["group_label"] = group.map(group_labels).where(
        ~other, _OTHER_GROUP_LABEL + ": " + title.map(TITLE).fillna(title).fillna("không rõ").astype(str))


def _org_cap(t: pd.DataFrame, posts: _Posts, org_ratings: pd.DataFrame, rules: _Rules, year: int):
    """Step 3a: the organisation rating that caps each head (in place); returns the reason keys.

    Every post matching a rule of ``rating.org_links`` links the cadre to the
    rating of that post's unit (scheme of the rule) in ``year + offset``.
    ``rating.org_cap_rule`` chooses among several linked collectives: ``first``
    (the rule listed first, Kim Sơn 2018) or ``lowest`` (the lowest-rated
    collective, HD 21). A linked collective without a rating is skipped for
    the next known one (``cap_fallback`` names it); with none known the row is
    ``org_missing`` and no cap applies.
    """
    n, links = posts.n, rules.links
    link_rule = _match_rules(posts.title, posts.kind, links)
    linked_rows = np.flatnonzero(~np.isnan(link_rule))
    schemes = np.array([rule["scheme"] for rule in links] + [None], dtype=object)
    rule_i = np.where(np.isnan(link_rule), len(links), np.nan_to_num(link_rule, nan=len(links))).astype(np.int64)
    row_scheme = schemes[rule_i]
    org = org_ratings[["unit_id", "year", "scheme", "level"]].copy()
    org["year"] = pd.to_numeric(org["year"], errors="coerce")
    org = org[(org["year"] == year + rules.offset) & org["level"].isin(RATING_ORDER)]
    org = org.drop_duplicates(["unit_id", "scheme"])[["unit_id", "scheme", "level"]]
    key = pd.MultiIndex.from_arrays([pd.Index(posts.unit, dtype=object), pd.Index(row_scheme, dtype=object)])
    okey = pd.MultiIndex.from_arrays([pd.Index(org["unit_id"], dtype=object), pd.Index(org["scheme"], dtype=object)])
    oi = okey.get_indexer(key) if len(okey) else np.full(len(key), -1)
    row_level = np.append(org["level"].to_numpy(dtype=object), None)[oi]
    row_rank = _rank_of(row_level)
    known = ~np.isnan(row_rank) & ~np.isnan(link_rule)
    missing = np.isnan(row_rank) & ~np.isnan(link_rule)
    # the chosen link: known before missing; then the lowest level ("lowest") or the rule order ("first")
    order = link_rule.copy()
    if rules.cap_rule == "lowest":
        order = np.where(known, (3 - np.nan_to_num(row_rank)) * (len(links) + 1) + link_rule, link_rule)
    order = np.where(missing, order + 10 * (len(links) + 1) ** 2, order)
    chosen = posts.first_per_cadre(order, ~np.isnan(link_rule))
    first_missing = posts.first_per_cadre(link_rule, missing)
    t["link_position_id"] = posts.put(chosen, posts.pid)
    t["link_title"] = posts.put(chosen, posts.title)
    t["cap_unit_id"] = posts.put(chosen, posts.unit)
    t["cap_unit_name"] = posts.put(chosen, posts.uname)
    t["cap_scheme"] = posts.put(chosen, row_scheme)
    linked = t["cap_scheme"].notna()
    t["cap_org_year"] = pd.Series(np.where(linked, year + rules.offset, np.nan), index=t.index).astype("Int64")
    t["cap_level"] = posts.put(chosen, np.where(pd.isna(row_level), None, row_level))
    t["org_missing"] = linked & t["cap_level"].isna()
    n_linked = np.bincount(posts.ci[linked_rows], minlength=n) if len(linked_rows) else np.zeros(n, dtype=int)
    t["n_linked"] = n_linked
    # a skipped collective without rating, when another one was used
    fb_unit = posts.put(first_missing, np.where(pd.isna(posts.uname), posts.unit, posts.uname))
    fb_scheme = posts.put(first_missing, row_scheme)
    fallback = pd.notna(fb_unit) & t["cap_level"].notna().to_numpy()
    t["cap_fallback"] = np.where(fallback, _obj(pd.Series(fb_scheme).map(ORG_SCHEME)) + " của " + _obj(fb_unit), "")
    link_key = np.full(n, -1, dtype=np.int64)
    link_key[posts.ci[chosen]] = link_rule[chosen].astype(np.int64)
    unit_key = np.full(n, -1, dtype=np.int64)
    unit_key[posts.ci[chosen]] = posts.u_code[chosen]
    return link_key, unit_key


def _points(t: pd.DataFrame, rules: _Rules):
    """Step 3b: level by points (or the recorded level), then the condition on tasks exceeded.

    Returns ``(by_points, from_stored, pts)`` as rank Series (0 = xuất sắc).
    """
    th, s = rules.thresholds, t["score"]
    by_points = pd.Series(np.select(
        [s >= th["xuat_sac"], s >= th["tot"], s >= th["hoan_thanh"], s.notna()],
        [_XS, _TOT, _HT, _KHT], default=-1), index=t.index).astype(float).replace(-1, np.nan)
    stored_rank = _level_rank(t["stored_level"])
    from_stored = by_points.isna() & stored_rank.notna()
    pts = by_points.fillna(stored_rank)
    t["excellent_check"] = ""
    if rules.tasks_min is not None:
        xs = pts == _XS
        pct = t["tasks_exceeded_pct"]
        t.loc[xs & (pct >= rules.tasks_min), "excellent_check"] = "dat"
        t.loc[xs & (pct < rules.tasks_min), "excellent_check"] = "khong_dat"
        t.loc[xs & pct.isna(), "excellent_check"] = "khong_kiem_tra_duoc"
        pts = pts.mask(xs & ~(pct >= rules.tasks_min), _TOT)
    t["points_level"] = _rank_to_code(pts)
    return by_points, from_stored, pts


def _subordinate_units(t: pd.DataFrame, pts: pd.Series, units: pd.DataFrame, org: pd.DataFrame, rules: _Rules,
                       year: int) -> pd.Series:
    """Step 3b′: a leader is xuất sắc only if the units directly under his unit did well (NĐ 90/2020 Điều 4 khoản 4).

    Units under the post's unit are those whose ``parent_unit_id`` is it; their
    organisation ratings of ``year`` (any scheme, old scale converted) must all
    be ``min_level`` or better with at least ``min_good_pct`` % in ``good_levels``.
    Fails → Hoàn thành tốt. No unit listed under it, or one without a rating →
    ``khong_kiem_tra_duoc`` (said in the reason, the level is kept).
    Columns added: ``subordinate_check`` and ``subordinate_detail`` (counts).
    """
    t["subordinate_check"] = ""
    t["subordinate_detail"] = ""
    cfg = rules.subordinate
    if cfg is None:
        return pts
    lead = (pts == _XS) & t["title"].isin(list(cfg["titles"]))
    if not lead.any():
        return pts
    children = units.loc[units["parent_unit_id"].notna(), ["unit_id", "parent_unit_id"]].drop_duplicates("unit_id")
    o = org.loc[pd.to_numeric(org["year"], errors="coerce") == year, ["unit_id", "level"]]
    o = o.assign(rank=_level_rank(o["level"])).groupby("unit_id")["rank"].max()  # worst scheme of a unit
    ch = children.assign(rank=children["unit_id"].map(o))
    min_rank = RATING_ORDER.index(cfg["min_level"])
    good = [RATING_ORDER.index(g) for g in cfg["good_levels"]]
    ch["done"] = ch["rank"] <= min_rank
    ch["good"] = ch["rank"].isin(good)
    ch["rated"] = ch["rank"].notna()
    stats = ch.groupby("parent_unit_id").agg(n=("unit_id", "size"), rated=("rated", "sum"), done=("done", "sum"),
                                             good=("good", "sum"))
    st = stats.reindex(t.loc[lead, "post_unit_id"])
    st.index = t.index[lead]
    n, rated = st["n"].fillna(0), st["rated"].fillna(0)
    done, good_n = st["done"].fillna(0), st["good"].fillna(0)
    checkable = (n > 0) & (rated == n)
    ok = checkable & (done == n) & (good_n * 100 >= float(cfg["min_good_pct"]) * n)
    fail = checkable & ~ok
    t.loc[lead, "subordinate_check"] = np.where(ok, "dat", np.where(fail, "khong_dat", "khong_kiem_tra_duoc"))
    t.loc[lead, "subordinate_detail"] = np.where(
        n > 0, _obj(_num_text(good_n)) + "/" + _obj(_num_text(n)) + " đơn vị trực thuộc hoàn thành tốt trở lên, "
        + _obj(_num_text(n - done)) + " đơn vị dưới mức hoàn thành" + np.where(rated < n, ", "
        + _obj(_num_text(n - rated)) + " đơn vị chưa có xếp loại", ""), "không có dữ liệu đơn vị trực thuộc")
    pts = pts.copy()
    pts[fail[fail].index] = _TOT
    t["points_level"] = _rank_to_code(pts)
    return pts


def _apply_cap(t: pd.DataFrame, pts: pd.Series) -> pd.Series:
    """Step 3c: the level may not be above the linked organisation's level."""
    cap = pd.Series(_rank_of(t["cap_level"].to_numpy(dtype=object)), index=t.index)
    after_cap = pd.Series(np.fmax(pts.to_numpy(), cap.to_numpy()), index=t.index).where(pts.notna())
    t["capped"] = (after_cap > pts).fillna(False).astype(bool)
    t["after_cap_level"] = _rank_to_code(after_cap)
    return after_cap


def _discipline(t: pd.DataFrame, discipline: pd.DataFrame, rules: _Rules, year: int,
                level: pd.Series) -> tuple[pd.Series, pd.DataFrame]:
    """Step 4: a discipline decision dated in the rated year → không hoàn thành nhiệm vụ.

    A decision for which the user recorded an exception in force on ``as_of``
    (``rating_exception``, listed in ``rating.discipline_exceptions``) does not
    count. The rule applies even without score or recorded level, so that the
    result and the reason always agree.

    Returns the new level ranks and, per disciplined cadre, the first decision
    counted (or the first excused one).
    """
    d = discipline[["cadre_id", "form", "decided_on", "rating_exception"]].copy()
    d["decided_on"] = pd.to_datetime(d["decided_on"], errors="coerce")
    d = d[d["decided_on"].dt.year == year]
    exc = d["rating_exception"].astype(object).where(d["rating_exception"].notna(), "").astype(str).str.strip()
    d["excused"] = exc.isin(rules.disc_exceptions) & (exc != "")
    d["exception"] = exc
    d = d.sort_values(["cadre_id", "excused", "decided_on"], kind="stable")  # counted decisions first
    d = d.drop_duplicates("cadre_id").set_index("cadre_id")
    t["disciplined_in_year"] = t["cadre_id"].isin(d.index)
    counted = t["cadre_id"].map(~d["excused"]).eq(True)
    if rules.disc_rule:
        apply = counted
        t["discipline_applied"] = (apply & (level != _KHT)).astype(bool)
        level = level.mask(apply, _KHT)
    else:
        t["discipline_applied"] = False
    return level, d


def _quota(t: pd.DataFrame, level: pd.Series, rules: _Rules, group_by: str) -> pd.Series:
    """Step 5: (HD 21) at most ``q`` xuất sắc per tốt within each group; proposed moves."""
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
    if rules.quota is not None:
        n_xs = np.bincount(gcode, weights=is_xs, minlength=len(guniq)).astype(np.int64)
        n_tot = np.bincount(gcode, weights=(level == _TOT).to_numpy(), minlength=len(guniq)).astype(np.int64)
        allowed = np.minimum(excellent_allowed(n_xs + n_tot, rules.quota), n_xs)
        t["quota_allowed"] = pd.array(allowed[gcode], dtype="Int64")
        moved = is_xs & (rank > allowed[gcode])
        t["quota_moved"] = moved
        level = level.mask(moved, _TOT)
    return level


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

    The steps, each a function of this module: the cadres rated
    (:func:`_select_rated`), their posts (:func:`_posts_of`), groups of
    equivalent posts (:func:`_assign_groups`), the linked organisation
    (:func:`_org_cap`), points and the task condition (:func:`_points`), the
    organisation cap (:func:`_apply_cap`), discipline (:func:`_discipline`),
    the quota (:func:`_quota`) and the reasons (:func:`_reasons`).

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
        ``unit_id``, ``year``, ``scheme`` (tccsd, chinh_quyen, co_quan), ``level``
        (old-scale levels before 2018 are translated by ``rating.org_scale_crosswalk``).
    discipline : DataFrame, optional
        ``cadre_id``, ``form``, ``decided_on``, optional ``rating_exception``
        (a code of ``rating.discipline_exceptions`` recorded by the user).
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
    rules = _Rules.read(P)
    year = int(year)
    ratings = _frame(ratings, ["cadre_id", "year", "score", "tasks_exceeded_pct", "level", "position_id"])
    cadres = _frame(cadres, ["cadre_id", "full_name", "managed_by_btv"])
    positions = _frame(positions, ["position_id", "unit_id", "title", "holder_id", "holder_since"])
    org_ratings = _org_new_scale(_frame(org_ratings, ["unit_id", "year", "scheme", "level"]), P)
    discipline = _frame(discipline, ["cadre_id", "form", "decided_on", "rating_exception"])
    units = _frame(units, ["unit_id", "name", "kind", "parent_unit_id"])

    t = _select_rated(ratings, cadres, year, btv_only)
    posts = _posts_of(t, positions, units, year)
    _assign_groups(t, posts, rules.groups)
    link_key, unit_key = _org_cap(t, posts, org_ratings, rules, year)
    by_points, from_stored, pts = _points(t, rules)
    pts = _subordinate_units(t, pts, units, org_ratings, rules, year)
    after_cap = _apply_cap(t, pts)
    level, d = _discipline(t, discipline, rules, year, after_cap.copy())
    level = _quota(t, level, rules, group_by)

    t["final_level"] = _rank_to_code(level)
    t["final_level_vi"] = _label(t["final_level"])
    t["matches_stored"] = pd.Series(
        np.where(t["stored_level"].isna(), pd.NA, t["stored_level"] == t["final_level"]),
        index=t.index, dtype="boolean")

    stored_rank = _level_rank(t["stored_level"])
    cap = pd.Series(_rank_of(t["cap_level"].to_numpy(dtype=object)), index=t.index)
    ranks = {"stored": stored_rank, "cap": cap, "after": after_cap, "final": level}
    t["reason"] = _reasons(t, P, rules, by_points, from_stored, d, year, ranks, link_key, unit_key)
    table = t[_OUT_COLUMNS].reset_index(drop=True)
    by_group = _by_group(table, rules.quota)
    summary = _summary(table)
    return RatingResult(table, by_group, summary, P, year, P.as_of, group_by,
                        rule_set_description(P.as_of, overrides))


def _reasons(t, P, rules: _Rules, by_points, from_stored, d, year, ranks, link_key, unit_key) -> np.ndarray:
    """The Vietnamese reason of every row, vectorised (no row loop).

    The reason is ``head + tail``. The head (points or recorded level, then
    the 366-QĐ/TW task condition) depends on the score, so it is built once
    per distinct score and taken by code; the task fragment only for the
    xuất sắc rows it concerns. The tail (organisation cap, result, mismatch
    with the recorded level) depends on a few categorical columns: it is
    built once per distinct combination (a handful per unit) and taken by
    code. The rare rows with a discipline or quota fragment get their tail
    built directly. Every fragment is appended with a leading space.
    """
    n = len(t)
    thresholds, tasks_min, quota, disc_rule = rules.thresholds, rules.tasks_min, rules.quota, rules.disc_rule
    lev_vi = np.array([RATING_LEVEL[c] for c in RATING_ORDER] + [""], dtype=object)

    stored_c, cap_c, after_c, final_c = (
        np.nan_to_num(np.asarray(ranks[k], dtype=float), nan=4).astype(np.int64)
        for k in ("stored", "cap", "after", "final"))

    # ---- head: points / recorded level / none ---------------------------------------
    ref_th = _ref(P, "rating.point_thresholds", short=True)
    th_txt = f"{thresholds['xuat_sac']}/{thresholds['tot']}/{thresholds['hoan_thanh']}"
    out = np.full(n, "Không có điểm và mức xếp loại: không xếp loại được, cần bổ sung số liệu.", dtype=object)
    has_pts = by_points.notna().to_numpy()
    if has_pts.any():
        sc, su = pd.factorize(t["score"].to_numpy()[has_pts])
        su = pd.Series(su)
        pts_u = np.select([su >= thresholds["xuat_sac"], su >= thresholds["tot"], su >= thresholds["hoan_thanh"]],
                          [_XS, _TOT, _HT], default=_KHT)
        head_u = "Điểm " + _obj(_num_text(su)) + " → " + lev_vi[pts_u] + f" (ngưỡng {th_txt}; {ref_th})."
        out[has_pts] = head_u[sc]
    no_data = ~has_pts & ~from_stored.to_numpy() & (final_c < 4)
    out[no_data] = "Không có điểm và mức xếp loại đã ghi nhận."
    idx = np.flatnonzero(from_stored.to_numpy())
    out[idx] = "Không có điểm: dùng mức đã ghi nhận \"" + lev_vi[stored_c[idx]] + "\"."

    def add(mask, build):
        i = np.flatnonzero(np.asarray(mask, dtype=bool))
        if i.size:
            out[i] = out[i] + (" " + build(i))

    if tasks_min is not None:
        ref_t = _ref(P, "rating.excellent_min_tasks_exceeded_pct", short=True)
        chk = t["excellent_check"].to_numpy(dtype=object)
        pct_all = t["tasks_exceeded_pct"]

        def pct(i):
            return _obj(_num_text(pct_all.iloc[i]))

        add(chk == "dat", lambda i: "Đạt điều kiện xuất sắc: tỷ lệ nhiệm vụ vượt mức " + pct(i)
            + f"% ≥ {tasks_min}% ({ref_t}).")
        add(chk == "khong_dat", lambda i: "Chưa đủ điều kiện xuất sắc: tỷ lệ nhiệm vụ vượt mức " + pct(i)
            + f"% < {tasks_min}% ({ref_t}) → Hoàn thành tốt nhiệm vụ.")
        add(chk == "khong_kiem_tra_duoc", lambda i: np.full(
            len(i), f"Không kiểm tra được điều kiện xuất sắc (tỷ lệ nhiệm vụ vượt mức ≥ {tasks_min}%, thiếu số "
            f"liệu; {ref_t}) → tạm xếp Hoàn thành tốt nhiệm vụ, cần bổ sung.", dtype=object))

    if rules.subordinate is not None:
        ref_s = _ref(P, "rating.leader_subordinate_units", short=True)
        sub = t["subordinate_check"].to_numpy(dtype=object)
        det = t["subordinate_detail"].to_numpy(dtype=object)
        need = f"100% đơn vị trực thuộc hoàn thành nhiệm vụ, ít nhất {rules.subordinate['min_good_pct']}% hoàn thành tốt"
        add(sub == "dat", lambda i: "Đạt điều kiện xuất sắc về đơn vị trực thuộc: " + det[i] + f" ({ref_s}).")
        add(sub == "khong_dat", lambda i: "Chưa đủ điều kiện xuất sắc về đơn vị trực thuộc (" + need + "): "
            + det[i] + f" ({ref_s}) → Hoàn thành tốt nhiệm vụ.")
        add(sub == "khong_kiem_tra_duoc", lambda i: "Không kiểm tra được điều kiện xuất sắc về đơn vị trực thuộc ("
            + need + "): " + det[i] + f" ({ref_s}); giữ mức, cần bổ sung.")

    # ---- tail: organisation, (discipline, quota), result, mismatch --------------------
    ref_l = _ref(P, "rating.org_links", short=True)
    scheme = t["cap_scheme"].to_numpy(dtype=object)
    unit_id, unit_name = t["cap_unit_id"].to_numpy(dtype=object), t["cap_unit_name"].to_numpy(dtype=object)
    capped = t["capped"].to_numpy(dtype=bool)
    mismatch = t["matches_stored"].eq(False).fillna(False).to_numpy(dtype=bool)
    disc = t["disciplined_in_year"].to_numpy(dtype=bool)
    moved = t["quota_moved"].to_numpy(dtype=bool) if quota is not None else np.zeros(n, dtype=bool)
    org_year = str(year + int(P["rating.org_rating_year_offset"]))
    form, day = np.full(n, "", dtype=object), np.full(n, "", dtype=object)
    if disc.any():
        di = np.flatnonzero(disc)
        ids = t["cadre_id"].iloc[di]
        form[di] = _obj(d["form"].reindex(ids).map(DISCIPLINE_FORM))
        day[di] = _obj(dates_vi(d["decided_on"]).reindex(ids))
        ref_d = _ref(P, "rating.discipline_forces_fail", short=True) if disc_rule else ""
        excused = np.zeros(n, dtype=bool)
        excused[di] = d["excused"].reindex(ids).fillna(False).to_numpy(dtype=bool)
        exc_code = np.full(n, "", dtype=object)
        exc_code[di] = _obj(d["exception"].reindex(ids))
        ref_x = _ref(P, "rating.discipline_exceptions", short=True) if "rating.discipline_exceptions" in P else ""
    fallback = t["cap_fallback"].to_numpy(dtype=object)
    has_fb = fallback != ""
    if moved.any():
        ref_q = _ref(P, "rating.excellent_quota_of_good", short=True)
        qlabel = t["group_label"] if (t["quota_group"] == t["group"]).all() else t["quota_group"]
        qlabel = qlabel.to_numpy(dtype=object)
        allowed = t["quota_allowed"].to_numpy(dtype=object)
        qrank = t["quota_rank"].to_numpy(dtype=object)
        q_exc = ""
        if rules.quota_exception:
            q_exc = (" Trừ trường hợp tổ chức có thành tích xuất sắc, nổi trội được cấp có thẩm quyền cho phép "
                     f"tỷ lệ cao hơn ({_ref(P, 'rating.quota_outstanding_org_exception', short=True)}): cần xem xét.")

    def tail(i: np.ndarray, extras: bool) -> np.ndarray:
        """Tail fragments of the rows ``i`` (``extras``: include discipline and quota)."""
        res = np.full(len(i), "", dtype=object)

        def put(mask, build):
            j = np.flatnonzero(mask)
            if j.size:
                res[j] = res[j] + (" " + build(j))

        sch = scheme[i]
        lk = pd.notna(sch)
        cl, al = lev_vi[cap_c[i]], lev_vi[after_c[i]]
        has_cap = cap_c[i] < 4
        cp = capped[i]
        org = np.full(len(i), "", dtype=object)
        li = np.flatnonzero(lk)
        if li.size:
            name = unit_name[i[li]]
            unit = np.where(pd.isna(name), _obj(unit_id[i[li]]), _obj(name))
            org[li] = _obj(pd.Series(sch[li]).map(ORG_SCHEME)) + " của " + unit + " năm " + org_year
        put(~lk, lambda j: np.full(len(j), "Chức danh không liên kết với xếp loại tổ chức.", dtype=object))
        put(cp, lambda j: "Không cao hơn xếp loại " + org[j] + " (" + cl[j] + f"; {ref_l}) → hạ xuống "
            + al[j] + ".")
        put(lk & ~cp & has_cap, lambda j: "Xếp loại " + org[j] + ": " + cl[j] + " (không phải hạ).")
        put(lk & ~has_cap, lambda j: "Chưa có xếp loại tổ chức (" + org[j]
            + "): chưa áp dụng được giới hạn theo tổ chức, cần bổ sung.")
        if extras:
            put(has_fb[i], lambda j: "Chưa có xếp loại " + _obj(fallback[i[j]])
                + ": dùng xếp loại tập thể liên kết kế tiếp đã có.")
            if disc.any():
                ex = excused[i]
                exc_vi = _obj(pd.Series(exc_code[i]).map(DISCIPLINE_RATING_EXCEPTION))
                rec = exc_code[i] != ""
                put(disc[i] & ex, lambda j: "Có kỷ luật trong năm (" + form[i[j]] + ", ngày " + day[i[j]]
                    + ") nhưng không tính để xếp loại: " + exc_vi[j] + f" ({ref_x}).")
                if disc_rule:
                    put(disc[i] & ~ex & rec, lambda j: "Ngoại lệ đã ghi nhận (" + exc_vi[j]
                        + ") chưa áp dụng vào ngày này.")
                    put(disc[i] & ~ex, lambda j: "Bị kỷ luật (" + form[i[j]] + ", ngày " + day[i[j]]
                        + f") trong năm {year} → Không hoàn thành nhiệm vụ ({ref_d}).")
                else:
                    put(disc[i] & ~ex, lambda j: "Có kỷ luật trong năm (" + form[i[j]] + ", ngày " + day[i[j]]
                        + "); quy định hạ mức do kỷ luật chưa áp dụng vào ngày này.")
            put(moved[i], lambda j: "Đề xuất hạ xuống Hoàn thành tốt nhiệm vụ do tỷ lệ: nhóm \"" + _obj(qlabel[i[j]])
                + "\" chỉ được " + _obj(allowed[i[j]]).astype(str)
                + f" người xuất sắc (không vượt quá {quota:.0%} số tốt sau khi hạ, làm tròn xuống; {ref_q}); "
                "xếp thứ " + _obj(qrank[i[j]]).astype(str)
                + " theo điểm (điểm thấp hạ trước, bằng điểm thì mã lớn hơn hạ trước)." + q_exc)
        put(final_c[i] < 4, lambda j: "Kết quả: " + lev_vi[final_c[i[j]]] + ".")
        put(mismatch[i], lambda j: "Khác mức đã ghi nhận (" + lev_vi[stored_c[i[j]]] + ").")
        return res

    tails = np.empty(n, dtype=object)
    special = disc | moved | has_fb
    plain = np.flatnonzero(~special)
    if plain.size:
        # one key per combination of the columns the plain tail depends on
        key = unit_key[plain] + 1
        for part in (link_key[plain] + 1, cap_c[plain], after_c[plain], final_c[plain], stored_c[plain], capped[plain],
                     mismatch[plain]):
            part = np.asarray(part, dtype=np.int64)
            key = key * (int(part.max()) + 1) + part
        codes, uniq = pd.factorize(key)
        first = np.full(len(uniq), -1, dtype=np.int64)
        first[codes[::-1]] = np.arange(len(codes))[::-1]
        tails[plain] = tail(plain[first], extras=False)[codes]
    sp = np.flatnonzero(special)
    if sp.size:
        tails[sp] = tail(sp, extras=True)
    return out + tails


def _by_group(table: pd.DataFrame, quota) -> pd.DataFrame:
    """Per quota group: counts per final level, xuất sắc before the quota, allowed, moved, capped, shares.

    Counted with integer codes and ``np.bincount`` (groups sorted by name).
    """
    gc, gu = pd.factorize(table["quota_group"], sort=True)
    k = len(gu)
    first = np.full(k, -1, dtype=np.int64)
    first[gc[::-1]] = np.arange(len(gc))[::-1]

    def count(mask) -> np.ndarray:
        return np.bincount(gc[np.asarray(mask, dtype=bool)], minlength=k).astype(np.int64)

    final = _rank_of(table["final_level"])
    out = pd.DataFrame({"n": np.bincount(gc, minlength=k).astype(np.int64)},
                       index=pd.Index(gu, name="quota_group"))
    for i, c in enumerate(RATING_ORDER):
        out[c] = count(final == i)
    out["xs_before_quota"] = count((table["after_cap_level"] == "xuat_sac").to_numpy())
    out["quota_allowed"] = (pd.array(table["quota_allowed"].to_numpy()[first], dtype="Int64")
                            if quota is not None else pd.NA)
    out["quota_moved"] = count(table["quota_moved"])
    out["capped"] = count(table["capped"])
    out["xs_share"] = out["xuat_sac"] / out["n"].where(out["n"] > 0)
    out["xs_over_tot"] = out["xuat_sac"] / out["tot"].where(out["tot"] > 0)
    out.insert(0, "group_label", pd.Series(table["group_label"].to_numpy(dtype=object)[first], index=out.index,
                                           dtype=object if k == 0 else None))
    return out.reset_index()


def _summary(table: pd.DataFrame) -> pd.DataFrame:
    final = _rank_of(table["final_level"])
    counts = {c: int((final == i).sum()) for i, c in enumerate(RATING_ORDER)}
    rated = int((~np.isnan(final)).sum())
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


def rating_years(ratings: pd.DataFrame | None) -> list[int]:
    """The years that have at least one rating row, sorted (non-numeric years ignored)."""
    if ratings is None or "year" not in ratings.columns:
        return []
    y = pd.to_numeric(ratings["year"], errors="coerce").dropna()
    return sorted({int(v) for v in y.unique()})


def check_year(ratings: pd.DataFrame | None, year: int, source: str = "") -> None:
    """Raise a Vietnamese :class:`DataError` if the data have no rating for ``year``.

    The message names the years that do have ratings, so that asking for a
    year outside the data (``--year 2030``) is never a silent "0 cán bộ".
    """
    years = rating_years(ratings)
    if int(year) in years:
        return
    have = (f"các năm có trong dữ liệu: {', '.join(str(y) for y in years)}" if years
            else "bảng xếp loại (ratings) không có dòng nào có năm hợp lệ")
    where = f"Dữ liệu '{source}'" if source else "Dữ liệu"
    raise DataError(f"{where} không có kết quả đánh giá năm {int(year)} ({have}). "
                    "Chọn năm đánh giá là một trong các năm này.")


def rate_dataset(ds, *, year: int, as_of, group_by: str = "group", btv_only: bool = True,
                 overrides: dict | None = None) -> RatingResult:
    """:func:`rate` applied to the tables of a loaded :class:`~kimson_ds.data.io.Dataset`."""
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
            row["note"] = f"Chưa có quy định xếp loại trong tham số vào ngày {date_vi(when)}."
            rows.append(row)
            continue
        s = res.summary.iloc[0].to_dict()
        row.update({k: s[k] for k in ("n", *RATING_ORDER, "xs_share", "capped", "quota_moved", "org_missing")})
        row["note"] = ""
        rows.append(row)
    cols = ["year", "as_of", "n", *RATING_ORDER, "xs_share", "stored_xs_share", "capped", "quota_moved",
            "org_missing", "note"]
    return pd.DataFrame(rows).reindex(columns=cols)
