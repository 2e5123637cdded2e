"""Succession planning rules on hand-checkable inline instances."""

from __future__ import annotations

import pandas as pd
import pytest

from kimson_ds.data.io import Dataset
from kimson_ds.planning import succession as su
from kimson_ds.rules.parameters import parameters

TERM = "2020-2025"


def _cadre(i, gender="nam", birth="1975-01-01", unit="X1", pt="cao_cap", edu="dai_hoc", sm="chuyen_vien_chinh",
           eth="Kinh"):
    return dict(cadre_id=i, full_name=f"Người {i}", gender=gender, birth_date=birth, unit_id=unit, ethnicity=eth,
                education=edu, political_theory=pt, state_mgmt=sm, managed_by_btv=True)


def _plan(i, title="bi_thu", unit="X1", added="2017-06-01", removed=None, reason=None, term=TERM):
    return dict(cadre_id=i, target_title=title, target_unit_id=unit, term=term, added_on=added,
                removed_on=removed, removal_reason=reason)


UNITS = pd.DataFrame([
    dict(unit_id="HU", name="Huyện ủy", kind="chinh_quyen_huyen"),
    dict(unit_id="P_NV", name="Phòng Nội vụ", kind="phong_ban"),
    dict(unit_id="X1", name="Xã Một", kind="xa"),
    dict(unit_id="X2", name="Xã Hai", kind="xa"),
])


def _positions(extra=()):
    rows = [
        dict(position_id="X1_BT", unit_id="X1", title="bi_thu", is_key=True, holder_id="H1"),
        dict(position_id="X1_CT", unit_id="X1", title="chu_tich_ubnd", is_key=True, holder_id="H2"),
        dict(position_id="X1_HD", unit_id="X1", title="chu_tich_hdnd", is_key=True, holder_id=None),
        dict(position_id="X1_PBT", unit_id="X1", title="pho_bi_thu", is_key=True, holder_id=None),
        dict(position_id="NV_TP", unit_id="P_NV", title="truong_phong", is_key=True, holder_id=None),
        *extra,
    ]
    return pd.DataFrame(rows)


def _ds(cadres, planning, positions=None, **more):
    base = [_cadre("H1", birth="1962-01-01"), _cadre("H2", birth="1970-01-01")]
    frames = {"units": UNITS, "positions": _positions() if positions is None else positions,
              "cadres": pd.DataFrame(base + cadres), "planning": pd.DataFrame(planning), **more}
    return Dataset.from_frames(frames, as_of="2030-12-31")


def _rules(comp):
    return comp.violations["rule"].tolist()


# --------------------------------------------------------------------------- slate size (dated)
@pytest.mark.parametrize(("as_of", "n", "expected"), [
    ("2021-06-30", 4, False), ("2021-06-30", 5, True),   # ASSUMPTION 2–4 before 2022
    ("2022-06-30", 3, False), ("2022-06-30", 4, True),   # ≤ 3 from 2022
])
def test_slate_max_is_dated(as_of, n, expected):
    people = [_cadre(f"C{k}") for k in range(n)]
    ds = _ds(people, [_plan(f"C{k}", term="2025-2030") for k in range(n)])
    comp = su.check_compliance(ds, "2025-2030", as_of)
    assert ("SLATE_MAX" in _rules(comp)) is expected


def test_slate_min_never_one_before_2022_but_allowed_after():
    ds = _ds([_cadre("C1")], [_plan("C1", term="2025-2030")])
    before = su.check_compliance(ds, "2025-2030", "2021-06-30").violations
    after = su.check_compliance(ds, "2025-2030", "2022-06-30").violations
    assert ((before["rule"] == "SLATE_MIN") & (before["post_id"] == "bi_thu@X1")).any()
    assert not ((after["rule"] == "SLATE_MIN") & (after["post_id"] == "bi_thu@X1")).any()
    # key posts without anybody are reported in both periods
    assert ((after["rule"] == "SLATE_MIN") & (after["post_id"] == "chu_tich_hdnd@X1")).any()


