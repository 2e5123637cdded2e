"""Relatives conflicts (Quy định 205-QĐ/TW, Luật PCTN 2018 Điều 20): every linked-post rule, derived links, batches."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kimson_ds.data.io import Dataset, load_dataset
from kimson_ds.vetting.conflicts import current_conflicts, proposal_conflicts, unit_scopes

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "kimson"

UNITS = pd.DataFrame(
    [
        ("XA_A", "Xã A", "xa", "dia_phuong", None),
        ("XA_B", "Xã B", "xa", "dia_phuong", None),
        ("HU", "Huyện ủy", "co_quan_dang", "dang_uy", None),
        ("HU_BTC", "Ban Tổ chức Huyện ủy", "co_quan_dang", "to_chuc", "HU"),
        ("HU_BTG", "Ban Tuyên giáo Huyện ủy", "co_quan_dang", "tuyen_giao", "HU"),
        ("HU_UBKT", "Ủy ban Kiểm tra Huyện ủy", "co_quan_dang", "kiem_tra", "HU"),
        ("UBND_H", "UBND huyện", "chinh_quyen_huyen", "chinh_quyen", None),
        ("P_NV", "Phòng Nội vụ", "phong_ban", "noi_vu", "UBND_H"),
        ("P_TT", "Thanh tra huyện", "phong_ban", "thanh_tra", "UBND_H"),
        ("P_TC", "Phòng Tài chính", "phong_ban", "tai_chinh", "UBND_H"),
    ],
    columns=["unit_id", "name", "kind", "function", "parent_unit_id"],
)

#: (position_id, unit_id, title, holder)
POSTS = [
    ("XA_A-BT", "XA_A", "bi_thu", "C01"),
    ("XA_A-UBKT", "XA_A", "chu_nhiem_ubkt", "C02"),
    ("XA_A-PCT", "XA_A", "pho_chu_tich_ubnd", "C03"),
    ("XA_B-PBT", "XA_B", "pho_bi_thu", "C04"),
    ("XA_B-CT", "XA_B", "chu_tich_ubnd", "C05"),
    ("HU-BT", "HU", "bi_thu", "C10"),
    ("HU_BTC-TB", "HU_BTC", "truong_ban", "C11"),
    ("HU_BTG-TB", "HU_BTG", "truong_ban", "C12"),
    ("UBND_H-CT", "UBND_H", "chu_tich_ubnd", "C20"),
    ("P_NV-TP", "P_NV", "truong_phong", "C21"),
    ("P_TC-TP", "P_TC", "truong_phong", "C22"),
    ("P_TC-PTP", "P_TC", "pho_truong_phong", "C23"),
    ("P_TC-KT", "P_TC", "ke_toan", "C24"),
    ("P_NV-PTP", "P_NV", "pho_truong_phong", "C25"),
    ("P_TT-TP", "P_TT", "truong_phong", None),
    ("XA_B-BT", "XA_B", "bi_thu", None),
]
PEOPLE = ["C01", "C02", "C03", "C04", "C05", "C10", "C11", "C12", "C20", "C21", "C22", "C23", "C24", "C25",
          "C30", "C31", "C32", "C33", "C34"]


def make_tables(relatives, posts=POSTS):
    """A tiny validated dataset: ``relatives`` is a list of (cadre, relative, relation)."""
    cadres = pd.DataFrame({
        "cadre_id": PEOPLE,
        "full_name": [f"Người {p}" for p in PEOPLE],
        "gender": ["nam" if i % 2 == 0 else "nu" for i in range(len(PEOPLE))],
        "birth_date": pd.to_datetime(["1975-01-01"] * len(PEOPLE)),
        "unit_id": "XA_A",
        "managed_by_btv": True,
    })
    positions = pd.DataFrame(posts, columns=["position_id", "unit_id", "title", "holder_id"])
    positions["is_key"] = True
    positions["holder_since"] = pd.to_datetime(["2016-01-01"] * len(positions))
    positions.loc[positions["holder_id"].isna(), "holder_since"] = pd.NaT
    rel = pd.DataFrame(relatives, columns=["cadre_id", "relative_id", "relation"])
    return Dataset.from_frames({"units": UNITS, "cadres": cadres, "positions": positions, "relatives": rel})


def pairs(conflicts, rule=None):
    c = conflicts if rule is None else conflicts[conflicts["rule_id"] == rule]
    return {frozenset((a, b)) for a, b in zip(c["cadre_a"], c["cadre_b"], strict=True)}


AS_OF = "2020-01-01"


# ----------------------------------------------------------------------------- scopes


def test_unit_scopes_walk_the_parent_chain():
    s = unit_scopes(UNITS)
    assert s.loc["HU_BTC", "party_committee"] == "HU"
    assert s.loc["XA_A", "party_committee"] == "XA_A"
    assert pd.isna(s.loc["P_NV", "party_committee"])
    assert s.loc["P_NV", "locality"] == s.loc["UBND_H", "locality"] != s.loc["XA_A", "locality"]


# ----------------------------------------------------------------------------- rule 1: same Party committee


def test_party_committee_rule_true_in_a_commune():
    ds = make_tables([("C01", "C02", "anh_chi_em")])
    c = current_conflicts(ds, AS_OF)
    assert pairs(c, "cap_uy_chu_chot") == {frozenset({"C01", "C02"})}
    row = c[c["rule_id"] == "cap_uy_chu_chot"].iloc[0]
    assert row["scope_id"] == "XA_A" and row["kind"] == "hien_tai"
    assert "205-QĐ/TW" in row["reference"]


def test_party_committee_rule_true_for_the_organisation_board_of_the_district():
    ds = make_tables([("C10", "C11", "vo_chong")])
    assert pairs(current_conflicts(ds, AS_OF), "cap_uy_chu_chot") == {frozenset({"C10", "C11"})}


def test_party_committee_rule_false_for_another_board_or_another_committee():
    # head of the propaganda board is not a linked post (unit_function: to_chuc only)
    ds = make_tables([("C10", "C12", "vo_chong"), ("C01", "C04", "anh_chi_em")])
    assert current_conflicts(ds, AS_OF).empty


# ----------------------------------------------------------------------------- rule 2: chair with home affairs / inspectorate


def test_chair_and_head_of_home_affairs_true():
    ds = make_tables([("C20", "C21", "cha_me")])
    c = current_conflicts(ds, AS_OF)
    assert pairs(c, "chu_tich_noi_vu_thanh_tra") == {frozenset({"C20", "C21"})}
    assert c.iloc[0]["scope"] == "same_locality"


def test_chair_and_head_of_finance_or_commune_chair_false():
    # finance is not home affairs; a commune chair is not in the district's locality
    ds = make_tables([("C20", "C22", "cha_me"), ("C05", "C21", "anh_chi_em")])
    assert current_conflicts(ds, AS_OF).empty


# ----------------------------------------------------------------------------- rule 3: head and deputy of one unit


def test_head_and_deputy_of_the_same_unit_true():
    ds = make_tables([("C22", "C23", "vo_chong")])
    c = current_conflicts(ds, AS_OF)
    assert pairs(c, "cap_truong_cap_pho") == {frozenset({"C22", "C23"})}
    assert set(c.loc[c["rule_id"] == "cap_truong_cap_pho", "relation_vi"]) <= {"vợ", "chồng"}


def test_head_and_deputy_of_different_units_or_organs_false():
    # deputy of another department; the commune secretary and a People's Committee vice-chair
    ds = make_tables([("C22", "C25", "vo_chong"), ("C01", "C03", "vo_chong")])
    assert current_conflicts(ds, AS_OF).empty


# ----------------------------------------------------------------------------- rule 4: anti-corruption law art. 20


def test_head_with_relative_as_accountant_true():
    ds = make_tables([("C24", "C22", "cha_me")])
    c = current_conflicts(ds, AS_OF)
    assert pairs(c, "pctn_nhan_su_tai_chinh") == {frozenset({"C22", "C24"})}
    assert "Điều 20" in c.iloc[0]["reference"]


def test_head_of_another_unit_with_relative_as_accountant_false():
    ds = make_tables([("C24", "C21", "cha_me")])
    assert current_conflicts(ds, AS_OF).empty


# ----------------------------------------------------------------------------- dates and rules as data


def test_rules_are_dated():
    ds = make_tables([("C22", "C23", "vo_chong"), ("C24", "C22", "cha_me")])
    # 1-7-2019: only the anti-corruption rule; 23-9-2019: Quy định 205 adds the others
    definition = {"relations": ["vo_chong", "cha_me", "con", "anh_chi_em"], "derived": []}
    early = current_conflicts(ds, "2019-08-01", overrides={"relatives.definition": definition})
    assert set(early["rule_id"]) == {"pctn_nhan_su_tai_chinh"}
    assert set(current_conflicts(ds, "2019-09-23")["rule_id"]) == {"pctn_nhan_su_tai_chinh", "cap_truong_cap_pho"}
    assert current_conflicts(ds, "2019-06-30").empty  # no linked-post rule in force yet


def test_a_new_rule_is_an_edit_to_data():
    ds = make_tables([("C04", "C05", "anh_chi_em")])
    assert current_conflicts(ds, AS_OF).empty
    rule = {"rule_id": "thu_nghiem", "description_vi": "Quy tắc thử.", "titles": ["pho_bi_thu"],
            "with_titles": ["chu_tich_ubnd"], "scope": "same_locality", "reference": "Văn bản thử"}
    c = current_conflicts(ds, AS_OF, overrides={"relatives.linked_posts": [rule]})
    assert list(c["rule_id"]) == ["thu_nghiem"] and pairs(c) == {frozenset({"C04", "C05"})}


# ----------------------------------------------------------------------------- derived relations


def test_parent_in_law_is_a_relative():
    # C23 (deputy) is married to C30, whose father C22 heads the same department
    ds = make_tables([("C23", "C30", "vo_chong"), ("C30", "C22", "cha_me")])
    c = current_conflicts(ds, AS_OF)
    row = c[c["rule_id"] == "cap_truong_cap_pho"].iloc[0]
    assert {row["cadre_a"], row["cadre_b"]} == {"C22", "C23"}
    assert bool(row["derived"]) and row["via"] == "C30"
    assert "C30" in row["relation_vi"] or "Người C30" in row["relation_vi"]


def test_in_laws_do_not_count_when_the_definition_drops_them():
    ds = make_tables([("C23", "C30", "vo_chong"), ("C30", "C22", "cha_me")])
    definition = {"relations": ["vo_chong", "cha_me", "con", "anh_chi_em"], "derived": []}
    assert current_conflicts(ds, AS_OF, overrides={"relatives.definition": definition}).empty


def test_siblings_through_a_shared_parent():
    # C04 and C05 never recorded as siblings, but share the parent C31
    ds = make_tables([("C04", "C31", "cha_me"), ("C05", "C31", "cha_me"), ("C01", "C32", "cha_me"),
                      ("C02", "C32", "cha_me")])
    c = current_conflicts(ds, AS_OF)
    row = c[c["rule_id"] == "cap_uy_chu_chot"].iloc[0]
    assert {row["cadre_a"], row["cadre_b"]} == {"C01", "C02"}
    assert row["relation"] == "anh_chi_em" and bool(row["derived"]) and row["via"] == "C32"
    assert pairs(c) == {frozenset({"C01", "C02"})}  # C04/C05: deputy secretary and chair are not linked


def test_link_recorded_in_one_direction_counts_both_ways():
    ds = make_tables([("C02", "C01", "con")])  # C01 is the child of C02
    assert pairs(current_conflicts(ds, AS_OF)) == {frozenset({"C01", "C02"})}


# ----------------------------------------------------------------------------- proposals


def _props(rows):
    return pd.DataFrame(rows, columns=["proposal_id", "cadre_id", "action", "position_id", "target_title",
                                       "target_unit_id", "effective_date"]).assign(
        effective_date=lambda d: pd.to_datetime(d["effective_date"]))


def test_conflict_inside_a_batch():
    ds = make_tables([("C33", "C34", "vo_chong")])
    props = _props([("D1", "C33", "bo_nhiem", "XA_B-BT", "bi_thu", "XA_B", "2020-06-01"),
                    ("D2", "C34", "luan_chuyen", None, "pho_bi_thu", "XA_B", "2020-06-01")])
    c = proposal_conflicts(ds, props)
    assert set(c["kind"]) == {"trong_dot"}
    assert {frozenset((a, b)) for a, b in zip(c["proposal_a"], c["proposal_b"], strict=True)} == {frozenset({"D1", "D2"})}
    assert set(c["rule_id"]) == {"cap_uy_chu_chot", "cap_truong_cap_pho"}


def test_batch_conflict_waits_for_the_later_proposal():
    ds = make_tables([("C33", "C34", "vo_chong")])
    props = _props([("D1", "C33", "bo_nhiem", "XA_B-BT", "bi_thu", "XA_B", "2020-06-01"),
                    ("D2", "C34", "luan_chuyen", None, "pho_bi_thu", "XA_B", "2020-09-01")])
    c = proposal_conflicts(ds, props)
    assert len(c[c["rule_id"] == "cap_uy_chu_chot"]) == 1 and set(c["as_of"]) == {"2020-09-01"}


def test_proposal_against_a_current_holder_and_a_vacated_post():
    # C33 proposed as deputy secretary of XA_B where the sibling C05 chairs the People's Committee: no rule;
    # C34 proposed as commune secretary of XA_A where the spouse C02 heads the inspection committee: conflict
    ds = make_tables([("C05", "C33", "anh_chi_em"), ("C02", "C34", "vo_chong")])
    props = _props([("D1", "C33", "bo_nhiem", None, "pho_bi_thu", "XA_B", "2020-06-01"),
                    ("D2", "C34", "bo_nhiem", "XA_A-BT", "bi_thu", "XA_A", "2020-06-01")])
    c = proposal_conflicts(ds, props)
    assert list(c["kind"].unique()) == ["de_xuat_nguoi_dang_giu"]
    assert pairs(c) == {frozenset({"C34", "C02"})} and set(c["proposal_a"]) == {"D2"}
    # if C02 is moved out of XA_A in the same batch, the conflict disappears
    props2 = pd.concat([props, _props([("D3", "C02", "luan_chuyen", None, "chu_nhiem_ubkt", "XA_B",
                                        "2020-06-01")])], ignore_index=True)
    assert proposal_conflicts(ds, props2).empty


def test_proposal_replacing_the_relative_removes_the_conflict():
    # C23's father-in-law C22 heads P_TC; C23 is appointed head in his place: no conflict left
    ds = make_tables([("C23", "C30", "vo_chong"), ("C30", "C22", "cha_me")])
    props = _props([("D1", "C23", "bo_nhiem", "P_TC-TP", "truong_phong", "P_TC", "2020-06-01")])
    assert proposal_conflicts(ds, props).empty


# ----------------------------------------------------------------------------- the sample dataset


@pytest.mark.skipif(not SAMPLE.is_dir(), reason="sample dataset not generated")
def test_sample_planted_conflicts_are_found():
    ds = load_dataset(SAMPLE, as_of="2019-12-31")
    c = current_conflicts(ds, "2019-12-31")
    found = {(r, frozenset((a, b))) for r, a, b in zip(c["rule_id"], c["cadre_a"], c["cadre_b"], strict=True)}
    assert found == {
        ("cap_uy_chu_chot", frozenset({"CB0112", "CB0116"})),        # siblings, Hùng Tiến
        ("cap_truong_cap_pho", frozenset({"CB0027", "CB0028"})),     # spouses, Tài nguyên và Môi trường
        ("pctn_nhan_su_tai_chinh", frozenset({"CB0047", "CB0064"})),  # accountant's father heads the unit
        ("cap_truong_cap_pho", frozenset({"CB0032", "CB0033"})),     # father-in-law (derived)
    }
    assert bool(c.loc[c["cadre_b"] == "CB0033", "derived"].iloc[0])
