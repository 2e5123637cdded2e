"""Who decides a post and how it is filled, by date (management.competence)."""

from __future__ import annotations

import pandas as pd

from kimson_ds.rules.competence import competence

POSTS = pd.DataFrame({"title": ["bi_thu", "pho_chu_tich_ubnd", "truong_phong", "bi_thu"],
                      "unit_kind": ["xa", "thi_tran", "phong_ban", "co_quan_dang"]})


def test_before_july_2025_the_district_decides_commune_posts_and_its_own_departments():
    out = competence(POSTS, "2025-06-30")
    assert list(out["body_vi"]) == ["Ban Thường vụ Huyện ủy"] * 3 + ["Ban Thường vụ Tỉnh ủy"]
    assert list(out["mode"]) == ["bau", "bau", "bo_nhiem", "bau"]


def test_from_july_2025_the_province_decides_commune_posts_and_district_posts_no_longer_exist():
    out = competence(POSTS, "2025-07-01")
    assert list(out["body_vi"][:2]) == ["Ban Thường vụ Tỉnh ủy"] * 2
    assert out["body"].iloc[2:].isna().all() and (out["mode_vi"].iloc[2:] == "").all()


def test_each_regime_is_cited_on_both_sides_of_its_date():
    cites = {day: competence(POSTS, day)["reference"].iloc[0] for day in
             ("2017-12-18", "2017-12-19", "2022-08-17", "2022-08-18", "2025-10-07", "2025-10-08")}
    assert "67-QĐ/TW" in cites["2017-12-18"] and "105-QĐ/TW" in cites["2017-12-19"]
    assert "105-QĐ/TW" in cites["2022-08-17"] and "80-QĐ/TW" in cites["2022-08-18"]
    assert "Nghị quyết 60-NQ/TW" in cites["2025-10-07"] and "377-QĐ/TW" in cites["2025-10-08"]
    assert competence(POSTS, "2023-01-01")["assumption"].all()  # the district's own table was not found