def test_deputy_posts_allow_max_per_seat():
    pos = _positions([dict(position_id="X1_PCT1", unit_id="X1", title="pho_chu_tich_ubnd", is_key=True),
                      dict(position_id="X1_PCT2", unit_id="X1", title="pho_chu_tich_ubnd", is_key=True)])
    people = [_cadre(f"C{k}") for k in range(6)]
    ds = _ds(people, [_plan(f"C{k}", "pho_chu_tich_ubnd") for k in range(6)], positions=pos)
    comp = su.check_compliance(ds, TERM, "2022-06-30")
    assert "SLATE_MAX" not in _rules(comp)  # 6 ≤ 3 × 2 seats


# --------------------------------------------------------------------------- posts per person
def test_posts_per_person_counts_within_one_level():
    four_commune = [_plan("C1", t) for t in ("bi_thu", "pho_bi_thu", "chu_tich_ubnd", "chu_tich_hdnd")]
    comp = su.check_compliance(_ds([_cadre("C1")], four_commune), TERM, "2018-12-31")
    v = comp.violations.query("rule == 'POSTS_PER_PERSON'")
    assert v["cadre_ids"].tolist() == ["C1"]
    three_plus_district = four_commune[:3] + [_plan("C1", "truong_phong", "P_NV")]
    comp = su.check_compliance(_ds([_cadre("C1")], three_plus_district), TERM, "2018-12-31")
    assert "POSTS_PER_PERSON" not in _rules(comp)


# --------------------------------------------------------------------------- age and discipline
def test_age_must_cover_the_whole_term_and_is_an_automatic_removal():
    # man born 1962-03-01 retires 2022-09 (60y6m in 2022) < 2025-01-01; born 1966 retires 2026-2027: fine
    ds = _ds([_cadre("OLD", birth="1962-03-01"), _cadre("OK", birth="1966-01-01")],
             [_plan("OLD"), _plan("OK")])
    v = su.check_compliance(ds, TERM, "2018-12-31").violations.query("rule == 'AGE'")
    assert v["cadre_ids"].tolist() == ["OLD"]
    assert v["auto_removal"].all()


def test_age_uses_the_retirement_roadmap_not_60():
    # born 1964-10-01: 60 in 10-2024, but the 2024 age is 61 → retires 10-2025 ≥ 2025-01-01
    ds = _ds([_cadre("R", birth="1964-10-01")], [_plan("R")])
    assert "AGE" not in _rules(su.check_compliance(ds, TERM, "2018-12-31"))


def test_discipline_reprimand_or_heavier_removes():
    disc = pd.DataFrame([dict(cadre_id="D1", form="khien_trach", decided_on="2018-03-01", expires_on="2019-03-01"),
                         dict(cadre_id="D2", form="canh_cao", decided_on="2016-01-01", expires_on="2017-01-01")])
    ds = _ds([_cadre("D1"), _cadre("D2")], [_plan("D1"), _plan("D2")], discipline=disc)
    v = su.check_compliance(ds, TERM, "2018-12-31").violations.query("rule == 'DISCIPLINE'")
    # D2's warning expired before D2 was planned (2017-06-01): not a ground for removal
    assert v["cadre_ids"].tolist() == ["D1"]
    assert "Khiển trách" in v["detail"].iloc[0]


