"""Vetting's conflict rules: organs, every batch date, successor units, plans that are not holdings."""

from __future__ import annotations

import pandas as pd
import pytest

from kimson_ds.data.codes import TITLE
from kimson_ds.data.io import Dataset
from kimson_ds.rules.parameters import history, parameters
from kimson_ds.vetting.checklist import parse_proposals, vet
from kimson_ds.vetting.conflicts import current_conflicts

UNITS = pd.DataFrame(
    [("XA_TS", "Tây Sơn", "xa", "dia_phuong", None, "2016-01-01", "2019-12-31", "XA_DT"),
     ("XA_DT", "Đông Tây", "xa", "dia_phuong", None, "2020-01-01", None, None),
     ("XA_K", "Kim", "xa", "dia_phuong", None, "2016-01-01", None, None),
     ("HU", "Huyện ủy", "co_quan_dang", "dang_uy", None, "2016-01-01", None, None),
     ("DUK", "Đảng ủy Khối cơ quan", "co_quan_dang", "dang_uy", "HU", "2016-01-01", None, None)],
    columns=["unit_id", "name", "kind", "function", "parent_unit_id", "valid_from", "valid_to", "successor_unit_id"])
POSITIONS = pd.DataFrame(
    [("K-UBKT", "XA_K", "chu_nhiem_ubkt", "U", "2016-01-01"),
     ("K-PCT", "XA_K", "pho_chu_tich_ubnd", "V", "2016-01-01"),
     ("K-PBT1", "XA_K", "pho_bi_thu", None, None),
     ("K-PBT2", "XA_K", "pho_bi_thu", "B", "2016-01-01"),
     ("K-BT", "XA_K", "bi_thu", "F", "2016-01-01"),
     ("K-CT", "XA_K", "chu_tich_ubnd", None, None),
     ("K-PCT2", "XA_K", "pho_chu_tich_ubnd", "Y", "2019-11-01"),
     ("TS-BT", "XA_TS", "bi_thu", "T1", "2016-01-01"),
     ("TS-PBT", "XA_TS", "pho_bi_thu", "T2", "2016-01-01"),
     ("DT-BT", "XA_DT", "bi_thu", None, None),
     ("HU-BT", "HU", "bi_thu", None, None),
     ("DUK-BT", "DUK", "bi_thu", None, None)],
    columns=["position_id", "unit_id", "title", "holder_id", "holder_since"]).assign(is_key=True)
PEOPLE = ["U", "V", "W", "A", "B", "F", "S", "R", "H", "X", "Y", "T1", "T2", "Z"]
RELATIVES = pd.DataFrame(
    [("V", "W", "vo_chong"), ("W", "U", "cha_me"),   # U is V's father-in-law
     ("A", "B", "anh_chi_em"), ("S", "F", "cha_me"), ("X", "Y", "anh_chi_em"), ("T1", "T2", "anh_chi_em")],
    columns=["cadre_id", "relative_id", "relation"])


@pytest.fixture(scope="module")
def ds():
    home = {"R": "XA_TS", "H": "XA_K"}
    birth = {"Z": "1978-01-01"}
    cadres = pd.DataFrame([(c, f"Người {c}", "nam", birth.get(c, "1985-01-01"), home.get(c, "XA_K"), "XA_K",
                            "dai_hoc", "cao_cap", "chuyen_vien_chinh", True) for c in PEOPLE],
                          columns=["cadre_id", "full_name", "gender", "birth_date", "home_unit_id", "unit_id",
                                   "education", "political_theory", "state_mgmt", "managed_by_btv"])
    ratings = pd.DataFrame([(c, y, None, "tot") for c in PEOPLE for y in range(2016, 2026)],
                           columns=["cadre_id", "year", "score", "level"])
    planning = pd.DataFrame([(c, "bi_thu", "XA_DT", "2020-2025") for c in ("R", "Z")],
                            columns=["cadre_id", "target_title", "target_unit_id", "term"])
    return Dataset.from_frames({"units": UNITS, "positions": POSITIONS, "cadres": cadres, "ratings": ratings,
                                "relatives": RELATIVES, "planning": planning})


