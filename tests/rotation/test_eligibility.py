"""Eligibility table: one row per pair, every failed rule as a Vietnamese reason, rules switchable."""

import numpy as np
import pandas as pd

from kimson_ds.rotation.eligibility import RULES, EligibilityRules, eligibility, rule_overrides
from kimson_ds.rules.parameters import parameters


def _cands():
    return pd.DataFrame({
        "cadre_id": ["A", "B", "C"], "full_name": ["An", "Bình", "Cường"], "gender": ["nam", "nu", "nam"],
        "age": [45, 35, 58], "years_left": [15.0, 20.0, 2.0], "years_service": [20.0, 6.0, 35.0],
        "unit_id": ["D1", "D2", "X1"], "unit_name": ["Phòng 1", "Phòng 2", "Xã 1"],
        "source_commune": [None, None, "X1"], "home_unit_id": ["X2", "X1", "X1"],
        "current_title": ["truong_phong", "chuyen_vien", "bi_thu"], "current_rank": [2, 0, 3],
        "discipline_form": [None, "canh_cao", None],
        "discipline_until": pd.to_datetime([None, "2017-06-01", None]),
        "rotation_since": pd.to_datetime([None, None, None]),
    })


def _posts():
    return pd.DataFrame({
        "post_id": ["X1_BT", "X2_PBT"], "unit_id": ["X1", "X2"], "commune_id": ["X1", "X2"],
        "title": ["bi_thu", "pho_bi_thu"], "title_label": ["Bí thư", "Phó Bí thư"],
        "unit_name": ["Xã 1", "Xã 2"], "holder_id": [None, None], "deputy": [False, True],
    })


def test_one_row_per_pair_with_flags():
    p = parameters("2016-11-30")
    t = eligibility(_cands(), _posts(), p)
    assert len(t) == 6
    assert list(t["cadre_id"]) == ["A", "A", "B", "B", "C", "C"]
    assert all(f"fail_{r}" in t.columns for r in RULES)
    assert (t["eligible"] == (t["n_reasons"] == 0)).all()
    assert (t.loc[t["eligible"], "reasons"] == "").all()


def test_reasons_name_every_failed_rule():
    t = eligibility(_cands(), _posts(), parameters("2016-11-30")).set_index(["cadre_id", "post_id"])
    # A's home is X2: a "cần xem xét" warning, not an exclusion (review L7)
    assert t.loc[("A", "X1_BT"), "eligible"] and t.loc[("A", "X2_PBT"), "eligible"]
    assert "quê quán tại Xã 2" in t.loc[("A", "X2_PBT"), "warnings"] and t.loc[("A", "X2_PBT"), "warn_home"]
    b = t.loc[("B", "X1_BT")]
    # B: disciplined, 6 years (< 10 for bí thư), rank 0 < 2, age 35 < 40 on a head post; home X1 is a warning
    for flag in ("discipline", "seniority", "young"):
        assert b[f"fail_{flag}"], flag
    assert not b["fail_home"] and b["warn_home"]
    assert b["n_reasons"] == 3
    assert "kỷ luật cảnh cáo" in b["reasons"] and "cán bộ trẻ" in b["reasons"]
    c = t.loc[("C", "X2_PBT")]
    assert c["fail_years_left"] and "còn 2 năm công tác, cần ít nhất 10 năm" in c["reasons"]
    assert t.loc[("C", "X1_BT"), "fail_home"]  # works in X1 now (and home)


def test_rules_switch_off_and_overrides():
    rules = EligibilityRules.model_validate({"home": {"enabled": False}, "discipline": {"enabled": False},
                                             "years_left": {"min_years": 1}})
    p = parameters("2016-11-30", rule_overrides(rules, "2016-11-30"))
    t = eligibility(_cands(), _posts(), p, rules).set_index(["cadre_id", "post_id"])
    assert t.loc[("A", "X2_PBT"), "eligible"]
    assert not t["fail_home"].any() and not t["fail_discipline"].any()
    assert t.loc[("C", "X2_PBT"), "eligible"]
    assert p.used["rotation.min_years_left"] == 1 and p.is_overridden("rotation.min_years_left")


def test_seniority_override_per_title():
    rules = EligibilityRules.model_validate({"seniority": {"min_years_service": {"bi_thu": 25}}})
    p = parameters("2016-11-30", rule_overrides(rules, "2016-11-30"))
    t = eligibility(_cands(), _posts(), p, rules).set_index(["cadre_id", "post_id"])
    assert t.loc[("A", "X1_BT"), "fail_seniority"] and "cần 25 năm" in t.loc[("A", "X1_BT"), "reasons"]
    assert p.used["rotation.seniority"]["bi_thu"]["min_rank"] == 2  # the rest of the table kept


