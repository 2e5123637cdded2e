"""Calendar durations: whole months and years as the regulations count them."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kimson_ds.rules.durations import month_end, whole_months, whole_years


@pytest.mark.parametrize(("start", "end", "months"), [
    ("2009-03-01", "2019-03-01", 120),   # the anniversary counts (days / 365.25 gives 9.9986 years)
    ("2009-03-01", "2019-02-28", 119),
    ("2020-01-31", "2020-02-29", 1),     # day clipped to the month end
    ("2019-01-31", "2019-02-28", 1),
    ("2019-01-31", "2019-02-27", 0),
    ("2022-06-30", "2032-06-30", 120),
    ("2019-03-01", "2009-03-01", -120),
])
def test_whole_months_counts_calendar_months(start, end, months):
    assert whole_months(start, end) == months


def test_seniority_on_the_anniversary_is_ten_years():
    assert whole_years("2009-03-01", "2019-03-01") == 10
    assert whole_years("2009-03-02", "2019-03-01") == 9


def test_vectorised_keeps_index_and_missing():
    s = pd.Series(["2009-03-01", None, "2015-07-31"], index=["a", "b", "c"])
    out = whole_months(s, "2019-03-01")
    assert list(out.index) == ["a", "b", "c"]
    assert out["a"] == 120 and pd.isna(out["b"]) and out["c"] == 43


def test_month_end_is_the_retirement_moment():
    assert month_end("2032-06-01") == pd.Timestamp("2032-06-30")
    assert month_end(pd.Series(["2024-02-10", None])).tolist()[0] == pd.Timestamp("2024-02-29")


@given(st.dates(min_value=pd.Timestamp("1950-01-01").date(), max_value=pd.Timestamp("2060-01-01").date()),
       st.integers(min_value=0, max_value=600))
def test_adding_n_months_gives_n_whole_months(day, n):
    end = pd.Timestamp(day) + pd.DateOffset(months=n)
    assert whole_months(day, end) == n
