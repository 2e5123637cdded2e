"""Succession planning (quy hoạch): compliance, readiness, bench strength, vacancy chains, review.

Pure functions over the tables of a dataset (a :class:`kimson_ds.data.io.Dataset`
or a ``{name: DataFrame}`` mapping); no I/O. Every number of a regulation is
read through :func:`kimson_ds.rules.parameters.parameters` (RULEBOOK §2, §4, §5).

Conventions
-----------
* A **post** (chức danh quy hoạch) is a pair ``(target_title, target_unit_id)``
  with the id ``"<title>@<unit>"``. The key posts of a term are the key
  positions (``positions.is_key``) of the units that exist on the day the term
  starts, plus every post named in the planning list of that term.
* A post with several seats (e.g. two vice-chairs) may have up to
  ``planning.slate_max_per_post`` candidates *per seat* (Hướng dẫn 16-HD/BTCTW:
  cấp phó không quá 3 lần số lượng theo quy định).
* The **term** ``"2020-2025"`` starts on 1 January of its first year unless a
  ``term_start`` is given. A planned cadre must be able to serve
  ``planning.full_terms_required_at_planning`` whole terms of
  ``term.length_years`` years from that day (retirement date from
  :mod:`kimson_ds.rules.retirement`, Nghị định 135/2020).
* The **level** of a post is ``"xa"`` for a commune or township and
  ``"huyen"`` for any district unit; "at most 3 posts per person" is counted
  within one level.
* The planning list **on a date** holds the rows of the term with
  ``added_on`` empty or on/before the date and ``removed_on`` empty or after it.
* **Readiness** (sẵn sàng): ``ngay`` (ready now) when every standard is met and
  the cadre holds a post whose rank (``rotation.title_rank``) is at most
  ``planning.readiness_bands.experience_rank_gap`` below the target's;
  ``1_2_nam`` when the standards gap closes by training within
  ``soon_max_months``; ``3_nam`` otherwise.
* **Merit** (thành tích) is the mean of the last ``merit_years`` recorded
  ratings mapped to points (xuất sắc 3, tốt 2, hoàn thành 1, không hoàn thành 0).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kimson_ds.data.codes import COMMUNE_KINDS, RATING_ORDER, RELATION, REMOVAL_REASON, TITLE
from kimson_ds.data.io import empty_table
from kimson_ds.errors import ScenarioError
from kimson_ds.rules.dates import date_vi, dates_vi
from kimson_ds.rules.parameters import ParameterSet, parameters
from kimson_ds.rules.relatives import relatives_in_force
from kimson_ds.rules.retirement import retirement_moment

__all__ = [
    "READINESS",
    "REVIEW_STATUS",
    "RULES",
    "Compliance",
    "TermWindow",
    "active_planning",
    "annual_review",
    "bench_strength",
    "candidate_pairs",
    "check_compliance",
    "compliance_tables",
    "holdings",
    "key_posts",
    "lower_level_basis",
    "merit_scores",
    "parse_term",
    "percent_text",
    "person_facts",
    "planning_rows_table",
    "ranked_successors",
    "readiness",
    "readiness_labels",
    "review_tables",
    "share_summary",
    "standards_status",
    "term_window",
    "vacancy_chains",
]

#: Readiness codes and their Vietnamese labels, best first.
READINESS = {"ngay": "Sẵn sàng ngay", "1_2_nam": "Sẵn sàng sau 1–2 năm", "3_nam": "Sẵn sàng sau 3 năm trở lên"}
#: Vietnamese labels of the review status codes.
REVIEW_STATUS = {"giu": "Giữ lại", "dua_ra": "Đưa ra", "them": "Bổ sung"}
_READY_POINTS = {"ngay": 3.0, "1_2_nam": 2.0, "3_nam": 1.0}

#: Rule code → (Vietnamese description, parameter holding its number/reference).
RULES: dict[str, tuple[str, str]] = {
    "SLATE_MAX": ("Số người quy hoạch vào một chức danh vượt mức tối đa", "planning.slate_max_per_post"),
    "SLATE_MIN": ("Số người quy hoạch vào một chức danh dưới mức tối thiểu", "planning.slate_min_per_post"),
    "POSTS_PER_PERSON": ("Một người được quy hoạch vào quá nhiều chức danh cùng cấp",
                         "planning.max_posts_per_person"),
    "AGE": ("Không đủ tuổi công tác trọn nhiệm kỳ (đương nhiên đưa ra khỏi quy hoạch)",
            "planning.full_terms_required_at_planning"),
    "DISCIPLINE": ("Bị kỷ luật từ khiển trách trở lên (đương nhiên đưa ra khỏi quy hoạch)",
                   "planning.removal_discipline_min_form"),
    "STANDARDS": ("Chưa đạt tiêu chuẩn và không kịp bù bằng đào tạo trước khi bắt đầu nhiệm kỳ",
                  "planning.readiness_bands"),
    "LOWER_LEVEL": ("Chưa giữ và chưa được quy hoạch chức danh ở cấp dưới (quy hoạch cấp dưới là cơ sở)",
                    "planning.lower_level_titles"),
    "WOMEN_SHARE": ("Tỷ lệ nữ trong danh sách quy hoạch chưa đạt mục tiêu phấn đấu", "planning.women_share_min"),
    "YOUNG_SHARE": ("Tỷ lệ cán bộ trẻ (tuổi tính tại ngày bắt đầu nhiệm kỳ) chưa đạt mục tiêu phấn đấu",
                    "planning.young_share_min"),
    "HIGHER_POST": ("Quy hoạch vào chức danh không cao hơn chức danh đang giữ (chỉ quy hoạch chức danh cao hơn)",
                    "planning.higher_post_only"),
    "RELATIVES": ("Người thân cùng được quy hoạch vào chức danh lãnh đạo của cùng đơn vị (cần xem xét theo quy định "
                  "kiểm soát quyền lực trong công tác cán bộ)", "relatives.linked_posts"),
    "COHORTS": ("Cơ cấu ba độ tuổi của danh sách quy hoạch chưa đạt mục tiêu (có đủ ba độ tuổi, tỷ lệ theo Chỉ thị "
                "35-CT/TW)", "planning.age_cohort_bounds"),
}

_MERIT_POINTS = {"xuat_sac": 3.0, "tot": 2.0, "hoan_thanh": 1.0, "khong_hoan_thanh": 0.0}
_VIOLATION_COLUMNS = ["rule", "rule_vi", "auto_removal", "cadre_ids", "full_names", "post_id", "post_vi",
                      "detail", "reference"]
_TERM = re.compile(r"^\s*(\d{4})\s*[-–]\s*(\d{4})\s*$")


# --------------------------------------------------------------------------- basics
def _tables(data) -> dict[str, pd.DataFrame]:
    tables = data.tables if hasattr(data, "tables") else dict(data)
    return tables


def _table(tables: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame:
    frame = tables.get(name)
    return empty_table(name) if frame is None else frame


def pair_mask(frame: pd.DataFrame, keys, a: str = "cadre_id", b: str = "post_id") -> np.ndarray:
    """Boolean array: is ``(frame[a], frame[b])`` in the set of pairs ``keys`` (vectorised)."""
    keys = list(keys)
    if frame.empty or not keys:
        return np.zeros(len(frame), dtype=bool)
    return pd.MultiIndex.from_arrays([frame[a].astype(str), frame[b].astype(str)]).isin(
        pd.MultiIndex.from_tuples([(str(x), str(y)) for x, y in keys])).astype(bool)


def _params(as_of, params: ParameterSet | None) -> ParameterSet:
    return params if params is not None else parameters(as_of)


def _ref(params: ParameterSet, name: str) -> str:
    """Reference titles of a parameter as used in ``params`` (ASSUMPTION marked)."""
    refs = params.references()
    row = refs.loc[refs["name"] == name]
    if row.empty:
        return ""
    text = str(row["reference"].iloc[0])
    return text + (" [GIẢ ĐỊNH]" if bool(row["assumption"].iloc[0]) else "")


def parse_term(term: str) -> tuple[int, int]:
    """Split ``"2020-2025"`` into ``(2020, 2025)``; :class:`ScenarioError` otherwise."""
    m = _TERM.match(str(term))
    if not m or int(m.group(2)) <= int(m.group(1)):
        raise ScenarioError(f"Nhiệm kỳ '{term}' không hợp lệ: cần dạng năm bắt đầu-năm kết thúc, ví dụ 2020-2025.")
    return int(m.group(1)), int(m.group(2))


@dataclass(frozen=True)
class TermWindow:
    """Dates of a planning term: start, end, and the day a planned cadre must serve until."""

    term: str
    start: pd.Timestamp
    end: pd.Timestamp
    serve_until: pd.Timestamp


def term_window(term: str, params: ParameterSet, term_start=None) -> TermWindow:
    """Dates of ``term`` (see the module conventions)."""
    y0, _ = parse_term(term)
    if term_start is not None:
        start = pd.Timestamp(term_start)
    else:  # the scenario's term_start, else the dated default day of the first year (term.start_default)
        md = params.get("term.start_default")
        start = pd.Timestamp(year=y0, month=int(md["month"]), day=int(md["day"]))
    length = int(params.get("term.length_years"))
    n_terms = int(params.get("planning.full_terms_required_at_planning"))
    end = start + pd.DateOffset(years=length)
    return TermWindow(str(term).strip(), start, end, start + pd.DateOffset(years=length * n_terms))


def active_planning(planning: pd.DataFrame, term: str, on) -> pd.DataFrame:
    """Rows of the planning list of ``term`` in force on the date ``on`` (with ``post_id``)."""
    on = pd.Timestamp(on)
    p = planning.loc[planning["term"].astype(str).str.strip() == str(term).strip()]
    added = pd.to_datetime(p["added_on"])
    removed = pd.to_datetime(p["removed_on"])
    keep = (added.isna() | (added <= on)) & (removed.isna() | (removed > on))
    out = p.loc[keep].copy()
    out["post_id"] = out["target_title"].astype(str) + "@" + out["target_unit_id"].astype(str)
    return out.reset_index(drop=True)


def _post_vi(title: pd.Series, unit_name: pd.Series) -> pd.Series:
    return title.map(lambda t: TITLE.get(t, str(t))) + " – " + unit_name.fillna("").astype(str)


def key_posts(tables, term: str, params: ParameterSet, *, term_start=None, planning=None) -> pd.DataFrame:
    """Key posts of a term, one row per post.

    Returns
    -------
    DataFrame
        ``post_id, target_title, target_unit_id, unit_name, level, post_vi, rank,
        seats, holder_ids`` (list of the current holders), ``slate_min, slate_max``.
    """
    tables = _tables(tables)
    units = _table(tables, "units")
    positions = _table(tables, "positions")
    window = term_window(term, params, term_start)
    valid_from = pd.to_datetime(units["valid_from"])
    valid_to = pd.to_datetime(units["valid_to"])
    alive = units.loc[(valid_from.isna() | (valid_from <= window.start))
                      & (valid_to.isna() | (valid_to >= window.start)), "unit_id"]
    key = positions.loc[positions["is_key"].astype(bool) & positions["unit_id"].isin(alive)]
    key = key.rename(columns={"title": "target_title", "unit_id": "target_unit_id"})
    plan = _table(tables, "planning") if planning is None else planning
    plan = plan.loc[plan["term"].astype(str).str.strip() == window.term, ["target_title", "target_unit_id"]]
    posts = pd.concat([key[["target_title", "target_unit_id"]], plan], ignore_index=True).drop_duplicates()
    seats = key.groupby(["target_title", "target_unit_id"]).size().rename("seats")
    holders = (key.dropna(subset=["holder_id"]).groupby(["target_title", "target_unit_id"])["holder_id"]
               .agg(lambda s: sorted(set(s))).rename("holder_ids"))
    posts = posts.merge(seats, on=["target_title", "target_unit_id"], how="left")
    posts = posts.merge(holders, on=["target_title", "target_unit_id"], how="left")
    posts["seats"] = posts["seats"].fillna(1).astype(int)
    posts["holder_ids"] = posts["holder_ids"].map(lambda v: v if isinstance(v, list) else [])
    uinfo = units.set_index("unit_id")
    posts["unit_name"] = posts["target_unit_id"].map(uinfo["name"])
    posts["level"] = np.where(posts["target_unit_id"].map(uinfo["kind"]).isin(COMMUNE_KINDS), "xa", "huyen")
    posts["post_id"] = posts["target_title"].astype(str) + "@" + posts["target_unit_id"].astype(str)
    posts["post_vi"] = _post_vi(posts["target_title"], posts["unit_name"])
    ranks = params.get("rotation.title_rank")
    posts["rank"] = posts["target_title"].map(ranks).fillna(0).astype(int)
    smax = int(params.get("planning.slate_max_per_post"))
    smin = int(params.get("planning.slate_min_per_post"))
    posts["slate_max"] = smax * posts["seats"]
    posts["slate_min"] = smin
    cols = ["post_id", "target_title", "target_unit_id", "unit_name", "level", "post_vi", "rank", "seats",
            "holder_ids", "slate_min", "slate_max"]
    return posts[cols].sort_values("post_id").reset_index(drop=True)


def person_facts(cadres: pd.DataFrame, as_of, params: ParameterSet, window: TermWindow) -> pd.DataFrame:
    """Per cadre: age, gender, young, minority, cohort, retirement date, can serve the term.

    Returns
    -------
    DataFrame indexed by ``cadre_id`` with ``full_name, gender, is_woman, age, is_young,
    is_minority, cohort, cohort_vi, retire_date, can_serve_term``.
    """
    as_of = pd.Timestamp(as_of)
    c = cadres.set_index("cadre_id")
    birth = pd.to_datetime(c["birth_date"])
    had_birthday = (birth.dt.month < as_of.month) | ((birth.dt.month == as_of.month) & (birth.dt.day <= as_of.day))
    age = as_of.year - birth.dt.year - (~had_birthday).astype(int)
    young_limit = int(params.get("planning.young_age_limit_district"))
    bounds = params.get("planning.age_cohort_bounds")
    y_max, m_max = int(bounds["young_max"]), int(bounds["middle_max"])
    cohort = np.select([age < y_max, age <= m_max], [1, 2], 3)
    # the young share is a target for the term: age taken at the term start, as for the bench
    start = window.start
    had_at_start = (birth.dt.month < start.month) | ((birth.dt.month == start.month) & (birth.dt.day <= start.day))
    age_at_start = start.year - birth.dt.year - (~had_at_start).astype(int)
    # retirement moment: end of the month the age is reached (Nghị định 135/2020)
    retire = retirement_moment(c["birth_date"], c["gender"], params)
    eth = c["ethnicity"].fillna("").astype(str).str.strip().str.casefold()
    out = pd.DataFrame({
        "full_name": c["full_name"],
        "gender": c["gender"],
        "is_woman": c["gender"].eq("nu"),
        "age": age.astype("Int64"),
        "is_young": age_at_start < young_limit,
        "is_minority": (eth != "") & (eth != "kinh"),
        "cohort": cohort,
        "retire_date": retire,
        "can_serve_term": retire >= window.serve_until,
    }, index=c.index)
    labels = {1: f"Dưới {y_max} tuổi", 2: f"Từ {y_max} đến {m_max} tuổi", 3: f"Trên {m_max} tuổi"}
    out["cohort_vi"] = out["cohort"].map(labels)
    return out


def holdings(tables, params: ParameterSet) -> pd.DataFrame:
    """Posts currently held: ``cadre_id, title, unit_id, post_id, is_key, rank`` (one row per position)."""
    pos = _table(_tables(tables), "positions").dropna(subset=["holder_id"])
    out = pd.DataFrame({
        "cadre_id": pos["holder_id"].astype(str),
        "title": pos["title"],
        "unit_id": pos["unit_id"],
        "post_id": pos["title"].astype(str) + "@" + pos["unit_id"].astype(str),
        "is_key": pos["is_key"].astype(bool),
    })
    out["rank"] = out["title"].map(params.get("rotation.title_rank")).fillna(0).astype(int)
    return out.drop_duplicates().reset_index(drop=True)


def merit_scores(ratings: pd.DataFrame, as_of, years: int = 3) -> pd.Series:
    """Mean rating points of the last ``years`` recorded ratings up to ``as_of``'s year, by cadre."""
    as_of = pd.Timestamp(as_of)
    r = ratings.loc[ratings["level"].notna() & (ratings["year"].astype(float) <= as_of.year)]
    r = r.sort_values(["cadre_id", "year"]).groupby("cadre_id").tail(int(years))
    return r["level"].map(_MERIT_POINTS).groupby(r["cadre_id"]).mean().rename("merit")


