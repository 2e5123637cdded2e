"""Rules that need the work history: seniority, the QĐ 65 two-terms trigger, reappointment dates.

All take the ``work_history`` table and an ``as_of`` and are vectorised.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kimson_ds.data.codes import TITLE
from kimson_ds.history.state import _ts, in_force
from kimson_ds.rules.parameters import get_param

_DAY = pd.Timedelta(days=1)
_YEAR_DAYS = 365.25


def _runs(history: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Join holdings of the same ``by`` keys that follow each other without a gap into runs.

    Returns the history with a ``run_start`` column: the first day of the
    uninterrupted run each holding belongs to.
    """
    h = history.sort_values([*by, "start_date"], kind="stable")
    prev_end = h.groupby(by, sort=False)["end_date"].shift()
    same = pd.Series(True, index=h.index)
    for col in by:
        same &= h[col].eq(h[col].shift())
    # an open previous holding (end blank) followed by another one is continuous as well
    cont = same & (prev_end.isna() | (h["start_date"] <= prev_end + _DAY))
    run_id = (~cont.fillna(False).astype(bool)).cumsum()
    h = h.assign(_run=run_id.to_numpy())
    h["run_start"] = h.groupby("_run")["start_date"].transform("min")
    return h.drop(columns="_run")


def seniority(history: pd.DataFrame, as_of) -> pd.DataFrame:
    """Years in the current title and in the current post, from the history.

    Parameters
    ----------
    history : DataFrame
        The ``work_history`` table.
    as_of : date-like

    Returns
    -------
    DataFrame
        One row per holding in force: ``cadre_id``, ``unit_id``, ``title``,
        ``position_id``, ``title_since`` (start of the uninterrupted run in the
        title, any unit), ``post_since`` (in the same unit and title),
        ``years_in_title``, ``years_in_post``.
    """
    t = _ts(as_of)
    h = history[history["start_date"] <= t]
    by_title = _runs(h, ["cadre_id", "title"])
    by_post = _runs(h, ["cadre_id", "unit_id", "title"])
    now = in_force(h["start_date"], h["end_date"], t)
    out = h.loc[now, ["cadre_id", "unit_id", "title", "position_id", "start_date"]].copy()
    out["title_since"] = by_title.loc[out.index, "run_start"]
    out["post_since"] = by_post.loc[out.index, "run_start"]
    out["years_in_title"] = ((t - out["title_since"]).dt.days / _YEAR_DAYS).round(2)
    out["years_in_post"] = ((t - out["post_since"]).dt.days / _YEAR_DAYS).round(2)
    return out.sort_values(["cadre_id", "title"]).reset_index(drop=True)


def two_terms_candidates(history: pd.DataFrame, as_of) -> pd.DataFrame:
    """Heads who held the same post for more than the allowed consecutive terms (QĐ 65-QĐ/TW).

    The number of terms is ``management.two_terms_trigger.max_consecutive_terms``
    and a term lasts ``term.length_years``; a head whose uninterrupted run in
    the same unit and title is longer than their product is a rotation
    candidate.

    Returns
    -------
    DataFrame
        ``cadre_id``, ``unit_id``, ``title``, ``post_since``, ``years_in_post``,
        ``terms`` (whole and started terms) and ``reason`` (Vietnamese).
    """
    cfg = get_param("management.two_terms_trigger", _ts(as_of))
    term = float(get_param("term.length_years", _ts(as_of)))
    s = seniority(history, as_of)
    s = s[s["title"].isin(cfg["titles"])]
    limit = cfg["max_consecutive_terms"] * term
    hit = s[s["years_in_post"] > limit].copy()
    hit["terms"] = np.ceil(hit["years_in_post"] / term).astype(int)
    hit["reason"] = [
        f"Giữ chức {_lower_first(TITLE.get(ti, ti))} liên tục {y:.1f} năm (từ {d:%d/%m/%Y}), quá "
        f"{cfg['max_consecutive_terms']} nhiệm kỳ ({limit:g} năm) — thuộc diện luân chuyển theo Quy định 65-QĐ/TW"
        .replace(".", ",", 1)
        for ti, y, d in zip(hit["title"], hit["years_in_post"], hit["post_since"], strict=True)]
    return hit[["cadre_id", "unit_id", "title", "post_since", "years_in_post", "terms", "reason"]].reset_index(drop=True)


def reappointment_due(history: pd.DataFrame, as_of, *, within_months: int = 12) -> pd.DataFrame:
    """Appointed holdings in force whose fixed appointment term ends soon (bổ nhiệm lại).

    An appointment (``filled_by = bo_nhiem``) lasts
    ``management.appointment_term_years``; the due date is its start plus
    that term. Rows due within ``within_months`` of ``as_of`` (or overdue)
    are returned with ``due_date`` and ``overdue``.
    """
    t = _ts(as_of)
    years = int(get_param("management.appointment_term_years", t))
    h = history[in_force(history["start_date"], history["end_date"], t) & history["filled_by"].eq("bo_nhiem")]
    out = h[["cadre_id", "unit_id", "title", "position_id", "start_date"]].copy()
    out["due_date"] = out["start_date"] + pd.DateOffset(years=years)
    out["overdue"] = out["due_date"] < t
    out = out[out["due_date"] <= t + pd.DateOffset(months=within_months)]
    return out.sort_values(["due_date", "cadre_id"]).reset_index(drop=True)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def two_terms_in_force(as_of) -> bool:
    """Whether the two-consecutive-terms rule (QĐ 98 from 7-10-2017, then QĐ 65) applies on ``as_of``."""
    from kimson_ds.errors import ParameterError

    try:
        get_param("management.two_terms_trigger", _ts(as_of))
    except ParameterError:
        return False
    return True
