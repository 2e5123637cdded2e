"""Training plan (đào tạo, bồi dưỡng): an optimal multi-year course schedule, and knowledge updates.

Schedule optimiser
------------------
Cadres in planning for a term must meet the standards of their target post
(:mod:`kimson_ds.rules.standards`) when they take it up. Political theory is a ladder
(sơ cấp → trung cấp → cao cấp), a long course keeps a person busy, and every
course has seats and a cost. The model decides who starts which course in which
month, in the months before the term starts.

Calendar (shared with planning, :mod:`kimson_ds.rules.notions`): a course starts
on the first day of a month and lasts its whole months; the first month is the
one of ``as_of`` when ``as_of`` is a 1st, else the next one (and not before
January of ``first_year`` when given); the last course must end before the
take-up day ``term_start``. So "in time" is decided on the same calendar as
:func:`kimson_ds.planning.succession.standards_status`.

Sets
    ``P`` planned cadres; ``K`` planning entries (cadre, target post) still
    needing a closable qualification; ``C`` courses of the three qualification
    ladders; ``M`` months before the term (see the calendar above), ``Y`` the
    calendar years they touch, ``y(m)`` the year of month ``m``;
    ``F(k)`` the unmet qualification ladders of entry ``k``.
Parameters
    ``d_c = max(1, ceil(months_c))`` months a course occupies; ``seat_cy``
    seats for courses starting in year ``y``; ``cost_c`` per student, spread
    evenly over the ``d_c`` months; ``B_y`` budget of year ``y``; ``L_pf`` the rank of ``p`` on ladder ``f`` at ``as_of``;
    ``pre_c``/``g_c`` prerequisite and granted rank; ``req_kf`` required rank;
    ``w_k = base_k · (1 + thin / n_slate(k))`` with ``base_k`` the key-post or
    other-post weight and ``n_slate`` the people planned for the same post.
Variables
    ``x[p,c,m] ∈ {0,1}``: ``p`` starts ``c`` in month ``m`` (created only where allowed,
    constraint 7); ``ready[k] ∈ {0,1}``: entry ``k`` meets every standard at take-up.
Objective (lexicographic)
    first ``max Σ_k w_k ready[k]``; then, keeping that value, ``min Σ cost_c x[p,c,m]``
    (cost only breaks ties between equally good schedules; see :func:`solve`).
Constraints
    1. seats: ``Σ_{p, m: y(m)=y} x[p,c,m] ≤ seat_cy``;
    2. budget: ``Σ_{p,c,m', t: m'≤t<m'+d_c, y(t)=y} cost_c/d_c · x[p,c,m'] ≤ B_y``;
    3. one long course at a time (``months ≥ long_course_months``):
       ``Σ_{c long, m'≤t<m'+d_c} x[p,c,m'] ≤ 1`` for every ``p, t``;
    4. a course at most once: ``Σ_m x[p,c,m] ≤ 1``;
    5. prerequisites in order: when ``pre_c > L_pf``,
       ``x[p,c,m] ≤ Σ_{c' on f, g_c' ≥ pre_c, m'+d_c' ≤ m} x[p,c',m']``;
    6. readiness: ``ready[k] ≤ Σ_{c on f, g_c ≥ req_kf, m} x[p(k),c,m]`` for ``f ∈ F(k)``;
    7. eligibility (by construction): a course ends in the last month before the
       term at the latest; never after retirement (Nghị định 135/2020 roadmap)
       nor in a month under discipline (``expires_on``, else
       ``training.discipline_block_months``; :mod:`kimson_ds.rules.notions`);
       not before its prerequisite can be reached. Entries whose other standards
       (age, service left) fail, or that no course path closes in time, get no
       ``ready`` variable and are reported with the reason.

Knowledge updates
-----------------
The regulation in force (``training.knowledge_update_groups``: 164-QĐ/TW until
10-5-2024, then 145-QĐ/TW) decides who must attend; the days a year are
``training.knowledge_update_days_per_year`` (**ASSUMPTION**). See
:func:`knowledge_update_members`, :func:`knowledge_update_status`,
:func:`overdue_list` and :func:`knowledge_update_rosters`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pulp
from pydantic import Field, field_validator

from kimson_ds.config import StrictModel
from kimson_ds.data.codes import CODESETS, COURSE_FIELD, LADDERS, TITLE
from kimson_ds.errors import DataError, InfeasibleError, ScenarioError
from kimson_ds.rules import notions
from kimson_ds.rules.parameters import ParameterSet, parameters
from kimson_ds.rules.retirement import retirement_date
from kimson_ds.rules.standards import (
    POST_KIND_LABEL,
    QUALIFICATION_STANDARDS,
    close_gaps,
    qualifications_as_of,
    standards_gaps,
    unmet_summary,
)
from kimson_ds.solver import default_solver, status_text

__all__ = [
    "GAP_PATH_COLUMNS",
    "READY_STATUS",
    "KnowledgeUpdateConfig",
    "TrainingInstance",
    "TrainingResult",
    "TrainingScenario",
    "Weights",
    "budget_by_year",
    "build",
    "explain",
    "gap_paths",
    "gaps_table",
    "knowledge_update_members",
    "knowledge_update_rosters",
    "knowledge_update_status",
    "overdue_list",
    "planning_years",
    "prepare",
    "run",
    "run_knowledge_updates",
    "solve",
]

#: Readiness status of a planning entry, in Vietnamese.
READY_STATUS = {
    "da_du": "Đã đủ tiêu chuẩn",
    "se_du": "Sẽ đủ tiêu chuẩn khi nhận chức",
    "khong_the": "Không thể đáp ứng bằng đào tạo",
    "khong_co_khoa": "Không có khóa học phù hợp",
    "khong_kip": "Không kịp đào tạo trước nhiệm kỳ",
    "thieu_nguon_luc": "Chưa xếp được do giới hạn chỉ tiêu, kinh phí",
}

_PARAM_BLOCK = "training.discipline_block_months"
_PARAM_GROUPS = "training.knowledge_update_groups"
_PARAM_DAYS = "training.knowledge_update_days_per_year"


# --------------------------------------------------------------------------- scenario


class Weights(StrictModel):
    """Objective weights: key posts and thin slates count more."""

    key_post: float = Field(2.0, gt=0)
    other_post: float = Field(1.0, gt=0)
    thin_slate_bonus: float = Field(1.0, ge=0)


class KnowledgeUpdateConfig(StrictModel):
    """Knowledge-update tracking and next year's rosters."""

    years: list[int] | None = None
    roster_year: int | None = None
    roster_date: dt.date | None = None
    class_capacity: int = Field(40, ge=1)
    classes_per_group: dict[str, int] = Field(default_factory=dict)
    default_classes_per_group: int = Field(1, ge=0)


class TrainingScenario(StrictModel):
    """A training-plan run (``data/scenarios/dao-tao-*.yaml``).

    ``as_of`` is the planning date (qualifications are rolled back to it and the
    planning list is read on it); ``term_start`` is the take-up date whose
    standards apply; courses start from the first month after ``as_of`` (not
    before January of ``first_year`` when given) and end before ``term_start``.
    ``intake_months`` (1–12) are the months of the year courses open in
    (default every month; a coarser intake calendar makes large plans faster).
    """

    name: str = "Kế hoạch đào tạo"
    as_of: dt.date
    term: str
    term_start: dt.date
    first_year: int | None = None
    intake_months: list[int] | None = Field(None, min_length=1)
    budget_million_vnd: float | dict[int, float] | None = None
    seats: dict[str, int | dict[int, int]] = Field(default_factory=dict)
    courses: list[str] | None = None
    long_course_months: float = Field(3.0, ge=0)
    weights: Weights = Field(default_factory=Weights)
    parameter_overrides: dict[str, Any] = Field(default_factory=dict)
    time_limit_seconds: float = Field(60.0, gt=0)
    mip_gap_rel: float = Field(0.01, ge=0, le=0.2)
    knowledge_update: KnowledgeUpdateConfig = Field(default_factory=KnowledgeUpdateConfig)

    @field_validator("intake_months")
    @classmethod
    def _months_of_year(cls, v: list[int] | None) -> list[int] | None:
        if v is not None and any(not 1 <= int(m) <= 12 for m in v):
            raise ValueError("tháng khai giảng phải từ 1 đến 12")
        return v


