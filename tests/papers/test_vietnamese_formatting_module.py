"""One formatting module (Babel, vi_VN) for every number, percentage and date a user reads."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from kimson_ds.papers import vi


@pytest.mark.parametrize(("value", "expected"), [(6.72, "6,72"), (1234567, "1.234.567"), (35.0, "35"),
                                                 (0.786275, "0,79"), (-2.5, "-2,5")])
def test_numbers_use_the_decimal_comma_and_the_thousands_dot(value, expected):
    assert vi.number(value) == expected


def test_a_total_score_is_never_printed_with_a_dot_that_reads_as_thousands():
    assert vi.number(6.72) != "6.720"
    assert vi.decimal(6.72, 3) == "6,720"


def test_shares_are_percentages_with_a_comma():
    assert vi.percent(0.125) == "12,5%"
    assert vi.percent(0.3) == "30%"
    assert vi.percent(float("nan")) == ""


def test_durations_read_in_seconds_with_a_comma():
    assert vi.seconds(3.5) == "3,5 giây"


@pytest.mark.parametrize("value", [dt.date(2017, 8, 25), dt.datetime(2017, 8, 25), pd.Timestamp("2017-08-25"),
                                   "2017-08-25", "25/08/2017", "25-08-2017"])
def test_every_date_form_prints_dd_mm_yyyy(value):
    assert vi.date(value) == "25/08/2017"


def test_document_dates_are_written_in_words_with_leading_zeros():
    assert vi.date_long(dt.date(2019, 2, 5)) == "ngày 05 tháng 02 năm 2019"


def test_unreadable_date_text_is_a_vietnamese_error():
    with pytest.raises(ValueError, match="Không đọc được ngày"):
        vi.date("31.12.2019x")


@pytest.mark.parametrize(("value", "expected"), [(True, "Có"), (np.False_, "Không"), (None, ""), (np.nan, ""),
                                                 (pd.NaT, ""), (2019, "2019"), (12345, "12.345"), (0.125, "0,12"),
                                                 (pd.Timestamp("2019-12-31"), "31/12/2019")])
def test_display_values_never_show_python_literals(value, expected):
    assert vi.value(value) == expected


def test_free_texts_get_vietnamese_decimals_and_dates_but_codes_stay():
    text = "Điểm 96.7; tỷ lệ 0.786275; ngày 2017-08-25 và 31-12-2018; căn cứ 21-HD/BTCTW, phiên bản 0.1.0; 1.234 người."
    assert vi.text(text) == ("Điểm 96,7; tỷ lệ 0,79; ngày 25/08/2017 và 31/12/2018; căn cứ 21-HD/BTCTW, "
                             "phiên bản 0.1.0; 1.234 người.")


def test_free_text_columns_of_a_frame_are_converted_and_numbers_left_alone():
    df = pd.DataFrame({"Lý do": ["điểm 3.5", None], "Điểm": [3.5, 2.0]})
    out = vi.text(df)
    assert out["Lý do"].tolist()[0] == "điểm 3,5"
    assert out["Lý do"].isna().tolist()[1]
    assert out["Điểm"].tolist() == [3.5, 2.0]
