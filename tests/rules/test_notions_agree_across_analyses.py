"""One answer per question: the same cadres run through plan, train and vet get the same notions.

Notions (``kimson_ds.rules.notions``): first appointment, ready by the take-up
date, qualification as of a date, discipline in force on a date.
"""

from __future__ import annotations

import pandas as pd
import pytest

from kimson_ds.data.io import Dataset
from kimson_ds.planning.succession import check_compliance
from kimson_ds.rules import notions
from kimson_ds.training.schedule import TrainingScenario, prepare, run
from kimson_ds.vetting.checklist import parse_proposals, vet

AS_OF = "2018-12-31"
TERM_START = "2020-07-01"

UNITS = pd.DataFrame({"unit_id": ["XA_A", "XA_B"], "name": ["Xã A", "Xã B"], "kind": ["xa", "xa"],
                      "function": ["dia_phuong"] * 2, "valid_from": ["2016-01-01"] * 2})
POSITIONS = pd.DataFrame({
    "position_id": ["A_BT", "B_BT", "A_PBT"], "unit_id": ["XA_A", "XA_B", "XA_A"],
    "title": ["bi_thu", "bi_thu", "pho_bi_thu"], "is_key": [True, True, True],
    "holder_id": ["S", None, None], "holder_since": ["2015-06-01", None, None]})
# cadre: (gender, birth, education, political theory, state management)
PEOPLE = {
    "S": ("nam", "1971-03-01", "dai_hoc", "trung_cap", "chuyen_vien"),  # sitting secretary, 49 at take-up
    "N": ("nam", "1971-03-01", "dai_hoc", "trung_cap", "chuyen_vien"),  # same age, never a secretary
    "L": ("nam", "1985-03-01", "dai_hoc", "chua_co", "chuyen_vien"),    # needs sơ cấp + trung cấp (11 months)
    "Q": ("nu", "1984-03-01", "dai_hoc", "trung_cap", "chuyen_vien"),   # trung cấp completed only in 2019
    "D": ("nam", "1983-03-01", "dai_hoc", "so_cap", "chuyen_vien"),     # khiển trách 1-6-2018 → 1-6-2019
}
COURSES = pd.DataFrame({
    "course_id": ["LLCT_SO_CAP", "LLCT_TC"], "name": ["Sơ cấp LLCT", "Trung cấp LLCT"],
    "field": ["political_theory"] * 2, "grants_level": ["so_cap", "trung_cap"], "months": [3.0, 8.0],
    "seats_per_year": [10, 10], "cost_million_vnd": [3.0, 12.0], "prerequisite_level": ["chua_co", "so_cap"]})


@pytest.fixture(scope="module")
def ds():
    cadres = pd.DataFrame(
        [(c, f"Người {c}", g, b, "XA_A", "XA_A", e, p, s, True) for c, (g, b, e, p, s) in PEOPLE.items()],
        columns=["cadre_id", "full_name", "gender", "birth_date", "home_unit_id", "unit_id", "education",
                 "political_theory", "state_mgmt", "managed_by_btv"])
    planning = pd.DataFrame(
        [(c, "bi_thu", "XA_B", "2020-2025", AS_OF) for c in PEOPLE] + [("D", "pho_bi_thu", "XA_A", "2020-2025", AS_OF)],
        columns=["cadre_id", "target_title", "target_unit_id", "term", "added_on"])
    ratings = pd.DataFrame([(c, y, None, "tot") for c in PEOPLE for y in (2016, 2017, 2018, 2019)],
                           columns=["cadre_id", "year", "score", "level"])
    trainings = pd.DataFrame({"cadre_id": ["Q"], "course_id": ["LLCT_TC"], "year": [2019], "status": ["completed"],
                              "days": [None]})
    discipline = pd.DataFrame({"cadre_id": ["D"], "form": ["khien_trach"], "decided_on": ["2018-06-01"],
                               "expires_on": ["2019-06-01"]})
    return Dataset.from_frames({"units": UNITS, "positions": POSITIONS, "cadres": cadres, "planning": planning,
                                "ratings": ratings, "courses": COURSES, "trainings": trainings,
                                "discipline": discipline})


@pytest.fixture(scope="module")
def plan(ds):
    comp = check_compliance(ds, "2020-2025", AS_OF, term_start=TERM_START)
    return comp.rows.set_index(["cadre_id", "post_id"]), comp.violations


@pytest.fixture(scope="module")
def train(ds):
    sc = TrainingScenario(as_of=AS_OF, term="2020-2025", term_start=TERM_START, mip_gap_rel=0.0)
    return prepare(ds, sc), run(ds, sc)


def _vet(ds, rows):
    frame = pd.DataFrame(rows, columns=["proposal_id", "cadre_id", "action", "target_title", "target_unit_id",
                                        "effective_date"]).astype(object)
    res = vet(ds, parse_proposals(frame, ds))
    return {(p, i): (s, r) for p, i, s, r in res.checklist[["proposal_id", "item", "status", "reason"]]
            .itertuples(index=False)}