# --------------------------------------------------------------------------- shares and cohorts
def test_women_and_young_shares_dated_and_minority_shown_only():
    people = [_cadre("W1", gender="nu", birth="1986-01-02", eth="Mường")] + [
        _cadre(f"M{k}", birth="1972-01-01") for k in range(4)]
    plan = [_plan("W1", term="2025-2030")] + [
        _plan(f"M{k}", ("bi_thu", "chu_tich_ubnd", "chu_tich_hdnd", "pho_bi_thu")[k], term="2025-2030")
        for k in range(4)]
    ds = _ds(people, plan)
    old = su.check_compliance(ds, "2025-2030", "2021-06-30")
    new = su.check_compliance(ds, "2025-2030", "2022-06-30")
    assert "WOMEN_SHARE" not in _rules(old)          # 20% ≥ 15% (ASSUMPTION before 2022)
    assert "WOMEN_SHARE" in _rules(new)              # 20% < 25%
    assert "YOUNG_SHARE" not in _rules(old)          # no number before 2022
    assert "YOUNG_SHARE" not in _rules(new)          # W1 (38 at the term start) is young: 1 of 5 = 20% ≥ 15%
    minority = new.summary.loc[new.summary["indicator"].str.contains("thiểu số")].iloc[0]
    assert minority["actual"] == pytest.approx(0.2) and pd.isna(minority["met"])


def test_young_share_counts_age_at_term_start_and_is_a_target():
    # Y is 39 on the check date but 41 when the 2025–2030 term starts: not young for that term
    people = [_cadre(f"M{k}", birth="1972-01-01") for k in range(4)] + [_cadre("Y", birth="1983-06-01")]
    titles = ("bi_thu", "chu_tich_ubnd", "chu_tich_hdnd", "pho_bi_thu")
    plan = [_plan(f"M{k}", titles[k], term="2025-2030") for k in range(4)] + [_plan("Y", term="2025-2030")]
    comp = su.check_compliance(_ds(people, plan), "2025-2030", "2022-06-30")
    assert "YOUNG_SHARE" in _rules(comp)
    text = comp.violations.set_index("rule").loc["YOUNG_SHARE", "rule_vi"]
    assert "chưa đạt mục tiêu" in text and "vi phạm" not in text


def test_young_share_binds_when_list_is_old():
    people = [_cadre(f"M{k}", birth="1972-01-01") for k in range(4)] + [_cadre("Y", birth="1990-01-01")]
    titles = ("bi_thu", "chu_tich_ubnd", "chu_tich_hdnd", "pho_bi_thu")
    plan = [_plan(f"M{k}", titles[k], term="2025-2030") for k in range(4)]
    v1 = su.check_compliance(_ds(people, plan), "2025-2030", "2022-06-30")
    assert "YOUNG_SHARE" in _rules(v1)
    v2 = su.check_compliance(_ds(people, plan + [_plan("Y", term="2025-2030")]), "2025-2030", "2022-06-30")
    assert "YOUNG_SHARE" not in _rules(v2)           # 1 of 5 = 20% ≥ 15%


def test_cohorts_report_a_missing_cohort():
    people = [_cadre("A", birth="1985-01-01"), _cadre("B", birth="1972-01-01")]
    comp = su.check_compliance(_ds(people, [_plan("A"), _plan("B")]), TERM, "2018-12-31")
    v = comp.violations.query("rule == 'COHORTS'")
    assert len(v) == 1 and "Trên 50 tuổi" in v["detail"].iloc[0]
    counts = comp.summary.set_index("indicator")["count"]
    assert counts["Độ tuổi 1: Dưới 40 tuổi"] == 1 and counts["Độ tuổi 2: Từ 40 đến 50 tuổi"] == 1


def test_cohort_bounds_are_configurable():
    people = [_cadre("A", birth="1985-01-01"), _cadre("B", birth="1972-01-01"), _cadre("C", birth="1966-01-01")]
    P = parameters("2018-12-31", {"planning.age_cohort_bounds": {"young_max": 35, "middle_max": 45}})
    comp = su.check_compliance(_ds(people, [_plan(c) for c in "ABC"]), TERM, "2018-12-31", params=P)
    counts = comp.summary.set_index("indicator")["count"]
    assert counts["Độ tuổi 1: Dưới 35 tuổi"] == 1 and counts["Độ tuổi 3: Trên 45 tuổi"] == 2  # ages 33, 46, 52