def _discipline_hits(discipline: pd.DataFrame, rows: pd.DataFrame, as_of, params: ParameterSet) -> pd.DataFrame:
    """Rows (cadre_id, post_id) barred by a discipline of the removal form or heavier.

    A decision of ``planning.removal_discipline_min_form`` or heavier, decided on
    or before ``as_of``, bars **the person** (every one of his rows) when it is
    in force on ``as_of`` (:func:`kimson_ds.rules.notions.discipline_in_force`,
    lengths ``rotation.discipline_bar_months``) or was decided while he was on
    the list (on or after the earliest ``added_on`` of his rows, a missing
    ``added_on`` meaning "on the list from the start"; rows with
    ``on_current_list`` False are candidates, not listings): automatic removal
    takes him off every post, candidate posts included, not only the one listed.
    """
    from kimson_ds.rules.notions import discipline_in_force, discipline_periods, heavy_forms

    cols = ["cadre_id", "post_id", "discipline_vi"]
    if discipline.empty or rows.empty:
        return pd.DataFrame(columns=cols)
    heavy = heavy_forms(params.get("planning.removal_discipline_min_form"))
    as_of = pd.Timestamp(as_of)
    periods = discipline_periods(discipline, params.get("rotation.discipline_bar_months"))
    periods = periods.loc[periods["form"].isin(heavy) & (periods["decided_on"] <= as_of)]
    if periods.empty:
        return pd.DataFrame(columns=cols)
    in_force = discipline_in_force(periods, as_of)
    added = pd.to_datetime(rows["added_on"]) if "added_on" in rows else pd.Series(pd.NaT, index=rows.index)
    on_list = rows["on_current_list"].astype(bool) if "on_current_list" in rows else pd.Series(True, index=rows.index)
    listed = (added.fillna(pd.Timestamp.min).loc[on_list].groupby(rows.loc[on_list, "cadre_id"].astype(str)).min()
              .rename("_listed"))
    p = periods.join(listed, on="cadre_id")
    while_listed = p["_listed"].notna() & (p["decided_on"] >= p["_listed"])
    # Quy định 377-QĐ/TW (8-10-2025): a khiển trách or cảnh cáo whose period has ended may still be planned
    expired_ok = list(params.get("planning.discipline_expired_may_be_planned")
                      if "planning.discipline_expired_may_be_planned" in params else [])
    if expired_ok:
        while_listed &= ~p["form"].isin(expired_ok)
    hit = pd.concat([in_force, p.loc[while_listed, in_force.columns]]).drop_duplicates()
    if hit.empty:
        return pd.DataFrame(columns=cols)
    text = hit.sort_values("decided_on").groupby("cadre_id")["text"].agg(lambda s: "; ".join(dict.fromkeys(s)))
    out = rows[["cadre_id", "post_id"]].drop_duplicates().copy()
    out["discipline_vi"] = out["cadre_id"].astype(str).map(text)
    return out.dropna(subset=["discipline_vi"]).reset_index(drop=True)[cols]


