"""Rotation eligibility as the texts say it (review L1, L6, L7, L8), on both sides of each date.

* L1: one full term instead of 10 years for a non-local head post and for a head of two terms
  (QĐ 98-QĐ/TW Điều 5 khoản 3, from 7-10-2017);
* L6: an equivalent post; a higher one only for an outstanding cadre or one planned for it
  (QĐ 65-QĐ/TW Điều 4 khoản 3; the tool applies it from QĐ 98, 7-10-2017);
* L7: the home commune is a "cần xem xét" warning unless the scenario makes it absolute;
* L8: a relative excludes only in a pair the regulations name (QĐ 205 from 23-9-2019); any
  other key post of a relative in the commune is a warning.
"""

import pandas as pd
import pytest

from kimson_ds.rotation.eligibility import EligibilityRules, candidate_facts, eligibility, rule_overrides
from kimson_ds.rules.parameters import parameters


def _cand(**kw):
    row = dict(cadre_id="A", full_name="An", gender="nam", age=50, years_left=7.0, years_service=25.0,
               unit_id="D1", unit_name="Phòng 1", source_commune=None, home_unit_id="X9",
               current_title="truong_phong", current_rank=2, discipline_form=None, discipline_until=pd.NaT,
               rotation_since=pd.NaT, head_months=float("nan"), outstanding=False, planned_titles=())
    row.update(kw)
    return pd.DataFrame([row])


def _posts():
    return pd.DataFrame({
        "post_id": ["HU_BT", "X1_BT", "X1_PBT"], "unit_id": ["HU", "X1", "X1"], "commune_id": [None, "X1", "X1"],
        "title": ["bi_thu", "bi_thu", "pho_bi_thu"], "title_label": ["Bí thư", "Bí thư", "Phó Bí thư"],
        "unit_name": ["Huyện ủy", "Xã 1", "Xã 1"], "holder_id": [None, None, None], "deputy": [False, False, True],
    })


def _table(cands, as_of, rules=None, **kw):
    rules = rules or EligibilityRules.model_validate({"seniority": {"enabled": False}})
    p = parameters(as_of, rule_overrides(rules, as_of))
    return eligibility(cands, _posts(), p, rules, **kw).set_index("post_id")


# ----------------------------------------------------------------------------- L1 one full term
def test_one_full_term_suffices_for_the_district_secretary_post_from_qd_98():
    after = _table(_cand(years_left=7.0, outstanding=True), "2017-10-07")
    assert not after.loc["HU_BT", "fail_years_left"]  # non-local head post: 5 years suffice
    assert after.loc["X1_PBT", "fail_years_left"]  # a commune deputy post still needs 10
    assert "cần ít nhất 10 năm" in after.loc["X1_PBT", "reasons"]
    before = _table(_cand(years_left=7.0, outstanding=True), "2017-10-06")
    assert before.loc["HU_BT", "fail_years_left"] and "cần ít nhất 10 năm" in before.loc["HU_BT", "reasons"]


def test_one_full_term_still_needs_a_whole_term():
    t = _table(_cand(years_left=4.5, outstanding=True), "2020-01-01")
    assert t.loc["HU_BT", "fail_years_left"]
    assert "cần ít nhất 5 năm (trọn một nhiệm kỳ)" in t.loc["HU_BT", "reasons"]


def test_a_head_of_two_terms_needs_one_term_anywhere():
    two_terms = _cand(years_left=6.0, head_months=10 * 12.0, current_title="bi_thu", current_rank=3)
    assert not _table(two_terms, "2019-06-30")["fail_years_left"].any()
    shorter = _cand(years_left=6.0, head_months=10 * 12.0 - 1, current_title="bi_thu", current_rank=3)
    t = _table(shorter, "2019-06-30")
    assert t.loc["X1_PBT", "fail_years_left"] and not t.loc["HU_BT", "fail_years_left"]


def test_one_term_exception_can_be_switched_off():
    rules = EligibilityRules.model_validate({"seniority": {"enabled": False},
                                             "years_left": {"one_term_exception": False}})
    t = _table(_cand(years_left=7.0, outstanding=True), "2020-01-01", rules)
    assert t["fail_years_left"].all()