# --------------------------------------------------------------------------- standards
COURSES = pd.DataFrame([
    dict(course_id="SO", name="Sơ cấp", field="political_theory", grants_level="so_cap", months=3,
         seats_per_year=50, cost_million_vnd=1, prerequisite_level="chua_co"),
    dict(course_id="TC", name="Trung cấp", field="political_theory", grants_level="trung_cap", months=8,
         seats_per_year=50, cost_million_vnd=5, prerequisite_level="so_cap"),
])


def test_standards_met_or_closable_before_the_term():
    # commune bí thư needs trung cấp (QĐ 04/2004); so_cap → trung_cap takes 8 months
    people = [_cadre("EARLY", pt="so_cap", sm="chuyen_vien"), _cadre("LATE", pt="so_cap", sm="chuyen_vien"),
              _cadre("MET", pt="trung_cap", sm="chuyen_vien")]
    plan = [_plan("EARLY", added="2018-12-01"), _plan("LATE", added="2019-10-01"), _plan("MET", added="2019-10-01")]
    comp = su.check_compliance(_ds(people, plan, courses=COURSES), TERM, "2019-12-31")
    v = comp.violations.query("rule == 'STANDARDS'")
    assert v["cadre_ids"].tolist() == ["LATE"]
    rows = comp.rows.set_index("cadre_id")
    assert rows.loc["EARLY", "gap_months"] == 8 and rows.loc["MET", "gap_months"] == 0
    assert rows.loc["EARLY", "readiness"] == "1_2_nam"


def test_standards_not_closable_by_training():
    # first-time commune bí thư older than 45 at take-up: no course closes it
    ds = _ds([_cadre("AGE46", birth="1973-06-01")], [_plan("AGE46")], courses=COURSES)
    comp = su.check_compliance(ds, TERM, "2018-12-31")
    v = comp.violations.query("rule == 'STANDARDS'")
    assert v["cadre_ids"].tolist() == ["AGE46"] and "không khóa học nào bù được" in v["detail"].iloc[0]


# --------------------------------------------------------------------------- lower-level basis
def test_lower_level_basis_for_district_posts():
    pos = _positions([dict(position_id="NV_PTP", unit_id="P_NV", title="pho_truong_phong", is_key=False,
                           holder_id="DEP")])
    people = [_cadre("DEP", unit="P_NV"), _cadre("CV", unit="P_NV"), _cadre("PL", unit="X1")]
    plan = [_plan("DEP", "truong_phong", "P_NV"), _plan("CV", "truong_phong", "P_NV"),
            _plan("PL", "truong_phong", "P_NV"), _plan("PL", "pho_bi_thu", "X1")]
    comp = su.check_compliance(_ds(people, plan, positions=pos), TERM, "2018-12-31")
    v = comp.violations.query("rule == 'LOWER_LEVEL'")
    # DEP holds the deputy post, PL is planned for a commune post of the level below, CV has neither
    assert v["cadre_ids"].tolist() == ["CV"]


# --------------------------------------------------------------------------- bench strength
def test_bench_strength_counts_and_risk():
    ratings = pd.DataFrame([dict(cadre_id="C1", year=2018, level="tot")])
    pos = _positions([dict(position_id="X1_PBT2", unit_id="X2", title="pho_bi_thu", is_key=False, holder_id="C1")])
    people = [_cadre("C1", unit="X2"), _cadre("C2", pt="so_cap", sm="chuyen_vien", unit="X2")]
    ds = _ds(people, [_plan("C1"), _plan("C2")], positions=pos, ratings=ratings, courses=COURSES)
    comp = su.check_compliance(ds, TERM, "2018-12-31")
    b = comp.bench.set_index("post_id")
    # H1 (born 1962) retires in 2022: inside the term
    assert b.loc["bi_thu@X1", ["n_candidates", "n_ready_now"]].tolist() == [2, 1]
    assert b.loc["bi_thu@X1", "incumbent_leaves"] and b.loc["bi_thu@X1", "risk"] == "xanh"
    assert b.loc["chu_tich_hdnd@X1", "risk"] == "do"                       # vacant, nobody ready
    assert b.loc["chu_tich_ubnd@X1", "risk"] == "vang"                     # incumbent stays, nobody planned
    overall = comp.bench_overall.set_index("indicator")["value"]
    n = len(b)
    assert overall["Tỷ lệ chức danh có ít nhất 1 người sẵn sàng ngay"] == pytest.approx(1 / n)
    assert overall["Tỷ lệ chức danh có ít nhất 2 người quy hoạch"] == pytest.approx(1 / n)