# --------------------------------------------------------------------------- standards and readiness
def standards_status(tables, pairs: pd.DataFrame, as_of, params: ParameterSet, window: TermWindow,
                     used_params: list | None = None) -> pd.DataFrame:
    """Standards of each (cadre, post) pair, taken up at the start of the term.

    Uses :func:`kimson_ds.rules.standards.standards_gaps` with the shared notions of
    :mod:`kimson_ds.rules.notions`: qualifications as on ``as_of``
    (:func:`~kimson_ds.rules.notions.qualifications_on`), first appointment unless the
    cadre holds or held the title on ``as_of`` in any unit
    (:func:`~kimson_ds.rules.notions.first_appointment`), and months of training
    counted on the course calendar (:func:`~kimson_ds.rules.notions.ready_by`); and :func:`kimson_ds.rules.standards.close_gaps`
    (months of training to close each gap; gaps are closed one after another,
    so their months add up).

    The gap is judged from the day the cadre was put on the list
    (``added_on``; ``as_of`` for a proposal or when it is missing): a planning
    decision is right when, on that day, training could close the gap before
    the term starts. The annual review re-checks gaps no course can close.

    Returns
    -------
    DataFrame
        ``pairs`` plus ``first_time`` (first appointment to the title), ``met_now`` (bool), ``gap_months`` (0 when met, ``inf``
        when no course closes a gap), ``months_to_start`` (from the planning
        day to the start of the term), ``closable_by_start`` (bool) and
        ``standards_vi`` (unmet standards in Vietnamese, "" when met).
    """
    from kimson_ds.rules import notions
    from kimson_ds.rules import standards as std

    tables = _tables(tables)
    out = pairs.copy()
    out["met_now"], out["gap_months"], out["standards_vi"] = True, 0.0, ""
    if pairs.empty:
        out["months_to_start"] = 0.0
        out["closable_by_start"] = True
        return out
    keys = ["cadre_id", "target_title", "target_unit_id"]
    targets = pairs[keys].drop_duplicates().copy()
    targets["take_up_date"] = window.start
    targets["first_time"] = notions.first_appointment(targets, notions.titles_held(tables, as_of))
    then = notions.qualifications_on(tables, as_of)
    gaps = std.standards_gaps(then, targets, pd.Timestamp(as_of), units=_table(tables, "units"),
                              overrides=params.overrides or None, used_params=used_params)
    out = out.merge(targets[[*keys, "first_time"]], on=keys, how="left")
    unmet = gaps.loc[~gaps["met"].astype(bool)]
    if not unmet.empty:
        closed = std.close_gaps(unmet, _table(tables, "courses"), trainings=_table(tables, "trainings"))
        closed = closed.assign(_months=pd.to_numeric(closed["months"], errors="coerce").fillna(np.inf))
        total = closed.groupby(keys)["_months"].sum().rename("_gap")
        txt = unmet.assign(_t=unmet["reason"].astype(str)).groupby(keys)["_t"].agg("; ".join).rename("_std")
        out = out.merge(total, on=keys, how="left").merge(txt, on=keys, how="left")
        has_gap = out["_std"].notna()
        out["met_now"] = ~has_gap
        out["gap_months"] = out["_gap"].where(has_gap, 0.0).fillna(np.inf).astype(float)
        out["standards_vi"] = out["_std"].fillna("")
        out = out.drop(columns=["_gap", "_std"])
    since = pd.to_datetime(out["added_on"]) if "added_on" in out else pd.Series(pd.NaT, index=out.index)
    since = since.where(since.notna() & (since < pd.Timestamp(as_of)), pd.Timestamp(as_of))
    out["months_to_start"] = notions.months_available(since, window.start).astype(float).to_numpy()
    out["closable_by_start"] = notions.ready_by(out["gap_months"], since, window.start).to_numpy()
    return out


def readiness(pairs: pd.DataFrame, held: pd.DataFrame, params: ParameterSet) -> pd.DataFrame:
    """Add ``experience_ok``, ``readiness`` (code) and ``readiness_vi`` to standards-annotated pairs.

    ``pairs`` needs ``cadre_id, target_title, met_now, gap_months``.
    """
    bands = params.get("planning.readiness_bands")
    ranks = params.get("rotation.title_rank")
    best = held.groupby("cadre_id")["rank"].max() if not held.empty else pd.Series(dtype=float)
    out = pairs.copy()
    own = out["cadre_id"].map(best).fillna(-1)
    target = out["target_title"].map(ranks).fillna(0)
    out["experience_ok"] = own >= target - int(bands["experience_rank_gap"])
    ready_now = out["met_now"].astype(bool) & out["experience_ok"]
    soon = out["gap_months"].astype(float) <= float(bands["soon_max_months"])
    out["readiness"] = np.select([ready_now, soon], ["ngay", "1_2_nam"], "3_nam")
    out["readiness_vi"] = out["readiness"].map(readiness_labels(params))
    return out


def readiness_labels(params: ParameterSet) -> dict[str, str]:
    """Vietnamese readiness labels with the band read from ``planning.readiness_bands``."""
    m = int(params.get("planning.readiness_bands")["soon_max_months"])
    return {"ngay": READINESS["ngay"], "1_2_nam": f"Sẵn sàng trong {m} tháng (bù tiêu chuẩn bằng đào tạo)",
            "3_nam": f"Sẵn sàng sau hơn {m} tháng"}


def lower_level_basis(rows: pd.DataFrame, held: pd.DataFrame, planned: pd.DataFrame, posts: pd.DataFrame,
                      params: ParameterSet) -> pd.DataFrame:
    """Check "lower-level planning is the basis" for rows (cadre_id, post_id) of district posts.

    Returns ``rows`` plus ``basis_applies`` (district post whose title is in
    ``planning.lower_level_titles``), ``basis_held`` (holds a basis title
    elsewhere) and ``basis_ok`` (holds or is planned for one).
    """
    mapping = params.get("planning.lower_level_titles")
    links = pd.DataFrame([(t, b) for t, bs in mapping.items() for b in bs], columns=["target_title", "basis_title"])
    info = posts.set_index("post_id")
    out = rows[["cadre_id", "post_id"]].drop_duplicates().copy()
    title = out["post_id"].map(info["target_title"])
    out["basis_applies"] = out["post_id"].map(info["level"]).eq("huyen") & title.isin(list(mapping))
    basis_h = held[["cadre_id", "title", "post_id"]].rename(columns={"title": "basis_title", "post_id": "basis_post"})
    basis_p = planned[["cadre_id", "target_title", "post_id"]].rename(
        columns={"target_title": "basis_title", "post_id": "basis_post"})

    def _hits(basis: pd.DataFrame) -> pd.Series:
        m = out.assign(target_title=title).merge(links, on="target_title").merge(basis, on=["cadre_id", "basis_title"])
        m = m.loc[m["basis_post"] != m["post_id"]]
        keys = set(zip(m["cadre_id"], m["post_id"], strict=True))
        return pd.Series(pair_mask(out, keys), index=out.index)

    out["basis_held"] = _hits(basis_h)
    out["basis_ok"] = ~out["basis_applies"] | out["basis_held"] | _hits(basis_p)
    return out.merge(rows, on=["cadre_id", "post_id"], how="right")


# --------------------------------------------------------------------------- shares
def share_summary(people: pd.DataFrame, params: ParameterSet) -> pd.DataFrame:
    """Target-vs-actual shares of a list of people (rows of :func:`person_facts`).

    Returns ``indicator, target, actual, count, met, param`` with shares as
    fractions; ``met`` is NA where the indicator is shown only. On an empty
    list a share minimum is met only when it is 0 %.
    """
    n = len(people)
    women_min = float(params.get("planning.women_share_min"))
    young_limit = int(params.get("planning.young_age_limit_district"))
    young_min = float(params.get("planning.young_share_min")) if "planning.young_share_min" in params else None
    rows = [
        ("Tổng số người trong danh sách", np.nan, float(n), n, pd.NA, ""),
        ("Tỷ lệ nữ", women_min, _share(people["is_woman"]), int(people["is_woman"].sum()),
         _share(people["is_woman"]) >= women_min - 1e-9 if n else women_min <= 0, "planning.women_share_min"),
        (f"Tỷ lệ cán bộ trẻ (dưới {young_limit} tuổi)", np.nan if young_min is None else young_min,
         _share(people["is_young"]), int(people["is_young"].sum()),
         pd.NA if young_min is None else (_share(people["is_young"]) >= young_min - 1e-9 if n else young_min <= 0),
         "planning.young_share_min" if young_min is not None else ""),
        ("Tỷ lệ người dân tộc thiểu số (chỉ hiển thị)", np.nan, _share(people["is_minority"]),
         int(people["is_minority"].sum()), pd.NA, ""),
    ]
    bounds = params.get("planning.age_cohort_bounds")
    y_max, m_max = int(bounds["young_max"]), int(bounds["middle_max"])
    labels = {1: f"Dưới {y_max} tuổi", 2: f"Từ {y_max} đến {m_max} tuổi", 3: f"Trên {m_max} tuổi"}
    targets = params.get("planning.age_cohort_share_targets") if "planning.age_cohort_share_targets" in params \
        else None
    for k in (1, 2, 3):
        hit = people["cohort"].eq(k)
        label = labels[k]
        share = _share(hit)
        met, target, pname = bool(hit.any()), np.nan, "planning.age_cohort_bounds"
        if targets is not None and k == 1:
            target, pname = float(targets["young_share_min"]), "planning.age_cohort_share_targets"
            met = met and share >= target - 1e-9
        elif targets is not None and k == 2:
            target, pname = float(targets["middle_share_min"]), "planning.age_cohort_share_targets"
            met = met and float(targets["middle_share_min"]) - 1e-9 <= share <= float(targets["middle_share_max"]) + 1e-9
            label += f" (mục tiêu {targets['middle_share_min']:.0%}–{targets['middle_share_max']:.0%})".replace(".", ",")
        rows.append((f"Độ tuổi {k}: {label}", target, share, int(hit.sum()), met, pname))
    out = pd.DataFrame(rows, columns=["indicator", "target", "actual", "count", "met", "param"])
    if young_min is None:
        out.loc[1 + 1, "indicator"] += " — chưa lượng hóa chỉ tiêu vào ngày này"
    return out


def _share(flags: pd.Series) -> float:
    return float(flags.astype(bool).mean()) if len(flags) else 0.0


