"""Calendar durations for comparing a period with a rule (whole months and years, never days / 365.25).

A regulation that says "10 năm công tác", "36 tháng" or "60 tháng" counts calendar
months: from 1-3-2009 to 1-3-2019 is exactly 10 years. Dividing days by 365.25
gives 9.9986 and fails the rule on the anniversary. Every duration compared with
a rule (seniority, time in a rotation, service left before retirement,
discipline periods) goes through :func:`whole_months`.

Convention: a month counts once its day-of-month is reached, the day being
clipped to the end of a shorter month (31-1 + 1 month = 28-2 or 29-2;
31-8 + 3 months = 30-11), the same as :class:`pandas.DateOffset` ``months=``.
Missing dates give NaN; a period ending before it starts is negative.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["add_months", "month_end", "whole_months", "whole_years"]


def _days(values: Any, index) -> np.ndarray:
    if isinstance(values, pd.Series):
        s = pd.to_datetime(values, errors="coerce")
    elif np.ndim(values) == 0:
        s = pd.Series([pd.to_datetime(values, errors="coerce")] * (1 if index is None else len(index)))
    else:
        s = pd.to_datetime(pd.Series(list(values)), errors="coerce")
    return s.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")


def _ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Month index (year·12 + month − 1) and day of month of datetime64[D] values."""
    months = days.astype("datetime64[M]")
    day = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    return months.astype(np.int64), day


def _days_in_month(month_index: np.ndarray) -> np.ndarray:
    m = month_index.astype("datetime64[M]")
    return ((m + 1).astype("datetime64[D]") - m.astype("datetime64[D]")).astype(np.int64)


def _index(*values):
    for v in values:
        if isinstance(v, pd.Series):
            return v.index
    for v in values:
        if np.ndim(v) > 0:
            return pd.RangeIndex(len(v))
    return None


def whole_months(start: Any, end: Any) -> Any:
    """Whole calendar months from ``start`` to ``end`` (vectorised).

    Parameters
    ----------
    start, end : date-like or array-like of them (a pandas.Series keeps its index)

    Returns
    -------
    float or pandas.Series
        A float (NaN if a date is missing) for scalar inputs, else a float Series.

    Examples
    --------
    >>> whole_months("2009-03-01", "2019-03-01")
    120.0
    >>> whole_months("2009-03-02", "2019-03-01")
    119.0
    >>> whole_months("2020-01-31", "2020-02-29")
    1.0
    """
    scalar = np.ndim(start) == 0 and np.ndim(end) == 0 and not isinstance(start, pd.Series) \
        and not isinstance(end, pd.Series)
    index = _index(start, end)
    a, b = _days(start, index), _days(end, index)
    missing = np.isnat(a) | np.isnat(b)
    filler = np.datetime64("2000-01-01", "D")
    a_mi, a_day = _ymd(np.where(missing, filler, a))
    b_mi, b_day = _ymd(np.where(missing, filler, b))
    months = b_mi - a_mi
    forward = months >= 0
    # forward: start + months (clipped) lands after end -> one month less; backward: symmetric
    months = np.where(forward, months - (np.minimum(a_day, _days_in_month(b_mi)) > b_day),
                      months + (np.minimum(b_day, _days_in_month(a_mi)) > a_day))
    out = np.where(missing, np.nan, months.astype(float))
    if scalar:
        return float(out[0])
    return pd.Series(out, index=index if index is not None else pd.RangeIndex(len(out)), dtype=float)


def whole_years(start: Any, end: Any) -> Any:
    """Whole calendar years from ``start`` to ``end`` (``whole_months // 12``), NaN if missing.

    Examples
    --------
    >>> whole_years("2009-03-01", "2019-03-01")
    10.0
    >>> whole_years("2009-03-01", "2019-02-28")
    9.0
    """
    m = whole_months(start, end)
    return np.floor(m / 12.0)


def add_months(dates: Any, months: int) -> Any:
    """``dates`` plus ``months`` calendar months (day clipped to the month end)."""
    if isinstance(dates, pd.Series):
        return pd.to_datetime(dates, errors="coerce") + pd.DateOffset(months=int(months))
    return pd.Timestamp(dates) + pd.DateOffset(months=int(months))


def month_end(dates: Any) -> Any:
    """The last day of the month of each date (NaT stays NaT).

    Nghị định 135/2020/NĐ-CP: the retirement moment (thời điểm nghỉ hưu) is the
    end of the last day of the month in which the retirement age is reached.
    """
    if isinstance(dates, pd.Series):
        d = pd.to_datetime(dates, errors="coerce")
        return d + pd.offsets.MonthEnd(0)
    d = pd.Timestamp(dates)
    return d if pd.isna(d) else d + pd.offsets.MonthEnd(0)
