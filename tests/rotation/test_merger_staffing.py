"""Merger staffing: every cadre of the old communes (and of abolished bodies) is a candidate, surplus shown
with the policy that applies to it, what-if flagged when the data predate the merger."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from merger_world import _merger_dataset, _merger_scenario

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "minimal"
SAMPLE = ROOT / "data" / "kimson"
needs_sample = pytest.mark.skipif(not (SAMPLE / "cadres.csv").is_file(), reason="chưa có bộ dữ liệu mẫu")









# =========================================================================== merger: surplus
def test_merger_candidates_default_to_every_cadre_of_the_old_communes():
    from kimson_ds.rotation.model import run

    ds = _merger_dataset()
    r = run(ds, _merger_scenario())
    # A2 (chủ tịch MTTQ, non-key post), A3, B2 (no post) count too; Z (district) does not
    assert set(r.problem.cands["cadre_id"]) == {"A1", "A2", "A3", "B1", "B2"}
    assert len(r.assignments) == 2
    unused = r.tables["unused"]
    assert len(unused) == 3 and unused["reason"].str.startswith("Dôi dư sau sắp xếp").all()
    assert any(line.startswith("Sáp nhập: 5 cán bộ") and "3 người dôi dư" in line for line in r.diagnosis)
    assert not any(line.startswith("GIẢ ĐỊNH") for line in r.diagnosis)  # merger the day after the data
    # key_holders_of still narrows the pool to the key-post holders
    narrow = run(ds, _merger_scenario(candidates={"key_holders_of": ["X1", "X2"]}))
    assert set(narrow.problem.cands["cadre_id"]) == {"A1", "B1"} and len(narrow.tables["unused"]) == 0
    explicit = run(ds, _merger_scenario(candidates={"cadres_of": ["X2"]}))
    assert set(explicit.problem.cands["cadre_id"]) == {"B1", "B2"}


def test_merger_long_after_the_data_is_flagged_as_an_assumption():
    from kimson_ds.rotation.model import run

    sc = _merger_scenario(merger={"effective": "2025-07-01", "new_units": {"XN": ["X1", "X2"]},
                                  "note": "Thành phần xã mới là giả định."})
    r = run(_merger_dataset(effective="2025-07-01"), sc)
    lines = [x for x in r.diagnosis if x.startswith("GIẢ ĐỊNH")]
    assert len(lines) == 1 and "phương án giả định" in lines[0] and "what-if" not in lines[0] and "31/12/2019" in lines[0] and "01/07/2025" in lines[0]
    assert "Ghi chú kịch bản: Thành phần xã mới là giả định." in r.diagnosis


@needs_sample
@pytest.mark.slow
def test_sample_merger_2020_has_surplus_cadres(tmp_path):
    from kimson_ds.data.io import load_dataset
    from kimson_ds.rotation.model import load_rotation_scenario, run

    ds = load_dataset(SAMPLE)
    r = run(ds, load_rotation_scenario(ROOT / "data/scenarios/sap-xep-2020.yaml"))
    assert r.solution.optimal and len(r.assignments) == 4
    olds = ds["cadres"].loc[ds["cadres"]["unit_id"].isin(["XA_XUAN_THIEN", "XA_CHINH_TAM"]), "cadre_id"]
    assert set(olds) <= set(r.problem.cands["cadre_id"])
    assert len(r.tables["unused"]) == len(r.problem.cands) - 4 > 0
    assert r.tables["unused"]["reason"].str.startswith("Dôi dư").all()


@needs_sample
@pytest.mark.slow
def test_sample_merger_2025_staffs_the_new_communes_from_communes_and_district_bodies(tmp_path, monkeypatch):
    from kimson_ds.cli import main
    from kimson_ds.data.io import load_dataset

    text = (ROOT / "data/scenarios/sap-xep-2025.yaml").read_text(encoding="utf-8")
    assert "GIẢ ĐỊNH" in text and "quá trình công tác" in text
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    out = tmp_path / "o"
    assert main(["rotate", str(SAMPLE), "--scenario", str(ROOT / "data/scenarios/sap-xep-2025.yaml"),
                 "--out", str(out)]) == 0
    diag = (out / "diagnosis.txt").read_text(encoding="utf-8")
    # the team of the eve of the reform, rebuilt from the work history (no what-if on 2019 data any more)
    assert diag.startswith("Cơ cấu ngày 30/06/2025") and "quá trình công tác" in diag.splitlines()[0]
    assert "what-if" not in diag and "các cơ quan kết thúc hoạt động" in diag
    assert "Nghị định 178/2024/NĐ-CP" in diag and "Nghị định 67/2025/NĐ-CP" in diag
    assert len(pd.read_csv(out / "assignments.csv", encoding="utf-8-sig")) == 40
    unused = pd.read_csv(out / "unused.csv", encoding="utf-8-sig")
    assert len(unused) > 0 and unused["Chính sách áp dụng (tham khảo)"].str.contains("Nghị định 178/2024").all()
    # the surplus includes the abolished district bodies' cadres, and nobody who had left service by then
    district = load_dataset(SAMPLE)["units"].query("kind in ['co_quan_dang', 'phong_ban', 'doan_the', "
                                                   "'chinh_quyen_huyen']")["name"]
    assert unused["Đơn vị hiện nay"].isin(district).any()
    wh = load_dataset(SAMPLE)["work_history"]
    serving = set(wh.loc[(wh["start_date"] <= "2025-06-30")
                         & (wh["end_date"].isna() | (wh["end_date"] >= "2025-06-30")), "cadre_id"])
    assert set(unused["Mã cán bộ"]) <= serving
    near = unused["Chính sách áp dụng (tham khảo)"].str.contains("nghỉ hưu trước tuổi")
    assert near.any() and (~near).any()
    # compared with the staffing the work history records from 1-7-2025 (not used to make the plan)
    m = re.search(r"Đối chiếu với (\d+) bố trí đã ghi nhận trong quá trình công tác từ ngày 01/07/2025: "
                  r"trùng người (\d+)/\1", diag)
    assert m, diag
    table = pd.read_csv(out / "backtest.csv", encoding="utf-8-sig")
    assert len(table) == int(m.group(1)) and "Cán bộ được bố trí" in table.columns
    elig = pd.read_csv(out / "eligibility.csv", encoding="utf-8-sig", nrows=5)
    assert "unit_name" not in elig.columns and "Chức danh" in elig.columns


def test_cadres_of_abolished_district_bodies_join_and_may_go_to_any_new_commune():
    from kimson_ds.rotation.model import run

    ds = _merger_dataset()
    plain = run(ds, _merger_scenario())
    assert "Z" not in set(plain.problem.cands["cadre_id"])
    sc = _merger_scenario(merger={"effective": "2020-01-01", "new_units": {"XN": ["X1", "X2"]},
                                  "district_units": ["D1"]})
    r = run(ds, sc)
    assert "Z" in set(r.problem.cands["cadre_id"])
    z = r.problem.elig[r.problem.elig["cadre_id"] == "Z"]
    assert len(z) == 2 and not z["fail_successor"].any()  # any new commune, no predecessor needed
    assert any("các cơ quan kết thúc hoạt động" in line for line in r.diagnosis)
    # the data predate 2025: no surplus policy of NĐ 178/2024 (in force from 1-1-2025) is stated
    assert "policy" not in r.tables["unused"].columns
    assert not any("178/2024" in line for line in r.diagnosis)


def test_surplus_policy_follows_the_dated_parameter():
    from kimson_ds.rotation.model import surplus_policy
    from kimson_ds.rules.parameters import parameters

    cands = pd.DataFrame({"years_left": [3.0, 10.0, 10.5, 25.0], "current_rank": [2, 0, 1, 0]})
    got = surplus_policy(cands, parameters("2025-06-30"))
    assert ["nghỉ hưu trước tuổi" in g for g in got] == [True, True, False, False]  # at most 10 years left
    assert ["bảo lưu lương chức vụ" in g for g in got] == [True, False, True, False]  # leaders only
    assert all("Nghị định 67/2025/NĐ-CP" in g for g in got)
    assert "management.surplus_policy" not in parameters("2024-12-31")  # NĐ 178/2024 in force from 1-1-2025