# --------------------------------------------------------------------------- vacancy chains
def _succ(rows):
    return pd.DataFrame(rows, columns=["post_id", "cadre_id", "order"])


def test_vacancy_chain_follows_to_an_uncovered_post():
    succ = _succ([("P", "A", 1), ("Q", "B", 1)])
    held = pd.DataFrame([("A", "Q"), ("B", "R")], columns=["cadre_id", "post_id"])
    steps, chains = su.vacancy_chains(succ, held, ["P"], {"P": {"X"}})
    assert steps["post_id"].tolist() == ["P", "Q", "R"]
    assert steps["successor_id"].tolist() == ["A", "B", ""]
    assert steps["covered"].tolist() == [True, True, False]
    assert chains.loc[0, "uncovered_posts"] == "R" and chains.loc[0, "n_covered"] == 2


def test_vacancy_chain_cycle_falls_back_to_next_on_slate():
    # A (holding Q) succeeds P; Q's first successor is A again (cycle) → C; C holds no key post
    succ = _succ([("P", "A", 1), ("Q", "A", 1), ("Q", "C", 2)])
    held = pd.DataFrame([("A", "Q"), ("X", "P")], columns=["cadre_id", "post_id"])
    steps, chains = su.vacancy_chains(succ, held, ["P"], {"P": {"X"}})
    assert steps["successor_id"].tolist() == ["A", "C"]
    assert "vòng lặp" in steps.loc[1, "note"] and chains.loc[0, "cycle"]
    assert chains.loc[0, "uncovered_posts"] == ""


def test_vacancy_chain_cycle_dead_end_and_leaver_not_reused():
    # X leaves P; A succeeds P and opens Q; Q's only candidate is X (leaving) → dead end
    succ = _succ([("P", "A", 1), ("Q", "X", 1)])
    held = pd.DataFrame([("A", "Q")], columns=["cadre_id", "post_id"])
    steps, chains = su.vacancy_chains(succ, held, ["P"], {"P": {"X"}})
    assert steps["covered"].tolist() == [True, False]
    assert chains.loc[0, "uncovered_posts"] == "Q"
    # two posts opened by one person with concurrent posts; A's second post has no slate
    held2 = pd.DataFrame([("A", "Q"), ("A", "S")], columns=["cadre_id", "post_id"])
    steps2, _ = su.vacancy_chains(_succ([("P", "A", 1), ("Q", "B", 1)]), held2, ["P"])
    assert steps2["post_id"].tolist() == ["P", "Q", "S"] and steps2["covered"].tolist() == [True, True, False]


def test_ranked_successors_order():
    rows = pd.DataFrame([("P", "A", "1_2_nam", 3.0), ("P", "B", "ngay", 1.0), ("P", "C", "ngay", 2.0)],
                        columns=["post_id", "cadre_id", "readiness", "merit"])
    assert su.ranked_successors(rows)["cadre_id"].tolist() == ["C", "B", "A"]