def run(ds, rows):
    frame = pd.DataFrame(rows, columns=["proposal_id", "cadre_id", "action", "position_id", "target_title",
                                        "target_unit_id", "effective_date"]).astype(object)
    return vet(ds, parse_proposals(frame, ds))


def items(res):
    return {(p, i): (s, r) for p, i, s, r in res.checklist[["proposal_id", "item", "status", "reason"]]
            .itertuples(index=False)}


def pairs(conflicts):
    return {frozenset((a, b)) for a, b in zip(conflicts["cadre_a"], conflicts["cadre_b"], strict=True)}


def test_every_title_belongs_to_an_organ_and_heads_pair_with_deputies_of_their_organ():
    for since, organs in history("vetting.title_organ"):
        assert set(TITLE) <= set(organs), f"chức danh chưa có cơ quan từ {since}"
    for since, rules in history("relatives.linked_posts"):
        for rule in rules or []:
            if rule["rule_id"] != "cap_truong_cap_pho":
                continue
            organs = parameters(since).get("vetting.title_organ")
            heads = {organs[t] for t in rule["titles"]}
            assert all(organs[t] in heads for t in rule["with_titles"])  # every deputy has a head in its organ


def test_inspection_chair_is_not_head_of_every_organ(ds):
    found = current_conflicts(ds, "2020-01-02")
    assert frozenset(("U", "V")) not in pairs(found)  # the UBKT chair's son-in-law, Phó Chủ tịch UBND
    assert frozenset(("A", "B")) not in pairs(found)  # A holds nothing yet
    # heads and deputies of one organ are still caught: the chair of the People's Committee and his deputy
    res = run(ds, [("P1", "X", "bo_nhiem", "K-CT", None, None, "2020-01-02")])
    c = res.conflicts
    assert (c["rule_id"].eq("cap_truong_cap_pho") & c["cadre_a"].eq("X") & c["cadre_b"].eq("Y")).any()


def test_conflict_that_starts_on_a_later_batch_date_is_reported(ds):
    # A made Phó Bí thư from 1-7-2019 beside his brother; the relatives rule of QĐ 205 only applies from 23-9-2019
    res = run(ds, [("P1", "A", "bo_nhiem", "K-PBT1", None, None, "2019-07-01"),
                   ("P2", "H", "bo_nhiem", "DT-BT", None, None, "2020-01-02")])
    c = res.conflicts
    hit = c.loc[c["proposal_a"].eq("P1") & c["cadre_b"].eq("B")]
    assert not hit.empty and set(hit["as_of"]) == {"2020-01-02"}
    assert items(res)[("P1", "nguoi_than")][0] == "khong_dat"
    # a relative who takes office between two batch dates (Y from 1-11-2019)
    res = run(ds, [("P1", "X", "bo_nhiem", "K-CT", None, None, "2019-10-01"),
                   ("P2", "H", "bo_nhiem", "DT-BT", None, None, "2020-01-02")])
    c = res.conflicts
    assert (c["proposal_a"].eq("P1") & c["cadre_b"].eq("Y") & c["as_of"].eq("2020-01-02")).any()
    assert items(res)[("P1", "nguoi_than")][0] == "khong_dat"


def test_existing_conflicts_are_listed_on_every_batch_date(ds):
    # the Tây Sơn secretary and his brother, the deputy, hold office until the commune merges on 1-1-2020
    res = run(ds, [("P1", "H", "bo_nhiem", "HU-BT", None, None, "2019-10-01"),
                   ("P2", "X", "bo_nhiem", "DT-BT", None, None, "2020-03-01")])
    existing = res.conflicts.loc[res.conflicts["kind"] == "hien_tai"]
    assert frozenset(("T1", "T2")) in pairs(existing)
    assert set(existing.loc[existing["cadre_a"].isin(["T1", "T2"]), "as_of"]) == {"2019-10-01"}


