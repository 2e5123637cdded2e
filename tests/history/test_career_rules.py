"""Seniority, the QĐ 65 two-terms trigger and reappointment dates come from the work history."""

from __future__ import annotations

import pandas as pd

from kimson_ds.history.careers import reappointment_due, seniority, two_terms_candidates


def _h(rows):
    df = pd.DataFrame(rows, columns=["cadre_id", "unit_id", "title", "position_id", "start_date", "end_date",
                                     "filled_by"])
    for c in ("start_date", "end_date"):
        df[c] = pd.to_datetime(df[c])
    return df


def test_seniority_in_title_runs_across_units_but_post_seniority_restarts():
    h = _h([("A", "X1", "bi_thu", None, "2010-07-01", "2015-06-30", "bau"),
            ("A", "X2", "bi_thu", None, "2015-07-01", None, "luan_chuyen"),
            ("B", "X1", "bi_thu", None, "2015-07-01", None, "bau")])
    s = seniority(h, "2020-07-01").set_index("cadre_id")
    assert s.loc["A", "title_since"] == pd.Timestamp("2010-07-01")
    assert s.loc["A", "post_since"] == pd.Timestamp("2015-07-01")
    assert round(s.loc["A", "years_in_title"]) == 10 and round(s.loc["A", "years_in_post"]) == 5


def test_head_over_two_consecutive_terms_is_a_rotation_candidate():
    h = _h([("A", "X1", "bi_thu", None, "2010-06-01", "2015-06-30", "bau"),
            ("A", "X1", "bi_thu", None, "2015-07-01", None, "bau"),      # re-elected: same run
            ("B", "X2", "bi_thu", None, "2012-01-01", None, "bau"),      # 9.5 years: not yet
            ("C", "X3", "bi_thu", None, "2005-01-01", "2009-12-31", "bau"),
            ("C", "X3", "bi_thu", None, "2013-01-01", None, "bau"),      # interrupted: run restarts
            ("D", "X4", "pho_bi_thu", None, "2005-01-01", None, "bau")])  # a deputy, not a head
    got = two_terms_candidates(h, "2021-07-01")
    assert list(got["cadre_id"]) == ["A"]
    assert "65-QĐ/TW" in got.loc[0, "reason"] and "Bí thư" not in got.loc[0, "reason"]


def test_reappointment_is_due_five_years_after_the_appointment():
    h = _h([("A", "P", "truong_phong", None, "2015-03-01", None, "bo_nhiem"),
            ("B", "P", "pho_truong_phong", None, "2019-01-01", None, "bo_nhiem"),
            ("C", "X", "bi_thu", None, "2015-03-01", None, "bau")])     # elected: no reappointment
    due = reappointment_due(h, "2019-12-31")
    assert list(due["cadre_id"]) == ["A"]
    assert due.loc[0, "due_date"] == pd.Timestamp("2020-03-01") and not due.loc[0, "overdue"]


def test_two_terms_rule_is_not_applied_before_it_existed():
    from kimson_ds.history.careers import two_terms_in_force

    assert not two_terms_in_force("2016-11-30") and two_terms_in_force("2017-10-07")
