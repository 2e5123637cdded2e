"""Shared notions: one definition each, used by planning, training, vetting and rotation.

Two parts of the project must never give a committee two answers about the
same person. Every notion that more than one analysis needs lives here:

**First appointment** (giữ chức lần đầu, QĐ 04/2004/QĐ-BNV Điều 5)
    A cadre is appointed *for the first time* to a title when he has never held
    that title (in any unit) on or before the date of the judgement. A sitting
    commune Party secretary planned for secretary of another commune is not
    appointed for the first time. Holdings come from the positions snapshot
    (``holder_since`` on or before the date), the ``rotations`` table
    (``start_date``) and, when the dataset has one, a work-history table
    (``work_history`` or ``history``: ``cadre_id, title, start_date``) — see
    :func:`titles_held`.
**Ready by a date** (kịp bù trước ngày nhận chức)
    Courses start on the first day of a month and last whole months, one
    after another (a prerequisite finishes before the next course starts).
    From a day ``since`` the first course can start on the first day of that
    month when ``since`` is the 1st, else of the next month; the last one must
    end before the take-up date. :func:`months_available` counts those
    months; a gap of ``m`` months of training is closable when ``m`` is at most
    that count (:func:`ready_by`).
**Qualification as of a date**
    The levels held on a date, with completed trainings that ended after it
    rolled back (:func:`qualifications_on`).
**A unit on a date** (đơn vị kế thừa)
    A unit that no longer exists on a date (``valid_to`` before it) is read
    as its successor (``successor_unit_id``), followed as far as needed: a
    home commune Tây Sơn merged into Đông Tây is Đông Tây afterwards
    (:func:`unit_on`, :func:`units_valid_on`).
**Discipline in force on a date**
    A decision is in force from ``decided_on`` up to, not including, its end:
    ``expires_on``, else ``decided_on`` plus the months of its form in the
    table of the analysis (``rotation.discipline_bar_months``,
    ``training.discipline_block_months``); a form absent from the table never
    expires (:func:`discipline_periods`, :func:`discipline_in_force`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from kimson_ds.data.codes import DISCIPLINE_FORM, DISCIPLINE_ORDER

__all__ = [
    "HISTORY_TABLES",
    "discipline_in_force",
    "discipline_periods",
    "first_appointment",
    "first_course_month",
    "heavy_forms",
    "month_index",
    "months_available",
    "qualifications_on",
    "ready_by",
    "titles_held",
    "unit_on",
    "units_valid_on",
]

#: Optional work-history tables read by :func:`titles_held` (first found wins).
HISTORY_TABLES = ("work_history", "history")


def _get(tables, name: str) -> pd.DataFrame | None:
    try:
        frame = tables[name]
    except (KeyError, TypeError):
        return None
    return frame


# --------------------------------------------------------------------------- first appointment


def titles_held(tables, on) -> pd.DataFrame:
    """Every (cadre, title) held on or before ``on``, from every source of holdings.

    Parameters
    ----------
    tables : Dataset or mapping of DataFrame
        Reads ``positions`` (``holder_id, title, holder_since``), ``rotations``
        (``cadre_id, title, start_date``) and, when present, a work-history table
        of :data:`HISTORY_TABLES` (``cadre_id, title, start_date``).
    on : date-like
        Holdings that started after this day are not counted.

    Returns
    -------
    DataFrame
        ``cadre_id, title`` (unique pairs).
    """
    when = pd.Timestamp(on).normalize()
    parts = []
    pos = _get(tables, "positions")
    if pos is not None and len(pos):
        p = pos.loc[pos["holder_id"].notna()]
        if "holder_since" in p.columns:
            since = pd.to_datetime(p["holder_since"])
            p = p.loc[since.isna() | (since <= when)]
        parts.append(pd.DataFrame({"cadre_id": p["holder_id"].astype(str), "title": p["title"].astype(str)}))
    for name, start in (("rotations", "start_date"), *((h, "start_date") for h in HISTORY_TABLES)):
        t = _get(tables, name)
        if t is None or t.empty or not {"cadre_id", "title"} <= set(t.columns):
            continue
        if start in t.columns:
            s = pd.to_datetime(t[start])
            t = t.loc[s.isna() | (s <= when)]
        parts.append(pd.DataFrame({"cadre_id": t["cadre_id"].astype(str), "title": t["title"].astype(str)}))
    if not parts:
        return pd.DataFrame(columns=["cadre_id", "title"])
    return pd.concat(parts, ignore_index=True).dropna().drop_duplicates().reset_index(drop=True)


def first_appointment(targets: pd.DataFrame, held: pd.DataFrame, *, title_col: str = "target_title") -> np.ndarray:
    """Whether each (cadre, target title) row would be a first appointment to the title.

    Parameters
    ----------
    targets : DataFrame
        ``cadre_id`` and the title column.
    held : DataFrame
        :func:`titles_held` (``cadre_id, title``).

    Returns
    -------
    numpy.ndarray of bool
        True when the cadre never held the title (in any unit).
    """
    if targets.empty:
        return np.zeros(0, dtype=bool)
    if held.empty:
        return np.ones(len(targets), dtype=bool)
    key = pd.MultiIndex.from_arrays([targets["cadre_id"].astype(str), targets[title_col].astype(str)])
    seen = pd.MultiIndex.from_arrays([held["cadre_id"].astype(str), held["title"].astype(str)])
    return ~np.asarray(key.isin(seen), dtype=bool)


# --------------------------------------------------------------------------- ready by a date


def month_index(dates) -> pd.Series | int:
    """Months since year 0 (``year * 12 + month - 1``) of a date or a Series of dates."""
    if isinstance(dates, pd.Series):
        d = pd.to_datetime(dates)
        return d.dt.year * 12 + d.dt.month - 1
    d = pd.Timestamp(dates)
    return d.year * 12 + d.month - 1


def first_course_month(since) -> pd.Series | pd.Timestamp:
    """First day of the first month a course can start in from ``since`` (that month if ``since`` is a 1st)."""
    if isinstance(since, pd.Series):
        d = pd.to_datetime(since).dt.normalize()
        start = d.dt.to_period("M").dt.to_timestamp()
        return start.where(d.dt.day == 1, start + pd.DateOffset(months=1))
    d = pd.Timestamp(since).normalize()
    start = d.to_period("M").to_timestamp()
    return start if d.day == 1 else start + pd.DateOffset(months=1)


def months_available(since, by) -> pd.Series | int:
    """Whole calendar months of training that fit from ``since`` and end before the take-up day ``by``.

    Courses start on a month's first day (:func:`first_course_month`) and must
    end by the last day of the month before ``by``'s month when ``by`` is a 1st,
    else by the last day of the month before ``by``'s month as well (a course
    ending inside the take-up month would end after the take-up day).
    Never negative.

    Examples
    --------
    >>> months_available("2018-12-31", "2020-07-01")
    18
    """
    start = first_course_month(since)
    if isinstance(start, pd.Series):
        by_m = month_index(by) if not isinstance(by, pd.Series) else month_index(by)
        return (by_m - month_index(start)).clip(lower=0).astype(int)
    return max(0, int(month_index(by) - month_index(start)))


def ready_by(gap_months, since, by) -> pd.Series | bool:
    """Whether ``gap_months`` of training, started from ``since``, end before the take-up day ``by``."""
    avail = months_available(since, by)
    if isinstance(avail, pd.Series) or isinstance(gap_months, pd.Series):
        gap = pd.Series(gap_months).astype(float)
        return (gap <= pd.Series(avail, index=gap.index).astype(float) + 1e-9).astype(bool)
    return bool(float(gap_months) <= float(avail) + 1e-9)


# --------------------------------------------------------------------------- qualifications


def qualifications_on(tables, on) -> pd.DataFrame:
    """The cadres table with qualification levels as on ``on`` (trainings ending later rolled back).

    See :func:`kimson_ds.rules.standards.qualifications_as_of`.
    """
    from kimson_ds.rules.standards import qualifications_as_of

    return qualifications_as_of(_get(tables, "cadres"), _get(tables, "trainings"), _get(tables, "courses"), on)


# --------------------------------------------------------------------------- discipline


def heavy_forms(min_form: str) -> list[str]:
    """Discipline forms of ``min_form`` or heavier (:data:`~kimson_ds.data.codes.DISCIPLINE_ORDER`)."""
    return list(DISCIPLINE_ORDER[DISCIPLINE_ORDER.index(min_form):])


def discipline_periods(discipline: pd.DataFrame | None, months: Mapping[str, int] | int | None) -> pd.DataFrame:
    """When each discipline decision is in force: ``[decided_on, until)``.

    Parameters
    ----------
    discipline : DataFrame
        ``cadre_id, form, decided_on, expires_on``.
    months : mapping or int
        Months a decision of each form lasts when ``expires_on`` is empty (a
        single number for every form). A form missing from the mapping never
        expires (``until`` NaT).

    Returns
    -------
    DataFrame
        ``cadre_id, form, decided_on, until, text`` (``text``: Vietnamese,
        e.g. "Khiển trách ngày 08-09-2016 (đến 08-09-2017)").
    """
    cols = ["cadre_id", "form", "decided_on", "until", "text"]
    if discipline is None or discipline.empty:
        return pd.DataFrame(columns=cols)
    d = discipline.copy()
    decided = pd.to_datetime(d["decided_on"]).dt.normalize()
    expires = (pd.to_datetime(d["expires_on"]) if "expires_on" in d.columns
               else pd.Series(pd.NaT, index=d.index, dtype="datetime64[ns]"))
    length = (pd.Series(float(months), index=d.index) if isinstance(months, (int, float))
              else d["form"].map(dict(months or {})).astype(float))
    default_end = pd.Series(pd.NaT, index=d.index, dtype="datetime64[ns]")
    for m in sorted(length.dropna().unique()):  # one pass per length, not per row
        sel = length == m
        default_end[sel] = decided[sel] + pd.DateOffset(months=int(m))
    until = expires.where(expires.notna(), default_end)
    out = pd.DataFrame({"cadre_id": d["cadre_id"].astype(str), "form": d["form"], "decided_on": decided,
                        "until": pd.to_datetime(until)})
    label = out["form"].map(DISCIPLINE_FORM).fillna(out["form"]).astype(str)
    out["text"] = (label + " ngày " + out["decided_on"].dt.strftime("%d/%m/%Y")
                   + np.where(out["until"].isna(), " (không hết hạn)",
                              " (đến " + out["until"].dt.strftime("%d/%m/%Y") + ")"))
    return out[cols].reset_index(drop=True)


def discipline_in_force(periods: pd.DataFrame, on, *, forms: list[str] | None = None) -> pd.DataFrame:
    """Rows of :func:`discipline_periods` in force on ``on`` (``decided_on <= on < until``)."""
    when = pd.Timestamp(on).normalize()
    p = periods
    m = (p["decided_on"] <= when) & (p["until"].isna() | (p["until"] > when))
    if forms is not None:
        m &= p["form"].isin(list(forms))
    return p.loc[m].reset_index(drop=True)


# --------------------------------------------------------------------------- units on a date


def units_valid_on(units: pd.DataFrame, on) -> pd.Series:
    """Whether each unit exists on ``on`` (``valid_from`` ≤ on ≤ ``valid_to``), indexed by ``unit_id``."""
    when = pd.Timestamp(on).normalize()
    u = units.set_index("unit_id")
    ok = pd.Series(True, index=u.index)
    if "valid_from" in u.columns:
        vf = pd.to_datetime(u["valid_from"])
        ok &= vf.isna() | (vf <= when)
    if "valid_to" in u.columns:
        vt = pd.to_datetime(u["valid_to"])
        ok &= vt.isna() | (vt >= when)
    return ok


_MAX_SUCCESSION = 8  # mergers chain at most a few times


def unit_on(units: pd.DataFrame, unit_ids: pd.Series, on) -> pd.Series:
    """Each unit id as on ``on``: itself while it exists, else its successor (followed), else itself.

    Parameters
    ----------
    units : DataFrame
        ``unit_id, valid_from, valid_to, successor_unit_id``.
    unit_ids : Series
        Unit ids (missing stay missing).
    on : date-like

    Returns
    -------
    Series
        Same index as ``unit_ids``.
    """
    if "successor_unit_id" not in units.columns or "valid_to" not in units.columns:
        return unit_ids.copy()
    when = pd.Timestamp(on).normalize()
    u = units.set_index("unit_id")
    ended = pd.to_datetime(u["valid_to"]).lt(when) & u["successor_unit_id"].notna()
    successor = u["successor_unit_id"].where(ended)
    out = unit_ids.astype(object).copy()
    for _ in range(_MAX_SUCCESSION):  # all ids at once, one step of the chain per pass
        nxt = out.map(successor)
        step = nxt.notna()
        if not step.any():
            break
        out = out.where(~step, nxt)
    return out
