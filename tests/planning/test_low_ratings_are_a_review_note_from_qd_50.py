"""Two years below "hoàn thành tốt" in the annual review (review P10), on both sides of 27-12-2021.

Before Quy định 50-QĐ/TW the tool keeps its earlier reading (a ground to propose removal, GIẢ ĐỊNH);
from QĐ 50 (and QĐ 377) only "không hoàn thành nhiệm vụ" and unmet standards are grounds: two years
below tốt is a "cần xem xét" note that never flags the row for removal.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from kimson_ds.planning import succession as su
from kimson_ds.rules.parameters import parameters

sys.path[:0] = [str(Path(__file__).resolve().parent)]
from test_succession import TERM, _cadre, _ds, _plan  # noqa: E402


def _ds_low():
    ratings = pd.DataFrame([dict(cadre_id="LOW", year=y, level="hoan_thanh") for y in (2020, 2021)]
                           + [dict(cadre_id="OK", year=y, level="tot") for y in (2020, 2021)])
    return _ds([_cadre("LOW"), _cadre("OK")], [_plan("LOW"), _plan("OK")], ratings=ratings)


def test_before_qd_50_two_low_years_flag_the_row_for_removal():
    rows, _ = su.annual_review(_ds_low(), TERM, "2020-12-31", "2021-12-26")
    r = rows.set_index("cadre_id").loc["LOW"]
    assert r["flag"] == "Cần xem xét đưa ra khỏi quy hoạch"
    assert r["reasons"] == "xếp loại dưới mức tốt 2 năm liền (2020, 2021)"


@pytest.mark.parametrize("date_to", ["2021-12-27", "2025-10-08", "2026-06-30"])
def test_from_qd_50_two_low_years_are_only_a_note(date_to):
    rows, _ = su.annual_review(_ds_low(), TERM, "2020-12-31", date_to)
    r = rows.set_index("cadre_id")
    assert r.loc["LOW", "flag"] == "Cần xem xét (xếp loại)"
    assert r.loc["LOW", "reasons"] == ("Tiếp tục đủ điều kiện; cần xem xét (không phải căn cứ đưa ra): "
                                       "xếp loại dưới mức tốt 2 năm liền (2020, 2021)")
    assert r.loc["OK", "flag"] == "" and r.loc["OK", "reasons"] == "Tiếp tục đủ điều kiện"


def test_note_keeps_real_grounds_as_grounds():
    ratings = pd.DataFrame([dict(cadre_id="LOW", year=y, level="hoan_thanh") for y in (2020, 2021)])
    disc = pd.DataFrame([dict(cadre_id="LOW", form="khien_trach", decided_on="2021-05-01", expires_on=None)])
    ds = _ds([_cadre("LOW")], [_plan("LOW")], ratings=ratings, discipline=disc)
    r = su.annual_review(ds, TERM, "2020-12-31", "2022-03-31")[0].set_index("cadre_id").loc["LOW"]
    assert r["flag"] == "Cần xem xét đưa ra khỏi quy hoạch"
    assert r["reasons"].startswith("kỷ luật: Khiển trách") and "cần xem xét (không phải căn cứ đưa ra)" in r["reasons"]


def test_severity_is_a_dated_parameter_with_its_references():
    for when, value, ref in (("2021-12-26", "dua_ra", "15-HD/BTCTW"), ("2021-12-27", "can_xem_xet", "50-QĐ/TW"),
                             ("2025-10-08", "can_xem_xet", "377-QĐ/TW")):
        p = parameters(when)
        assert p.get("planning.review_low_rating_severity") == value
        row = p.references().set_index("name").loc["planning.review_low_rating_severity"]
        assert ref in row["reference"] and row["assumption"]
    # a scenario may make it a ground again
    P = parameters("2026-06-30", {"planning.review_low_rating_severity": "dua_ra"})
    rows, _ = su.annual_review(_ds_low(), TERM, "2020-12-31", "2026-06-30", params=P)
    assert rows.set_index("cadre_id").loc["LOW", "flag"] == "Cần xem xét đưa ra khỏi quy hoạch"
