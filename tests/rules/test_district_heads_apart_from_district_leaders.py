"""District department heads and district leaders have different standards (review S3, S5).

Heads of district departments, Party boards, mass organisations, the Front and the
inspection committee (managed by the district standing committee) need trung cấp LLCT and
the chuyên viên grade; key district leaders (managed by the province) need cao cấp and
chuyên viên chính. The standards frameworks are QĐ 89-QĐ/TW (4-8-2017) and, from 30-8-2025,
QĐ 365-QĐ/TW; the levels themselves stay an ASSUMPTION (provincial rules not checked).
"""

from __future__ import annotations

import pandas as pd
import pytest

from kimson_ds.rules.parameters import parameters
from kimson_ds.rules.standards import POST_KIND_LABEL, standards_gaps

UNITS = pd.DataFrame({"unit_id": ["P1", "HU", "UB", "MT"],
                      "kind": ["phong_ban", "co_quan_dang", "chinh_quyen_huyen", "doan_the"]})
DEPUTY = {"cadre_id": "A", "birth_date": pd.Timestamp("1980-01-15"), "gender": "nam", "education": "dai_hoc",
          "political_theory": "trung_cap", "state_mgmt": "chuyen_vien"}


def _gaps(title, unit, when):
    targets = pd.DataFrame({"cadre_id": ["A"], "target_title": [title], "target_unit_id": [unit]})
    g = standards_gaps(pd.DataFrame([DEPUTY]), targets, when, units=UNITS)
    return g.set_index("standard")


@pytest.mark.parametrize("title,unit", [("truong_phong", "P1"), ("truong_ban", "HU"), ("chu_tich_mttq", "MT"),
                                        ("truong_doan_the", "MT"), ("chu_nhiem_ubkt", "HU")])
def test_department_heads_need_trung_cap_and_chuyen_vien(title, unit):
    g = _gaps(title, unit, "2020-07-01")
    assert set(g["post_kind"]) == {"district_head"}
    assert g.loc["political_theory", "required"] == "trung_cap" and g.loc["political_theory", "met"]
    assert g.loc["state_mgmt", "required"] == "chuyen_vien" and g.loc["state_mgmt", "met"]


@pytest.mark.parametrize("title,unit", [("bi_thu", "HU"), ("pho_bi_thu", "HU"), ("chu_tich_ubnd", "UB"),
                                        ("pho_chu_tich_ubnd", "UB")])
def test_district_leaders_need_cao_cap_and_chuyen_vien_chinh(title, unit):
    g = _gaps(title, unit, "2020-07-01")
    assert set(g["post_kind"]) == {"district_leader"}
    assert g.loc["political_theory", "required"] == "cao_cap" and not g.loc["political_theory", "met"]
    assert g.loc["state_mgmt", "required"] == "chuyen_vien_chinh" and not g.loc["state_mgmt", "met"]
    assert POST_KIND_LABEL["district_leader"] == "Lãnh đạo chủ chốt cấp huyện"


@pytest.mark.parametrize("name", ["standards.district_head", "standards.district_leader"])
def test_frameworks_cited_on_both_sides_of_their_dates(name):
    def ref(when):
        p = parameters(when)
        p.get(name)
        return p.references().set_index("name").loc[name]

    assert "89-QĐ/TW" not in ref("2017-08-03")["reference"]
    assert "89-QĐ/TW" in ref("2017-08-04")["reference"] and "365-QĐ/TW" not in ref("2025-08-29")["reference"]
    assert "365-QĐ/TW" in ref("2025-08-30")["reference"]
    assert all(ref(d)["assumption"] for d in ("2016-01-01", "2020-01-01", "2026-01-01"))


def test_2026_department_head_cites_qd_365_and_reads_trung_cap():
    g = _gaps("truong_phong", "P1", "2026-01-01")
    assert "365-QĐ/TW" in g.loc["political_theory", "reference"]
    assert g.loc["political_theory", "reason"] == "Đạt: lý luận chính trị Trung cấp (yêu cầu từ Trung cấp trở lên)"


def test_commune_60_months_cite_the_party_rule_that_sets_them():
    def ref(when):
        p = parameters(when)
        p.get("standards.commune_key")
        return p.references().set_index("name").loc["standards.commune_key", "reference"]

    assert "80-QĐ/TW" not in ref("2023-07-31")
    assert "33/2023" in ref("2023-08-01") and "80-QĐ/TW" in ref("2023-08-01")
