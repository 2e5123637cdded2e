"""The state on a date is reconstructed from the work history; snapshot-only datasets keep working."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from kimson_ds.data.io import load_dataset
from kimson_ds.history.state import dataset_on, history_mode, state_on

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "kimson"
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"


@pytest.fixture(scope="module")
def ds():
    return load_dataset(SAMPLE)


def _holder(st, position_id):
    pos = st.positions.set_index("position_id")
    return pos.loc[position_id, "holder_id"]


def _communes(st):
    return int(st.units["kind"].isin(["xa", "thi_tran"]).sum())


def test_sample_runs_in_history_mode(ds):
    assert history_mode(ds) == "lich_su"
    assert "quá trình công tác" in state_on(ds, "2016-11-30").note_vi


def test_2016_has_the_27_communes_and_the_district(ds):
    st = state_on(ds, "2016-11-30")
    assert _communes(st) == 27
    assert "chinh_quyen_huyen" in set(st.units["kind"])


def test_merger_of_2020_on_both_sides_of_new_year(ds):
    before, after = state_on(ds, "2019-12-31"), state_on(ds, "2020-01-01")
    assert (_communes(before), _communes(after)) == (27, 25)
    secretary = _holder(before, "XA_XUAN_THIEN-BI_THU-1")
    assert pd.notna(secretary)
    assert _holder(after, "XA_XUAN_CHINH-BI_THU-1") == secretary
    assert "XA_XUAN_THIEN" not in set(after.units["unit_id"])


def test_luu_phuong_joins_phat_diem_on_1_january_2025(ds):
    before, after = state_on(ds, "2024-12-31"), state_on(ds, "2025-01-01")
    assert (_communes(before), _communes(after)) == (25, 24)
    assert "XA_LUU_PHUONG" in set(before.units["unit_id"]) and "XA_LUU_PHUONG" not in set(after.units["unit_id"])
    lp_people = set(before.holdings.loc[before.holdings["unit_id"] == "XA_LUU_PHUONG", "cadre_id"])
    pd_people = set(after.holdings.loc[after.holdings["unit_id"] == "TT_PHAT_DIEM", "cadre_id"])
    assert lp_people and lp_people <= pd_people


def test_two_level_structure_from_1_july_2025_is_managed_by_the_province(ds):
    before, after = state_on(ds, "2025-06-30"), state_on(ds, "2025-07-01")
    assert _communes(after) == 8 and "chinh_quyen_huyen" not in set(after.units["unit_id"].map(
        ds["units"].set_index("unit_id")["kind"]))
    key = lambda st: st.positions[st.positions["title"].isin(["bi_thu", "chu_tich_ubnd"])  # noqa: E731
                                  & st.positions["unit_id"].str.startswith(("XA", "TT"))]
    assert set(key(before)["managing_body"]) == {"btv_huyen_uy"}
    assert set(key(after)["managing_body"]) == {"btv_tinh_uy"}
    assert key(after)["holder_id"].notna().all()


def test_rotated_secretary_is_in_the_commune_only_after_the_rotation(ds):
    rot = ds["rotations"].set_index("to_unit_id").loc["XA_KIM_DONG"]
    before, after = state_on(ds, "2016-11-30"), state_on(ds, "2017-01-15")
    assert _holder(after, "XA_KIM_DONG-BI_THU-1") == rot["cadre_id"]
    assert pd.isna(_holder(before, "XA_KIM_DONG-BI_THU-1"))  # the predecessor is not in the records
    where = before.holdings.loc[before.holdings["cadre_id"] == rot["cadre_id"], "unit_id"]
    assert list(where) == [rot["from_unit_id"]]


def test_dataset_on_a_past_date_leaves_out_people_not_yet_working(ds):
    past = dataset_on(ds, "2013-01-01")
    assert (past["cadres"]["work_start_date"] <= pd.Timestamp("2013-01-01")).all()
    assert len(past["cadres"]) < len(ds["cadres"])
    assert past["positions"]["holder_id"].dropna().isin(past["cadres"]["cadre_id"]).all()


def test_snapshot_only_dataset_keeps_working_and_says_so(tmp_path):
    folder = tmp_path / "snap"
    shutil.copytree(MINIMAL, folder)
    for name in ("work_history.csv", "unit_successions.csv"):
        (folder / name).unlink(missing_ok=True)
    snap = load_dataset(folder)
    assert history_mode(snap) == "anh_chup"
    st = state_on(snap, "2018-06-30")
    assert "ảnh chụp" in st.note_vi
    assert _holder(st, "XA_KIM_HAI-BI_THU-1") == "CB0001"
    assert dataset_on(snap, "2018-06-30")["positions"].equals(
        snap["positions"].assign(managing_body=0).drop(columns="managing_body").reset_index(drop=True))


def test_dataset_on_gives_each_holder_seniority_in_post_and_title_from_the_history(tmp_path):
    folder = tmp_path / "ds"
    shutil.copytree(MINIMAL, folder)
    (folder / "work_history.csv").write_text(
        "cadre_id,unit_id,title,position_id,start_date,end_date,filled_by,decision_no,decision_date\n"
        "CB0001,XA_KIM_TRUNG,bi_thu,XA_KIM_TRUNG-BI_THU-1,2016-01-01,2017-12-31,bau,,\n"
        "CB0001,XA_KIM_HAI,bi_thu,XA_KIM_HAI-BI_THU-1,2018-01-01,2020-09-30,luan_chuyen,,\n"
        "CB0001,XA_KIM_HAI,bi_thu,XA_KIM_HAI-BI_THU-1,2020-10-01,,bau,,\n"          # re-elected: same run
        "CB0003,PB_NOI_VU,truong_phong,PB_NOI_VU-TRUONG_PHONG-1,2017-01-01,2021-12-31,bo_nhiem,,\n"
        "CB0003,PB_NOI_VU,truong_phong,PB_NOI_VU-TRUONG_PHONG-1,2022-01-01,,bo_nhiem,,\n",  # reappointed
        encoding="utf-8")
    pos = dataset_on(load_dataset(folder), "2022-06-30")["positions"].set_index("position_id")
    sec = pos.loc["XA_KIM_HAI-BI_THU-1"]
    assert sec["holder_since"] == pd.Timestamp("2020-10-01")  # the holding in force
    assert sec["post_since"] == pd.Timestamp("2018-01-01")  # a re-election does not restart the run
    assert sec["title_since"] == pd.Timestamp("2016-01-01")  # secretary since 2016, two communes
    assert pd.isna(sec["appointed_on"])  # elected, no appointment term
    head = pos.loc["PB_NOI_VU-TRUONG_PHONG-1"]
    assert head["post_since"] == pd.Timestamp("2017-01-01") and head["appointed_on"] == pd.Timestamp("2022-01-01")
    assert pd.isna(pos.loc["XA_KIM_TRUNG-BI_THU-1", "post_since"])  # empty post
    # a day without any appointment in force (only elected holders) still rebuilds
    early = dataset_on(load_dataset(folder), "2016-06-30")["positions"].set_index("position_id")
    assert early.loc["XA_KIM_TRUNG-BI_THU-1", "post_since"] == pd.Timestamp("2016-01-01")
    assert early["appointed_on"].isna().all()