# --------------------------------------------------------------------------- annual review
def test_annual_review_reasons():
    ratings = pd.DataFrame([dict(cadre_id="LOW", year=y, level="hoan_thanh") for y in (2018, 2019)]
                           + [dict(cadre_id="OK", year=y, level="tot") for y in (2018, 2019)])
    disc = pd.DataFrame([dict(cadre_id="DIS", form="khien_trach", decided_on="2019-05-01")])
    pos = _positions([dict(position_id="X2_BT", unit_id="X2", title="bi_thu", is_key=True, holder_id="APP",
                           holder_since="2019-06-01")])
    people = [_cadre(c) for c in ("LOW", "OK", "DIS", "APP", "NEW")] + [_cadre("OLD", birth="1962-03-01")]
    plan = [_plan("LOW"), _plan("OK"), _plan("DIS", removed="2019-06-01", reason="ky_luat"),
            _plan("APP", "bi_thu", "X2", removed="2019-07-01", reason="bo_nhiem"), _plan("OLD"),
            _plan("NEW", added="2019-03-01")]
    ds = _ds(people, plan, positions=pos, ratings=ratings, discipline=disc)
    rows, shares = su.annual_review(ds, TERM, "2018-12-31", "2019-12-31")
    r = rows.set_index("cadre_id")
    assert r.loc["NEW", "status"] == "them"
    assert r.loc["OK", "status"] == "giu" and r.loc["OK", "flag"] == ""
    assert r.loc["DIS", "status"] == "dua_ra" and "Khiển trách" in r.loc["DIS", "reasons"]
    assert r.loc["APP", "status"] == "dua_ra" and "bổ nhiệm" in r.loc["APP", "reasons"]
    assert r.loc["LOW", "flag"] == "Cần xem xét đưa ra khỏi quy hoạch" and "2018, 2019" in r.loc["LOW", "reasons"]
    assert r.loc["OLD", "flag"] != "" and "tuổi" in r.loc["OLD", "reasons"]
    sh = shares.set_index("indicator")
    assert sh.loc["Tổng số người trong danh sách", ["before", "after"]].tolist() == [5, 4]


def test_review_low_rating_years_is_a_parameter():
    ratings = pd.DataFrame([dict(cadre_id="LOW", year=2019, level="hoan_thanh"),
                            dict(cadre_id="LOW", year=2018, level="tot")])
    ds = _ds([_cadre("LOW"), _cadre("B")], [_plan("LOW"), _plan("B")], ratings=ratings)
    rows, _ = su.annual_review(ds, TERM, "2018-12-31", "2019-12-31")
    assert rows.set_index("cadre_id").loc["LOW", "flag"] == ""
    P = parameters("2019-12-31", {"planning.review_low_rating_years": 1})
    rows, _ = su.annual_review(ds, TERM, "2018-12-31", "2019-12-31", params=P)
    assert rows.set_index("cadre_id").loc["LOW", "flag"] == "Cần xem xét đưa ra khỏi quy hoạch"


def test_bad_term_is_a_scenario_error():
    from kimson_ds.errors import ScenarioError

    with pytest.raises(ScenarioError):
        su.parse_term("2020")


