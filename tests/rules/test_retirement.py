"""Tests of retirement age, retirement date and years of service left."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from kimson_ds.errors import DataError, ParameterError
from kimson_ds.rules.parameters import parameters
from kimson_ds.rules.retirement import retirement_age_months, retirement_date, years_of_service_left

# --------------------------------------------------------------------------- age


@pytest.mark.parametrize(
    ("year", "gender", "months"),
    [
        (2015, "nam", 720),
        (2020, "nam", 720),
        (2020, "nu", 660),
        (2021, "nam", 723),
        (2021, "nu", 664),
        (2023, "nam", 729),  # 60 years 9 months
        (2023, "nu", 672),  # 56 years
        (2028, "nam", 744),
        (2035, "nu", 720),
        (2050, "nam", 744),
        (2050, "nu", 720),
    ],
)
def test_retirement_age_months(year, gender, months):
    assert retirement_age_months(year, gender) == months


def test_retirement_age_series():
    years = pd.Series([2020, 2023, 2023, None], index=[10, 11, 12, 13])
    genders = pd.Series(["nam", "nam", "nu", "nu"], index=[10, 11, 12, 13])
    out = retirement_age_months(years, genders)
    assert str(out.dtype) == "Int64"
    assert list(out.index) == [10, 11, 12, 13]
    assert out.iloc[:3].tolist() == [720, 729, 672]
    assert pd.isna(out.iloc[3])
    assert retirement_age_months(pd.Series([2023, 2024]), "nu").tolist() == [672, 676]


def test_retirement_age_before_first_value():
    with pytest.raises(ParameterError, match="retirement.age_men_months"):
        retirement_age_months(1990, "nam")


def test_bad_gender():
    with pytest.raises(DataError):
        retirement_age_months(2023, "male")
    with pytest.raises(DataError):
        retirement_date(pd.Series(["1970-01-01"]), pd.Series(["x"]))


# --------------------------------------------------------------------------- date, by hand


@pytest.mark.parametrize(
    ("birth", "gender", "expected"),
    [
        ("1955-06-01", "nam", "2015-06-01"),  # 60 years, before 2021
        ("1960-12-15", "nam", "2020-12-15"),  # reaches 60 in 2020
        ("1961-01-15", "nam", "2021-04-15"),  # 60y3m in 2021
        ("1961-09-10", "nam", "2021-12-10"),  # 60y3m still within 2021
        ("1961-10-10", "nam", "2022-04-10"),  # 60y3m falls in 2022 -> 60y6m
        # 60y6m (2022 age) -> 2023-10-01 not in 2022; 60y9m (2023 age) -> 2024-01-01 not in 2023;
        # 61y (2024 age) -> 2024-04-01, in 2024
        ("1963-04-01", "nam", "2024-04-01"),
        ("1966-01-10", "nu", "2021-05-10"),  # 55y4m in 2021
        ("1965-12-31", "nu", "2020-12-31"),  # 55 in 2020
        ("1967-04-30", "nu", "2022-12-30"),  # 55y8m in 2022
        ("1967-05-01", "nu", "2023-05-01"),  # 55y8m would be 2023-01 -> 56y in 2023
        ("1975-06-01", "nam", "2037-06-01"),  # 62 years (744)
        ("1980-03-20", "nu", "2040-03-20"),  # 60 years (720)
        ("1961-05-31", "nam", "2021-08-31"),
        ("1960-11-30", "nam", "2020-11-30"),
    ],
)
def test_retirement_date_by_hand(birth, gender, expected):
    assert retirement_date(birth, gender) == pd.Timestamp(expected)


def test_day_clipped_to_month_end():
    # 1961-05-31 + 723 months = 2021-08-31; 1961-11-30 + 726 months = 2022-05-30
    assert retirement_date("1961-11-30", "nam") == pd.Timestamp("2022-05-30")
    # 1962-05-31 + 729 months = 2023-02-31 -> clipped to 2023-02-28 (2022 age 726 gives 2022-11-30: valid)
    assert retirement_date("1962-05-31", "nam") == pd.Timestamp("2022-11-30")
    # 1963-05-31 + 732 months = 2024-05-31; 729 -> 2024-02-29 not in 2023; 726 -> 2023-11-30 not in 2022
    assert retirement_date("1963-05-31", "nam") == pd.Timestamp("2024-05-31")
    # leap day: 1964-02-29 + 735 = 2025-05-29; 732 -> 2025-02-28 (not in 2024)
    assert retirement_date("1964-02-29", "nam") == pd.Timestamp("2025-05-29")
    # 1960-02-29 + 720 months = 2020-02-29
    assert retirement_date("1960-02-29", "nam") == pd.Timestamp("2020-02-29")


def test_retirement_date_input_types():
    expected = pd.Timestamp("2021-04-15")
    assert retirement_date(dt.date(1961, 1, 15), "nam") == expected
    assert retirement_date(pd.Timestamp("1961-01-15"), "nam") == expected
    assert retirement_date(dt.datetime(1961, 1, 15, 12), "nam") == expected
    assert retirement_date(None, "nam") is pd.NaT
    assert retirement_date("1961-01-15", None) is pd.NaT


def test_retirement_date_series():
    births = pd.Series(["1961-01-15", None, "1966-01-10", "1955-06-01"], index=["a", "b", "c", "d"])
    genders = pd.Series(["nam", "nu", "nu", "nam"], index=["a", "b", "c", "d"])
    out = retirement_date(births, genders)
    assert isinstance(out, pd.Series) and list(out.index) == ["a", "b", "c", "d"]
    assert str(out.dtype).startswith("datetime64")
    assert out["a"] == pd.Timestamp("2021-04-15")
    assert pd.isna(out["b"])
    assert out["c"] == pd.Timestamp("2021-05-10")
    assert out["d"] == pd.Timestamp("2015-06-01")
    # scalar gender broadcast over a Series of births
    both = retirement_date(pd.to_datetime(pd.Series(["1961-01-15", "1975-06-01"])), "nam")
    assert both.tolist() == [pd.Timestamp("2021-04-15"), pd.Timestamp("2037-06-01")]
    # missing gender
    out = retirement_date(pd.Series(["1961-01-15"]), pd.Series([np.nan]))
    assert pd.isna(out.iloc[0])
    # empty
    assert retirement_date(pd.Series([], dtype="datetime64[ns]"), pd.Series([], dtype=object)).empty


def test_retirement_before_first_value_is_error():
    with pytest.raises(ParameterError, match="retirement.age_men_months"):
        retirement_date("1930-01-01", "nam")


def _scalar_reference(birth: pd.Timestamp, gender: str) -> pd.Timestamp:
    """Plain per-person rule: the first year Y in which birth + age(Y) falls in Y."""
    for year in range(birth.year + 55, birth.year + 63):
        months = retirement_age_months(year, gender)
        cand = birth + pd.DateOffset(months=months)
        if cand.year == year:
            return cand
    raise AssertionError("no retirement year found")


def test_vectorised_equals_scalar_loop():
    rng = np.random.default_rng(20240601)
    start = pd.Timestamp("1940-01-01")
    offsets = rng.integers(0, (pd.Timestamp("2000-12-31") - start).days, size=400)
    births = pd.Series(start + pd.to_timedelta(offsets, unit="D"))
    # make sure month ends and leap days are in the sample
    births = pd.concat([births, pd.to_datetime(pd.Series(["1960-02-29", "1964-02-29", "1962-05-31"]))])
    births = births.reset_index(drop=True)
    genders = pd.Series(rng.choice(["nam", "nu"], size=len(births)))
    vec = retirement_date(births, genders)
    for i in range(len(births)):
        assert vec.iloc[i] == _scalar_reference(births.iloc[i], genders.iloc[i]), (
            births.iloc[i],
            genders.iloc[i],
        )
        assert vec.iloc[i] == retirement_date(births.iloc[i], genders.iloc[i])


# --------------------------------------------------------------------------- service left


@pytest.mark.parametrize(
    ("birth", "gender", "as_of", "years"),
    [
        # counted to the retirement moment, the end of the month the age is reached (NĐ 135/2020)
        ("1975-06-01", "nam", "2027-06-01", 10.0),       # moment 30-6-2037
        ("1975-06-01", "nam", "2027-06-02", 10.0),       # still 120 months to 30-6-2037
        ("1975-06-01", "nam", "2027-05-31", 121 / 12),
        ("1970-06-01", "nam", "2022-06-30", 10.0),       # issue 19: 120 months, a full term (not 119)
        ("1970-06-01", "nam", "2022-07-01", 119 / 12),
        ("1961-01-15", "nam", "2021-04-15", 0.0),        # age reached 15-4-2021, moment 30-4-2021
        ("1961-01-15", "nam", "2021-04-30", 0.0),
        ("1961-01-15", "nam", "2021-05-01", -1 / 12),
        ("1961-01-15", "nam", "2018-12-31", 28 / 12),    # 31-12-2018 -> 30-4-2021: 28 whole months
        ("1966-01-10", "nu", "2016-05-10", 5.0),
        ("1955-06-01", "nam", "2010-06-01", 5.0),
    ],
)
def test_years_of_service_left(birth, gender, as_of, years):
    assert years_of_service_left(birth, gender, as_of) == pytest.approx(years)


def test_years_left_month_end_clipping():
    # retirement 2022-11-30 (born 1962-05-31); as_of 2022-08-31 + 3 months = 2022-11-30 -> 3 months
    assert years_of_service_left("1962-05-31", "nam", "2022-08-31") == pytest.approx(3 / 12)
    # as_of 2022-09-01 + 2 months = 2022-11-01 <= 11-30 ; +3 -> 12-01 > 11-30
    assert years_of_service_left("1962-05-31", "nam", "2022-09-01") == pytest.approx(2 / 12)


def test_years_left_series():
    births = pd.Series(["1975-06-01", "1961-01-15", None], index=[5, 6, 7])
    genders = pd.Series(["nam", "nam", "nam"], index=[5, 6, 7])
    out = years_of_service_left(births, genders, pd.Timestamp("2027-06-01"))
    assert list(out.index) == [5, 6, 7] and out.dtype == float
    assert out[5] == pytest.approx(10.0)
    assert out[6] < 0
    assert np.isnan(out[7])
    # per-row as_of
    as_of = pd.Series(pd.to_datetime(["2017-06-01", "2021-04-15", "2020-01-01"]), index=[5, 6, 7])
    out = years_of_service_left(births, genders, as_of)
    assert out[5] == pytest.approx(20.0) and out[6] == 0.0


def test_params_record_and_override():
    p = parameters("2023-06-30")
    assert retirement_date("1961-01-15", "nam", params=p) == pd.Timestamp("2021-04-15")
    assert p.used == {"retirement.age_men_months": 729}
    q = parameters("2023-06-30", {"retirement.age_men_months": 720})
    assert retirement_date("1961-01-15", "nam", params=q) == pd.Timestamp("2021-01-15")
    assert retirement_age_months(2030, "nam", params=q) == 720
    assert years_of_service_left("1975-06-01", "nam", "2025-06-01", params=q) == pytest.approx(10.0)


def test_retirement_moment_is_the_end_of_the_month_the_age_is_reached():
    from kimson_ds.rules.retirement import retirement_moment

    assert retirement_moment("1970-06-01", "nam") == pd.Timestamp("2032-06-30")
    assert retirement_moment("1961-01-15", "nam") == pd.Timestamp("2021-04-30")
    s = retirement_moment(pd.Series(["1961-01-15", None]), pd.Series(["nam", "nam"]))
    assert s.iloc[0] == pd.Timestamp("2021-04-30") and pd.isna(s.iloc[1])


def test_only_birth_year_known_counts_from_1_january():
    # NĐ 135/2020: with the year of birth only, the birth date is 1 January of that year
    assert retirement_date("1965", "nam") == retirement_date("1965-01-01", "nam")