# --------------------------------------------------------------------------- compliance
@dataclass
class Compliance:
    """Result of :func:`check_compliance`.

    Attributes
    ----------
    violations : DataFrame
        One row per violation: ``rule, rule_vi, auto_removal, cadre_ids,
        full_names, post_id, post_vi, detail, reference``.
    summary : DataFrame
        Target vs actual (``indicator, target, actual, count, met, reference``).
    rows : DataFrame
        The planning rows checked, annotated (facts, standards, readiness, merit).
    posts : DataFrame
        Key posts of the term (:func:`key_posts`).
    bench : DataFrame
        Bench strength per post (:func:`bench_strength`).
    bench_overall : DataFrame
        Overall bench indicators.
    window : TermWindow
    params : ParameterSet
    facts : DataFrame
        :func:`person_facts` of every cadre.
    param_sets : list of ParameterSet
        Every parameter set read (for "Căn cứ pháp lý" and the run record).
    """

    violations: pd.DataFrame
    summary: pd.DataFrame
    rows: pd.DataFrame
    posts: pd.DataFrame
    bench: pd.DataFrame
    bench_overall: pd.DataFrame
    window: TermWindow
    params: ParameterSet
    facts: pd.DataFrame = field(default_factory=pd.DataFrame)
    param_sets: list = field(default_factory=list)


def _violation(rule: str, params: ParameterSet, frame: pd.DataFrame, detail: pd.Series, *,
               auto_removal: bool = False) -> pd.DataFrame:
    text, pname = RULES[rule]
    params.get(pname)
    out = pd.DataFrame({
        "rule": rule,
        "rule_vi": text,
        "auto_removal": auto_removal,
        "cadre_ids": frame.get("cadre_ids", pd.Series("", index=frame.index)),
        "full_names": frame.get("full_names", pd.Series("", index=frame.index)),
        "post_id": frame.get("post_id", pd.Series("", index=frame.index)),
        "post_vi": frame.get("post_vi", pd.Series("", index=frame.index)),
        "detail": detail,
        "reference": _ref(params, pname),
    }, index=frame.index)
    return out[_VIOLATION_COLUMNS]


def annotate_rows(tables, rows: pd.DataFrame, as_of, params: ParameterSet, window: TermWindow,
                  posts: pd.DataFrame, *, merit_years: int = 3, used_params: list | None = None) -> pd.DataFrame:
    """Facts, standards, readiness, merit, discipline and basis for (cadre_id, post_id) rows."""
    tables = _tables(tables)
    facts = person_facts(_table(tables, "cadres"), as_of, params, window)
    held = holdings(tables, params)
    info = posts.set_index("post_id")
    r = rows.copy()
    if "target_title" not in r:
        r["target_title"] = r["post_id"].map(info["target_title"])
        r["target_unit_id"] = r["post_id"].map(info["target_unit_id"])
    if "added_on" not in r:
        r["added_on"] = pd.NaT
    r["post_vi"] = r["post_id"].map(info["post_vi"])
    r["level"] = r["post_id"].map(info["level"])
    r = r.join(facts, on="cadre_id")
    r = standards_status(tables, r, as_of, params, window, used_params)
    r = readiness(r, held, params)
    r["merit"] = r["cadre_id"].map(merit_scores(_table(tables, "ratings"), as_of, merit_years)).fillna(0.0)
    disc = _discipline_hits(_table(tables, "discipline"), r, as_of, params)
    r = r.merge(disc, on=["cadre_id", "post_id"], how="left")
    r["discipline_vi"] = r["discipline_vi"].fillna("")
    r["disciplined"] = r["discipline_vi"] != ""
    return r


def check_compliance(data, term: str, as_of, *, planning: pd.DataFrame | None = None,
                     params: ParameterSet | None = None, term_start=None, merit_years: int = 3) -> Compliance:
    """Check a planning list against the planning rules in force on ``as_of``.

    Parameters
    ----------
    data : Dataset or mapping of DataFrame
        Needs ``units, positions, cadres``; uses ``planning, ratings,
        discipline, courses, trainings`` when present.
    term : str
        ``"2020-2025"``.
    as_of : date-like
        Date of the check (regulations in force on that day).
    planning : DataFrame, optional
        A proposed list (columns of the ``planning`` table); default the
        dataset's ``planning`` table.
    params : ParameterSet, optional
        Parameters (with scenario overrides); default ``parameters(as_of)``.
    term_start : date-like, optional
        First day of the term (default 1 January of its first year).

    Returns
    -------
    Compliance
    """
    tables = _tables(data)
    P = _params(as_of, params)
    window = term_window(term, P, term_start)
    plan_all = _table(tables, "planning") if planning is None else planning
    plan = active_planning(plan_all, term, as_of)
    posts = key_posts(tables, term, P, term_start=term_start, planning=plan)
    std_sets: list = []
    rows = annotate_rows(tables, plan, as_of, P, window, posts, merit_years=merit_years, used_params=std_sets)
    held = holdings(tables, P)
    rows = lower_level_basis(rows, held, plan, posts, P)
    violations: list[pd.DataFrame] = []
    names = rows.set_index("cadre_id")["full_name"].to_dict()

    # slate size per post (all key posts, empty slates included)
    counts = rows.groupby("post_id")["cadre_id"].agg(lambda s: sorted(s)).rename("ids")
    per_post = posts.set_index("post_id").join(counts)
    per_post["ids"] = per_post["ids"].map(lambda v: v if isinstance(v, list) else [])
    per_post["n"] = per_post["ids"].map(len)
    per_post["cadre_ids"] = per_post["ids"].map(", ".join)
    per_post["full_names"] = per_post["ids"].map(lambda ids: ", ".join(names.get(i, i) for i in ids))
    per_post = per_post.reset_index()
    over = per_post.loc[per_post["n"] > per_post["slate_max"]]
    violations.append(_violation("SLATE_MAX", P, over, over["n"].astype(str) + " người, tối đa "
                                 + over["slate_max"].astype(str) + " (" + over["seats"].astype(str) + " vị trí)"))
    under = per_post.loc[per_post["n"] < per_post["slate_min"]]
    violations.append(_violation("SLATE_MIN", P, under, np.where(
        under["n"] == 0, "Chưa quy hoạch người nào", under["n"].astype(str) + " người, tối thiểu "
        + under["slate_min"].astype(str))))

    # posts per person at the same level
    kmax = int(P.get("planning.max_posts_per_person"))
    ppp = rows.groupby(["cadre_id", "level"]).agg(n=("post_id", "size"), posts=("post_vi", "; ".join)).reset_index()
    ppp = ppp.loc[ppp["n"] > kmax]
    ppp = ppp.assign(cadre_ids=ppp["cadre_id"], full_names=ppp["cadre_id"].map(names), post_id="",
                     post_vi=ppp["posts"])
    lvl = ppp["level"].map({"xa": "cấp xã", "huyen": "cấp huyện"})
    violations.append(_violation("POSTS_PER_PERSON", P, ppp,
                                 ppp["n"].astype(str) + " chức danh " + lvl + ", tối đa " + str(kmax)))

    person_rows = rows.assign(cadre_ids=rows["cadre_id"], full_names=rows["full_name"])
    # age: must serve the whole term (automatic removal)
    old = person_rows.loc[~person_rows["can_serve_term"].fillna(False).astype(bool)]
    violations.append(_violation("AGE", P, old, "Nghỉ hưu ngày " + dates_vi(old["retire_date"])
                                 + ", cần công tác đến " + date_vi(window.serve_until),
                                 auto_removal=True))
    # discipline (automatic removal)
    dis = person_rows.loc[person_rows["disciplined"]]
    violations.append(_violation("DISCIPLINE", P, dis, dis["discipline_vi"], auto_removal=True))
    # standards: met, or closable before the term starts
    bad = person_rows.loc[~person_rows["closable_by_start"]]
    months = bad["gap_months"].map(lambda m: "không khóa học nào bù được" if not np.isfinite(m)
                                   else f"cần khoảng {m:.0f} tháng đào tạo")
    violations.append(_violation("STANDARDS", P, bad, bad["standards_vi"] + " (" + months + ", còn "
                                 + bad["months_to_start"].round().astype(int).astype(str)
                                 + " tháng từ khi quy hoạch đến khi nhiệm kỳ bắt đầu "
                                 + date_vi(window.start) + ")"))
    # lower-level basis
    nob = person_rows.loc[~person_rows["basis_ok"]]
    violations.append(_violation("LOWER_LEVEL", P, nob, "Không giữ, không được quy hoạch chức danh cấp dưới theo "
                                 "danh mục"))

    # only a higher post (HD 16/2022, QĐ 377): not the post held, nor a post of equal or lower rank in that unit
    if "planning.higher_post_only" in P and bool(P.get("planning.higher_post_only")):
        rank = P.get("rotation.title_rank")
        target_rank = person_rows["target_title"].map(rank).fillna(0).astype(int)
        same_unit = person_rows[["cadre_id", "target_unit_id"]].assign(_r=target_rank.to_numpy()).merge(
            held[["cadre_id", "unit_id", "rank", "title"]], left_on=["cadre_id", "target_unit_id"],
            right_on=["cadre_id", "unit_id"], how="left")
        not_higher = (same_unit["rank"].notna() & (same_unit["rank"] >= same_unit["_r"])).to_numpy()
        key = same_unit.assign(_nh=not_higher).groupby(["cadre_id", "target_unit_id", "_r"], sort=False)
        bad_keys = key["_nh"].any()
        idx = pd.MultiIndex.from_arrays([person_rows["cadre_id"], person_rows["target_unit_id"], target_rank])
        flag = bad_keys.reindex(idx).fillna(False).to_numpy(dtype=bool)
        low = person_rows.loc[flag]
        violations.append(_violation("HIGHER_POST", P, low, "Đang giữ chức danh cùng bậc hoặc cao hơn tại đơn vị "
                                     "này; chỉ quy hoạch vào chức danh cao hơn"))
    # relatives both planned for leadership posts of the same unit (QĐ 205 / QĐ 114: cần xem xét)
    if "relatives.linked_posts" in P:
        pairs = relatives_in_force(_table(tables, "relatives"), P)
        if len(pairs) and len(rows):
            on_list = rows[["cadre_id", "target_unit_id", "post_vi"]].drop_duplicates(["cadre_id", "target_unit_id"])
            both = pairs.merge(on_list, on="cadre_id").merge(
                on_list.rename(columns={"cadre_id": "relative_id", "post_vi": "post_vi_r"}),
                on=["relative_id", "target_unit_id"])
            both = both.loc[both["cadre_id"] < both["relative_id"]]
            if len(both):
                rel = both.assign(cadre_ids=both["cadre_id"] + ", " + both["relative_id"],
                                  full_names=both["cadre_id"].map(names).fillna(both["cadre_id"]) + ", "
                                  + both["relative_id"].map(names).fillna(both["relative_id"]),
                                  post_id="", post_vi=both["post_vi"] + "; " + both["post_vi_r"])
                violations.append(_violation("RELATIVES", P, rel, "Quan hệ: " + both["relation"].map(
                    RELATION).fillna(both["relation"]) + " — cần xem xét khi bố trí"))

    # shares of the whole list (unique people)
    people = rows.drop_duplicates("cadre_id")
    shares = share_summary(people, P)
    one = pd.DataFrame({"post_id": [""], "post_vi": ["Toàn danh sách"]})
    women = shares.iloc[1]
    if women["met"] is False or (women["met"] is not pd.NA and not bool(women["met"])):
        violations.append(_violation("WOMEN_SHARE", P, one, pd.Series(
            [f"{women['actual']:.1%} ({women['count']}/{len(people)} người), tối thiểu {women['target']:.0%}"])))
    young = shares.iloc[2]
    if young["met"] is not pd.NA and not bool(young["met"]):
        violations.append(_violation("YOUNG_SHARE", P, one, pd.Series(
            [f"{young['actual']:.1%} ({young['count']}/{len(people)} người), tối thiểu {young['target']:.0%}"])))
    empty = shares.iloc[4:7].loc[lambda s: ~s["met"].astype(bool)]
    if len(people) and not empty.empty:
        detail = "; ".join(empty["indicator"] + " — " + empty["actual"].map(lambda v: f"{v:.1%}".replace(".", ",")))
        violations.append(_violation("COHORTS", P, one, pd.Series(["Chưa đạt: " + detail])))
    viol = pd.concat([v for v in violations if not v.empty], ignore_index=True) if any(
        not v.empty for v in violations) else pd.DataFrame(columns=_VIOLATION_COLUMNS)

    # target-vs-actual summary
    rule_rows = pd.DataFrame([
        ("Số người tối đa mỗi chức danh (mỗi vị trí)", float(P.get("planning.slate_max_per_post")),
         float(per_post["n"].max()) if len(per_post) else 0.0, int(len(over)), over.empty,
         "planning.slate_max_per_post"),
        ("Số người tối thiểu mỗi chức danh", float(P.get("planning.slate_min_per_post")),
         float(per_post["n"].min()) if len(per_post) else 0.0, int(len(under)), under.empty,
         "planning.slate_min_per_post"),
        ("Số chức danh tối đa mỗi người (cùng cấp)", float(kmax),
         float(rows.groupby(["cadre_id", "level"]).size().max()) if len(rows) else 0.0, int(len(ppp)),
         ppp.empty, "planning.max_posts_per_person"),
        ("Số người không đủ tuổi trọn nhiệm kỳ", 0.0, float(old["cadre_id"].nunique()),
         int(old["cadre_id"].nunique()), old.empty, "planning.full_terms_required_at_planning"),
        ("Số người bị kỷ luật từ khiển trách trở lên", 0.0, float(dis["cadre_id"].nunique()),
         int(dis["cadre_id"].nunique()), dis.empty, "planning.removal_discipline_min_form"),
        ("Số lượt chưa đạt tiêu chuẩn, không kịp bù", 0.0, float(len(bad)), int(len(bad)), bad.empty,
         "planning.readiness_bands"),
        ("Số lượt thiếu cơ sở quy hoạch cấp dưới", 0.0, float(len(nob)), int(len(nob)), nob.empty,
         "planning.lower_level_titles"),
    ], columns=["indicator", "target", "actual", "count", "met", "param"])
    summary = pd.concat([shares, rule_rows], ignore_index=True)
    summary["reference"] = summary["param"].map(lambda n: _ref(P, n) if n else "")
    summary = summary.drop(columns=["param"])
    bench, overall = bench_strength(rows, posts, tables, P, window)
    facts = person_facts(_table(tables, "cadres"), as_of, P, window)
    return Compliance(viol, summary, rows, posts, bench, overall, window, P, facts, [P, *std_sets])