@pytest.mark.slow
def test_notebook_runs_on_sample(tmp_path, monkeypatch):
    import json
    from pathlib import Path

    import papermill as pm

    root = Path(__file__).resolve().parents[2]
    if not (root / "data" / "kimson").is_dir():
        pytest.skip("sample dataset not generated")
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    src = root / "notebooks" / "20-quy-hoach.ipynb"
    raw = json.loads(src.read_text(encoding="utf-8"))
    code = [c for c in raw["cells"] if c["cell_type"] == "code"]
    assert "parameters" in code[0]["metadata"].get("tags", [])
    assert all(not c.get("outputs") for c in code)
    assert not any(line.lstrip().startswith(("def ", "class ")) for c in code for line in "".join(c["source"]).split("\n"))
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(src), str(out), cwd=str(root / "notebooks"), kernel_name="python3", progress_bar=False)
    done = json.loads(out.read_text(encoding="utf-8"))
    images = [o for c in done["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])
              if "image/png" in o.get("data", {})]
    assert len(images) >= 2  # age pyramid and succession chart


# --------------------------------------------------------------------------- 2022–2025 planning rules
@pytest.mark.parametrize(("as_of", "expected"), [("2022-02-14", False), ("2022-02-15", True),
                                                 ("2025-10-08", True)])
def test_planning_only_for_a_higher_post_from_hd16_2022(as_of, expected):
    # H2 chairs the commune people's committee: planning him for that very post is not "a higher post"
    ds = _ds([], [_plan("H2", "chu_tich_ubnd", term="2025-2030"), _plan("H2", "bi_thu", term="2025-2030")])
    comp = su.check_compliance(ds, "2025-2030", as_of)
    v = comp.violations.query("rule == 'HIGHER_POST'")
    assert (not v.empty) is expected
    if expected:
        assert v["post_id"].tolist() == ["chu_tich_ubnd@X1"]  # bí thư is higher: allowed
        assert "377-QĐ/TW" in v["reference"].iloc[0] or "16-HD/BTCTW" in v["reference"].iloc[0]


@pytest.mark.parametrize(("as_of", "removed"), [("2025-10-07", True), ("2025-10-08", False)])
def test_expired_reprimand_may_be_planned_from_qd377(as_of, removed):
    # a reprimand decided after the cadre was planned, expired before the check
    disc = pd.DataFrame([dict(cadre_id="D1", form="khien_trach", decided_on="2023-03-01", expires_on="2024-03-01")])
    ds = _ds([_cadre("D1")], [_plan("D1", term="2025-2030", added="2022-06-01")], discipline=disc)
    v = su.check_compliance(ds, "2025-2030", as_of).violations.query("rule == 'DISCIPLINE'")
    assert (not v.empty) is removed


def test_relatives_planned_for_the_same_unit_are_flagged_and_cite_qd114():
    rel = pd.DataFrame([dict(cadre_id="R1", relative_id="R2", relation="vo_chong")])
    ds = _ds([_cadre("R1"), _cadre("R2", gender="nu")],
             [_plan("R1", "bi_thu", term="2025-2030"), _plan("R2", "pho_bi_thu", term="2025-2030")], relatives=rel)
    before = su.check_compliance(ds, "2025-2030", "2023-07-10").violations.query("rule == 'RELATIVES'")
    after = su.check_compliance(ds, "2025-2030", "2023-07-11").violations.query("rule == 'RELATIVES'")
    assert before["cadre_ids"].tolist() == after["cadre_ids"].tolist() == ["R1, R2"]
    assert "205-QĐ/TW" in before["reference"].iloc[0] and "114-QĐ/TW" not in before["reference"].iloc[0]
    assert "114-QĐ/TW" in after["reference"].iloc[0]


@pytest.mark.parametrize(("as_of", "flagged"), [("2019-05-29", False), ("2019-05-30", True)])
def test_age_cohort_shares_checked_against_chi_thi_35_targets(as_of, flagged):
    # 1 of 12 under 40 (8,3% < 10%), 6 of 12 from 40 to 50 (50%), 5 over 50: all three cohorts present
    people = ([_cadre("Y0", birth="1985-01-01")] + [_cadre(f"M{k}", birth="1975-01-01") for k in range(6)]
              + [_cadre(f"O{k}", birth="1962-01-01") for k in range(5)])
    titles = ("bi_thu", "chu_tich_ubnd", "chu_tich_hdnd", "pho_bi_thu")
    plan = [_plan(p["cadre_id"], titles[i % 4], term="2020-2025") for i, p in enumerate(people)]
    comp = su.check_compliance(_ds(people, plan), "2020-2025", as_of)
    assert ("COHORTS" in _rules(comp)) is flagged
    if flagged:
        v = comp.violations.set_index("rule").loc["COHORTS"]
        assert "chưa đạt mục tiêu" in v["rule_vi"] and "8,3%" in v["detail"]