def test_head_months_come_from_holder_since_of_a_head_post():
    tables = {
        "cadres": pd.DataFrame([dict(cadre_id="A", full_name="A", gender="nam", birth_date="1966-05-01",
                                     work_start_date="1990-01-01", unit_id="X1", home_unit_id=None)]),
        "units": pd.DataFrame([dict(unit_id="X1", name="Xã Một", kind="xa", parent_unit_id=None,
                                    valid_from=pd.NaT, valid_to=pd.NaT, successor_unit_id=None, distance_km=1.0)]),
        "positions": pd.DataFrame([dict(position_id="X1_BT", unit_id="X1", title="bi_thu", is_key=True,
                                        holder_id="A", holder_since=pd.Timestamp("2010-07-01"),
                                        open_for_rotation=False)]),
    }
    f = candidate_facts(tables, ["A"], "2020-07-01", parameters("2020-07-01"))
    assert f["head_months"].iloc[0] == 120.0


# ----------------------------------------------------------------------------- L6 equivalent post
def test_a_higher_post_needs_an_outstanding_or_planned_cadre_from_qd_98():
    plain = _cand(years_left=20.0)  # trưởng phòng (rank 2) → bí thư (rank 3) is higher; → phó bí thư (2) is not
    t = _table(plain, "2020-01-01")
    assert t.loc["X1_BT", "fail_higher"] and "cao hơn chức vụ hiện tại" in t.loc["X1_BT", "reasons"]
    assert not t.loc["X1_PBT", "fail_higher"]
    assert not _table(plain, "2017-10-06")["fail_higher"].any()  # not in force before QĐ 98
    assert not _table(_cand(years_left=20.0, outstanding=True), "2020-01-01")["fail_higher"].any()
    planned = _table(_cand(years_left=20.0, planned_titles=("bi_thu",)), "2020-01-01")
    assert not planned["fail_higher"].any()


def test_higher_post_rule_is_a_switch_and_may_be_a_warning():
    off = EligibilityRules.model_validate({"seniority": {"enabled": False}, "higher": {"enabled": False}})
    assert not _table(_cand(years_left=20.0), "2020-01-01", off)["fail_higher"].any()
    soft = EligibilityRules.model_validate({"seniority": {"enabled": False}, "higher": {"absolute": False}})
    t = _table(_cand(years_left=20.0), "2020-01-01", soft)
    assert t.loc["X1_BT", "eligible"] and t.loc["X1_BT", "warn_higher"]
    assert "cao hơn" in t.loc["X1_BT", "warnings"]


def test_outstanding_reads_the_latest_ratings_and_the_planning_in_force():
    tables = {
        "cadres": pd.DataFrame([dict(cadre_id=c, full_name=c, gender="nam", birth_date="1975-05-01",
                                     work_start_date="1998-01-01", unit_id="X1", home_unit_id=None)
                                for c in ("A", "B", "C")]),
        "units": pd.DataFrame([dict(unit_id="X1", name="Xã Một", kind="xa", parent_unit_id=None,
                                    valid_from=pd.NaT, valid_to=pd.NaT, successor_unit_id=None, distance_km=1.0)]),
        "positions": pd.DataFrame(columns=["position_id", "unit_id", "title", "is_key", "holder_id",
                                           "holder_since", "open_for_rotation"]),
        "ratings": pd.DataFrame([dict(cadre_id="A", year=2017, level="xuat_sac"),
                                 dict(cadre_id="A", year=2018, level="xuat_sac"),
                                 dict(cadre_id="B", year=2017, level="xuat_sac"),
                                 dict(cadre_id="B", year=2018, level="tot")]),
        "planning": pd.DataFrame([dict(cadre_id="C", target_title="bi_thu", target_unit_id="X1", term="2020-2025",
                                       added_on=pd.Timestamp("2017-05-18"), removed_on=pd.NaT),
                                  dict(cadre_id="B", target_title="bi_thu", target_unit_id="X1", term="2020-2025",
                                       added_on=pd.Timestamp("2017-05-18"), removed_on=pd.Timestamp("2018-12-01"))]),
    }
    f = candidate_facts(tables, ["A", "B", "C"], "2019-06-30", parameters("2019-06-30")).set_index("cadre_id")
    assert f.loc["A", "outstanding"] and not f.loc["B", "outstanding"] and not f.loc["C", "outstanding"]
    assert f.loc["C", "planned_titles"] == ("bi_thu",) and f.loc["B", "planned_titles"] == ()