# --------------------------------------------------------------------------- bench strength
_RISK = {"do": "Rủi ro cao", "vang": "Cần chú ý", "xanh": "Bảo đảm"}


def bench_strength(rows: pd.DataFrame, posts: pd.DataFrame, tables, params: ParameterSet,
                   window: TermWindow) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Bench strength per key post and overall.

    Parameters
    ----------
    rows : DataFrame
        Annotated planning rows (``cadre_id, post_id, readiness``).

    Returns
    -------
    per_post : DataFrame
        ``post_id, post_vi, unit_name, level, incumbents, incumbent_leaves,
        incumbent_leaves_on, n_candidates, n_ready_now, n_ready_soon, risk, risk_vi``.
        ``incumbent_leaves``: some holder reaches retirement before the term ends.
        ``risk``: ``do`` no ready-now successor while the incumbent leaves or the
        post is vacant; ``vang`` no ready-now successor or fewer than 2
        candidates; ``xanh`` otherwise.
    overall : DataFrame
        ``indicator, value`` (shares of posts with ≥ 1 ready-now successor and
        with ≥ 2 candidates, counts by risk).
    """
    tables = _tables(tables)
    facts = person_facts(_table(tables, "cadres"), window.start, params, window)
    inc = posts[["post_id", "holder_ids"]].explode("holder_ids").dropna().rename(columns={"holder_ids": "cadre_id"})
    inc = inc.join(facts[["full_name", "retire_date"]], on="cadre_id")
    inc["leaves"] = inc["retire_date"] < window.end
    inc_agg = inc.groupby("post_id").agg(incumbents=("full_name", ", ".join), incumbent_leaves=("leaves", "any"),
                                         incumbent_leaves_on=("retire_date", "min"))
    cnt = rows.groupby("post_id").agg(
        n_candidates=("cadre_id", "nunique"),
        n_ready_now=("readiness", lambda s: int((s == "ngay").sum())),
        n_ready_soon=("readiness", lambda s: int((s == "1_2_nam").sum())))
    out = posts[["post_id", "post_vi", "unit_name", "level", "target_title"]].set_index("post_id")
    out = out.join(inc_agg).join(cnt)
    out["incumbents"] = out["incumbents"].fillna("(khuyết)")
    vacant = out["incumbent_leaves"].isna()
    out["incumbent_leaves"] = out["incumbent_leaves"].fillna(False).astype(bool)
    out["incumbent_leaves_on"] = out["incumbent_leaves_on"].where(out["incumbent_leaves"])
    for c in ("n_candidates", "n_ready_now", "n_ready_soon"):
        out[c] = out[c].fillna(0).astype(int)
    red = (out["n_ready_now"] == 0) & (out["incumbent_leaves"] | vacant)
    k_min = int(params.get("planning.bench_min_candidates"))
    amber = (out["n_ready_now"] == 0) | (out["n_candidates"] < k_min)
    out["risk"] = np.select([red, amber], ["do", "vang"], "xanh")
    out["risk_vi"] = out["risk"].map(_RISK)
    out = out.reset_index()
    n = len(out)
    overall = pd.DataFrame([
        ("Số chức danh chủ chốt", float(n)),
        ("Tỷ lệ chức danh có ít nhất 1 người sẵn sàng ngay", float((out["n_ready_now"] >= 1).mean()) if n else 0.0),
        (f"Tỷ lệ chức danh có ít nhất {k_min} người quy hoạch",
         float((out["n_candidates"] >= k_min).mean()) if n else 0.0),
        ("Số chức danh người đương nhiệm nghỉ hưu trong nhiệm kỳ", float(out["incumbent_leaves"].sum())),
        ("Số chức danh rủi ro cao", float((out["risk"] == "do").sum())),
        ("Số chức danh cần chú ý", float((out["risk"] == "vang").sum())),
    ], columns=["indicator", "value"])
    return out, overall


# --------------------------------------------------------------------------- vacancy chains
def ranked_successors(rows: pd.DataFrame) -> pd.DataFrame:
    """Order each post's slate: readiness first, then merit (high first), then cadre id.

    Returns ``post_id, cadre_id, order`` (1 = proposed successor).
    """
    order = {k: i for i, k in enumerate(READINESS)}
    r = rows[["post_id", "cadre_id", "readiness", "merit"]].assign(_r=rows["readiness"].map(order).fillna(9))
    r = r.sort_values(["post_id", "_r", "merit", "cadre_id"], ascending=[True, True, False, True])
    r["order"] = r.groupby("post_id").cumcount() + 1
    return r[["post_id", "cadre_id", "order"]].reset_index(drop=True)


def vacancy_chains(successors: pd.DataFrame, held: pd.DataFrame, start_posts: Iterable[str],
                   leaving: Mapping[str, Iterable[str]] | None = None, post_names: Mapping[str, str] | None = None,
                   names: Mapping[str, str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Follow the vacancy chain opened at each start post.

    Appointing the proposed successor A of an open post P opens the key posts A
    holds; each opened post is filled from its own slate, in slate order,
    skipping people already moved in the chain (or leaving it). A skip of
    someone already in the chain is a **cycle**; an opened post with nobody
    left on its slate is an **uncovered vacancy** (dead end). A successor who
    holds no key post ends that branch (filled from outside the key posts).

    Parameters
    ----------
    successors : DataFrame
        ``post_id, cadre_id, order`` (:func:`ranked_successors`).
    held : DataFrame
        ``cadre_id, post_id`` of the key posts currently held.
    start_posts : iterable of str
        Posts that open first (incumbent retires, vacancy, …).
    leaving : mapping, optional
        ``{start post: people leaving it}`` (they are never successors in that chain).

    Returns
    -------
    steps : DataFrame
        ``chain, step, post_id, post_vi, opened_by, successor_id, successor, covered, note``.
    chains : DataFrame
        ``chain, start_post, start_post_vi, n_opened, n_covered, uncovered_posts, cycle, end``.
    """
    post_names = dict(post_names or {})
    names = dict(names or {})
    leaving = {k: set(v) for k, v in (leaving or {}).items()}
    slate = {p: list(g.sort_values("order")["cadre_id"]) for p, g in successors.groupby("post_id")}
    posts_of = {c: sorted(set(g["post_id"])) for c, g in held.groupby("cadre_id")}
    steps, chains = [], []
    for chain_no, start in enumerate(start_posts, start=1):
        used = set(leaving.get(start, set()))
        moved: set[str] = set()
        opened = [start]
        queue: list[tuple[str, str]] = [(start, "")]
        n_cov, uncovered, cycle, step, ends = 0, [], False, 0, []
        while queue:
            post, by = queue.pop(0)
            step += 1
            slate_p = slate.get(post, [])
            skipped = [c for c in slate_p if c in used or c in moved]
            free = [c for c in slate_p if c not in used and c not in moved]
            notes = []
            if any(c in moved for c in skipped):
                cycle = True
                notes.append("vòng lặp: bỏ qua " + ", ".join(names.get(c, c) for c in skipped if c in moved)
                             + " (đã được điều động trong chuỗi)")
            if not free:
                uncovered.append(post)
                notes.append("trống: không còn người trong quy hoạch để thay" if slate_p
                             else "trống: chức danh chưa có người quy hoạch")
                steps.append((chain_no, step, post, by, "", False, "; ".join(notes)))
                ends.append("trống")
                continue
            a = free[0]
            moved.add(a)
            n_cov += 1
            nxt = [q for q in posts_of.get(a, []) if q not in opened]
            if not nxt:
                notes.append("người kế nhiệm không giữ chức danh chủ chốt nào: nhánh dừng")
                ends.append("kín")
            opened.extend(nxt)
            queue.extend((q, a) for q in nxt)
            steps.append((chain_no, step, post, by, a, True, "; ".join(notes)))
        end = "Kết thúc ở vị trí trống không có người thay" if uncovered else "Các vị trí mở ra đều có người thay"
        chains.append((chain_no, start, len(opened), n_cov, ", ".join(post_names.get(p, p) for p in uncovered),
                       cycle, end))
    steps_df = pd.DataFrame(steps, columns=["chain", "step", "post_id", "opened_by", "successor_id", "covered", "note"])
    steps_df["post_vi"] = steps_df["post_id"].map(lambda p: post_names.get(p, p))
    steps_df["successor"] = steps_df["successor_id"].map(lambda c: names.get(c, c))
    steps_df["opened_by"] = steps_df["opened_by"].map(lambda c: names.get(c, c))
    steps_df = steps_df[["chain", "step", "post_id", "post_vi", "opened_by", "successor_id", "successor", "covered",
                         "note"]]
    chains_df = pd.DataFrame(chains, columns=["chain", "start_post", "n_opened", "n_covered", "uncovered_posts",
                                              "cycle", "end"])
    chains_df.insert(2, "start_post_vi", chains_df["start_post"].map(lambda p: post_names.get(p, p)))
    return steps_df, chains_df