def test_first_appointment_is_one_answer_for_plan_train_and_vet(ds, plan, train):
    rows, violations = plan
    inst, res = train
    entries = inst.entries.set_index("cadre_id")
    # the sitting secretary moving commune is not appointed for the first time: the age-45 limit does not apply
    assert not bool(rows.loc[("S", "bi_thu@XA_B"), "first_time"])
    assert not bool(entries.loc["S", "first_time"])
    assert bool(rows.loc[("S", "bi_thu@XA_B"), "met_now"])
    assert res.readiness.set_index("cadre_id").loc["S", "status"] == "da_du"
    assert not ((violations["rule"] == "STANDARDS") & violations["cadre_ids"].eq("S")).any()
    items = _vet(ds, [("P1", "S", "bo_nhiem", "bi_thu", "XA_B", TERM_START),
                      ("P2", "N", "bo_nhiem", "bi_thu", "XA_B", TERM_START)])
    assert items[("P1", "tieu_chuan")][0] == "dat"
    assert "45 tuổi" not in items[("P1", "tieu_chuan")][1]
    # the same age without the title: all three apply the first-appointment age limit
    assert bool(rows.loc[("N", "bi_thu@XA_B"), "first_time"]) and bool(entries.loc["N", "first_time"])
    assert not bool(rows.loc[("N", "bi_thu@XA_B"), "closable_by_start"])
    assert ((violations["rule"] == "STANDARDS") & violations["cadre_ids"].eq("N")).any()
    assert res.readiness.set_index("cadre_id").loc["N", "status"] == "khong_the"
    assert items[("P2", "tieu_chuan")][0] == "khong_dat" and "45 tuổi" in items[("P2", "tieu_chuan")][1]


def test_ready_by_the_term_is_one_answer_for_plan_and_train(plan, train):
    rows, _ = plan
    _, res = train
    row = rows.loc[("L", "bi_thu@XA_B")]
    assert not bool(row["met_now"]) and row["gap_months"] == pytest.approx(11.0)
    assert row["months_to_start"] == pytest.approx(18.0)
    assert bool(row["closable_by_start"])
    assert res.readiness.set_index("cadre_id").loc["L", "status"] == "se_du"
    assert notions.months_available(AS_OF, TERM_START) == 18


def test_qualifications_are_rolled_back_to_as_of_in_plan_train_and_vet(ds, plan, train):
    rows, _ = plan
    inst, _ = train
    # Q's trung cấp was completed in 2019: on 31-12-2018 she holds sơ cấp in every analysis
    assert not bool(rows.loc[("Q", "bi_thu@XA_B"), "met_now"])
    assert "lý luận chính trị" in rows.loc[("Q", "bi_thu@XA_B"), "standards_vi"]
    assert inst.cadres.set_index("cadre_id").loc["Q", "political_theory"] == "so_cap"
    assert not bool(inst.entries.set_index("cadre_id").loc["Q", "all_met"])
    items = _vet(ds, [("P3", "Q", "quy_hoach", "bi_thu", "XA_B", AS_OF)])
    assert items[("P3", "tieu_chuan")][0] == "can_xem_xet"
    # a year later the record counts
    later = _vet(ds, [("P4", "Q", "bo_nhiem", "bi_thu", "XA_B", "2020-01-02")])
    assert later[("P4", "tieu_chuan")][0] == "dat"


def test_discipline_in_force_is_one_answer_and_bars_every_planned_post(ds, plan, train):
    rows, violations = plan
    _, res = train
    assert bool(rows.loc[("D", "bi_thu@XA_B"), "disciplined"])
    assert bool(rows.loc[("D", "pho_bi_thu@XA_A"), "disciplined"])
    assert set(violations.loc[violations["rule"] == "DISCIPLINE", "post_id"]) >= {"bi_thu@XA_B", "pho_bi_thu@XA_A"}
    items = _vet(ds, [("P5", "D", "bo_nhiem", "bi_thu", "XA_B", AS_OF),
                      ("P6", "D", "bo_nhiem", "bi_thu", "XA_B", "2019-06-01")])
    assert items[("P5", "ky_luat")][0] == "khong_dat"
    assert items[("P6", "ky_luat")][0] == "dat"  # the end day is no longer in force
    # training: no course in the months the discipline runs (June 2018 … May 2019), trung cấp still fits after
    sched = res.schedule.loc[res.schedule["cadre_id"] == "D"]
    ready = res.readiness.set_index(["cadre_id", "target_title"])
    assert ready.loc[("D", "bi_thu"), "status"] == "se_du"
    start = pd.Period(pd.to_datetime("01/" + sched.iloc[0]["start_month"], format="%d/%m/%Y"), "M")
    assert start >= pd.Period("2019-06", "M")
    periods = notions.discipline_periods(ds["discipline"], 12)
    assert len(notions.discipline_in_force(periods, AS_OF)) == 1
    assert notions.discipline_in_force(periods, "2019-06-01").empty


def test_first_appointment_reads_a_work_history_table():
    held = notions.titles_held({"positions": POSITIONS.iloc[:0],
                                "work_history": pd.DataFrame({"cadre_id": ["X"], "title": ["bi_thu"],
                                                              "start_date": ["2010-01-01"]})}, "2018-12-31")
    targets = pd.DataFrame({"cadre_id": ["X", "X"], "target_title": ["bi_thu", "chu_tich_ubnd"]})
    assert list(notions.first_appointment(targets, held)) == [False, True]
    # a holding that starts after the date does not count yet
    later = notions.titles_held({"positions": POSITIONS}, "2015-01-01")
    assert later.empty
