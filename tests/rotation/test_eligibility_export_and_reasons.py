"""Rotation explanations: Vietnamese eligibility export, vectorised top reasons ordered by count."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from merger_world import _merger_dataset, _merger_scenario

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "minimal"
SAMPLE = ROOT / "data" / "kimson"
needs_sample = pytest.mark.skipif(not (SAMPLE / "cadres.csv").is_file(), reason="chưa có bộ dữ liệu mẫu")



# =========================================================================== eligibility export




def test_eligibility_export_has_vietnamese_headers_and_labels():
    from kimson_ds.rotation.eligibility import DESCRIBE_COLUMNS, describe
    from kimson_ds.rotation.model import prepare, vietnamese

    pb = prepare(_merger_dataset(), _merger_scenario())
    out = vietnamese(describe(pb.elig, pb.cands, pb.posts))
    assert list(out.columns) == ["Mã cán bộ", "Họ và tên", "Giới tính", "Mã vị trí", "Mã đơn vị", "Xã, thị trấn",
                                 "Mã chức danh", "Chức danh", "Đủ điều kiện", "Lý do không đủ điều kiện", "Cần xem xét"]
    assert list(out.columns) == list(DESCRIBE_COLUMNS.values())
    assert set(out["Giới tính"]) == {"Nam", "Nữ"}
    assert set(out["Chức danh"]) == {"Bí thư", "Chủ tịch UBND"} and set(out["Mã chức danh"]) == {"bi_thu",
                                                                                                 "chu_tich_ubnd"}
    assert set(out["Xã, thị trấn"]) == {"Xã Mới"} and set(out["Đủ điều kiện"]) <= {"có", "không"}


# =========================================================================== rotation: vectorised reasons
def test_top_reasons_is_vectorised_and_orders_by_count(monkeypatch):
    from kimson_ds.rotation import model as rotation
    from kimson_ds.rotation.eligibility import RULES

    elig = pd.DataFrame({"cadre_id": ["A", "A", "A", "B", "B", "C"], "post_id": list("pqrpqp"),
                         "eligible": [False, False, False, False, True, True]})
    for r in RULES:
        elig[f"fail_{r}"] = False
    elig.loc[[0, 1], "fail_seniority"] = True
    elig.loc[[1, 2, 3], "fail_discipline"] = True
    elig.loc[[0, 3], "fail_home"] = True

    def no_apply(*_a, **_k):
        raise AssertionError("DataFrame.apply (vòng lặp theo dòng) không được dùng")

    monkeypatch.setattr(pd.DataFrame, "apply", no_apply)
    out = rotation._top_reasons(elig, "cadre_id", ["A", "B", "C"])
    # A: seniority 2, discipline 2, home 1 → the tie keeps the order of RULES (discipline before seniority)
    assert out["A"] == "kỷ luật (2), thâm niên, bậc chức danh (2), quê quán, nơi đang công tác (1)"
    assert out["B"] == "kỷ luật (1), quê quán, nơi đang công tác (1)"
    assert "C" not in out.index  # no excluded pair