def chains_for(comp: Compliance, tables, start: str = "leaving") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Vacancy chains of a compliance result: start at posts whose incumbent leaves in the term.

    ``start="all"`` starts a chain at every key post with a slate.
    """
    tables = _tables(tables)
    held = holdings(tables, comp.params)
    held = held.loc[held["is_key"] & held["post_id"].isin(comp.posts["post_id"])]
    bench = comp.bench.set_index("post_id")
    if start == "all":
        starts = [p for p in comp.posts["post_id"] if p in set(comp.rows["post_id"])]
    else:
        starts = list(bench.index[bench["incumbent_leaves"]])
    leaving = {p: set(h) for p, h in zip(comp.posts["post_id"], comp.posts["holder_ids"], strict=True)}
    names = person_facts(_table(tables, "cadres"), comp.window.start, comp.params, comp.window)["full_name"].to_dict()
    return vacancy_chains(ranked_successors(comp.rows), held[["cadre_id", "post_id"]], starts, leaving,
                          comp.posts.set_index("post_id")["post_vi"].to_dict(), names)


# --------------------------------------------------------------------------- candidate pairs (optimiser input)
def candidate_pairs(data, term: str, as_of, *, params: ParameterSet | None = None, term_start=None,
                    planning: pd.DataFrame | None = None, extra: pd.DataFrame | None = None,
                    merit_years: int = 3, used_params: list | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All (cadre, key post) pairs the slate optimiser considers, with hard-rule reasons.

    The pool for a post: its current slate; cadres of the same unit whose
    current rank is at most ``experience_rank_gap`` below the post's; for a
    district post, cadres holding or planned for one of its lower-level titles;
    plus ``extra`` pairs (``cadre_id, post_id``). Incumbents of the post are
    left out.

    Returns
    -------
    pairs : DataFrame
        Annotated rows (:func:`annotate_rows`) plus ``eligible`` (bool),
        ``reasons`` (Vietnamese, hard rules failed), ``basis_applies``,
        ``basis_held``, ``on_current_list``.
    posts : DataFrame
        Key posts (:func:`key_posts`).
    """
    tables = _tables(data)
    P = _params(as_of, params)
    window = term_window(term, P, term_start)
    plan_all = _table(tables, "planning") if planning is None else planning
    plan = active_planning(plan_all, term, as_of)
    posts = key_posts(tables, term, P, term_start=term_start, planning=plan)
    held = holdings(tables, P)
    cadres = _table(tables, "cadres")
    gap = int(P.get("planning.readiness_bands")["experience_rank_gap"])
    best = held.groupby("cadre_id")["rank"].max()
    c = cadres[["cadre_id", "unit_id"]].assign(rank=cadres["cadre_id"].map(best).fillna(-1))
    same = posts[["post_id", "target_unit_id", "rank"]].merge(c, left_on="target_unit_id", right_on="unit_id",
                                                               suffixes=("", "_c"))
    same = same.loc[same["rank_c"] >= same["rank"] - gap, ["cadre_id", "post_id"]]
    mapping = P.get("planning.lower_level_titles")
    links = pd.DataFrame([(t, b) for t, bs in mapping.items() for b in bs], columns=["target_title", "basis_title"])
    dposts = posts.loc[posts["level"] == "huyen", ["post_id", "target_title"]].merge(links, on="target_title")
    basis = pd.concat([held[["cadre_id", "title"]].rename(columns={"title": "basis_title"}),
                       plan[["cadre_id", "target_title"]].rename(columns={"target_title": "basis_title"})])
    lower = dposts.merge(basis.drop_duplicates(), on="basis_title")[["cadre_id", "post_id"]]
    parts = [plan[["cadre_id", "post_id"]], same, lower]
    if extra is not None and len(extra):
        parts.append(extra[["cadre_id", "post_id"]])
    pairs = pd.concat(parts, ignore_index=True).drop_duplicates()
    pairs = pairs.loc[pairs["post_id"].isin(posts["post_id"])]
    inc = posts[["post_id", "holder_ids"]].explode("holder_ids").dropna()
    inc_keys = set(zip(inc["holder_ids"], inc["post_id"], strict=True))
    pairs = pairs.loc[~pair_mask(pairs, inc_keys)]
    pairs = pairs.sort_values(["post_id", "cadre_id"]).reset_index(drop=True)
    cur = plan[["cadre_id", "post_id", "added_on"]].drop_duplicates(["cadre_id", "post_id"])
    pairs = pairs.merge(cur, on=["cadre_id", "post_id"], how="left")
    pairs["on_current_list"] = pairs.index.isin(
        pairs.reset_index().merge(cur[["cadre_id", "post_id"]])["index"])
    rows = annotate_rows(tables, pairs, as_of, P, window, posts, merit_years=merit_years, used_params=used_params)
    rows = lower_level_basis(rows, held, plan, posts, P)
    # only a higher post (the same rule as check_compliance's HIGHER_POST)
    not_higher = np.zeros(len(rows), dtype=bool)
    if "planning.higher_post_only" in P and bool(P.get("planning.higher_post_only")) and len(rows):
        rank = P.get("rotation.title_rank")
        target_rank = rows["target_title"].map(rank).fillna(0).astype(int)
        same_unit = rows[["cadre_id", "target_unit_id"]].assign(_r=target_rank.to_numpy()).merge(
            held[["cadre_id", "unit_id", "rank"]], left_on=["cadre_id", "target_unit_id"],
            right_on=["cadre_id", "unit_id"], how="left")
        nh = (same_unit["rank"].notna() & (same_unit["rank"] >= same_unit["_r"])).to_numpy()
        bad = same_unit.assign(_nh=nh).groupby(["cadre_id", "target_unit_id", "_r"], sort=False)["_nh"].any()
        idx = pd.MultiIndex.from_arrays([rows["cadre_id"], rows["target_unit_id"], target_rank])
        not_higher = bad.reindex(idx).fillna(False).to_numpy(dtype=bool)
    reasons = pd.DataFrame({
        "age": np.where(~rows["can_serve_term"].fillna(False).astype(bool),
                        "không đủ tuổi công tác trọn nhiệm kỳ", ""),
        "disc": np.where(rows["disciplined"], "bị kỷ luật (" + rows["discipline_vi"] + ")", ""),
        "std": np.where(~rows["closable_by_start"], "chưa đạt tiêu chuẩn, không kịp bù trước nhiệm kỳ ("
                        + rows["standards_vi"] + ")", ""),
        "higher": np.where(not_higher, "không phải chức danh cao hơn chức danh đang giữ tại đơn vị", ""),
    })
    joined = reasons["age"] + "; " + reasons["disc"] + "; " + reasons["std"] + "; " + reasons["higher"]
    rows["reasons"] = joined.str.replace(r"(; )+", "; ", regex=True).str.strip("; ").to_numpy()
    rows["eligible"] = rows["reasons"] == ""
    return rows, posts


# --------------------------------------------------------------------------- annual review
_LOW_SEVERITY = "planning.review_low_rating_severity"