# --------------------------------------------------------------------------- containers


@dataclass
class TrainingInstance:
    """Everything the model needs, as DataFrames (see :func:`prepare`)."""

    scenario: TrainingScenario
    years: list[int]  # calendar years the months touch (seats and budget)
    entries: pd.DataFrame  # one row per planning entry (k), with status before the model
    needs: pd.DataFrame  # k, cadre_id, field, req_rank (unmet closable qualifications of candidates)
    levels: pd.DataFrame  # cadre_id, field, rank (at as_of)
    courses: pd.DataFrame  # catalog with dur, rank_pre, rank_grant, long
    options: pd.DataFrame  # allowed (cadre_id, course_id, month) with end_month, year, end_year
    seats: pd.DataFrame  # course_id, year, seats
    budget: pd.Series  # year -> budget (inf if none)
    gaps: pd.DataFrame
    cadres: pd.DataFrame
    params: list[ParameterSet] = field(default_factory=list)
    eligibility: pd.DataFrame | None = None  # cadre_id, retire_date, discipline_until
    months: list[int] = field(default_factory=list)  # month indices (year * 12 + month - 1)


@dataclass
class TrainingResult:
    """Outcome of :func:`run`."""

    status: str
    objective: float
    schedule: pd.DataFrame
    readiness: pd.DataFrame
    usage: pd.DataFrame
    gaps: pd.DataFrame
    instance: TrainingInstance
    seconds: dict[str, float] = field(default_factory=dict)
    params: list[ParameterSet] = field(default_factory=list)

    @property
    def parameters_used(self) -> dict:
        out: dict = {}
        for ps in self.params:
            out.setdefault(ps.as_of.isoformat(), {}).update(ps.used)
        return out


# --------------------------------------------------------------------------- helpers


def _safe(text: object) -> str:
    return re.sub(r"[^A-Za-z0-9]", "_", str(text))


def _table(tables, name: str) -> pd.DataFrame:
    try:
        t = tables[name]
    except KeyError:
        t = None
    if t is None:
        from kimson_ds.data.schema import TABLES

        return pd.DataFrame(columns=TABLES[name].column_names)
    return t


def _rank_col(field_name: pd.Series, codes: pd.Series) -> pd.Series:
    """Rank of ``codes`` on the ladder named in ``field_name`` (row-wise, vectorised per ladder)."""
    out = pd.Series(np.nan, index=codes.index)
    for f in QUALIFICATION_STANDARDS:
        m = field_name == f
        if m.any():
            order = {c: i for i, c in enumerate(LADDERS[f])}
            out[m] = codes[m].map(order)
    return out


def _blocked_intervals(discipline: pd.DataFrame, ps: ParameterSet) -> pd.DataFrame:
    """Months each cadre may not be in training: ``cadre_id, m0, m1, until`` (month indices, inclusive).

    A decision is in force from ``decided_on`` up to, not including, its end
    (:func:`kimson_ds.rules.notions.discipline_periods` with
    ``training.discipline_block_months``); every month it touches is blocked.
    """
    cols = ["cadre_id", "m0", "m1", "until"]
    if discipline is None or discipline.empty:
        return pd.DataFrame(columns=cols)
    per = notions.discipline_periods(discipline, int(ps.get(_PARAM_BLOCK)))
    last_day = per["until"] - pd.Timedelta(days=1)
    m1 = notions.month_index(last_day.fillna(pd.Timestamp("2262-01-01")))
    return pd.DataFrame({"cadre_id": per["cadre_id"], "m0": notions.month_index(per["decided_on"]),
                         "m1": m1, "until": per["until"]})[cols]


def _min_months(courses: pd.DataFrame, field_name: str, start: int, target: int) -> float:
    """Fewest months (sum of durations) to climb ladder ``field_name`` from rank ``start`` to ``target``+."""
    if start >= target:
        return 0.0
    cs = courses.loc[courses["field"] == field_name, ["rank_pre", "rank_grant", "dur"]].to_numpy()
    best = {start: 0.0}
    for _ in range(len(LADDERS[field_name])):  # Bellman-Ford over the short ladder
        changed = False
        for level, yrs in list(best.items()):
            for pre, grant, dur in cs:
                if pre <= level < grant and yrs + dur < best.get(int(grant), math.inf):
                    best[int(grant)] = yrs + dur
                    changed = True
        if not changed:
            break
    ok = [v for lvl, v in best.items() if lvl >= target]
    return min(ok) if ok else math.inf