def test_bans_relatives_and_successor():
    rel = pd.DataFrame({"cadre_id": ["A"], "relative_id": ["Z"], "relation": ["vo_chong"]})
    holders = pd.DataFrame({"holder_id": ["Z"], "position_id": ["X1_CT"], "title": ["chu_tich_ubnd"],
                            "commune_id": ["X1"]})
    bans = pd.DataFrame({"cadre_id": ["A"], "post_id": ["X2_PBT"]})
    t = eligibility(_cands(), _posts(), parameters("2020-01-01"), relatives=rel, holders=holders, bans=bans,
                    successor_of={"X1": "X1"}).set_index(["cadre_id", "post_id"])
    a1 = t.loc[("A", "X1_BT")]
    # secretary and People's Committee chair are not a pair the regulations name: a warning
    assert not a1["fail_relatives"] and a1["warn_relatives"]
    assert "vợ, chồng Z" in a1["warnings"] and "Chủ tịch UBND" in a1["warnings"]
    assert t.loc[("A", "X2_PBT"), "fail_ban"]
    assert t.loc[("A", "X1_BT"), "fail_successor"]  # A comes from no merged commune
    assert not t.loc[("C", "X1_BT"), "fail_successor"] and t.loc[("C", "X2_PBT"), "fail_successor"]


def test_vectorised_at_scale():
    n, m = 400, 120
    rng = np.random.default_rng(0)
    c = pd.concat([_cands()] * (n // 3 + 1), ignore_index=True).iloc[:n].copy()
    c["cadre_id"] = [f"C{i}" for i in range(n)]
    c["years_left"] = rng.uniform(0, 30, n)
    p = pd.concat([_posts()] * (m // 2), ignore_index=True)
    p["post_id"] = [f"P{i}" for i in range(m)]
    t = eligibility(c, p, parameters("2016-11-30"))
    assert len(t) == n * m
    expected = ~(c["years_left"].to_numpy() >= 10)
    assert (t["fail_years_left"].to_numpy().reshape(n, m)[:, 0] == expected).all()


def test_exclusion_counts_name_rules_in_vietnamese():
    from kimson_ds.rotation.eligibility import exclusion_counts

    t = eligibility(_cands(), _posts(), parameters("2016-11-30"))
    counts = exclusion_counts(t)
    assert counts["Quê quán, nơi đang công tác"] == int(t["fail_home"].sum()) >= 1
    assert counts["Không đủ số năm công tác còn lại"] == int(t["fail_years_left"].sum())
    assert (counts > 0).all() and counts.is_monotonic_increasing


def test_home_commune_merged_away_is_read_as_its_successor():
    from kimson_ds.rotation.eligibility import candidate_facts
    from kimson_ds.rules.parameters import parameters

    units = pd.DataFrame({"unit_id": ["TS", "DT"], "name": ["Tây Sơn", "Đông Tây"], "kind": ["xa", "xa"],
                          "parent_unit_id": [None, None], "valid_from": pd.to_datetime(["2016-01-01", "2020-01-01"]),
                          "valid_to": pd.to_datetime(["2019-12-31", None]), "successor_unit_id": ["DT", None],
                          "distance_km": [5.0, 6.0]})
    cadres = pd.DataFrame({"cadre_id": ["R"], "full_name": ["Người R"], "gender": ["nam"],
                           "birth_date": pd.to_datetime(["1985-01-01"]), "home_unit_id": ["TS"], "unit_id": ["DT"],
                           "work_start_date": pd.to_datetime(["2008-01-01"])})
    positions = pd.DataFrame({"position_id": ["DT-BT"], "unit_id": ["DT"], "title": ["bi_thu"], "is_key": [True],
                              "holder_id": [None], "holder_since": [pd.NaT], "open_for_rotation": [True]})
    tables = {"cadres": cadres, "units": units, "positions": positions}
    after = candidate_facts(tables, ["R"], "2020-03-01", parameters("2020-03-01"))
    before = candidate_facts(tables, ["R"], "2019-03-01", parameters("2019-03-01"))
    assert after["home_unit_id"].tolist() == ["DT"] and before["home_unit_id"].tolist() == ["TS"]


def test_seniority_counts_calendar_years_on_the_anniversary():
    """Work start 1-3-2009, as of 1-3-2019: exactly 10 years (not 9.9986 from days / 365.25)."""
    from kimson_ds.rotation.eligibility import candidate_facts
    from kimson_ds.rules.parameters import parameters

    tables = {
        "cadres": pd.DataFrame([dict(cadre_id="A", full_name="A", gender="nam", birth_date="1975-01-01",
                                     work_start_date="2009-03-01", unit_id="X1", home_unit_id=None)]),
        "units": pd.DataFrame([dict(unit_id="X1", name="Xã Một", kind="xa", parent_unit_id=None,
                                    valid_from=None, valid_to=None)]),
        "positions": pd.DataFrame(columns=["position_id", "unit_id", "title", "holder_id"]),
    }
    f = candidate_facts(tables, ["A"], "2019-03-01", parameters("2019-03-01"))
    assert f.loc[0, "years_service"] == 10.0
    f = candidate_facts(tables, ["A"], "2019-02-28", parameters("2019-02-28"))
    assert f.loc[0, "years_service"] == 119 / 12
