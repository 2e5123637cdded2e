"""Rating, planning, training and vetting run on the organisation of their date, and say which mode they used."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from kimson_ds.cli import main
from kimson_ds.data.io import load_dataset
from kimson_ds.history.state import dataset_on
from kimson_ds.training.schedule import knowledge_update_members

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "kimson"
SCEN = ROOT / "data" / "scenarios"


@pytest.fixture(autouse=True)
def _audit(tmp_path, monkeypatch):
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))


@pytest.fixture(scope="module")
def ds():
    return load_dataset(SAMPLE)


@pytest.fixture
def snapshot_only(tmp_path):
    """The sample without its work history: holders come from the snapshot of 31-12-2019."""
    folder = tmp_path / "snap"
    shutil.copytree(SAMPLE, folder)
    for name in ("work_history.csv", "unit_successions.csv"):
        (folder / name).unlink()
    return folder


def _holders_on(ds, unit, title, day):
    wh = ds["work_history"]
    t = pd.Timestamp(day)
    now = (wh["unit_id"] == unit) & (wh["title"] == title) & (wh["start_date"] <= t) \
        & (wh["end_date"].isna() | (wh["end_date"] >= t))
    return set(wh.loc[now, "cadre_id"])


def test_managed_by_btv_on_the_snapshot_date_is_the_snapshot_list(ds):
    day = dataset_on(ds, "2019-12-31")["cadres"].set_index("cadre_id")["managed_by_btv"]
    snap = ds["cadres"].set_index("cadre_id")["managed_by_btv"]
    assert day.reindex(snap.index).fillna(False).astype(bool).equals(snap.fillna(False).astype(bool))


def test_rating_a_past_year_rates_people_in_the_post_they_held_that_year(tmp_path, capsys, ds):
    out = tmp_path / "r16.csv"
    assert main(["rate", str(SAMPLE), "--year", "2016", "--as-of", "2018-01-01", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Cơ cấu ngày 31/12/2016" in text and "quá trình công tác" in text
    got = pd.read_csv(out, encoding="utf-8-sig").set_index("Mã cán bộ")
    # CB0008 was deputy head of the organisation committee in 2016 (work history); the 2019 snapshot only
    # knows the post taken later
    held_2016 = ds["work_history"].query("cadre_id == 'CB0008'")
    held_2016 = held_2016[(held_2016["start_date"] <= "2016-12-31")
                          & (held_2016["end_date"].isna() | (held_2016["end_date"] >= "2016-12-31"))]
    assert list(held_2016["unit_id"]) == ["HU_BAN_TO_CHUC"]
    assert got.loc["CB0008", "Đơn vị"] == "HU_BAN_TO_CHUC"
    snap = ds["positions"][ds["positions"]["holder_id"].eq("CB0008")]
    assert (snap["holder_since"] > "2016-12-31").all()


def test_planning_check_of_a_past_term_reads_that_date_s_holdings(tmp_path, capsys, ds):
    out = tmp_path / "p"
    assert main(["plan", str(SAMPLE), "--term", "2015-2020", "--out", str(out)]) == 0
    assert "Cơ cấu ngày 31/12/2014" in capsys.readouterr().out
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["structure"]["mode"] == "lich_su" and run["structure"]["mode_vi"] == "lịch sử công tác"
    assert run["structure"]["structure_date"] == "2014-12-31"
    bench = pd.read_csv(out / "bench.csv", encoding="utf-8-sig").set_index("Mã chức danh quy hoạch")
    names = ds["cadres"].set_index("cadre_id")["full_name"]
    then = {names[c] for c in _holders_on(ds, "XA_VAN_HAI", "pho_bi_thu", "2014-12-31")}
    now = set(ds["positions"].query("unit_id == 'XA_VAN_HAI' and title == 'pho_bi_thu'")["holder_id"].map(names))
    shown = set(str(bench.loc["pho_bi_thu@XA_VAN_HAI", "Người đương nhiệm"]).split(", "))
    assert len(then) == 1 and len(now) == 2 and shown == then
    # a post nobody held on that day in the records is vacant then, whoever holds it in 2019
    assert not _holders_on(ds, "HU", "pho_bi_thu", "2014-12-31")
    assert bench.loc["pho_bi_thu@HU", "Người đương nhiệm"] == "(khuyết)"
    # CB0002 became deputy secretary only in 2015: planned for secretary in 2014 without a lower post held
    viol = pd.read_csv(out / "violations.csv", encoding="utf-8-sig")
    assert ((viol["Mã cán bộ"] == "CB0002") & (viol["Mã quy tắc"] == "LOWER_LEVEL")).any()


def test_training_and_vetting_record_the_structure_of_their_date(tmp_path, capsys):
    out = tmp_path / "t"
    assert main(["train", str(SAMPLE), "--scenario", str(SCEN / "dao-tao-2020-2025.yaml"), "--out", str(out)]) == 0
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["structure"]["structure_date"] == "2017-08-31"
    out = tmp_path / "v"
    main(["vet", str(SAMPLE), "--proposals", str(SCEN / "de-xuat-mau.csv"), "--out", str(out)])
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["structure"]["structure_date"] == run["as_of"] == "2020-08-01"  # the latest effective date
    assert "Cơ cấu ngày 01/08/2020" in capsys.readouterr().out


def test_snapshot_only_dataset_still_plans_and_says_it_used_the_snapshot(tmp_path, capsys, snapshot_only):
    out = tmp_path / "p"
    assert main(["plan", str(snapshot_only), "--term", "2015-2020", "--out", str(out)]) == 0
    assert "ảnh chụp" in capsys.readouterr().out
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["structure"]["mode"] == "anh_chup" and run["structure"]["mode_vi"] == "ảnh chụp"
    bench = pd.read_csv(out / "bench.csv", encoding="utf-8-sig").set_index("Mã chức danh quy hoạch")
    names = load_dataset(snapshot_only)["cadres"].set_index("cadre_id")["full_name"]
    snap = load_dataset(snapshot_only)["positions"].query("unit_id == 'XA_VAN_HAI' and title == 'pho_bi_thu'")
    shown = set(str(bench.loc["pho_bi_thu@XA_VAN_HAI", "Người đương nhiệm"]).split(", "))
    assert shown == set(snap["holder_id"].map(names)) and len(shown) == 2
    assert main(["rate", str(snapshot_only), "--year", "2019", "--out", str(tmp_path / "r.csv")]) == 0
    assert "ảnh chụp" in capsys.readouterr().out


def test_knowledge_update_members_of_a_past_year_come_from_that_year_s_holdings():
    units = pd.DataFrame({"unit_id": ["XA_A"], "kind": ["xa"]})
    # the snapshot (2019): CB1 is now a commune civil servant, CB2 the secretary since 2018
    positions = pd.DataFrame({"position_id": ["P1", "P2"], "unit_id": ["XA_A", "XA_A"],
                              "title": ["cong_chuc_xa", "bi_thu"], "holder_id": ["CB1", "CB2"],
                              "holder_since": pd.to_datetime(["2018-01-01", "2018-01-01"])})
    history = pd.DataFrame({"cadre_id": ["CB1", "CB1", "CB2"], "unit_id": ["XA_A"] * 3,
                            "title": ["bi_thu", "cong_chuc_xa", "bi_thu"],
                            "start_date": pd.to_datetime(["2012-01-01", "2018-01-01", "2018-01-01"]),
                            "end_date": pd.to_datetime(["2017-12-31", None, None])})
    snap_2017 = knowledge_update_members(positions, units, "2017-12-31")
    hist_2017 = knowledge_update_members(positions, units, "2017-12-31", history=history)
    hist_2019 = knowledge_update_members(positions, units, "2019-12-31", history=history)
    assert set(snap_2017["cadre_id"]) == set()  # the snapshot knows nobody who held a member post in 2017
    assert set(hist_2017["cadre_id"]) == {"CB1"}  # the secretary of 2017
    assert set(hist_2019["cadre_id"]) == {"CB2"}
