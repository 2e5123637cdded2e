"""Merger staffing: every cadre of the old communes is a candidate, surplus shown, what-if flagged."""

from __future__ import annotations

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
    assert len(lines) == 1 and "what-if" in lines[0] and "31-12-2019" in lines[0] and "01-07-2025" in lines[0]
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
def test_sample_merger_2025_is_a_flagged_what_if(tmp_path, monkeypatch):
    from kimson_ds.cli import main

    text = (ROOT / "data/scenarios/sap-xep-2025.yaml").read_text(encoding="utf-8")
    assert "what-if" in text and "ảnh chụp ngày 31-12-2019" in text
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    out = tmp_path / "o"
    assert main(["rotate", str(SAMPLE), "--scenario", str(ROOT / "data/scenarios/sap-xep-2025.yaml"),
                 "--out", str(out)]) == 0
    diag = (out / "diagnosis.txt").read_text(encoding="utf-8")
    assert "GIẢ ĐỊNH: đây là phương án giả định (what-if)" in diag
    unused = pd.read_csv(out / "unused.csv", encoding="utf-8-sig")
    assert len(unused) > 0
    elig = pd.read_csv(out / "eligibility.csv", encoding="utf-8-sig", nrows=5)
    assert "unit_name" not in elig.columns and "Chức danh" in elig.columns
