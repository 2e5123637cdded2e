"""Standards (tiêu chuẩn) of target posts, the gaps of planned cadres, and how to close them.

The standards of a post are dated parameters (RULEBOOK §4):

* ``standards.commune_key`` — key commune posts (QĐ 04/2004/QĐ-BNV from 2004,
  Nghị định 33/2023/NĐ-CP from 1-8-2023), per title;
* ``standards.district_head`` — heads of district departments, Party boards,
  mass organisations, the Front and the inspection committee (managed by the
  district standing committee: trung cấp LLCT, chuyên viên), for the titles and
  unit kinds of ``standards.district_head_scope``;
* ``standards.district_leader`` — key district leaders (secretary, deputy
  secretary, People's Council and Committee chairs and deputies, managed by the
  province: cao cấp LLCT, chuyên viên chính), for ``standards.district_leader_scope``
  (both **ASSUMPTION** levels under the frameworks QĐ 89-QĐ/TW 4-8-2017 and
  QĐ 365-QĐ/TW 30-8-2025; review S3, S5);
* ``standards.first_appointment_min_years_left`` — every first appointment.

The kind of post is decided by the kind of the target unit: a commune or
township (``xa``, ``thi_tran``) with a title listed in ``standards.commune_key``
is a *commune key* post; a district unit and title inside
``standards.district_leader_scope`` is a *district leader* post, one inside
``standards.district_head_scope`` a *district head* post; any other post only
carries the first-appointment rule.

Standards (the ``standard`` column)
-----------------------------------
``political_theory``, ``education``, ``state_mgmt``
    Qualification levels on the ladders of :data:`kimson_ds.data.codes.LADDERS`
    ("this level or higher"; cử nhân counts above cao cấp). These gaps are
    *closable* by training: :func:`close_gaps` gives the course path.
``max_age_first``
    Age in completed years on the take-up date is at most the value.
``terms_left_first``
    Months of service left on the take-up date cover that many terms
    (``term.length_years``).
``months_left_first``
    Months of service left on the take-up date are at least the value.
``years_left_first``
    Years of service left on the take-up date are at least the value
    (``standards.first_appointment_min_years_left``).

The age and service-left standards apply to a first appointment only (a target
row with ``first_time`` False skips them) and cannot be met by training.
Service left is computed with :func:`kimson_ds.rules.retirement.years_of_service_left`
(Nghị định 135/2020 roadmap), never from a fixed 60/55.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kimson_ds.data.codes import CODESETS, COMMUNE_KINDS, LADDERS
from kimson_ds.errors import DataError, ParameterError
from kimson_ds.rules.parameters import ParameterSet, parameters
from kimson_ds.rules.retirement import years_of_service_left

__all__ = [
    "GAP_COLUMNS",
    "PATH_COLUMNS",
    "POST_KIND_LABEL",
    "QUALIFICATION_STANDARDS",
    "STANDARD_LABEL",
    "best_course_paths",
    "close_gaps",
    "post_kinds",
    "qualifications_as_of",
    "standards_gaps",
    "unmet_summary",
]

#: Standards that training can close (one ladder each).
QUALIFICATION_STANDARDS = tuple(LADDERS)

#: Vietnamese name of every standard.
STANDARD_LABEL = {
    "political_theory": "Lý luận chính trị",
    "education": "Trình độ chuyên môn",
    "state_mgmt": "Quản lý nhà nước",
    "max_age_first": "Tuổi khi giữ chức lần đầu",
    "terms_left_first": "Số nhiệm kỳ còn đủ tuổi công tác khi giữ chức lần đầu",
    "months_left_first": "Thời gian công tác còn lại khi giữ chức lần đầu",
    "years_left_first": "Số năm công tác còn lại khi bổ nhiệm lần đầu",
}

#: Vietnamese name of every kind of post.
POST_KIND_LABEL = {
    "commune_key": "Chức danh chủ chốt cấp xã",
    "district_head": "Trưởng phòng, ban và tương đương cấp huyện",
    "district_leader": "Lãnh đạo chủ chốt cấp huyện",
    "other": "Chức danh khác",
}

#: Columns of :func:`standards_gaps`.
GAP_COLUMNS = [
    "cadre_id", "target_title", "target_unit_id", "take_up_date", "post_kind", "standard",
    "standard_vi", "required", "actual", "met", "closable", "reason", "reference", "assumption",
]

#: Columns of :func:`close_gaps`.
PATH_COLUMNS = [
    "cadre_id", "target_title", "target_unit_id", "standard", "standard_vi", "required", "actual",
    "closable", "courses", "course_path", "n_courses", "months", "cost_million_vnd", "reason",
]

_PARAM_COMMUNE = "standards.commune_key"
_PARAM_DISTRICT = "standards.district_head"
_PARAM_SCOPE = "standards.district_head_scope"
#: District post kinds: (kind, standards parameter, scope parameter), leaders first.
_DISTRICT_KINDS = (("district_leader", "standards.district_leader", "standards.district_leader_scope"),
                   ("district_head", _PARAM_DISTRICT, _PARAM_SCOPE))
_PARAM_FIRST = "standards.first_appointment_min_years_left"
_PARAM_TERM = "term.length_years"
_NUMERIC = ("max_age_first", "terms_left_first", "months_left_first", "years_left_first")
_KEYS = ["cadre_id", "target_title", "target_unit_id"]


# --------------------------------------------------------------------------- helpers


def _rank(field: str, codes: pd.Series) -> pd.Series:
    """Rank of level codes on the ladder of ``field`` (missing → 0, unknown → NaN)."""
    order = {code: i for i, code in enumerate(LADDERS[field])}
    return codes.fillna(LADDERS[field][0]).map(order).astype(float)


def _fmt(values: pd.Series, decimals: int = 1) -> pd.Series:
    """Numbers as Vietnamese text (decimal comma, trailing zeros dropped)."""
    def one(v):
        if v is None or v != v:
            return "không rõ"
        text = f"{float(v):.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text.replace(".", ",")
    return values.map(one).astype(object)


def _to_ts(value) -> pd.Timestamp:
    ts = pd.Timestamp(value)
    if pd.isna(ts):
        raise DataError(f"Ngày không hợp lệ: {value!r}.")
    return ts.normalize()


def _ref(ps: ParameterSet, name: str) -> tuple[str, bool]:
    refs = ps.references()
    row = refs.loc[refs["name"] == name]
    if row.empty:  # pragma: no cover - the caller reads the parameter first
        return "", False
    return str(row["reference"].iloc[0]), bool(row["assumption"].iloc[0])


def _unit_kinds(targets: pd.DataFrame, units: pd.DataFrame | None) -> pd.Series:
    if "target_unit_kind" in targets.columns:
        return targets["target_unit_kind"]
    if units is None:
        raise DataError(
            "Cần bảng đơn vị (units) hoặc cột target_unit_kind để xác định loại đơn vị của chức danh quy hoạch."
        )
    kinds = targets["target_unit_id"].map(units.set_index("unit_id")["kind"])
    missing = targets.loc[kinds.isna(), "target_unit_id"].dropna().unique()
    if len(missing):
        raise DataError("Đơn vị quy hoạch không có trong bảng đơn vị: " + ", ".join(map(str, missing)) + ".")
    return kinds


def post_kinds(targets: pd.DataFrame, as_of, *, units: pd.DataFrame | None = None,
               overrides: dict | None = None) -> pd.Series:
    """Kind of each target post (``commune_key``, ``district_leader``, ``district_head`` or ``other``) on ``as_of``.

    Parameters
    ----------
    targets : DataFrame
        Columns ``target_title`` and ``target_unit_id`` (or ``target_unit_kind``).
    as_of : date-like
        Date the standards apply on.
    units : DataFrame, optional
        The units table (``unit_id``, ``kind``), needed unless ``target_unit_kind`` is given.
    overrides : dict, optional
        Scenario overrides of parameters.
    """
    ps = parameters(as_of, overrides)
    return _classify(targets["target_title"], _unit_kinds(targets, units), ps)


def _classify(titles: pd.Series, kinds: pd.Series, ps: ParameterSet) -> pd.Series:
    out = pd.Series("other", index=titles.index, dtype=object)
    commune = kinds.isin(COMMUNE_KINDS)
    if commune.any():
        commune_titles = list(ps.get(_PARAM_COMMUNE))
        out[commune & titles.isin(commune_titles)] = "commune_key"
    district = ~commune
    for kind, _std, scope_name in _DISTRICT_KINDS if district.any() else ():
        if scope_name not in ps:  # a kind not defined on this date
            continue
        scope = ps.get(scope_name)
        hit = district & (out == "other") & kinds.isin(scope["unit_kinds"]) & titles.isin(scope["titles"])
        out[hit] = kind
    return out


def _requirements(ps: ParameterSet, kinds_needed: set[str], titles: dict[str, set]) -> pd.DataFrame:
    """Long table ``post_kind, target_title, standard, required, reference, assumption`` on ``ps.as_of``."""
    rows = []
    if "commune_key" in kinds_needed:
        table = ps.get(_PARAM_COMMUNE)
        ref, assumption = _ref(ps, _PARAM_COMMUNE)
        for title, stds in table.items():
            for std, req in stds.items():
                rows.append(("commune_key", title, std, req, ref, assumption))
    for kind, std_name, scope_name in _DISTRICT_KINDS:
        if kind not in kinds_needed:
            continue
        stds = ps.get(std_name)
        ref, assumption = _ref(ps, std_name)
        scope_ref, scope_assumption = _ref(ps, scope_name)
        for title in sorted(titles.get(kind, ())):
            for std, req in stds.items():
                rows.append((kind, title, std, req, f"{ref}; {scope_ref}", assumption or scope_assumption))
    frame = pd.DataFrame(rows, columns=["post_kind", "target_title", "standard", "required", "reference", "assumption"])
    unknown = sorted(set(frame["standard"]) - set(QUALIFICATION_STANDARDS) - set(_NUMERIC))
    if unknown:
        raise ParameterError(
            "Tiêu chuẩn chưa được hỗ trợ trong tham số tiêu chuẩn: " + ", ".join(unknown)
            + f" (hỗ trợ: {', '.join(STANDARD_LABEL)})."
        )
    for std in QUALIFICATION_STANDARDS:
        bad = frame.loc[(frame["standard"] == std) & ~frame["required"].isin(LADDERS[std]), "required"]
        if len(bad):
            raise ParameterError(
                f"Mức '{bad.iloc[0]}' của tiêu chuẩn {std} không thuộc thang {', '.join(LADDERS[std])}."
            )
    return frame


# --------------------------------------------------------------------------- gaps


def standards_gaps(cadres: pd.DataFrame, targets: pd.DataFrame, as_of, *, units: pd.DataFrame | None = None,
                   overrides: dict | None = None, used_params: list | None = None) -> pd.DataFrame:
    """Every standard of every target post, checked for each planned cadre.

    Parameters
    ----------
    cadres : DataFrame
        ``cadre_id``, ``birth_date``, ``gender``, ``education``, ``political_theory``,
        ``state_mgmt`` (missing qualification = not trained). Use
        :func:`qualifications_as_of` first to look at an earlier date.
    targets : DataFrame
        ``cadre_id``, ``target_title``, ``target_unit_id``; optionally ``take_up_date``
        (default ``as_of``: the date the post is taken up, whose standards apply),
        ``target_unit_kind`` (else taken from ``units``) and ``first_time`` (default
        True; False skips the first-appointment standards).
    as_of : date-like
        Default take-up date.
    units : DataFrame, optional
        The units table, to find the kind of each target unit.
    overrides : dict, optional
        Scenario overrides of regulation parameters.
    used_params : list, optional
        If given, the :class:`~kimson_ds.rules.parameters.ParameterSet` of every take-up
        date is appended (for the run record and "Căn cứ pháp lý").

    Returns
    -------
    DataFrame
        One row per (cadre, target, standard) with :data:`GAP_COLUMNS`:
        ``required`` and ``actual`` (level codes or numbers), ``met`` (bool),
        ``closable`` (a qualification that training can close), ``reason``
        (Vietnamese), ``reference`` (regulation) and ``assumption``.

    Raises
    ------
    DataError
        Unknown cadre or target unit.
    ParameterError
        A standard is not in force on a take-up date, or is malformed.
    """
    default_date = _to_ts(as_of)
    t = targets.copy()
    t["take_up_date"] = (pd.to_datetime(t["take_up_date"]).fillna(default_date)
                         if "take_up_date" in t.columns else default_date)
    t["take_up_date"] = pd.to_datetime(t["take_up_date"]).dt.normalize()
    t["first_time"] = t["first_time"].fillna(True).astype(bool) if "first_time" in t.columns else True
    t["_kind"] = _unit_kinds(t, units).to_numpy()
    missing = sorted(set(t["cadre_id"]) - set(cadres["cadre_id"]))
    if missing:
        raise DataError("Cán bộ quy hoạch không có trong bảng cán bộ: " + ", ".join(map(str, missing[:20])) + ".")
    t = t.reset_index(drop=True)
    t["_row"] = np.arange(len(t))

    parts = []
    for when in sorted(t["take_up_date"].unique()):  # loop over the few take-up dates, not rows
        sub = t.loc[t["take_up_date"] == when].copy()
        ps = parameters(pd.Timestamp(when).date(), overrides)
        sub["post_kind"] = _classify(sub["target_title"], sub["_kind"], ps).to_numpy()
        kinds_needed = set(sub["post_kind"])
        titles = {k: set(sub.loc[sub["post_kind"] == k, "target_title"]) for k in kinds_needed}
        req = _requirements(ps, kinds_needed, titles)
        specific = sub.merge(req, on=["post_kind", "target_title"], how="inner")
        first = sub.loc[sub["first_time"]].copy()
        first["standard"] = "years_left_first"
        first["required"] = ps.get(_PARAM_FIRST)
        first["reference"], first["assumption"] = _ref(ps, _PARAM_FIRST)
        merged = pd.concat([specific, first], ignore_index=True)
        merged = merged.loc[merged["first_time"] | ~merged["standard"].str.endswith("_first")]
        if (merged["standard"] == "terms_left_first").any():
            merged["_term_years"] = float(ps.get(_PARAM_TERM))
        if used_params is not None:
            used_params.append(ps)
        parts.append(merged)
    if not parts:
        return pd.DataFrame(columns=GAP_COLUMNS)
    g = pd.concat(parts, ignore_index=True)
    if "_term_years" not in g.columns:
        g["_term_years"] = np.nan

    people = cadres.set_index("cadre_id")
    cols = [c for c in ("birth_date", "gender", *QUALIFICATION_STANDARDS) if c in people.columns]
    g = g.join(people[cols], on="cadre_id")
    for c in QUALIFICATION_STANDARDS:
        if c not in g.columns:
            g[c] = None
    g["actual"] = pd.Series(None, index=g.index, dtype=object)
    g["met"] = False
    g["reason"] = pd.Series("", index=g.index, dtype=object)

    # qualification standards: rank on the ladder
    for std in QUALIFICATION_STANDARDS:
        m = g["standard"] == std
        if not m.any():
            continue
        have = g.loc[m, std].fillna(LADDERS[std][0])
        need = g.loc[m, "required"]
        ok = _rank(std, have) >= _rank(std, need)
        labels = CODESETS[std]
        have_vi, need_vi = have.map(labels), need.map(labels)
        g.loc[m, "actual"] = have.to_numpy()
        g.loc[m, "met"] = ok.to_numpy()
        g.loc[m, "reason"] = np.where(
            ok, "Đạt: " + STANDARD_LABEL[std].lower() + " " + have_vi + " (yêu cầu từ " + need_vi + " trở lên)",
            "Chưa đạt: " + STANDARD_LABEL[std].lower() + " hiện có " + have_vi.str.lower()
            + ", yêu cầu từ " + need_vi.str.lower() + " trở lên",
        )

    numeric = g["standard"].isin(_NUMERIC)
    if numeric.any():
        sub = g.loc[numeric]
        birth = pd.to_datetime(sub["birth_date"])
        take = sub["take_up_date"]
        months_age = (take.dt.year - birth.dt.year) * 12 + (take.dt.month - birth.dt.month) - (take.dt.day < birth.dt.day)
        age = np.floor(months_age / 12)
        left = years_of_service_left(sub["birth_date"], sub["gender"], take)
        months_left = np.floor(left * 12 + 1e-9)
        need = pd.to_numeric(sub["required"], errors="coerce").astype(float)
        std = sub["standard"]
        actual = pd.Series(np.nan, index=sub.index)
        ok = pd.Series(False, index=sub.index)
        reason = pd.Series("", index=sub.index, dtype=object)

        m = std == "max_age_first"
        actual[m], ok[m] = age[m], age[m] <= need[m]
        reason[m] = np.where(ok[m], "Đạt: tuổi khi nhận chức " + _fmt(age[m], 0) + " (tối đa " + _fmt(need[m], 0) + ")",
                             "Chưa đạt: tuổi khi nhận chức " + _fmt(age[m], 0) + ", vượt mức tối đa "
                             + _fmt(need[m], 0) + " tuổi khi giữ chức lần đầu")
        m = std == "months_left_first"
        actual[m], ok[m] = months_left[m], months_left[m] >= need[m]
        reason[m] = np.where(ok[m], "Đạt: còn " + _fmt(months_left[m], 0) + " tháng công tác (tối thiểu "
                             + _fmt(need[m], 0) + " tháng)",
                             "Chưa đạt: chỉ còn " + _fmt(months_left[m], 0) + " tháng công tác khi nhận chức, cần tối thiểu "
                             + _fmt(need[m], 0) + " tháng")
        m = std == "terms_left_first"
        term_months = sub["_term_years"] * 12
        terms = months_left / term_months
        actual[m], ok[m] = terms[m], months_left[m] >= need[m] * term_months[m]
        reason[m] = np.where(ok[m], "Đạt: còn " + _fmt(months_left[m], 0) + " tháng công tác, đủ " + _fmt(need[m], 0)
                             + " nhiệm kỳ",
                             "Chưa đạt: chỉ còn " + _fmt(months_left[m], 0) + " tháng công tác khi nhận chức, không đủ "
                             + _fmt(need[m], 0) + " nhiệm kỳ (" + _fmt(need[m] * term_months[m], 0) + " tháng)")
        m = std == "years_left_first"
        actual[m], ok[m] = left[m], left[m] >= need[m] - 1e-9
        reason[m] = np.where(ok[m], "Đạt: còn " + _fmt(left[m]) + " năm công tác (tối thiểu " + _fmt(need[m], 0) + " năm)",
                             "Chưa đạt: chỉ còn " + _fmt(left[m]) + " năm công tác khi nhận chức, cần tối thiểu "
                             + _fmt(need[m], 0) + " năm")
        no_data = actual.isna()
        reason[no_data] = "Chưa đạt: thiếu ngày sinh hoặc giới tính để tính tuổi, thời gian công tác"
        ok[no_data] = False
        g.loc[numeric, "actual"] = actual.astype(object).to_numpy()
        g.loc[numeric, "met"] = ok.astype(bool).to_numpy()
        g.loc[numeric, "reason"] = reason.to_numpy()

    g["met"] = g["met"].astype(bool)
    g["closable"] = g["standard"].isin(QUALIFICATION_STANDARDS)
    g["standard_vi"] = g["standard"].map(STANDARD_LABEL)
    g["assumption"] = g["assumption"].astype(bool)
    order = {s: i for i, s in enumerate(STANDARD_LABEL)}
    g["_std_order"] = g["standard"].map(order)
    g = g.sort_values(["_row", "_std_order"], kind="stable")
    return g[GAP_COLUMNS].reset_index(drop=True)


def unmet_summary(gaps: pd.DataFrame) -> pd.DataFrame:
    """One row per (cadre, target): all standards met? which are not, in Vietnamese.

    Returns
    -------
    DataFrame
        ``cadre_id, target_title, target_unit_id, all_met, n_unmet, closable``
        (every unmet standard can be closed by training), ``unmet`` (Vietnamese
        names of the unmet standards, ``"; "``-joined) and ``reason`` (their reasons).
    """
    cols = [*_KEYS, "all_met", "n_unmet", "closable", "unmet", "reason"]
    if gaps.empty:
        return pd.DataFrame(columns=cols)
    g = gaps.assign(_unmet=~gaps["met"].astype(bool))
    g["_not_closable"] = g["_unmet"] & ~g["closable"].astype(bool)
    base = g.groupby(_KEYS, sort=False).agg(n_unmet=("_unmet", "sum"), _nc=("_not_closable", "sum")).reset_index()
    un = g.loc[g["_unmet"]]
    names = un.groupby(_KEYS, sort=False).agg(unmet=("standard_vi", "; ".join), reason=("reason", "; ".join)).reset_index()
    out = base.merge(names, on=_KEYS, how="left")
    out["n_unmet"] = out["n_unmet"].astype(int)
    out["all_met"] = out["n_unmet"] == 0
    out["closable"] = out["_nc"] == 0
    out["unmet"] = out["unmet"].fillna("")
    out["reason"] = out["reason"].fillna("Đạt tất cả tiêu chuẩn")
    return out[cols]


# --------------------------------------------------------------------------- levels over time


def qualifications_as_of(cadres: pd.DataFrame, trainings: pd.DataFrame | None, courses: pd.DataFrame | None,
                         as_of) -> pd.DataFrame:
    """Cadres with their qualification levels rolled back to ``as_of``.

    The cadres table holds levels at the data snapshot. A completed training
    whose year ends after ``as_of`` and whose course grants the recorded level
    (or higher) did not count yet on ``as_of``: the level goes back to the best
    of (a) levels granted by trainings completed by ``as_of`` and (b) the
    prerequisite level of the earliest such later course. An ``enrolled``
    training never counts. Nothing else changes.

    Returns
    -------
    DataFrame
        A copy of ``cadres`` with ``education``, ``political_theory`` and
        ``state_mgmt`` as on ``as_of``.
    """
    out = cadres.copy()
    if trainings is None or courses is None or trainings.empty or courses.empty:
        return out
    when = _to_ts(as_of)
    tr = trainings.merge(courses[["course_id", "field", "grants_level", "prerequisite_level"]], on="course_id")
    tr = tr.loc[tr["field"].isin(QUALIFICATION_STANDARDS) & (tr["status"] == "completed")].copy()
    if tr.empty:
        return out
    year_end = pd.to_datetime(tr["year"].astype(int).astype(str) + "-12-31")
    tr["_done"] = year_end <= when
    for field in QUALIFICATION_STANDARDS:  # three ladders
        if field not in out.columns:
            continue
        f = tr.loc[tr["field"] == field].copy()
        if f.empty:
            continue
        f["_grant"] = _rank(field, f["grants_level"])
        f["_pre"] = _rank(field, f["prerequisite_level"].where(f["prerequisite_level"].isin(LADDERS[field])))
        recorded = _rank(field, out[field]).to_numpy()
        rec = pd.Series(recorded, index=out["cadre_id"])
        f["_rec"] = f["cadre_id"].map(rec)
        done = f.loc[f["_done"]].groupby("cadre_id")["_grant"].max()
        later = f.loc[~f["_done"] & (f["_grant"] >= f["_rec"])].sort_values(["cadre_id", "year"])
        first_later = later.groupby("cadre_id")["_pre"].first()
        back = pd.concat([done.reindex(first_later.index).fillna(0), first_later], axis=1).max(axis=1)
        new_rank = out["cadre_id"].map(back)
        roll = new_rank.notna().to_numpy()
        ladder = np.array(LADDERS[field], dtype=object)
        out.loc[roll, field] = ladder[new_rank[roll].astype(int).to_numpy()]
    return out


# --------------------------------------------------------------------------- closing gaps


def best_course_paths(courses: pd.DataFrame, field: str, start: str | None, required: str) -> list[tuple]:
    """All minimal course paths on one ladder, best first (deterministic).

    Returns a list with at most one element: ``(months, cost, course_ids)`` for the
    path from level ``start`` to ``required`` or higher with the fewest months,
    then the lowest cost, then fewest courses, then course ids. Each course may be
    taken once its prerequisite level (on the same ladder) is held.
    """
    ladder = LADDERS[field]
    rank = {c: i for i, c in enumerate(ladder)}
    s = rank.get(start if isinstance(start, str) else ladder[0], 0)
    r = rank[required]
    if s >= r:
        return [(0.0, 0.0, ())]
    cs = courses.loc[(courses["field"] == field) & courses["grants_level"].isin(ladder)]
    edges = [
        (str(row.course_id), rank.get(row.prerequisite_level, 0) if isinstance(row.prerequisite_level, str) else 0,
         rank[row.grants_level], float(row.months), float(row.cost_million_vnd))
        for row in cs.sort_values("course_id").itertuples(index=False)
    ]
    best: dict[int, tuple] = {s: (0.0, 0.0, 0, ())}
    for _ in range(len(ladder)):  # Bellman-Ford over the (short) ladder
        changed = False
        for level, (mo, co, n, path) in sorted(best.items()):
            for cid, pre, grant, months, cost in edges:
                if pre <= level < grant and cid not in path:
                    cand = (mo + months, co + cost, n + 1, (*path, cid))
                    if grant not in best or cand < best[grant]:
                        best[grant] = cand
                        changed = True
        if not changed:
            break
    ok = [v for lvl, v in best.items() if lvl >= r]
    if not ok:
        return []
    mo, co, _, path = min(ok)
    return [(mo, co, path)]


def close_gaps(gaps: pd.DataFrame, courses: pd.DataFrame, *, trainings: pd.DataFrame | None = None) -> pd.DataFrame:
    """The course path that closes each unmet standard.

    Parameters
    ----------
    gaps : DataFrame
        Output of :func:`standards_gaps` (met rows are ignored).
    courses : DataFrame
        The courses table: ``course_id, name, field, grants_level, months,
        cost_million_vnd, prerequisite_level``.
    trainings : DataFrame, optional
        The trainings table: a course the cadre is ``enrolled`` in is the start of
        the path and its level is counted as coming; a ``completed`` course that
        grants a higher level than recorded closes the gap ("hồ sơ chưa cập nhật").

    Returns
    -------
    DataFrame
        One row per unmet standard with :data:`PATH_COLUMNS`: ``courses`` (tuple of
        course ids in order, prerequisites first), ``course_path`` (names joined by
        " → "), ``months`` and ``cost_million_vnd`` of the whole path (NaN when no
        path exists), and a Vietnamese ``reason``. Age and service-left standards
        are not closable by training and say so.
    """
    un = gaps.loc[~gaps["met"].astype(bool)].copy().reset_index(drop=True)
    if un.empty:
        return pd.DataFrame(columns=PATH_COLUMNS)
    un["start"] = un["actual"]
    un["_enrolled"] = [()] * len(un)
    names = courses.set_index("course_id")["name"] if "name" in courses.columns else pd.Series(dtype=object)
    qual = un["closable"].astype(bool)
    if trainings is not None and not trainings.empty:
        tr = trainings.merge(courses[["course_id", "field", "grants_level"]], on="course_id")
        tr = tr.loc[tr["field"].isin(QUALIFICATION_STANDARDS)]
        for field in QUALIFICATION_STANDARDS:  # three ladders
            f = tr.loc[tr["field"] == field].copy()
            if f.empty:
                continue
            f["_g"] = _rank(field, f["grants_level"])
            m = qual & (un["standard"] == field)
            for status in ("completed", "enrolled"):
                best = f.loc[f["status"] == status].sort_values(["_g", "course_id"]).groupby("cadre_id").last()
                if best.empty:
                    continue
                got = un.loc[m, "cadre_id"].map(best["_g"])
                higher = got.notna() & (got > _rank(field, un.loc[m, "start"]))
                idx = got.index[higher]
                ladder = np.array(LADDERS[field], dtype=object)
                un.loc[idx, "start"] = ladder[got[higher].astype(int).to_numpy()]
                if status == "enrolled":
                    ids = un.loc[idx, "cadre_id"].map(best["course_id"])
                    un.loc[idx, "_enrolled"] = pd.Series([(c,) for c in ids], index=idx, dtype=object)
                else:
                    un.loc[idx, "_completed"] = True
    combos = un.loc[qual, ["standard", "start", "required"]].drop_duplicates()
    table = {}
    for std, start, req in combos.itertuples(index=False):  # few distinct (ladder, from, to) combinations
        paths = best_course_paths(courses, std, start, req)
        table[(std, start, req)] = paths[0] if paths else None
    found = [table.get((s, a, r)) if q else None
             for s, a, r, q in zip(un["standard"], un["start"], un["required"], qual, strict=True)]
    un["courses"] = [(*e, *(f[2] if f else ())) for e, f in zip(un["_enrolled"], found, strict=True)]
    un["months"] = [f[0] if f else np.nan for f in found]
    un["cost_million_vnd"] = [f[1] if f else np.nan for f in found]
    un["n_courses"] = un["courses"].map(len)
    un["course_path"] = un["courses"].map(lambda cs: " → ".join(str(names.get(c, c)) for c in cs))
    done_closed = un.get("_completed", pd.Series(False, index=un.index)).fillna(False).astype(bool)
    has = un["months"].notna()
    enrolled = un["_enrolled"].map(len) > 0
    un["reason"] = np.select(
        [~qual, done_closed & has & (un["n_courses"] == 0), enrolled & has & (un["n_courses"] == 1),
         has, qual & ~has],
        ["Không thể đáp ứng bằng đào tạo, bồi dưỡng: " + un["reason"].astype(str),
         "Đã hoàn thành khóa học đạt trình độ yêu cầu (hồ sơ cán bộ chưa cập nhật)",
         "Đang học khóa đạt trình độ yêu cầu",
         "Học " + un["course_path"] + " (tổng " + _fmt(un["months"]) + " tháng, "
         + _fmt(un["cost_million_vnd"]) + " triệu đồng)",
         "Không có khóa học nào trong danh mục đạt trình độ yêu cầu"],
        default="",
    )
    un["closable"] = qual & has
    return un[PATH_COLUMNS].reset_index(drop=True)