def test_merged_home_commune_is_followed_to_its_successor(ds):
    res = run(ds, [("P1", "R", "luan_chuyen", "DT-BT", None, None, "2020-03-01"),
                   ("P2", "X", "luan_chuyen", "DT-BT", None, None, "2020-03-01")])
    it = items(res)
    # home Tây Sơn is Đông Tây since 1-1-2020 (the home-commune rule is "cần xem xét": no absolute rule found)
    assert it[("P1", "khong_dia_phuong")][0] == "can_xem_xet"
    assert it[("P2", "khong_dia_phuong")][0] == "dat"


def test_non_local_rule_of_nq26_only_for_the_district_committee(ds):
    res = run(ds, [("P1", "H", "bo_nhiem", "HU-BT", None, None, "2020-03-01"),
                   ("P2", "H", "bo_nhiem", "DUK-BT", None, None, "2020-03-01")])
    it = items(res)
    assert it[("P1", "khong_dia_phuong")][0] == "can_xem_xet"
    assert it[("P2", "khong_dia_phuong")][0] == "khong_ap_dung"  # a Đảng ủy Khối is not the district committee


def test_target_unit_must_exist_on_the_proposal_date(ds):
    res = run(ds, [("P1", "X", "bo_nhiem", "TS-BT", None, None, "2020-03-01"),
                   ("P2", "X", "bo_nhiem", "DT-BT", None, None, "2019-06-01"),
                   ("P3", "X", "bo_nhiem", "TS-BT", None, None, "2019-06-01")])
    it = items(res)
    assert it[("P1", "vi_tri")][0] == "khong_dat" and "Đông Tây" in it[("P1", "vi_tri")][1]
    assert it[("P2", "vi_tri")][0] == "khong_dat" and "chưa được thành lập" in it[("P2", "vi_tri")][1]
    assert it[("P3", "vi_tri")][0] == "dat"
    assert res.verdicts.set_index("proposal_id").loc["P1", "verdict"] == "khong_dat"


@pytest.mark.parametrize("day, status", [("2020-03-01", "can_xem_xet"), ("2026-01-05", "khong_dat")])
def test_planning_and_proposing_one_person_for_one_post_is_flagged(ds, day, status):
    res = run(ds, [("P1", "Z", "quy_hoach", "DT-BT", None, None, day),
                   ("P2", "Z", "bo_nhiem", "DT-BT", None, None, day),
                   ("P3", "R", "bo_nhiem", "DT-BT", None, None, day)])
    it = items(res)
    assert it[("P1", "vi_tri")][0] == status and it[("P2", "vi_tri")][0] == status
    assert "quy hoạch" in it[("P1", "vi_tri")][1]
    assert it[("P3", "vi_tri")][0] == "dat"
    # each keeps its own standards: the planning item does not inherit the appointment's first-appointment rules
    c = res.checklist.set_index(["proposal_id", "item"])["reason"]
    plan_text = c[("P1", "tuoi")] + c[("P1", "tieu_chuan")]
    assert "lần đầu" not in plan_text and "tuổi khi nhận chức" not in plan_text
    assert "khi quy hoạch" in c[("P1", "tuoi")]
    assert "lần đầu" in c[("P2", "tuoi")] and "khi quy hoạch" not in c[("P2", "tuoi")]


def test_son_planned_for_his_fathers_post_is_not_a_holding_beside_him(ds):
    res = run(ds, [("P1", "S", "quy_hoach", "K-BT", None, None, "2020-03-01")])
    assert items(res)[("P1", "nguoi_than")][0] == "dat"
    assert frozenset(("S", "F")) not in pairs(res.conflicts)
    # appointing him to the vice-chair post under his father is still a conflict
    res = run(ds, [("P1", "S", "bo_nhiem", "K-PBT1", None, None, "2020-03-01")])
    assert items(res)[("P1", "nguoi_than")][0] == "khong_dat"
