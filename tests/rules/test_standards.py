"""Standards of target posts: dated rules, gaps, and the course paths that close them."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from kimson_ds.errors import DataError
from kimson_ds.rules.standards import (
    best_course_paths,
    close_gaps,
    qualifications_as_of,
    standards_gaps,
    unmet_summary,
)

UNITS = pd.DataFrame({"unit_id": ["X1", "P1", "HU"], "kind": ["xa", "phong_ban", "chinh_quyen_huyen"]})

COURSES = pd.DataFrame({
    "course_id": ["SC", "TC", "CC", "CV", "DH"],
    "name": ["Sơ cấp", "Trung cấp", "Cao cấp", "QLNN chuyên viên", "Đại học"],
    "field": ["political_theory", "political_theory", "political_theory", "state_mgmt", "education"],
    "grants_level": ["so_cap", "trung_cap", "cao_cap", "chuyen_vien", "dai_hoc"],
    "months": [3.0, 8.0, 18.0, 2.0, 30.0],
    "seats_per_year": [10, 10, 10, 10, 10],
    "cost_million_vnd": [3.0, 12.0, 35.0, 4.5, 40.0],
    "prerequisite_level": [None, "so_cap", "trung_cap", None, "trung_cap"],
})


def cadre(cid="A", birth="1980-01-15", gender="nam", education="trung_cap", pol="trung_cap", sm="chuyen_vien"):
    return {"cadre_id": cid, "birth_date": pd.Timestamp(birth), "gender": gender, "education": education,
            "political_theory": pol, "state_mgmt": sm}


def gaps_for(people, title, unit, when, **kw):
    cadres = pd.DataFrame(people)
    targets = pd.DataFrame({"cadre_id": cadres["cadre_id"], "target_title": title, "target_unit_id": unit})
    return standards_gaps(cadres, targets, when, units=UNITS, **kw)


def row(g, cid, std):
    r = g.loc[(g["cadre_id"] == cid) & (g["standard"] == std)]
    assert len(r) == 1, (cid, std, r)
    return r.iloc[0]


def test_commune_secretary_standards_change_on_2023_08_01():
    # 47 years old on both dates, trung cấp education
    people = [cadre("A", birth="1976-01-01", education="trung_cap")]
    before = gaps_for(people, "bi_thu", "X1", "2023-07-31")
    after = gaps_for(people, "bi_thu", "X1", "2023-08-01")
    assert set(before["standard"]) == {"political_theory", "education", "state_mgmt", "max_age_first",
                                       "years_left_first"}
    assert set(after["standard"]) == {"political_theory", "education", "months_left_first", "years_left_first"}
    # QĐ 04/2004: trung cấp education is enough, but 47 > 45 at first appointment
    assert bool(row(before, "A", "education")["met"])
    assert not bool(row(before, "A", "max_age_first")["met"])
    assert row(before, "A", "max_age_first")["actual"] == 47
    assert "Quyết định 04/2004" in row(before, "A", "education")["reference"]
    # from 25-12-2019 (Thông tư 13/2019/TT-BNV, not confirmed) the same values are labelled GIẢ ĐỊNH
    assert "Thông tư 13/2019" in row(before, "A", "education")["reference"]
    assert bool(row(before, "A", "education")["assumption"])
    early = gaps_for(people, "bi_thu", "X1", "2019-12-24")
    assert "Thông tư 13/2019" not in row(early, "A", "education")["reference"]
    # Nghị định 33/2023: university degree, no age cap, 60 months left
    assert not bool(row(after, "A", "education")["met"])
    assert row(after, "A", "education")["required"] == "dai_hoc"
    assert bool(row(after, "A", "months_left_first")["met"])
    assert "33/2023" in row(after, "A", "education")["reference"]
    assert "đại học" in row(after, "A", "education")["reason"]


def test_chair_needs_two_terms_before_2023():
    # a man born 1-1960 retires at 60y (before 2021) -> no two terms left in 2015
    people = [cadre("A", birth="1962-06-01"), cadre("B", birth="1980-06-01")]
    g = gaps_for(people, "chu_tich_ubnd", "X1", "2015-06-30")
    assert not bool(row(g, "A", "terms_left_first")["met"])
    assert bool(row(g, "B", "terms_left_first")["met"])
    assert "2 nhiệm kỳ" in row(g, "A", "terms_left_first")["reason"]


def test_post_kind_decided_by_unit_kind():
    people = [cadre("A", education="dai_hoc", pol="trung_cap", sm="chuyen_vien")]
    dept = gaps_for(people, "truong_phong", "P1", "2019-12-31")
    assert set(dept["post_kind"]) == {"district_head"}
    qual = dept[dept["standard"] != "years_left_first"]
    assert bool(qual["assumption"].all())  # district heads' qualification standards are an ASSUMPTION
    # the 60-month first-appointment rule is confirmed from Quy định 105-QĐ/TW (19-12-2017)
    assert not bool(row(dept, "A", "years_left_first")["assumption"])
    assert "Quy định 105-QĐ/TW" in row(dept, "A", "years_left_first")["reference"]
    assert bool(row(dept, "A", "political_theory")["met"])  # a department head needs trung cấp (review S3)
    lead = gaps_for(people, "chu_tich_ubnd", "HU", "2019-12-31")
    assert set(lead["post_kind"]) == {"district_leader"}
    assert not bool(row(lead, "A", "political_theory")["met"])  # a district leader needs cao cấp
    # the same title-less post in a commune is "other": only the years-left rule
    other = gaps_for(people, "pho_truong_phong", "P1", "2019-12-31")
    assert list(other["standard"]) == ["years_left_first"]
    assert set(other["post_kind"]) == {"other"}


def test_first_time_false_skips_first_appointment_rules():
    cadres = pd.DataFrame([cadre("A", birth="1960-01-01")])
    targets = pd.DataFrame({"cadre_id": ["A"], "target_title": ["bi_thu"], "target_unit_id": ["X1"],
                            "first_time": [False]})
    g = standards_gaps(cadres, targets, "2019-06-30", units=UNITS)
    assert not g["standard"].str.endswith("_first").any()


def test_years_left_follows_retirement_roadmap():
    # woman born 1-7-1970: under the roadmap she retires at 57y4m in 11-2027, so on 1-1-2021 she has
    # 6y10m left and meets the 5-year rule; a fixed 55 would give 4.5 years and fail it
    people = [cadre("W", birth="1970-07-01", gender="nu")]
    g = gaps_for(people, "pho_truong_phong", "P1", "2021-01-01")
    r = row(g, "W", "years_left_first")
    assert r["actual"] == pytest.approx((6 * 12 + 10) / 12)
    assert bool(r["met"])
    old = gaps_for([cadre("V", birth="1962-01-01", gender="nu")], "pho_truong_phong", "P1", "2015-01-01")
    r = row(old, "V", "years_left_first")
    assert r["actual"] == pytest.approx(2.0) and not bool(r["met"])
    assert "cần tối thiểu 5 năm" in r["reason"]


def test_take_up_date_per_target_and_used_params():
    cadres = pd.DataFrame([cadre("A", education="trung_cap")])
    targets = pd.DataFrame({"cadre_id": ["A", "A"], "target_title": ["bi_thu", "bi_thu"],
                            "target_unit_id": ["X1", "X1"], "take_up_date": ["2020-06-30", "2025-06-30"]})
    used = []
    g = standards_gaps(cadres, targets, "2020-01-01", units=UNITS, used_params=used)
    edu = g.loc[g["standard"] == "education"].sort_values("take_up_date")
    assert list(edu["met"]) == [True, False]
    assert [p.as_of.isoformat() for p in used] == ["2020-06-30", "2025-06-30"]
    assert "standards.commune_key" in used[0].used


def test_missing_unit_kind_is_a_data_error():
    cadres = pd.DataFrame([cadre("A")])
    targets = pd.DataFrame({"cadre_id": ["A"], "target_title": ["bi_thu"], "target_unit_id": ["X1"]})
    with pytest.raises(DataError):
        standards_gaps(cadres, targets, "2019-01-01")
    targets["target_unit_id"] = "NOWHERE"
    with pytest.raises(DataError, match="NOWHERE"):
        standards_gaps(cadres, targets, "2019-01-01", units=UNITS)


def test_unmet_summary_lists_unmet_in_vietnamese():
    people = [cadre("A", birth="1970-01-01", pol="so_cap", sm="chua_co"), cadre("B", birth="1985-01-01")]
    s = unmet_summary(gaps_for(people, "bi_thu", "X1", "2019-06-30")).set_index("cadre_id")
    assert not s.at["A", "all_met"] and s.at["A", "n_unmet"] == 3
    assert s.at["A", "unmet"] == "Lý luận chính trị; Quản lý nhà nước; Tuổi khi giữ chức lần đầu"
    assert not s.at["A", "closable"]  # the age cannot be trained away
    assert s.at["B", "all_met"] and s.at["B", "unmet"] == ""


def test_close_gaps_includes_prerequisites_and_says_what_cannot_close():
    people = [cadre("A", birth="1970-01-01", pol="chua_co", sm="chua_co")]
    paths = close_gaps(gaps_for(people, "bi_thu", "X1", "2019-06-30"), COURSES).set_index("standard")
    assert paths.at["political_theory", "courses"] == ("SC", "TC")
    assert paths.at["political_theory", "months"] == 11.0
    assert paths.at["political_theory", "cost_million_vnd"] == 15.0
    assert paths.at["political_theory", "course_path"] == "Sơ cấp → Trung cấp"
    assert paths.at["state_mgmt", "courses"] == ("CV",)
    assert not paths.at["max_age_first", "closable"]
    assert math.isnan(paths.at["max_age_first", "months"])
    assert paths.at["max_age_first", "reason"].startswith("Không thể đáp ứng bằng đào tạo")


def test_close_gaps_without_a_course_and_with_trainings():
    people = [cadre("A", pol="so_cap", sm="chuyen_vien"), cadre("B", pol="so_cap")]
    g = gaps_for(people, "chu_tich_ubnd", "HU", "2019-06-30")  # a district leader post (review S3)
    # no course grants chuyên viên chính
    p = close_gaps(g, COURSES)
    sm = p.loc[(p["cadre_id"] == "A") & (p["standard"] == "state_mgmt")].iloc[0]
    assert math.isnan(sm["months"]) and "Không có khóa học" in sm["reason"]
    # B is enrolled in trung cấp: the path starts with it, then cao cấp
    tr = pd.DataFrame({"cadre_id": ["B"], "course_id": ["TC"], "year": [2019], "status": ["enrolled"]})
    p = close_gaps(g, COURSES, trainings=tr)
    pol = p.loc[(p["cadre_id"] == "B") & (p["standard"] == "political_theory")].iloc[0]
    assert pol["courses"] == ("TC", "CC") and pol["months"] == 18.0


def test_best_course_paths_prefers_fewest_months():
    extra = pd.concat([COURSES, pd.DataFrame({
        "course_id": ["TC_FAST"], "name": ["Trung cấp rút gọn"], "field": ["political_theory"],
        "grants_level": ["trung_cap"], "months": [5.0], "seats_per_year": [5], "cost_million_vnd": [30.0],
        "prerequisite_level": [None]})], ignore_index=True)
    assert best_course_paths(extra, "political_theory", "chua_co", "trung_cap") == [(5.0, 30.0, ("TC_FAST",))]
    assert best_course_paths(COURSES, "political_theory", "cao_cap", "trung_cap") == [(0.0, 0.0, ())]
    assert best_course_paths(COURSES, "state_mgmt", "chua_co", "chuyen_vien_chinh") == []


def test_qualifications_rolled_back_to_as_of():
    cadres = pd.DataFrame([cadre("A", pol="trung_cap"), cadre("B", pol="trung_cap")])
    tr = pd.DataFrame({"cadre_id": ["A", "A", "B"], "course_id": ["SC", "TC", "TC"], "year": [2014, 2018, 2015],
                       "status": ["completed"] * 3})
    then = qualifications_as_of(cadres, tr, COURSES, "2017-08-31").set_index("cadre_id")
    assert then.at["A", "political_theory"] == "so_cap"  # trung cấp came in 2018
    assert then.at["B", "political_theory"] == "trung_cap"