def _low_rating_people(ratings: pd.DataFrame, on, n_years: int) -> pd.Series:
    """Cadres whose last ``n_years`` recorded ratings up to ``on``'s year are all below tốt."""
    on = pd.Timestamp(on)
    r = ratings.loc[ratings["level"].notna() & (ratings["year"].astype(float) <= on.year)]
    r = r.sort_values(["cadre_id", "year"]).groupby("cadre_id").tail(n_years)
    rank = r["level"].map({code: i for i, code in enumerate(RATING_ORDER)})
    low = rank > RATING_ORDER.index("tot")
    g = low.groupby(r["cadre_id"]).agg(["sum", "size"])
    hit = g.loc[(g["size"] >= n_years) & (g["sum"] >= n_years)].index
    years = r.loc[r["cadre_id"].isin(hit)]
    txt = years["year"].astype(float).astype(int).astype(str).groupby(years["cadre_id"]).agg(", ".join)
    return txt.astype(object)


def _join_nonempty(parts: pd.DataFrame, sep: str = "; ") -> pd.Series:
    """Join the non-empty texts of each row of ``parts`` with ``sep`` (vectorised over rows)."""
    out = pd.Series("", index=parts.index, dtype=object)
    for col in parts.columns:  # a handful of reason columns, never the rows
        part = parts[col].astype(object).where(parts[col].notna(), "").astype(str)
        glue = np.where((out != "") & (part != ""), sep, "")
        out = out + glue + part
    return out


