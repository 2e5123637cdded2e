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


def _runs(history: pd.DataFrame, codes: np.ndarray) -> np.ndarray:
    """First day of the uninterrupted run each holding belongs to, among holdings of equal ``codes``.

    A holding continues the run when it starts at most a day after the previous
    holding of the same code ended (or the previous one is open). Numpy over
    integer codes: a province-size history in a few hundredths of a second.
    """
    n = len(history)
    start = history["start_date"].to_numpy(dtype="datetime64[ns]")
    end = history["end_date"].to_numpy(dtype="datetime64[ns]")
    if n == 0:
        return start
    order = np.lexsort((start, codes))
    c, st, en = codes[order], start[order], end[order]
    prev_c, prev_e = np.roll(c, 1), np.roll(en, 1)
    cont = (c == prev_c) & (np.isnat(prev_e) | (st <= prev_e + np.timedelta64(1, "D")))
    cont[0] = False
    first = np.maximum.accumulate(np.where(cont, 0, np.arange(n)))
    run_start = np.empty(n, dtype="datetime64[ns]")
    run_start[order] = st[first]
    return run_start


def seniority(history: pd.DataFrame, as_of, *, ordered: bool = True) -> pd.DataFrame:
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
        ``years_in_title``, ``years_in_post``; sorted by cadre and title unless
        ``ordered`` is false (history order, for callers that index it themselves).
    """
    t = _ts(as_of)
    h = history[(history["start_date"] <= t).to_numpy()]
    cadre = pd.factorize(h["cadre_id"].to_numpy())[0].astype(np.int64)
    title = pd.factorize(h["title"].to_numpy())[0].astype(np.int64)
    unit = pd.factorize(h["unit_id"].to_numpy())[0].astype(np.int64)
    n_t, n_u = int(title.max(initial=0)) + 1, int(unit.max(initial=0)) + 1
    title_since = _runs(h, cadre * n_t + title)
    post_since = _runs(h, (cadre * n_u + unit) * n_t + title)
    now = in_force(h["start_date"], h["end_date"], t).to_numpy()
    out = h.loc[now, ["cadre_id", "unit_id", "title", "position_id", "start_date"]].copy()
    out["title_since"] = title_since[now]
    out["post_since"] = post_since[now]
    out["years_in_title"] = ((t - out["title_since"]).dt.days / _YEAR_DAYS).round(2)
    out["years_in_post"] = ((t - out["post_since"]).dt.days / _YEAR_DAYS).round(2)
    return out.sort_values(["cadre_id", "title"]).reset_index(drop=True) if ordered else out


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
