"""Retirement age, retirement date and years of service left (Nghị định 135/2020).

All numbers come from the dated parameters ``retirement.age_men_months`` and
``retirement.age_women_months``; nothing here assumes a fixed 60/55.

Conventions
-----------
* The retirement age of a person is the age in force for the calendar year in
  which he or she reaches it (Nghị định 135/2020/NĐ-CP, Điều 4 and its
  annex): a man born in 9-1961 reaches 60y3m (the 2021 age) in 12-2021 and
  retires at 60y3m; a man born in 10-1961 would reach 60y3m only in 2022,
  whose age is 60y6m, so he retires at 60y6m in 4-2022.
* Generally, with the parameter's dated values ``(since_k, months_k)``, the
  candidate ``birth + months_k`` is valid when it falls in
  ``[since_k, since_{k+1})`` (the last value has no upper bound; the first
  has no earlier value, so a candidate before it cannot be decided and is an
  error). The retirement date is the earliest valid candidate.
* :func:`retirement_date` returns **the day the age is reached**:
  ``birth + N months``, the day clipped to the end of the month
  (31-8 + 3 months = 30-11; 29-2 + 12 months = 28-2).
* :func:`retirement_moment` returns the **retirement moment** (thời điểm nghỉ
  hưu, Nghị định 135/2020/NĐ-CP): the last day of the month in which the age
  is reached; the pension starts on the 1st of the next month. Every check of
  service left (years left, full term, 60 months) counts to this moment.
* Years of service left are whole calendar months from ``as_of`` to the
  retirement moment (:func:`kimson_ds.rules.durations.whole_months`: a month
  counts once its day is reached, same clipping), divided by 12, and negative
  once the moment has passed. A man born 1-6-1970 retires at 62 on
  30-6-2032: nominated on 30-6-2022 he has 120 months (a full term).

Gender codes are those of :data:`kimson_ds.data.codes.GENDER` (``nam``, ``nu``);
a missing gender or birth date gives a missing result.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from kimson_ds.errors import DataError, ParameterError
from kimson_ds.rules.durations import _days_in_month, _ymd, month_end
from kimson_ds.rules.parameters import ParameterSet, history

__all__ = ["AGE_PARAM", "retirement_age_months", "retirement_date", "retirement_moment", "years_of_service_left"]

#: Parameter holding the retirement age (months) of each gender code.
AGE_PARAM = {"nam": "retirement.age_men_months", "nu": "retirement.age_women_months"}

_FAR_FUTURE = np.datetime64("9999-12-31", "D")


# --------------------------------------------------------------------------- helpers


def _schedule(gender: str, params: ParameterSet | None) -> tuple[np.ndarray, np.ndarray]:
    """Dated ages of one gender: ``(since as datetime64[D], months as float, NaN = repeal)``.

    With ``params`` the value in force at ``params.as_of`` is recorded in
    ``params.used``; a scenario override replaces the whole roadmap by one
    constant age.
    """
    name = AGE_PARAM[gender]
    if params is not None:
        value = params.get(name)  # records the value for the run record
        if params.is_overridden(name):
            return (
                np.array([np.datetime64("0001-01-01", "D")]),
                np.array([float(value)]),
            )
    hist = history(name)
    since = np.array([np.datetime64(d, "D") for d, _ in hist])
    months = np.array([np.nan if v is None else float(v) for _, v in hist])
    return since, months


def _is_scalar(x: Any) -> bool:
    return not isinstance(x, (pd.Series, pd.Index, np.ndarray, list, tuple))


def _as_series(x: Any, index: pd.Index | None) -> pd.Series:
    if isinstance(x, pd.Series):
        return x if index is None or x.index.equals(index) else x.reindex(index)
    if _is_scalar(x):
        return pd.Series([x] * (1 if index is None else len(index)), index=index, dtype=object)
    return pd.Series(list(x), index=index)


def _common_index(*args: Any) -> pd.Index | None:
    for a in args:
        if isinstance(a, pd.Series):
            return a.index
    for a in args:
        if not _is_scalar(a):
            return pd.RangeIndex(len(a))
    return None


def _gender_codes(gender: pd.Series) -> np.ndarray:
    """Return gender codes as an object array; NaN/None stay missing (``None``)."""
    s = gender.astype(object)
    present = s.notna().to_numpy()
    bad = present & ~s.isin(list(AGE_PARAM)).to_numpy()
    if bad.any():
        names = ", ".join(sorted(map(str, pd.unique(s[bad]))))
        raise DataError(f"Mã giới tính không hợp lệ: {names} (chỉ nhận 'nam' hoặc 'nu').")
    return s.where(present, None).to_numpy(dtype=object)


def _to_days(dates: Any, index: pd.Index | None) -> np.ndarray:
    """Dates as ``datetime64[D]`` (NaT for missing)."""
    s = _as_series(dates, index)
    try:
        ts = pd.to_datetime(s, errors="raise")
    except (ValueError, TypeError) as exc:
        raise DataError(f"Ngày không hợp lệ: {exc}") from None
    return ts.to_numpy(dtype="datetime64[D]") if len(ts) else np.array([], dtype="datetime64[D]")


def _add_months(month_index: np.ndarray, day: np.ndarray, n: np.ndarray | int) -> np.ndarray:
    """``date + n months`` with the day clipped to the month end, as datetime64[D]."""
    target = month_index + n
    clipped = np.minimum(day, _days_in_month(target))
    return target.astype("datetime64[M]").astype("datetime64[D]") + (clipped - 1)


def _retirement_days(birth: np.ndarray, genders: np.ndarray, params: ParameterSet | None) -> np.ndarray:
    """Vectorised core: retirement dates (datetime64[D], NaT where undecidable input)."""
    out = np.full(birth.shape, np.datetime64("NaT"), dtype="datetime64[D]")
    valid_birth = ~np.isnat(birth)
    safe_birth = np.where(valid_birth, birth, np.datetime64("2000-01-01", "D"))
    month_index, day = _ymd(safe_birth)
    for code in AGE_PARAM:
        mask = valid_birth & (genders == code)
        if not mask.any():
            continue
        since, months = _schedule(code, params)
        mi, dd = month_index[mask], day[mask]
        best = np.full(mi.shape, _FAR_FUTURE)
        for k in range(len(since)):  # loop over the (few) dated values, not rows
            if np.isnan(months[k]):
                continue
            cand = _add_months(mi, dd, int(months[k]))
            ok = cand >= since[k]
            if k + 1 < len(since):
                ok &= cand < since[k + 1]
            best = np.where(ok & (cand < best), cand, best)
        undecided = best == _FAR_FUTURE
        if undecided.any():
            name = AGE_PARAM[code]
            raise ParameterError(
                f"Không xác định được ngày nghỉ hưu của {int(undecided.sum())} người "
                f"(giới tính '{code}'): tham số '{name}' không có giá trị vào ngày họ đủ tuổi "
                f"(giá trị đầu tiên từ {pd.Timestamp(since[0]):%d/%m/%Y}, hoặc đã bị bãi bỏ)."
            )
        out[mask] = best
    return out


# --------------------------------------------------------------------------- public API


def retirement_age_months(year: Any, gender: Any, params: ParameterSet | None = None) -> Any:
    """Retirement age (months) in force for people reaching it in ``year``.

    The value in force on 1 January of ``year`` is used.

    Parameters
    ----------
    year : int or array-like of int (pandas.Series keeps its index)
    gender : {"nam", "nu"} or array-like of them
    params : ParameterSet, optional
        If given, the age parameters are recorded in ``params.used`` and a
        scenario override of them (a constant number of months) is applied.

    Returns
    -------
    int or pandas.Series
        An ``int`` for scalar inputs, else a nullable ``Int64`` Series
        (``<NA>`` where year or gender is missing).

    Raises
    ------
    ParameterError
        If ``year`` is before the first value of the parameter or in a repeal.
    DataError
        If a gender code is unknown.
    """
    scalar = _is_scalar(year) and _is_scalar(gender)
    index = _common_index(year, gender)
    years = pd.to_numeric(_as_series(year, index), errors="coerce").to_numpy(dtype=float)
    genders = _gender_codes(_as_series(gender, index))
    result = np.full(years.shape, np.nan)
    ok_year = ~np.isnan(years)
    jan1 = np.where(ok_year, years, 2000).astype(np.int64) - 1970
    jan1 = jan1.astype("datetime64[Y]").astype("datetime64[D]")
    for code in AGE_PARAM:
        mask = ok_year & (genders == code)
        if not mask.any():
            continue
        since, months = _schedule(code, params)
        pos = np.searchsorted(since, jan1[mask], side="right") - 1
        name = AGE_PARAM[code]
        if (pos < 0).any():
            first_bad = int(years[mask][pos < 0].min())
            raise ParameterError(
                f"Tham số '{name}' chưa có giá trị cho năm {first_bad}: giá trị đầu tiên áp dụng "
                f"từ ngày {pd.Timestamp(since[0]):%d/%m/%Y}."
            )
        values = months[pos]
        if np.isnan(values).any():
            raise ParameterError(f"Tham số '{name}' không còn hiệu lực cho một số năm được hỏi.")
        result[mask] = values
    if scalar:
        if np.isnan(result[0]):
            return pd.NA
        return int(result[0])
    return pd.Series(result, index=index).round().astype("Int64")


def retirement_date(birth_date: Any, gender: Any, params: ParameterSet | None = None) -> Any:
    """Date on which a person reaches the retirement age (Nghị định 135/2020).

    See the module docstring for the convention: the earliest
    ``birth + age_k months`` that falls in the period where ``age_k`` is in
    force; the day is clipped to the month end.

    Parameters
    ----------
    birth_date : date-like or array-like of them (pandas.Series keeps its index)
        Anything :func:`pandas.to_datetime` reads; missing gives ``NaT``.
    gender : {"nam", "nu"} or array-like of them
    params : ParameterSet, optional
        Records the age parameters in ``params.used``; a scenario override
        replaces the roadmap by one constant age.

    Returns
    -------
    pandas.Timestamp or pandas.Series
        A Timestamp (or ``NaT``) for scalar inputs, else a ``datetime64[ns]``
        Series.

    Raises
    ------
    ParameterError
        If someone reaches the age before the first dated value (before 1995).
    DataError
        Unknown gender code or unreadable date.

    Examples
    --------
    >>> retirement_date("1961-01-15", "nam")
    Timestamp('2021-04-15 00:00:00')
    """
    scalar = _is_scalar(birth_date) and _is_scalar(gender)
    index = _common_index(birth_date, gender)
    birth = _to_days(birth_date, index)
    genders = _gender_codes(_as_series(gender, index))
    days = _retirement_days(birth, genders, params)
    if scalar:
        return pd.Timestamp(days[0]) if not np.isnat(days[0]) else pd.NaT
    return pd.Series(days.astype("datetime64[ns]"), index=index)


def retirement_moment(birth_date: Any, gender: Any, params: ParameterSet | None = None) -> Any:
    """Retirement moment (thời điểm nghỉ hưu): the end of the month the retirement age is reached.

    Nghị định 135/2020/NĐ-CP: the retirement moment is the end of the last day of
    the month in which the person reaches the retirement age.

    Parameters
    ----------
    birth_date, gender, params
        As in :func:`retirement_date`.

    Returns
    -------
    pandas.Timestamp or pandas.Series

    Examples
    --------
    >>> retirement_moment("1970-06-01", "nam")
    Timestamp('2032-06-30 00:00:00')
    """
    return month_end(retirement_date(birth_date, gender, params))


def years_of_service_left(
    birth_date: Any, gender: Any, as_of: Any, params: ParameterSet | None = None
) -> Any:
    """Years of service left before the retirement moment, on ``as_of``.

    Whole calendar months from ``as_of`` to :func:`retirement_moment` (the end
    of the month the age is reached; a month counts once its day-of-month is
    reached, day clipped to the month end), divided by 12. Negative once the
    retirement moment has passed; callers compare.

    Parameters
    ----------
    birth_date : date-like or array-like of them
    gender : {"nam", "nu"} or array-like of them
    as_of : date-like or array-like of them
        Reference date(s), e.g. the date of a planning or rotation decision.
    params : ParameterSet, optional
        As in :func:`retirement_date`.

    Returns
    -------
    float or pandas.Series
        A float (NaN if missing) for scalar inputs, else a float Series.

    Examples
    --------
    >>> years_of_service_left("1975-06-01", "nam", "2027-06-01")
    10.0
    """
    scalar = _is_scalar(birth_date) and _is_scalar(gender) and _is_scalar(as_of)
    index = _common_index(birth_date, gender, as_of)
    if index is None:
        index = pd.RangeIndex(1)
    birth = _to_days(birth_date, index)
    genders = _gender_codes(_as_series(gender, index))
    ref = _to_days(as_of.date() if isinstance(as_of, dt.datetime) else as_of, index)
    retire = _retirement_days(birth, genders, params)
    # the retirement moment: last day of the month the age is reached (Nghị định 135/2020)
    retire = np.where(np.isnat(retire), retire,
                      ((retire.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1))
    missing = np.isnat(retire) | np.isnat(ref)
    r_mi, r_day = _ymd(np.where(missing, np.datetime64("2000-01-01", "D"), retire))
    a_mi, a_day = _ymd(np.where(missing, np.datetime64("2000-01-01", "D"), ref))
    months = r_mi - a_mi
    # as_of + months (clipped) lands after the retirement day -> one month less
    months = months - (np.minimum(a_day, _days_in_month(r_mi)) > r_day)
    years = np.where(missing, np.nan, months / 12.0)
    if scalar:
        return float(years[0])
    return pd.Series(years, index=index, dtype=float)