def annual_review(data, term: str, date_from, date_to, *, params: ParameterSet | None = None,
                  term_start=None, planning: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The "open and dynamic" review: compare the planning list of ``term`` at two dates.

    For every (cadre, post) on either list: ``status`` (``them`` added,
    ``dua_ra`` removed, ``giu`` kept) with its reasons. Evidence is computed on
    ``date_to`` for: age (cannot serve the whole term), discipline of the
    removal form or heavier decided in the period, standards (unmet and no
    course closes the gap), ratings below tốt for
    ``planning.review_low_rating_years`` years, appointed (now holds the post).
    A kept row with evidence is flagged for removal; a removed row without a
    recorded reason or evidence is flagged. Low ratings are evidence only while
    ``planning.review_low_rating_severity`` is ``dua_ra``; from Quy định 50-QĐ/TW
    (27-12-2021) they are a "cần xem xét" note (flag "Cần xem xét (xếp loại)",
    review P10).

    Returns
    -------
    rows : DataFrame
        ``cadre_id, full_name, post_id, post_vi, status, status_vi, reasons, recorded_reason, flag``.
    shares : DataFrame
        ``indicator, target, before, after`` (share summary at both dates).
    """
    tables = _tables(data)
    P = params if params is not None else parameters(date_to)
    P_from = parameters(date_from, P.overrides)
    window = term_window(term, P, term_start)
    plan_all = _table(tables, "planning") if planning is None else planning
    before = active_planning(plan_all, term, date_from)
    after = active_planning(plan_all, term, date_to)
    keys = ["cadre_id", "post_id"]
    both = before[keys].merge(after[keys], how="outer", indicator=True)
    status = both["_merge"].map({"both": "giu", "left_only": "dua_ra", "right_only": "them"}).astype(str)
    both = both.drop(columns="_merge").assign(status=status)
    full = plan_all.loc[plan_all["term"].astype(str).str.strip() == window.term].copy()
    full["post_id"] = full["target_title"].astype(str) + "@" + full["target_unit_id"].astype(str)
    rec = full.sort_values("removed_on").drop_duplicates(keys, keep="last").set_index(keys)
    both = both.join(rec[["target_title", "target_unit_id", "added_on", "removal_reason"]], on=keys)
    posts = key_posts(tables, term, P, term_start=term_start, planning=full)
    rows = annotate_rows(tables, both, date_to, P, window, posts)
    # discipline only counts when decided in the review period
    d = _table(tables, "discipline")
    d = d.loc[pd.to_datetime(d["decided_on"]) > pd.Timestamp(date_from)]
    disc = _discipline_hits(d, rows.assign(added_on=pd.Timestamp(date_from)), date_to, P)
    rows = rows.drop(columns=["discipline_vi"]).merge(disc, on=keys, how="left")
    rows["discipline_vi"] = rows["discipline_vi"].fillna("")
    n_low = int(P.get("planning.review_low_rating_years"))
    low = _low_rating_people(_table(tables, "ratings"), date_to, n_low)
    pos = _table(tables, "positions").dropna(subset=["holder_id"])
    now_holds = set(zip(pos["holder_id"], pos["title"].astype(str) + "@" + pos["unit_id"].astype(str), strict=True))
    ev = pd.DataFrame(index=rows.index)
    ev["tuoi"] = np.where(~rows["can_serve_term"].fillna(False).astype(bool),
                          "tuổi: nghỉ hưu ngày " + dates_vi(rows["retire_date"]).replace("", "?"), "")
    ev["ky_luat"] = np.where(rows["discipline_vi"] != "", "kỷ luật: " + rows["discipline_vi"], "")
    ev["tieu_chuan"] = np.where(~np.isfinite(rows["gap_months"].astype(float)),
                                "tiêu chuẩn: " + rows["standards_vi"], "")
    lowtxt = rows["cadre_id"].map(low).astype(object)
    low_vi = np.where(lowtxt.notna(),
                      f"xếp loại dưới mức tốt {n_low} năm liền (" + lowtxt.where(lowtxt.notna(), "") + ")", "")
    # review P10: from QĐ 50 two years below tốt is a note to look at, not a ground for removal (dated)
    low_is_ground = P.get(_LOW_SEVERITY) == "dua_ra" if _LOW_SEVERITY in P else True
    ev["xep_loai"] = low_vi if low_is_ground else ""
    note = pd.Series("" if low_is_ground else low_vi, index=rows.index, dtype=object)
    appointed = pd.Series(pair_mask(rows, now_holds), index=rows.index)
    ev["bo_nhiem"] = np.where(appointed, "đã được bổ nhiệm, bầu giữ chức danh này", "")
    evidence = _join_nonempty(ev)
    rows["evidence"] = evidence
    recorded = rows["removal_reason"].map(lambda v: REMOVAL_REASON.get(v, "") if isinstance(v, str) else "")
    st = rows["status"]
    rows["reasons"] = np.select(
        [st == "dua_ra", st == "them", st == "giu"],
        [np.where(recorded != "", recorded + np.where(evidence != "", " — " + evidence, ""), evidence),
         "Bổ sung vào quy hoạch" + np.where(evidence != "", " (lưu ý: " + evidence + ")", ""),
         np.where(evidence != "", evidence, "Tiếp tục đủ điều kiện")], "")
    has_note = (note != "").to_numpy()
    rows["reasons"] = np.where(has_note, rows["reasons"] + "; cần xem xét (không phải căn cứ đưa ra): " + note,
                               rows["reasons"])
    rows["flag"] = np.select(
        [(st == "giu") & (evidence != ""), (st == "them") & (evidence != ""),
         (st == "dua_ra") & (recorded == "") & (evidence == ""), (st != "dua_ra") & has_note],
        ["Cần xem xét đưa ra khỏi quy hoạch", "Bổ sung người chưa đủ điều kiện", "Đưa ra nhưng chưa rõ lý do",
         "Cần xem xét (xếp loại)"], "")
    rows["recorded_reason"] = recorded
    rows["status_vi"] = st.map(REVIEW_STATUS)
    cols = ["cadre_id", "full_name", "post_id", "post_vi", "status", "status_vi", "reasons", "recorded_reason", "flag"]
    rows = rows[cols].sort_values(["status", "post_id", "cadre_id"]).reset_index(drop=True)
    # share targets before and after
    f_before = person_facts(_table(tables, "cadres"), date_from, P_from, window)
    f_after = person_facts(_table(tables, "cadres"), date_to, P, window)
    s_before = share_summary(f_before.loc[f_before.index.isin(before["cadre_id"])], P_from)
    s_after = share_summary(f_after.loc[f_after.index.isin(after["cadre_id"])], P)
    shares = pd.DataFrame({"indicator": s_after["indicator"], "target_before": s_before["target"],
                           "before": s_before["actual"], "target_after": s_after["target"],
                           "after": s_after["actual"], "met_after": s_after["met"]})
    return rows, shares


# --------------------------------------------------------------------------- display tables (Vietnamese)
_LEVEL_VI = {"xa": "Xã", "huyen": "Huyện"}
_SHARE_PREFIXES = ("Tỷ lệ", "Độ tuổi")


def percent_text(value: float, decimals: int = 1) -> str:
    """A fraction as Vietnamese percentage text: ``0.28 → "28,0%"`` (empty for NaN)."""
    if value is None or value is pd.NA or value != value:
        return ""
    return f"{float(value) * 100:.{decimals}f}%".replace(".", ",")


def _pct(values: pd.Series) -> pd.Series:
    """Fractions → percentages (×100, 1 decimal), numbers kept as numbers."""
    return (pd.to_numeric(values, errors="coerce").astype(float) * 100).round(1)


def _yes_no(values: pd.Series) -> pd.Series:
    """Booleans → "có" / "không" (missing → "")."""
    flags = values.astype("boolean")
    return pd.Series(np.where(flags.isna(), "", np.where(flags.fillna(False), "có", "không")),
                     index=values.index, dtype=object)


def _met_vi(values: pd.Series) -> pd.Series:
    """Met flags → "Đạt" / "Chưa đạt" ("" where the indicator is shown only)."""
    flags = values.astype("boolean")
    return pd.Series(np.where(flags.isna(), "", np.where(flags.fillna(False), "Đạt", "Chưa đạt")),
                     index=values.index, dtype=object)


def _text(values: pd.Series) -> pd.Series:
    return values.astype(object).where(values.notna(), "")


def _is_share(indicator: pd.Series) -> pd.Series:
    return indicator.astype(str).str.startswith(_SHARE_PREFIXES)


def _split_share(indicator: pd.Series, values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(percent column, count column) of a mixed share/count column, by the indicator's name."""
    share = _is_share(indicator).to_numpy()
    num = pd.to_numeric(values, errors="coerce").astype(float)
    count = num.where(~share).round(2)
    whole = count.dropna()
    if (whole == whole.round()).all():
        count = count.astype("Int64")
    return _pct(num.where(share)), count


def planning_rows_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Annotated (cadre, post) rows (:func:`annotate_rows`, :func:`candidate_pairs`) in Vietnamese.

    Id and code columns are kept (``Mã cán bộ``, ``Mã chức danh quy hoạch``);
    booleans are "có"/"không"; months of training needed are blank when no
    course closes the gap (see ``Có khóa học bù được``).
    """
    gap = pd.to_numeric(rows["gap_months"], errors="coerce").astype(float)
    out = pd.DataFrame({
        "Mã cán bộ": rows["cadre_id"],
        "Họ và tên": rows["full_name"],
        "Mã chức danh quy hoạch": rows["post_id"],
        "Chức danh quy hoạch": rows["post_vi"],
        "Cấp": rows["level"].map(_LEVEL_VI),
        "Ngày đưa vào quy hoạch": pd.to_datetime(rows["added_on"]) if "added_on" in rows else pd.NaT,
        "Giới tính": rows["gender"].map({"nam": "Nam", "nu": "Nữ"}),
        "Tuổi": rows["age"].astype("Int64"),
        "Độ tuổi": rows["cohort_vi"],
        "Cán bộ trẻ": _yes_no(rows["is_young"]),
        "Dân tộc thiểu số": _yes_no(rows["is_minority"]),
        "Ngày nghỉ hưu": pd.to_datetime(rows["retire_date"]),
        "Đủ tuổi công tác trọn nhiệm kỳ": _yes_no(rows["can_serve_term"].fillna(False)),
        "Đạt tiêu chuẩn hiện nay": _yes_no(rows["met_now"]),
        "Tiêu chuẩn còn thiếu": _text(rows["standards_vi"]),
        "Có khóa học bù được": _yes_no(pd.Series(np.isfinite(gap), index=rows.index)),
        "Số tháng đào tạo cần": gap.where(np.isfinite(gap)).round(1),
        "Số tháng đến khi nhiệm kỳ bắt đầu": pd.to_numeric(rows["months_to_start"]).round(1),
        "Kịp bù trước nhiệm kỳ": _yes_no(rows["closable_by_start"]),
        "Đủ kinh nghiệm": _yes_no(rows["experience_ok"]),
        "Mức sẵn sàng": rows["readiness_vi"],
        "Điểm thành tích": pd.to_numeric(rows["merit"]).round(2),
        "Bị kỷ luật": _yes_no(rows["disciplined"]),
        "Kỷ luật": _text(rows["discipline_vi"]),
        "Cần cơ sở quy hoạch cấp dưới": _yes_no(rows["basis_applies"]),
        "Có cơ sở quy hoạch cấp dưới": _yes_no(rows["basis_ok"]),
    }, index=rows.index)
    if "on_current_list" in rows:
        out["Đang trong danh sách quy hoạch"] = _yes_no(rows["on_current_list"])
    if "eligible" in rows:
        out["Đủ điều kiện quy hoạch"] = _yes_no(rows["eligible"])
        out["Lý do không đủ điều kiện"] = _text(rows["reasons"])
    return out.reset_index(drop=True)


def compliance_tables(comp: Compliance, *, steps: pd.DataFrame | None = None,
                      chains: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """Display-ready Vietnamese tables of a compliance check (for reports, CSV and Excel).

    Headers are Vietnamese; codes are shown with their labels; booleans are
    "có"/"không"; shares are percentages (×100, one decimal) in columns whose
    header ends with "(%)"; dates stay dates. Id columns are kept with
    Vietnamese headers (``Mã cán bộ``, ``Mã chức danh quy hoạch``, ``Mã quy tắc``).

    Parameters
    ----------
    comp : Compliance
        Result of :func:`check_compliance`.
    steps, chains : DataFrame, optional
        Vacancy chains (:func:`chains_for`); included when given.

    Returns
    -------
    dict of DataFrame
        ``violations``, ``violation_counts``, ``summary``, ``bench``,
        ``bench_overall``, ``planning_rows`` and, with chains, ``chains`` and
        ``chain_steps``.
    """
    v = comp.violations
    violations = pd.DataFrame({
        "Mã quy tắc": v["rule"],
        "Quy tắc": v["rule_vi"],
        "Đương nhiên đưa ra khỏi quy hoạch": _yes_no(v["auto_removal"]),
        "Mã cán bộ": _text(v["cadre_ids"]),
        "Người liên quan": _text(v["full_names"]),
        "Mã chức danh quy hoạch": _text(v["post_id"]),
        "Chức danh": _text(v["post_vi"]),
        "Chi tiết": _text(v["detail"]),
        "Căn cứ": _text(v["reference"]),
    })
    counts = (violations.groupby(["Mã quy tắc", "Quy tắc"], sort=False).size().rename("Số trường hợp")
              .reset_index().drop(columns="Mã quy tắc"))
    s = comp.summary
    target_pct, target_n = _split_share(s["indicator"], s["target"])
    actual_pct, actual_n = _split_share(s["indicator"], s["actual"])
    summary = pd.DataFrame({
        "Chỉ tiêu": s["indicator"],
        "Mức quy định (%)": target_pct,
        "Thực tế (%)": actual_pct,
        "Mức quy định (số)": target_n,
        "Thực tế (số)": actual_n,
        "Số người, số trường hợp": s["count"].astype("Int64"),
        "Kết quả": _met_vi(s["met"]),
        "Căn cứ": _text(s["reference"]),
    })
    b = comp.bench.sort_values(["level", "unit_name", "post_id"])
    bench = pd.DataFrame({
        "Mã chức danh quy hoạch": b["post_id"],
        "Cấp": b["level"].map(_LEVEL_VI),
        "Đơn vị": b["unit_name"],
        "Chức danh": b["target_title"].map(TITLE).fillna(b["target_title"]),
        "Người đương nhiệm": b["incumbents"],
        "Người đương nhiệm nghỉ hưu trong nhiệm kỳ": _yes_no(b["incumbent_leaves"]),
        "Ngày nghỉ hưu của người đương nhiệm": pd.to_datetime(b["incumbent_leaves_on"]),
        "Số người quy hoạch": b["n_candidates"],
        "Số người sẵn sàng ngay": b["n_ready_now"],
        "Số người " + readiness_labels(comp.params)["1_2_nam"].lower(): b["n_ready_soon"],
        "Đánh giá": b["risk_vi"],
    }).reset_index(drop=True)
    o = comp.bench_overall
    pct, num = _split_share(o["indicator"], o["value"])
    overall = pd.DataFrame({"Chỉ tiêu": o["indicator"], "Giá trị (%)": pct, "Giá trị (số)": num})
    out = {"violations": violations, "violation_counts": counts, "summary": summary, "bench": bench,
           "bench_overall": overall, "planning_rows": planning_rows_table(comp.rows)}
    if chains is not None:
        out["chains"] = pd.DataFrame({
            "Chuỗi": chains["chain"],
            "Mã chức danh mở đầu": chains["start_post"],
            "Chức danh mở đầu": chains["start_post_vi"],
            "Số vị trí mở ra": chains["n_opened"],
            "Số vị trí có người thay": chains["n_covered"],
            "Vị trí trống cuối chuỗi": _text(chains["uncovered_posts"]),
            "Có vòng lặp": _yes_no(chains["cycle"]),
            "Kết thúc": chains["end"],
        })
    if steps is not None:
        out["chain_steps"] = pd.DataFrame({
            "Chuỗi": steps["chain"],
            "Bước": steps["step"],
            "Mã chức danh": steps["post_id"],
            "Vị trí mở": steps["post_vi"],
            "Do ai để lại": _text(steps["opened_by"]),
            "Mã người thay": _text(steps["successor_id"]),
            "Người thay": _text(steps["successor"]),
            "Có người thay": _yes_no(steps["covered"]),
            "Ghi chú": _text(steps["note"]),
        })
    return out


def review_tables(rows: pd.DataFrame, shares: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Display-ready Vietnamese tables of :func:`annual_review` (same conventions as :func:`compliance_tables`).

    Returns
    -------
    dict of DataFrame
        ``review`` (every row), ``review_changes`` (rows added, removed or
        flagged), ``review_counts`` (rows by outcome, then by note) and
        ``review_shares``.
    """
    review = pd.DataFrame({
        "Mã cán bộ": rows["cadre_id"],
        "Họ và tên": rows["full_name"],
        "Mã chức danh quy hoạch": rows["post_id"],
        "Chức danh": rows["post_vi"],
        "Kết quả rà soát": rows["status"].map(REVIEW_STATUS),
        "Lý do, căn cứ": _text(rows["reasons"]),
        "Lý do ghi trong danh sách": _text(rows["recorded_reason"]),
        "Lưu ý": _text(rows["flag"]),
    })
    changed = (rows["status"] != "giu") | (rows["flag"] != "")
    order = pd.Categorical(review["Kết quả rà soát"], categories=list(REVIEW_STATUS.values()), ordered=True)
    counts = (review.assign(_o=order).groupby("_o", observed=True).size().rename("Số lượt").reset_index()
              .rename(columns={"_o": "Nội dung"}))
    counts["Nội dung"] = counts["Nội dung"].astype(str)
    flagged = review.loc[review["Lưu ý"] != ""].groupby("Lưu ý").size().rename("Số lượt").reset_index()
    flagged = flagged.assign(**{"Nội dung": "Lưu ý: " + flagged["Lưu ý"]})[["Nội dung", "Số lượt"]]
    counts = pd.concat([counts, flagged], ignore_index=True)
    ind = shares["indicator"]
    tb_pct, _ = _split_share(ind, shares["target_before"])
    ta_pct, _ = _split_share(ind, shares["target_after"])
    b_pct, b_n = _split_share(ind, shares["before"])
    a_pct, a_n = _split_share(ind, shares["after"])
    share_table = pd.DataFrame({
        "Chỉ tiêu": ind,
        "Mức tối thiểu đầu kỳ (%)": tb_pct,
        "Đầu kỳ (%)": b_pct,
        "Mức tối thiểu cuối kỳ (%)": ta_pct,
        "Cuối kỳ (%)": a_pct,
        "Số người đầu kỳ": b_n,
        "Số người cuối kỳ": a_n,
        "Kết quả cuối kỳ": _met_vi(shares["met_after"]),
    })
    return {"review": review, "review_changes": review.loc[changed.to_numpy()].reset_index(drop=True),
            "review_counts": counts, "review_shares": share_table}