def _catalog(courses: pd.DataFrame, scenario: TrainingScenario, years: list[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    c = courses.loc[courses["field"].isin(QUALIFICATION_STANDARDS)].copy()
    if scenario.courses is not None:
        unknown = sorted(set(scenario.courses) - set(courses["course_id"]))
        if unknown:
            raise ScenarioError("Kịch bản nêu khóa học không có trong danh mục: " + ", ".join(unknown) + ".")
        c = c.loc[c["course_id"].isin(scenario.courses)]
    c = c.loc[_rank_col(c["field"], c["grants_level"]).notna()].copy()
    c["rank_grant"] = _rank_col(c["field"], c["grants_level"]).astype(int)
    c["rank_pre"] = _rank_col(c["field"], c["prerequisite_level"]).fillna(0).astype(int)
    c["months"] = c["months"].astype(float)
    c["dur"] = np.maximum(1, np.ceil(c["months"] - 1e-9)).astype(int)  # whole months
    c["cost_million_vnd"] = c["cost_million_vnd"].astype(float)
    c["long"] = c["months"] >= scenario.long_course_months
    c = c.sort_values("course_id").reset_index(drop=True)
    unknown = sorted(set(scenario.seats) - set(courses["course_id"]))
    if unknown:
        raise ScenarioError("Kịch bản đặt chỉ tiêu cho khóa học không có trong danh mục: " + ", ".join(unknown) + ".")
    seats = c[["course_id", "seats_per_year"]].merge(pd.DataFrame({"year": years}), how="cross")
    seats["seats"] = seats["seats_per_year"].astype(int)
    for cid, val in scenario.seats.items():  # few scenario overrides
        if isinstance(val, dict):
            for y, n in val.items():
                seats.loc[(seats["course_id"] == cid) & (seats["year"] == int(y)), "seats"] = int(n)
        else:
            seats.loc[seats["course_id"] == cid, "seats"] = int(val)
    return c, seats[["course_id", "year", "seats"]]


def _budget(scenario: TrainingScenario, years: list[int]) -> pd.Series:
    b = scenario.budget_million_vnd
    if b is None:
        return pd.Series(np.inf, index=years, dtype=float)
    if isinstance(b, dict):
        return pd.Series({y: float(b.get(y, 0.0)) for y in years}, dtype=float)
    return pd.Series(float(b), index=years, dtype=float)


def planning_months(scenario: TrainingScenario) -> list[int]:
    """Month indices (``year * 12 + month - 1``) courses may run in (see the module's calendar)."""
    first = notions.first_course_month(pd.Timestamp(scenario.as_of))
    if scenario.first_year is not None:
        first = max(first, pd.Timestamp(year=scenario.first_year, month=1, day=1))
    start = int(notions.month_index(first))
    n = int(notions.months_available(first, pd.Timestamp(scenario.term_start)))
    return list(range(start, start + n))


def planning_years(scenario: TrainingScenario) -> list[int]:
    """Calendar years the months of :func:`planning_months` touch."""
    return sorted({m // 12 for m in planning_months(scenario)})


def _month_text(m) -> pd.Series | str:
    """Month index → "MM/YYYY"."""
    if isinstance(m, pd.Series):
        m = m.astype(int)
        return (m % 12 + 1).map("{:02d}".format) + "/" + (m // 12).astype(str)
    return f"{int(m) % 12 + 1:02d}/{int(m) // 12}"


def budget_by_year(scenario: TrainingScenario) -> pd.Series:
    """Budget (million VND) of each planning year; ``inf`` when the scenario sets none."""
    return _budget(scenario, planning_years(scenario))


# --------------------------------------------------------------------------- prepare


#: Columns :func:`gap_paths` adds to the standards gaps.
GAP_PATH_COLUMNS = ["path_found", "course_ids", "course_path", "n_courses", "close_months",
                    "close_cost_million_vnd", "how_to_close"]


def gap_paths(gaps: pd.DataFrame, courses: pd.DataFrame) -> pd.DataFrame:
    """Add, to every unmet standard, the course path that closes it (prerequisites first), its months and cost.

    Parameters
    ----------
    gaps : DataFrame
        :func:`kimson_ds.rules.standards.standards_gaps` of the planning entries, on the
        take-up date, with qualifications as on ``as_of``.
    courses : DataFrame
        The course catalog in scope of the plan.

    Like the schedule optimiser, the path starts from the levels held on the
    planning date (:func:`kimson_ds.rules.standards.qualifications_as_of`): a course
    still going on that day is not counted.

    Returns
    -------
    DataFrame
        ``gaps`` plus :data:`GAP_PATH_COLUMNS`: ``path_found`` (a course path
        closes the gap), ``course_ids`` (course ids in order, ``", "``-joined),
        ``course_path`` (names joined by " → "), ``n_courses``, ``close_months``
        and ``close_cost_million_vnd`` of the whole path (NaN when none), and
        ``how_to_close`` (Vietnamese: the path, or why training cannot close
        the gap). Met rows have empty values.
    """
    out = gaps.copy()
    out["path_found"] = False
    out["course_ids"] = ""
    out["course_path"] = ""
    out["n_courses"] = 0
    out["close_months"] = np.nan
    out["close_cost_million_vnd"] = np.nan
    out["how_to_close"] = ""
    unmet = ~out["met"].astype(bool)
    if not unmet.any():
        return out
    closed = close_gaps(out.loc[unmet], courses)
    closed.index = out.index[unmet.to_numpy()]
    out.loc[unmet, "path_found"] = closed["closable"].astype(bool)
    out.loc[unmet, "course_ids"] = closed["courses"].map(", ".join)
    out.loc[unmet, "course_path"] = closed["course_path"].astype(str)
    out.loc[unmet, "n_courses"] = closed["n_courses"].astype(int)
    out.loc[unmet, "close_months"] = pd.to_numeric(closed["months"], errors="coerce")
    out.loc[unmet, "close_cost_million_vnd"] = pd.to_numeric(closed["cost_million_vnd"], errors="coerce")
    out.loc[unmet, "how_to_close"] = closed["reason"].astype(str)
    out["path_found"] = out["path_found"].astype(bool)
    out["n_courses"] = out["n_courses"].astype(int)
    return out


def prepare(tables, scenario: TrainingScenario) -> TrainingInstance:
    """Build the instance from the dataset tables and the scenario.

    Parameters
    ----------
    tables : Dataset or dict of DataFrame
        ``cadres``, ``units``, ``positions``, ``planning``, ``courses`` and
        optionally ``trainings`` and ``discipline``.
    scenario : TrainingScenario

    Returns
    -------
    TrainingInstance
        With ``entries`` classified before the model: ``da_du`` (all standards
        met), ``khong_the`` (an age or service-left standard fails),
        ``khong_co_khoa`` (no course reaches the level), ``khong_kip`` (the
        shortest path needs more months than remain, or retirement/discipline
        leave no room), or ``candidate``.
    """
    sc = scenario
    as_of = pd.Timestamp(sc.as_of)
    months = planning_months(sc)
    years = planning_years(sc)
    if not months:
        raise ScenarioError(
            f"Không còn tháng nào để đào tạo trước nhiệm kỳ bắt đầu {sc.term_start:%d/%m/%Y}."
        )
    first_m, last_m = months[0], months[-1]
    cadres, units = _table(tables, "cadres"), _table(tables, "units")
    positions, planning = _table(tables, "positions"), _table(tables, "planning")
    courses, trainings = _table(tables, "courses"), _table(tables, "trainings")
    discipline = _table(tables, "discipline")
    overrides = sc.parameter_overrides or None
    ps_asof = parameters(sc.as_of, overrides)

    # planning entries active on as_of for the term
    pl = planning.loc[planning["term"].astype(str) == sc.term].copy()
    added = pd.to_datetime(pl["added_on"])
    removed = pd.to_datetime(pl["removed_on"])
    pl = pl.loc[(added.isna() | (added <= as_of)) & (removed.isna() | (removed > as_of))]
    if pl.empty:
        raise ScenarioError(f"Không có cán bộ nào trong quy hoạch nhiệm kỳ {sc.term} vào ngày {sc.as_of:%d/%m/%Y}.")
    pl = pl[["cadre_id", "target_title", "target_unit_id"]].drop_duplicates().reset_index(drop=True)
    # first appointment: never held the title, in any unit (shared notion)
    pl["first_time"] = notions.first_appointment(pl, notions.titles_held(tables, as_of))
    pl["take_up_date"] = pd.Timestamp(sc.term_start)

    then = qualifications_as_of(cadres, trainings, courses, as_of)
    used: list[ParameterSet] = [ps_asof]
    gaps = standards_gaps(then, pl, sc.term_start, units=units, overrides=overrides,
                          used_params=used)
    summary = unmet_summary(gaps)
    keys = ["cadre_id", "target_title", "target_unit_id"]
    entries = pl[[*keys, "first_time"]].merge(summary, on=keys, how="left")
    entries["all_met"] = entries["all_met"].fillna(True).astype(bool)
    entries["closable"] = entries["closable"].fillna(True).astype(bool)
    entries["k"] = np.arange(len(entries))
    nc = gaps.loc[~gaps["met"] & ~gaps["closable"]].groupby(keys)["reason"].agg("; ".join).rename("nc_reason")
    entries = entries.merge(nc, left_on=keys, right_index=True, how="left")
    kinds = gaps.drop_duplicates(keys)[[*keys, "post_kind"]]
    entries = entries.merge(kinds, on=keys, how="left")
    entries["post_kind"] = entries["post_kind"].fillna("other")

    # weights: key posts and thin slates
    key_pos = positions.loc[positions["is_key"].astype(bool), ["unit_id", "title"]].drop_duplicates()
    key_pos = key_pos.rename(columns={"unit_id": "target_unit_id", "title": "target_title"}).assign(_key=True)
    entries = entries.merge(key_pos, on=["target_unit_id", "target_title"], how="left")
    entries["is_key"] = entries["_key"].notna() | (entries["post_kind"] != "other")
    entries["slate_size"] = entries.groupby(["target_title", "target_unit_id"])["cadre_id"].transform("size")
    w = sc.weights
    entries["weight"] = np.where(entries["is_key"], w.key_post, w.other_post) * (
        1.0 + w.thin_slate_bonus / entries["slate_size"])
    entries = entries.drop(columns="_key").sort_values("k").reset_index(drop=True)

    # catalog, seats, budget
    cat, seats = _catalog(courses, sc, years)

    # needs: unmet closable qualifications of entries whose every gap is closable
    un = gaps.loc[~gaps["met"] & gaps["closable"]].merge(entries[[*keys, "k", "closable"]], on=keys,
                                                        suffixes=("", "_entry"))
    un = un.loc[un["closable_entry"]]
    needs = pd.DataFrame({"k": un["k"].to_numpy(), "cadre_id": un["cadre_id"].to_numpy(),
                          "field": un["standard"].to_numpy()})
    needs["req_rank"] = _rank_col(needs["field"], pd.Series(un["required"].to_numpy(), index=needs.index)).astype(int)
    people = then.set_index("cadre_id")
    lv = needs[["cadre_id", "field"]].drop_duplicates().reset_index(drop=True)
    codes = pd.Series([people.at[c, f] if f in people.columns else None for c, f in zip(lv["cadre_id"], lv["field"],
                       strict=True)], index=lv.index, dtype=object)
    lv["rank"] = _rank_col(lv["field"], codes.fillna("chua_co")).fillna(0).astype(int)
    needs = needs.merge(lv, on=["cadre_id", "field"])

    # minimal months per (field, start, target) combination
    combos = needs[["field", "rank", "req_rank"]].drop_duplicates()
    combos["min_months"] = [_min_months(cat, f, s, t) for f, s, t in combos.itertuples(index=False)]
    needs = needs.merge(combos, on=["field", "rank", "req_rank"])
    per_k = needs.groupby("k").agg(min_months=("min_months", "max"))
    entries = entries.merge(per_k, left_on="k", right_index=True, how="left")

    # options: person × relevant course × start year
    maxreq = needs.groupby(["cadre_id", "field"], as_index=False).agg(
        maxreq=("req_rank", "max"), minreq=("req_rank", "min"), rank=("rank", "first"))
    opt = maxreq.merge(cat[["course_id", "field", "rank_pre", "rank_grant", "dur"]], on="field")
    opt = opt.loc[(opt["rank_grant"] > opt["rank"]) & (opt["rank_pre"] < opt["maxreq"])]
    pre_combos = opt[["field", "rank", "rank_pre"]].drop_duplicates()
    pre_combos["lead"] = [_min_months(cat, f, s, p) for f, s, p in pre_combos.itertuples(index=False)]
    opt = opt.merge(pre_combos, on=["field", "rank", "rank_pre"])
    # a course below every required level is only useful when the courses after it still end in time
    tail_combos = opt.loc[opt["rank_grant"] < opt["minreq"], ["field", "rank_grant", "minreq"]].drop_duplicates()
    tail_combos["tail"] = [_min_months(cat, f, g, r) for f, g, r in tail_combos.itertuples(index=False)]
    opt = opt.merge(tail_combos, on=["field", "rank_grant", "minreq"], how="left")
    opt["tail"] = opt["tail"].fillna(0.0)
    # start months: from the first month the prerequisites can be done to the last that ends in time
    opt = opt.loc[np.isfinite(opt["lead"]) & np.isfinite(opt["tail"])]
    opt["m_lo"] = first_m + opt["lead"].astype(int)
    opt["m_hi"] = last_m - opt["dur"] - opt["tail"].astype(int) + 1
    opt = opt.loc[opt["m_hi"] >= opt["m_lo"]].reset_index(drop=True)
    opt = opt.loc[opt.index.repeat(opt["m_hi"] - opt["m_lo"] + 1)].copy()
    opt["month"] = opt["m_lo"] + opt.groupby(level=0).cumcount()
    if sc.intake_months is not None:
        opt = opt.loc[(opt["month"] % 12 + 1).isin(sc.intake_months)]
    opt["end_month"] = opt["month"] + opt["dur"] - 1
    opt["year"] = opt["month"] // 12
    opt["end_year"] = opt["end_month"] // 12
    # 7. retirement: the course ends (last day of its last month) before the retirement day
    who = people.loc[people.index.isin(opt["cadre_id"].unique())]
    retire = retirement_date(who["birth_date"], who["gender"], ps_asof)
    opt = opt.merge(retire.rename("retire_date"), left_on="cadre_id", right_index=True, how="left")
    opt = opt.loc[opt["retire_date"].isna() | (notions.month_index(opt["retire_date"].fillna(pd.Timestamp("2262-01-01")))
                                               > opt["end_month"])]
    # 7. discipline: no month of the course under discipline
    blocks = _blocked_intervals(discipline, ps_asof)
    if not blocks.empty and not opt.empty:
        opt = opt.reset_index(drop=True)
        ov = opt[["cadre_id", "month", "end_month"]].reset_index().merge(blocks, on="cadre_id")
        hit = ov.loc[(ov["month"] <= ov["m1"]) & (ov["end_month"] >= ov["m0"]), "index"].unique()
        opt = opt.drop(index=hit)
    options = opt[["cadre_id", "field", "course_id", "month", "end_month", "year", "end_year", "dur", "rank",
                   "rank_pre", "rank_grant"]]
    options = options.sort_values(["cadre_id", "course_id", "month"]).reset_index(drop=True)

    # status before the model
    n_months = len(months)
    status = np.select(
        [entries["all_met"], ~entries["closable"], entries["min_months"].isin([np.inf]),
         entries["min_months"] > n_months],
        ["da_du", "khong_the", "khong_co_khoa", "khong_kip"], default="candidate")
    entries["status"] = status
    # candidates with some needed ladder that no allowed option can close (retirement, discipline)
    cand_needs = needs.loc[needs["k"].isin(entries.loc[entries["status"] == "candidate", "k"])]
    reach = cand_needs.merge(options[["cadre_id", "field", "rank_grant"]], on=["cadre_id", "field"], how="left")
    reach["ok"] = reach["rank_grant"] >= reach["req_rank"]
    closable_any = reach.groupby(["k", "field"])["ok"].any().groupby("k").all()
    blocked_k = closable_any.index[~closable_any]
    entries.loc[entries["k"].isin(blocked_k), "status"] = "khong_kip"

    gaps = gap_paths(gaps, courses.loc[courses["course_id"].isin(cat["course_id"])])

    elig = pd.DataFrame({"cadre_id": cadres["cadre_id"]})
    elig["retire_date"] = elig["cadre_id"].map(retirement_date(people["birth_date"], people["gender"], ps_asof))
    if not blocks.empty:
        last = blocks.groupby("cadre_id")["until"].max()
        elig["discipline_until"] = elig["cadre_id"].map(last)
    else:
        elig["discipline_until"] = pd.NaT
    return TrainingInstance(
        scenario=sc, years=years, entries=entries, needs=needs, levels=lv, courses=cat, options=options,
        seats=seats, budget=_budget(sc, years), gaps=gaps, cadres=then, params=used, eligibility=elig,
        months=months,
    )


# --------------------------------------------------------------------------- build / solve


def build(inst: TrainingInstance) -> tuple[pulp.LpProblem, dict]:
    """Build the MILP of the module docstring; return the problem and its variables.

    Returns
    -------
    (pulp.LpProblem, dict)
        The dict holds ``options`` (the allowed triples with a ``var`` column)
        and ``ready`` (``{k: variable}``).
    """
    prob = pulp.LpProblem("training_schedule", pulp.LpMaximize)
    entries = inst.entries
    cand = entries.loc[entries["status"] == "candidate"]
    needs = inst.needs.loc[inst.needs["k"].isin(cand["k"])]
    # keep only options of people with a candidate entry
    opt = inst.options.loc[inst.options["cadre_id"].isin(needs["cadre_id"])].reset_index(drop=True).copy()
    cat = inst.courses.set_index("course_id")
    opt["cost"] = opt["course_id"].map(cat["cost_million_vnd"]).astype(float)
    opt["long"] = opt["course_id"].map(cat["long"]).astype(bool)
    pid = {c: i for i, c in enumerate(sorted(opt["cadre_id"].unique()))}
    cid = {c: i for i, c in enumerate(cat.index)}
    opt["var"] = [prob.add_variable(f"x_{pid[p]}_{cid[c]}_{m}", 0, 1, cat=pulp.LpBinary)
                  for p, c, m in zip(opt["cadre_id"], opt["course_id"], opt["month"], strict=True)]
    ready = {int(k): prob.add_variable(f"ready_{int(k)}", 0, 1, cat=pulp.LpBinary) for k in cand["k"]}

    # objective, phase 1 (lexicographic; phase 2 in solve() minimises cost at this value)
    w = cand.set_index("k")["weight"]
    value = pulp.lpSum(float(w[k]) * v for k, v in ready.items())
    cost = pulp.lpSum(c * v for c, v in zip(opt["cost"], opt["var"], strict=True))
    prob += value

    # 1. seats per course per year (courses starting in the year)
    seats = inst.seats.set_index(["course_id", "year"])["seats"]
    for (c, y), grp in opt.groupby(["course_id", "year"], sort=True):
        cap = int(seats.get((c, y), 0))
        if len(grp) > cap:
            prob += pulp.lpSum(grp["var"]) <= cap, f"seats_{cid[c]}_{_safe(c)}_{y}"

    # 2. budget per year (cost spread over the months a course occupies, summed by year)
    if np.isfinite(inst.budget).any():
        occ = opt[["month", "dur", "cost", "var"]].reset_index(drop=True)
        occ["_i"] = np.arange(len(occ))
        rep = occ.loc[occ.index.repeat(occ["dur"])].copy()
        rep["t"] = (rep["month"] + rep.groupby(level=0).cumcount()) // 12
        rep["share"] = rep["cost"] / rep["dur"]
        per = rep.groupby(["t", "_i"], sort=True).agg(share=("share", "sum"), var=("var", "first")).reset_index()
        for t, grp in per.groupby("t", sort=True):
            b = float(inst.budget.get(t, np.inf))
            if np.isfinite(b) and float(grp["share"].sum()) > b:
                prob += pulp.lpSum(s * v for s, v in zip(grp["share"], grp["var"], strict=True)) <= b, f"budget_{t}"

    # 3. at most one long course per person at a time: two courses overlap exactly when one is running in the
    #    month the other starts, so the months where some long option of the person starts are enough
    lg = opt.loc[opt["long"], ["cadre_id", "month", "dur", "var"]].reset_index(drop=True)
    if not lg.empty:
        rep = lg.loc[lg.index.repeat(lg["dur"])].copy()
        rep["t"] = rep["month"] + rep.groupby(level=0).cumcount()
        starts = lg[["cadre_id", "month"]].drop_duplicates().rename(columns={"month": "t"})
        rep = rep.merge(starts, on=["cadre_id", "t"])
        for (p, t), grp in rep.groupby(["cadre_id", "t"], sort=True):
            if len(grp) > 1:
                prob += pulp.lpSum(grp["var"]) <= 1, f"one_long_{pid[p]}_{t}"

    # 4. each course at most once per person
    for (p, c), grp in opt.groupby(["cadre_id", "course_id"], sort=True):
        if len(grp) > 1:
            prob += pulp.lpSum(grp["var"]) <= 1, f"once_{pid[p]}_{cid[c]}"

    # 5. prerequisites in order
    dep = opt.loc[opt["rank_pre"] > opt["rank"]].reset_index(drop=True)
    if not dep.empty:
        feeders = opt[["cadre_id", "field", "rank_grant", "end_month", "var"]].rename(
            columns={"rank_grant": "g2", "end_month": "e2", "var": "v2"})
        dep["_i"] = np.arange(len(dep))
        pairs = dep[["_i", "cadre_id", "field", "rank_pre", "month"]].merge(feeders, on=["cadre_id", "field"])
        pairs = pairs.loc[(pairs["g2"] >= pairs["rank_pre"]) & (pairs["e2"] < pairs["month"])]
        sums = pairs.groupby("_i")["v2"].agg(list)
        for i, row in enumerate(dep.itertuples(index=False)):
            prob += (row.var <= pulp.lpSum(sums.get(i, [])),
                     f"prereq_{pid[row.cadre_id]}_{cid[row.course_id]}_{row.month}")

    # 6. readiness needs every unmet ladder closed
    link = needs.merge(opt[["cadre_id", "field", "rank_grant", "var"]], on=["cadre_id", "field"], how="left")
    link = link.loc[link["rank_grant"] >= link["req_rank"]]
    sums = link.groupby(["k", "field"])["var"].agg(list)
    for k, f in needs[["k", "field"]].drop_duplicates().itertuples(index=False):
        prob += ready[int(k)] <= pulp.lpSum(sums.get((k, f), [])), f"ready_{int(k)}_{f}"
    return prob, {"options": opt, "ready": ready, "value": value, "cost": cost}


def _solver(time_limit: float | None, gap_rel: float | None, warm_start: bool = False):
    # phase 2 warm-starts from the phase-1 schedule
    return default_solver(time_limit, gap_rel=gap_rel, warm_start=warm_start)


def solve(prob: pulp.LpProblem, variables: dict, time_limit: float | None = None,
          gap_rel: float | None = None) -> tuple[int, str]:
    """Solve lexicographically with :func:`kimson_ds.solver.default_solver`.

    Phase 1 maximises the weighted number of ready entries; phase 2 keeps that
    value (``keep_ready_value``, tolerance 1e-6 relative) and minimises the total
    cost, so cost only breaks ties. (A single objective with a tiny cost term
    was tried first: CBC then needs minutes on the sample instead of
    milliseconds; phase 2 starts from the phase-1 schedule, without which CBC
    needs minutes to find a feasible point.) ``gap_rel`` lets each phase stop once its value is proven within
    that relative distance of the best bound (the schedule multiplies small
    knapsacks, whose last fraction of a percent is slow to prove); single-thread
    CBC makes the result deterministic either way. Returns ``(status, Vietnamese text)``.

    Raises
    ------
    InfeasibleError
        If no feasible schedule was found (exit code 3).
    """
    ok = (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
    for v in prob.variables():  # the empty schedule is feasible: the solver always has a starting point
        v.setInitialValue(0)
    t_phase1 = time.perf_counter()
    status = prob.solve(_solver(time_limit, gap_rel, warm_start=True))
    t_phase1 = time.perf_counter() - t_phase1
    if prob.sol_status not in ok:
        raise InfeasibleError(
            f"Không tìm được lịch đào tạo khả thi (trạng thái bộ giải: {status_text(status)}).",
            [f"Bộ giải trả về: {status_text(status)}; hãy tăng thời gian giải hoặc nới chỉ tiêu, kinh phí."],
        )
    proven = prob.sol_status == pulp.LpSolutionOptimal
    best = float(pulp.value(variables["value"]) or 0.0)
    phase1 = {v.name: v.varValue for v in prob.variables()}
    prob += variables["value"] >= best - 1e-6 * max(1.0, abs(best)), "keep_ready_value"
    prob.sense = pulp.LpMinimize
    prob.setObjective(variables["cost"])
    # cost only breaks ties: phase 2 gets the time phase 1 took (at least a few seconds), not more
    limit2 = max(5.0, t_phase1) if time_limit is None else min(float(time_limit), max(5.0, t_phase1))
    status = prob.solve(_solver(limit2, gap_rel, warm_start=True))
    if prob.sol_status not in ok:  # keep the phase-1 schedule
        for v in prob.variables():
            v.varValue = phase1.get(v.name)
        proven = False
    proven = proven and prob.sol_status == pulp.LpSolutionOptimal
    if not proven:
        text = "Khả thi (chưa chứng minh tối ưu, hết thời gian)"
    elif gap_rel:
        text = f"Tối ưu (sai số cho phép {gap_rel:.1%})".replace(".", ",")
    else:
        text = "Tối ưu"
    return status, text


# --------------------------------------------------------------------------- explain


def _target_label(frame: pd.DataFrame, units: pd.DataFrame | None) -> pd.Series:
    names = units.set_index("unit_id")["name"] if units is not None and not units.empty else pd.Series(dtype=object)
    unit = frame["target_unit_id"].map(names).fillna(frame["target_unit_id"])
    return frame["target_title"].map(TITLE).fillna(frame["target_title"]) + " — " + unit.astype(str)


def explain(inst: TrainingInstance, prob: pulp.LpProblem, variables: dict, *, units: pd.DataFrame | None = None,
            solver_text: str = "Tối ưu") -> TrainingResult:
    """Read the solution: the schedule, who will be ready (and why not), seat and budget use."""
    opt = variables["options"].copy()
    opt["chosen"] = [bool(v.varValue is not None and v.varValue > 0.5) for v in opt["var"]]
    ready_val = {k: bool(v.varValue is not None and v.varValue > 0.5) for k, v in variables["ready"].items()}
    cat = inst.courses.set_index("course_id")
    names = inst.cadres.set_index("cadre_id")["full_name"] if "full_name" in inst.cadres.columns else None

    sched = opt.loc[opt["chosen"], ["cadre_id", "course_id", "field", "month", "end_month", "year", "end_year",
                                    "dur", "cost"]].copy()
    sched = sched.rename(columns={"year": "start_year", "cost": "cost_million_vnd"})
    sched["start_month"] = _month_text(sched["month"]) if len(sched) else pd.Series(dtype=object)
    sched["end_month_vi"] = _month_text(sched["end_month"]) if len(sched) else pd.Series(dtype=object)
    sched["course_name"] = sched["course_id"].map(cat["name"])
    sched["field_vi"] = sched["field"].map(COURSE_FIELD)
    sched["months"] = sched["course_id"].map(cat["months"])
    sched["full_name"] = sched["cadre_id"].map(names) if names is not None else ""
    # which targets each course serves
    ent = inst.entries.assign(target=_target_label(inst.entries, units))
    serve = inst.needs.merge(ent[["k", "target"]], on="k").groupby(["cadre_id", "field"])["target"].agg(
        lambda s: "; ".join(sorted(set(s))))
    sched["for_targets"] = [serve.get((p, f), "") for p, f in zip(sched["cadre_id"], sched["field"], strict=True)]
    sched = sched.sort_values(["month", "cadre_id", "course_id"]).reset_index(drop=True)
    # occupation of the budget years, month by month (before dropping the month indices)
    rep = sched.loc[sched.index.repeat(sched["dur"].astype(int))].copy()
    rep["year"] = (rep["month"] + rep.groupby(level=0).cumcount()) // 12
    rep["share"] = rep["cost_million_vnd"] / rep["dur"]
    spend = rep.groupby("year")["share"].sum()
    sched = sched.drop(columns=["end_month"]).rename(columns={"end_month_vi": "end_month"})
    sched = sched[["cadre_id", "full_name", "course_id", "course_name", "field", "field_vi", "start_month",
                   "end_month", "start_year", "end_year", "months", "cost_million_vnd", "for_targets"]]

    # usage per year
    seats = inst.seats.copy()
    used_seats = sched.groupby(["course_id", "start_year"]).size().rename("used")
    seats["used"] = [int(used_seats.get((c, y), 0)) for c, y in zip(seats["course_id"], seats["year"], strict=True)]
    seats = seats.rename(columns={"seats": "capacity"})
    seats["resource"] = "seats"
    seats["resource_vi"] = "Chỉ tiêu: " + seats["course_id"].map(cat["name"]).astype(str)
    budget = pd.DataFrame({"year": inst.years, "course_id": "", "capacity": inst.budget.reindex(inst.years).to_numpy(),
                           "used": [float(spend.get(y, 0.0)) for y in inst.years]})
    budget["resource"] = "budget"
    budget["resource_vi"] = "Kinh phí (triệu đồng)"
    usage = pd.concat([seats, budget], ignore_index=True)
    usage["capacity"] = usage["capacity"].astype(float)
    usage["used"] = usage["used"].astype(float)
    usage["share"] = np.where(np.isfinite(usage["capacity"]) & (usage["capacity"] > 0),
                              usage["used"] / usage["capacity"].where(usage["capacity"] > 0), np.nan)
    # a budget binds when what is left cannot pay for one more month of the cheapest course
    slack = np.where(usage["resource"] == "budget",
                     float((inst.courses["cost_million_vnd"] / inst.courses["dur"]).min()) if len(inst.courses) else 0.0,
                     1.0)
    usage["binding"] = np.isfinite(usage["capacity"]) & (usage["used"] > usage["capacity"] - slack + 1e-9) & (
        usage["capacity"] > 0)
    usage = usage[["year", "resource", "resource_vi", "course_id", "used", "capacity", "share", "binding"]]
    usage = usage.sort_values(["year", "resource", "course_id"], ascending=[True, False, True]).reset_index(drop=True)

    # readiness
    r = inst.entries.copy()
    r["ready_var"] = r["k"].map(ready_val)
    cand = r["status"] == "candidate"
    r.loc[cand & (r["ready_var"] == True), "status"] = "se_du"  # noqa: E712 - object column
    r.loc[cand & (r["ready_var"] != True), "status"] = "thieu_nguon_luc"  # noqa: E712
    r["ready"] = r["status"].isin(["da_du", "se_du"])
    r["status_vi"] = r["status"].map(READY_STATUS)
    planned = sched.groupby("cadre_id").apply(
        lambda g: "; ".join(f"{n} ({a}–{b})" if a != b else f"{n} ({a})" for n, a, b in
                            zip(g["course_name"], g["start_month"], g["end_month"], strict=True)),
        include_groups=False) if not sched.empty else pd.Series(dtype=object)
    r["courses_planned"] = r["cadre_id"].map(planned).astype(object).fillna("")
    r["reason"] = _reasons(r, inst, usage)
    r["target"] = _target_label(r, units)
    r["post_kind_vi"] = r["post_kind"].map(POST_KIND_LABEL)
    r["full_name"] = r["cadre_id"].map(names) if names is not None else ""
    r = r[["cadre_id", "full_name", "target_title", "target_unit_id", "target", "post_kind_vi", "is_key", "slate_size",
           "weight", "status", "status_vi", "ready", "unmet", "courses_planned", "reason"]]
    obj = float(pulp.value(variables["value"]) or 0.0)
    return TrainingResult(status=solver_text, objective=obj, schedule=sched, readiness=r, usage=usage,
                          gaps=_gaps_with_plan(inst.gaps, r, sched, units, names), instance=inst, params=inst.params)


def _gaps_with_plan(gaps: pd.DataFrame, readiness: pd.DataFrame, sched: pd.DataFrame, units: pd.DataFrame | None,
                    names: pd.Series | None) -> pd.DataFrame:
    """Gaps plus ``full_name``, ``target`` (label), the entry's ``status``/``status_vi`` and ``scheduled``.

    ``scheduled`` lists the courses of the schedule on the same ladder for the
    same cadre ("name (start–end)").
    """
    keys = ["cadre_id", "target_title", "target_unit_id"]
    g = gaps.copy()
    g["full_name"] = g["cadre_id"].map(names) if names is not None else ""
    g["target"] = _target_label(g, units) if len(g) else pd.Series(dtype=object)
    g = g.merge(readiness[[*keys, "status", "status_vi"]].drop_duplicates(keys), on=keys, how="left")
    if sched.empty:
        g["scheduled"] = ""
        return g
    years = np.where(sched["start_month"] == sched["end_month"], sched["start_month"].astype(str),
                     sched["start_month"].astype(str) + "–" + sched["end_month"].astype(str))
    text = (sched["course_name"].astype(str) + " (" + years + ")").groupby(
        [sched["cadre_id"], sched["field"]]).agg("; ".join).rename("scheduled")
    g = g.merge(text.reset_index().rename(columns={"field": "standard"}), on=["cadre_id", "standard"], how="left")
    g["scheduled"] = g["scheduled"].where(g["scheduled"].notna() & ~g["met"].astype(bool), "").astype(object)
    return g


def _level_text(standard: pd.Series, values: pd.Series) -> pd.Series:
    """Required/actual values in Vietnamese: level labels for qualifications, numbers otherwise."""
    out = pd.Series("", index=values.index, dtype=object)
    for std in QUALIFICATION_STANDARDS:  # three ladders
        m = standard == std
        out[m] = values[m].map(CODESETS[std]).fillna(values[m]).astype(str)
    num = ~standard.isin(QUALIFICATION_STANDARDS)
    vals = pd.to_numeric(values[num], errors="coerce").round(1)
    out[num] = vals.map(lambda v: "" if v != v else (f"{v:g}").replace(".", ","))
    return out


def gaps_table(res: TrainingResult) -> pd.DataFrame:
    """The gap analysis in Vietnamese: every unmet standard of every planning entry and how to close it.

    One row per (planned cadre, target post, unmet standard) on the take-up
    date (the start of the term), with the course path that closes it
    (prerequisite courses included, in order), its months and cost, the
    courses actually placed in the schedule, and — for gaps training cannot
    close (age, service left, no course in the catalog) — the reason.
    Booleans are "có"/"không"; id columns are kept (``Mã cán bộ``,
    ``Mã chức danh``).
    """
    g = res.gaps.loc[~res.gaps["met"].astype(bool)]
    std = g["standard"]
    out = pd.DataFrame({
        "Mã cán bộ": g["cadre_id"],
        "Họ và tên": g["full_name"],
        "Mã chức danh": g["target_title"].astype(str) + "@" + g["target_unit_id"].astype(str),
        "Chức danh quy hoạch": g["target"],
        "Loại chức danh": g["post_kind"].map(POST_KIND_LABEL),
        "Ngày nhận chức dự kiến": pd.to_datetime(g["take_up_date"]),
        "Tiêu chuẩn": g["standard_vi"],
        "Yêu cầu": _level_text(std, g["required"]),
        "Hiện có (ngày lập kế hoạch)": _level_text(std, g["actual"]),
        "Khoảng thiếu": g["reason"].astype(str),
        "Khắc phục được bằng đào tạo": np.where(g["path_found"].astype(bool), "có", "không"),
        "Mã khóa học (theo thứ tự)": g["course_ids"],
        "Lộ trình khóa học (kể cả khóa điều kiện)": g["course_path"],
        "Số khóa": g["n_courses"].astype(int),
        "Số tháng học": pd.to_numeric(g["close_months"]).round(1),
        "Kinh phí (triệu đồng)": pd.to_numeric(g["close_cost_million_vnd"]).round(1),
        "Cách khắc phục hoặc lý do không khắc phục được": g["how_to_close"],
        "Khóa học được xếp trong kế hoạch": g["scheduled"],
        "Tình trạng khi nhận chức": g["status_vi"].fillna(""),
        "Căn cứ": g["reference"].astype(str) + np.where(g["assumption"].astype(bool), " [GIẢ ĐỊNH]", ""),
    })
    return out.reset_index(drop=True)


def _reasons(r: pd.DataFrame, inst: TrainingInstance, usage: pd.DataFrame) -> pd.Series:
    n_months = len(inst.months)
    span = (f"{_month_text(inst.months[0])}–{_month_text(inst.months[-1])}" if n_months > 1
            else _month_text(inst.months[0]))
    elig = inst.eligibility.set_index("cadre_id")
    retire = r["cadre_id"].map(elig["retire_date"])
    disc = r["cadre_id"].map(elig["discipline_until"])
    last_m = inst.months[-1]
    last_day = pd.Timestamp(year=last_m // 12, month=last_m % 12 + 1, day=1) + pd.offsets.MonthEnd(0)
    first_day = pd.Timestamp(year=inst.months[0] // 12, month=inst.months[0] % 12 + 1, day=1)
    why_kip = np.where(
        r["min_months"] > n_months,
        "Cần tối thiểu " + r["min_months"].map(lambda v: "" if v != v or v == np.inf else f"{int(v)}")
        + f" tháng học liên tiếp theo thứ tự điều kiện, chỉ còn {n_months} tháng ({span}) trước nhiệm kỳ",
        "Không còn tháng học phù hợp trước nhiệm kỳ"
        + np.where(retire.notna() & (retire <= last_day), ": nghỉ hưu ngày " + retire.dt.strftime("%d/%m/%Y"), "")
        + np.where(disc.notna() & (disc > first_day),
                   "; đang trong thời hạn kỷ luật đến " + disc.dt.strftime("%d/%m/%Y"), ""),
    )
    binding = usage.loc[usage["binding"]]
    if binding.empty:
        short = "Các khóa cần học đã hết chỉ tiêu hoặc kinh phí; ưu tiên người có trọng số cao hơn"
    else:
        items = (binding["resource_vi"] + " năm " + binding["year"].astype(str)).head(6)
        short = "Hết chỉ tiêu/kinh phí (" + "; ".join(items) + ("; …" if len(binding) > 6 else "") \
            + "), ưu tiên người có trọng số cao hơn"
    unmet = r["unmet"].fillna("").astype(str)
    return pd.Series(np.select(
        [r["status"] == "da_du", r["status"] == "se_du", r["status"] == "khong_the",
         r["status"] == "khong_co_khoa", r["status"] == "khong_kip", r["status"] == "thieu_nguon_luc"],
        ["Đạt tất cả tiêu chuẩn của chức danh quy hoạch",
         "Sau các khóa học đã xếp sẽ đạt: " + unmet,
         "Không thể đáp ứng bằng đào tạo, bồi dưỡng: " + r["nc_reason"].fillna("").astype(str),
         "Danh mục không có khóa học đạt trình độ yêu cầu: " + unmet,
         pd.Series(why_kip, index=r.index).astype(str) + " (thiếu: " + unmet + ")",
         short + " (thiếu: " + unmet + ")"],
        default=""), index=r.index, dtype=object)


def run(tables, scenario: TrainingScenario) -> TrainingResult:
    """Prepare, build, solve and explain; the whole schedule optimisation.

    Raises
    ------
    InfeasibleError
        If the solver finds no feasible schedule.
    """
    import time

    t0 = time.perf_counter()
    inst = prepare(tables, scenario)
    t1 = time.perf_counter()
    prob, variables = build(inst)
    t2 = time.perf_counter()
    _, text = solve(prob, variables, scenario.time_limit_seconds, scenario.mip_gap_rel)
    t3 = time.perf_counter()
    units = _table(tables, "units")
    res = explain(inst, prob, variables, units=units, solver_text=text)
    t4 = time.perf_counter()
    res.seconds = {"prepare": t1 - t0, "build": t2 - t1, "solve": t3 - t2, "explain": t4 - t3,
                   "variables": prob.numVariables(), "constraints": prob.numConstraints()}
    return res


# --------------------------------------------------------------------------- knowledge updates


def _holders_on(positions: pd.DataFrame, history: pd.DataFrame | None, as_of) -> pd.DataFrame:
    """``holder_id, unit_id, title, holder_since`` of the posts held on ``as_of``.

    From the work history (quá trình công tác) when there is one: the holdings in
    force that day, so each year has its own members; else the snapshot's holders
    (who took the post by ``as_of``).
    """
    t = pd.Timestamp(as_of).normalize()
    if history is not None and len(history):
        start, end = pd.to_datetime(history["start_date"]), pd.to_datetime(history["end_date"])
        h = history.loc[(start <= t) & (end.isna() | (end >= t))]
        return pd.DataFrame({"holder_id": h["cadre_id"].to_numpy(), "unit_id": h["unit_id"].to_numpy(),
                             "title": h["title"].to_numpy(), "holder_since": pd.to_datetime(h["start_date"]).to_numpy()})
    pos = positions.loc[positions["holder_id"].notna(), ["holder_id", "unit_id", "title", "holder_since"]]
    since = pd.to_datetime(pos["holder_since"])
    return pos.loc[since.isna() | (since <= t)]


def knowledge_update_members(positions: pd.DataFrame, units: pd.DataFrame, as_of, *,
                             overrides: dict | None = None, used_params: list | None = None,
                             history: pd.DataFrame | None = None) -> pd.DataFrame:
    """Who must attend knowledge updates on ``as_of`` (regulation in force that day).

    A holder of a position whose title and unit kind are listed in a group of
    ``training.knowledge_update_groups`` belongs to it (164-QĐ/TW đối tượng 4, commune and district parts
    until 9-5-2024; 145-QĐ/TW group 3 from 10-5-2024). With a work ``history``
    the holders are those of that day (a past year's members are that year's
    holders); otherwise the snapshot's holders, less those who took the post
    after ``as_of``.

    Returns
    -------
    DataFrame
        ``cadre_id, group, group_vi, holder_since, regulation`` (one row per
        cadre and group).
    """
    ps = parameters(as_of, overrides)
    groups = ps.get(_PARAM_GROUPS)
    refs = ps.references()
    regulation = str(refs.loc[refs["name"] == _PARAM_GROUPS, "reference"].iloc[0])
    if used_params is not None:
        used_params.append(ps)
    g = pd.DataFrame([(code, spec["name_vi"], t, k) for code, spec in groups.items()
                      for t in spec["titles"] for k in spec["unit_kinds"]],
                     columns=["group", "group_vi", "title", "kind"])
    pos = _holders_on(positions, history, as_of).merge(units[["unit_id", "kind"]], on="unit_id")
    m = pos.merge(g, on=["title", "kind"]).rename(columns={"holder_id": "cadre_id"})
    m = m.sort_values(["cadre_id", "group", "holder_since"]).drop_duplicates(["cadre_id", "group"])
    m["regulation"] = regulation
    return m[["cadre_id", "group", "group_vi", "holder_since", "regulation"]].reset_index(drop=True)


def knowledge_update_status(positions: pd.DataFrame, units: pd.DataFrame, trainings: pd.DataFrame,
                            courses: pd.DataFrame, years: list[int], *, overrides: dict | None = None,
                            used_params: list | None = None, history: pd.DataFrame | None = None) -> pd.DataFrame:
    """Attendance vs requirement per person and year.

    For each year the regulation in force on 31-12 of that year decides who must
    attend (among the holders of that day, from the work ``history`` if given) and how many days (``training.knowledge_update_days_per_year``).
    Attendance is the days of completed trainings in ``knowledge_update``
    courses that year (a completed training with no days recorded counts as the
    full requirement).

    Returns
    -------
    DataFrame
        ``cadre_id, year, group, group_vi, required_days, attended_days, met,
        shortfall_days, regulation``.
    """
    parts = []
    for y in sorted(set(int(v) for v in years)):  # a handful of years
        when = dt.date(y, 12, 31)
        mem = knowledge_update_members(positions, units, when, overrides=overrides, used_params=used_params,
                                       history=history)
        ps = parameters(when, overrides)
        if used_params is not None:
            used_params.append(ps)
        mem = mem.drop_duplicates("cadre_id").assign(year=y, required_days=float(ps.get(_PARAM_DAYS)))
        parts.append(mem)
    cols = ["cadre_id", "year", "group", "group_vi", "required_days", "attended_days", "met", "shortfall_days",
            "regulation"]
    if not parts:
        return pd.DataFrame(columns=cols)
    st = pd.concat(parts, ignore_index=True)
    ku = courses.loc[courses["field"] == "knowledge_update", "course_id"]
    tr = trainings.loc[trainings["course_id"].isin(ku) & (trainings["status"] == "completed"),
                       ["cadre_id", "year", "days"]].copy()
    tr["year"] = tr["year"].astype(int)
    tr["_t"] = True
    st = st.merge(tr, on=["cadre_id", "year"], how="left")
    days = pd.to_numeric(st["days"], errors="coerce").astype(float)
    # a completed training without days recorded counts in full
    st["attended_days"] = np.where(st["_t"].notna(), days.fillna(st["required_days"]), 0.0)
    st = st.groupby(["cadre_id", "year", "group", "group_vi", "required_days", "regulation"], as_index=False)[
        "attended_days"].sum()
    st["met"] = st["attended_days"] >= st["required_days"]
    st["shortfall_days"] = (st["required_days"] - st["attended_days"]).clip(lower=0)
    return st[cols].sort_values(["year", "group", "cadre_id"]).reset_index(drop=True)


def overdue_list(status: pd.DataFrame, cadres: pd.DataFrame | None = None) -> pd.DataFrame:
    """People who missed the requirement in at least one year, most years missed first.

    Returns
    -------
    DataFrame
        ``cadre_id, full_name, group_vi, years_missed, n_missed, last_year_missed,
        last_attended_year, reason``.
    """
    cols = ["cadre_id", "full_name", "group_vi", "years_missed", "n_missed", "last_year_missed",
            "last_attended_year", "reason"]
    miss = status.loc[~status["met"]]
    if miss.empty:
        return pd.DataFrame(columns=cols)
    agg = miss.groupby("cadre_id").agg(
        n_missed=("year", "size"), last_year_missed=("year", "max"),
        years_missed=("year", lambda s: ", ".join(str(v) for v in sorted(s))),
        group_vi=("group_vi", "last"))
    att = status.loc[status["attended_days"] > 0].groupby("cadre_id")["year"].max()
    agg["last_attended_year"] = att.reindex(agg.index).astype("Int64")
    agg = agg.reset_index()
    names = cadres.set_index("cadre_id")["full_name"] if cadres is not None else pd.Series(dtype=object)
    agg["full_name"] = agg["cadre_id"].map(names).astype(object).fillna("")
    agg["reason"] = ("Chưa học đủ số ngày cập nhật kiến thức năm " + agg["years_missed"]
                     + np.where(agg["last_attended_year"].isna(), " (chưa học lần nào trong kỳ theo dõi)",
                                " (lần gần nhất năm " + agg["last_attended_year"].astype(str) + ")"))
    agg = agg.sort_values(["n_missed", "last_year_missed", "cadre_id"], ascending=[False, False, True])
    return agg[cols].reset_index(drop=True)


def knowledge_update_rosters(positions: pd.DataFrame, units: pd.DataFrame, overdue: pd.DataFrame, roster_date, *,
                             class_capacity: int, classes_per_group: dict[str, int] | None = None,
                             default_classes: int = 1, overrides: dict | None = None,
                             used_params: list | None = None, history: pd.DataFrame | None = None) -> pd.DataFrame:
    """Next year's class rosters per group within class capacity, overdue people first.

    Members are those of the regulation in force on ``roster_date``. In each
    group people are ordered: most years missed first, then most recent miss,
    then ``cadre_id``; they fill classes of ``class_capacity`` seats, at most
    ``classes_per_group[group]`` (else ``default_classes``) classes; the rest wait.

    Returns
    -------
    DataFrame
        ``group, group_vi, class_no (0 = waiting), order, cadre_id, overdue,
        n_missed, status_vi, regulation``.
    """
    mem = knowledge_update_members(positions, units, roster_date, overrides=overrides, used_params=used_params,
                                   history=history)
    od = overdue.set_index("cadre_id") if not overdue.empty else pd.DataFrame(columns=["n_missed", "last_year_missed"])
    mem["n_missed"] = mem["cadre_id"].map(od["n_missed"]).fillna(0).astype(int)
    mem["last_year_missed"] = mem["cadre_id"].map(od["last_year_missed"]).fillna(0).astype(int)
    mem["overdue"] = mem["n_missed"] > 0
    mem = mem.sort_values(["group", "n_missed", "last_year_missed", "cadre_id"],
                          ascending=[True, False, False, True]).reset_index(drop=True)
    mem["order"] = mem.groupby("group").cumcount() + 1
    n_classes = mem["group"].map(lambda g: (classes_per_group or {}).get(g, default_classes)).astype(int)
    cls = (mem["order"] - 1) // class_capacity + 1
    mem["class_no"] = np.where(cls <= n_classes, cls, 0)
    mem["status_vi"] = np.where(mem["class_no"] > 0, "Lớp " + mem["class_no"].astype(str),
                                "Chờ lớp sau (hết chỉ tiêu lớp)")
    return mem[["group", "group_vi", "class_no", "order", "cadre_id", "overdue", "n_missed", "status_vi",
                "regulation"]]


def run_knowledge_updates(tables, scenario: TrainingScenario) -> dict[str, pd.DataFrame | list]:
    """Attendance per person and year, the overdue list and next year's rosters.

    Returns
    -------
    dict
        ``status``, ``overdue``, ``rosters`` (DataFrames) and ``params`` (ParameterSets read).
    """
    ku = scenario.knowledge_update
    overrides = scenario.parameter_overrides or None
    positions, units = _table(tables, "positions"), _table(tables, "units")
    trainings, courses, cadres = _table(tables, "trainings"), _table(tables, "courses"), _table(tables, "cadres")
    years = ku.years or list(range(scenario.as_of.year - 2, scenario.as_of.year + 1))
    roster_year = ku.roster_year or max(years) + 1
    roster_date = ku.roster_date or dt.date(roster_year, 1, 1)
    unknown = sorted(set(ku.classes_per_group) - _all_groups())
    if unknown:
        raise ScenarioError("Nhóm cập nhật kiến thức không có trong tham số: " + ", ".join(unknown) + ".")
    used: list[ParameterSet] = []
    try:  # members by year from the work history, when one is recorded
        history = tables["work_history"]
    except KeyError:
        history = None
    status = knowledge_update_status(positions, units, trainings, courses, years, overrides=overrides,
                                     used_params=used, history=history)
    names = cadres.set_index("cadre_id")["full_name"]
    status.insert(1, "full_name", status["cadre_id"].map(names))
    od = overdue_list(status, cadres)
    rosters = knowledge_update_rosters(positions, units, od, roster_date, class_capacity=ku.class_capacity,
                                       classes_per_group=ku.classes_per_group,
                                       default_classes=ku.default_classes_per_group, overrides=overrides,
                                       used_params=used, history=history)
    rosters.insert(5, "full_name", rosters["cadre_id"].map(names))
    rosters.insert(0, "year", roster_year)
    return {"status": status, "overdue": od, "rosters": rosters, "params": used}


def _all_groups() -> set[str]:
    from kimson_ds.rules.parameters import history

    return {g for _, v in history(_PARAM_GROUPS) if v for g in v}


def check_tables(tables) -> None:
    """Raise :class:`DataError` if the tables the training plan needs are empty."""
    for name in ("cadres", "units", "positions", "planning", "courses"):
        if _table(tables, name).empty:
            raise DataError(f"Bảng '{name}' trống: cần dữ liệu để lập kế hoạch đào tạo.")