# ----------------------------------------------------------------------------- L7 home commune
def test_home_commune_is_a_warning_unless_absolute():
    c = _cand(years_left=20.0, home_unit_id="X1", outstanding=True)
    t = _table(c, "2020-01-01")
    assert t.loc["X1_PBT", "eligible"] and t.loc["X1_PBT", "warn_home"] and "quê quán" in t.loc["X1_PBT", "warnings"]
    strict = EligibilityRules.model_validate({"seniority": {"enabled": False}, "home": {"absolute": True}})
    assert _table(c, "2020-01-01", strict).loc["X1_PBT", "fail_home"]


def test_the_unit_the_cadre_works_in_stays_excluded():
    t = _table(_cand(years_left=20.0, unit_id="X1", source_commune="X1", outstanding=True), "2020-01-01")
    assert t.loc["X1_PBT", "fail_home"] and "đang công tác tại" in t.loc["X1_PBT", "reasons"]


# ----------------------------------------------------------------------------- L8 relatives
UNITS = pd.DataFrame([dict(unit_id="X1", name="Xã 1", kind="xa", function=None, parent_unit_id=None),
                      dict(unit_id="HU", name="Huyện ủy", kind="co_quan_dang", function="dang_uy",
                           parent_unit_id=None)])
SPOUSE = pd.DataFrame([dict(cadre_id="A", relative_id="Z", relation="vo_chong")])


def _holder(title):
    return pd.DataFrame([dict(holder_id="Z", position_id=f"X1_{title}", title=title, unit_id="X1",
                              commune_id="X1")])


@pytest.mark.parametrize("as_of", ["2019-09-23", "2023-07-11", "2026-01-01"])
def test_relative_in_a_named_pair_excludes(as_of):
    # the spouse is phó bí thư of X1: bí thư and phó bí thư of one Party committee (QĐ 205 / QĐ 114)
    t = _table(_cand(years_left=20.0, outstanding=True), as_of, relatives=SPOUSE, holders=_holder("pho_bi_thu"),
               units=UNITS)
    assert t.loc["X1_BT", "fail_relatives"] and "vi phạm" in t.loc["X1_BT", "reasons"]
    assert ("205-QĐ/TW" if as_of < "2023-07-11" else "114-QĐ/TW") in t.loc["X1_BT", "reasons"]


def test_relative_before_the_named_pairs_rules_is_only_a_warning():
    t = _table(_cand(years_left=20.0, outstanding=True), "2019-06-30", relatives=SPOUSE,
               holders=_holder("pho_bi_thu"), units=UNITS)
    assert not t["fail_relatives"].any() and t.loc["X1_BT", "warn_relatives"]


def test_relative_outside_the_named_pairs_is_a_warning_unless_absolute():
    # the spouse chairs the People's Committee of X1; a Party deputy secretary post is not a named pair
    kw = dict(relatives=SPOUSE, holders=_holder("chu_tich_ubnd"), units=UNITS)
    t = _table(_cand(years_left=20.0, outstanding=True), "2020-01-01", **kw)
    assert not t.loc["X1_PBT", "fail_relatives"] and t.loc["X1_PBT", "warn_relatives"]
    assert "Chủ tịch UBND" in t.loc["X1_PBT", "warnings"]
    strict = EligibilityRules.model_validate({"seniority": {"enabled": False}, "relatives": {"absolute": True}})
    assert _table(_cand(years_left=20.0, outstanding=True), "2020-01-01", strict, **kw).loc["X1_PBT", "fail_relatives"]


def test_discipline_bar_cites_the_2019_amendment_with_24_months():
    p = parameters("2020-07-01")
    assert p.get("rotation.discipline_bar_months")["cach_chuc"] == 24
    refs = p.references()
    row = refs.loc[refs["name"] == "rotation.discipline_bar_months"].iloc[0]
    assert "52/2019/QH14" in row["reference"] and not row["assumption"]
    early = parameters("2020-06-30")
    early.get("rotation.discipline_bar_months")
    assert early.references().set_index("name").loc["rotation.discipline_bar_months", "assumption"]
