"""Tests of the dated regulation parameters and their loader."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import yaml

from kimson_ds.data import codes
from kimson_ds.errors import KimsonError, ParameterError
from kimson_ds.rules import parameters as P
from kimson_ds.rules.parameters import (
    ParameterSet,
    get_param,
    history,
    list_parameters,
    parameter_info,
    parameters,
    validate_all,
)

NAMES = list_parameters()

EXPECTED_NAMES = {
    "retirement.age_men_months",
    "retirement.age_women_months",
    "term.length_years",
    "planning.slate_max_per_post",
    "planning.slate_min_per_post",
    "planning.max_posts_per_person",
    "planning.young_age_limit_district",
    "planning.young_share_min",
    "planning.women_share_min",
    "planning.age_cohort_bounds",
    "planning.full_terms_required_at_planning",
    "planning.review_low_rating_years",
    "rotation.min_years_left",
    "rotation.min_duration_years",
    "rotation.title_rank",
    "rotation.seniority",
    "rotation.young_age_limit",
    "standards.commune_key",
    "standards.district_head",
    "standards.first_appointment_min_years_left",
    "rating.point_thresholds",
    "rating.excellent_quota_of_good",
    "rating.org_rating_year_offset",
    "rating.excellent_min_tasks_exceeded_pct",
    "rating.discipline_forces_fail",
    "training.knowledge_update_days_per_year",
    "training.knowledge_update_groups",
    "relatives.definition",
    "relatives.linked_posts",
    "vetting.min_rating_years",
}


def _vietnamese(text: str) -> bool:
    return any(ord(ch) > 127 and ch.isalpha() for ch in text)


# --------------------------------------------------------------------------- every file


def test_all_files_valid():
    assert validate_all() == []


def test_expected_parameters_present():
    assert EXPECTED_NAMES <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_parameter_file_well_formed(name):
    info = parameter_info(name)
    assert _vietnamese(info["description"]), name
    refs = info["metadata"]["reference"]
    assert isinstance(refs, list) and refs
    assert all(isinstance(r["title"], str) and r["title"].strip() for r in refs)
    dates = list(info["values"])
    assert dates and all(isinstance(d, dt.date) for d in dates)
    assert dates == sorted(dates) and len(set(dates)) == len(dates)
    for entry in info["entries"]:
        assert entry["reference"] and all(r["title"] for r in entry["reference"])
        assert isinstance(entry["assumption"], bool)
    # raw file: keys are dates written YYYY-MM-DD
    raw = yaml.safe_load(Path(info["file"]).read_text(encoding="utf-8"))
    for key in raw["values"]:
        assert isinstance(key, dt.date) and not isinstance(key, dt.datetime)
    # the value on the first date is readable, the day before is an error
    first = dates[0]
    assert parameters(first).get(name) == info["values"][first]
    with pytest.raises(ParameterError):
        parameters(first - dt.timedelta(days=1)).get(name)


@pytest.mark.parametrize("name", NAMES)
def test_values_on_both_sides_of_each_change(name):
    hist = history(name)
    for (_d0, v0), (d1, v1) in zip(hist, hist[1:], strict=False):
        assert get_param(name, d1 - dt.timedelta(days=1)) == v0
        assert get_param(name, d1) == v1


# --------------------------------------------------------------------------- dated values


@pytest.mark.parametrize(
    ("name", "before", "after", "change"),
    [
        ("planning.slate_max_per_post", 4, 3, "2022-01-01"),
        ("planning.slate_min_per_post", 2, 1, "2022-01-01"),
        ("planning.women_share_min", 0.15, 0.25, "2022-01-01"),
        ("retirement.age_men_months", 720, 723, "2021-01-01"),
        ("retirement.age_women_months", 660, 664, "2021-01-01"),
        ("rating.org_rating_year_offset", -1, 0, "2019-10-18"),
    ],
)
def test_change_dates(name, before, after, change):
    d = dt.date.fromisoformat(change)
    assert get_param(name, d - dt.timedelta(days=1)) == before
    assert get_param(name, d) == after


def test_slate_max_both_sides():
    assert parameters("2021-12-31")["planning.slate_max_per_post"] == 4
    assert parameters("2022-01-01")["planning.slate_max_per_post"] == 3


def test_quota_not_before_hd21():
    with pytest.raises(ParameterError) as exc:
        get_param("rating.excellent_quota_of_good", "2019-10-17")
    msg = str(exc.value)
    assert "rating.excellent_quota_of_good" in msg and "17/10/2019" in msg
    assert get_param("rating.excellent_quota_of_good", "2019-10-18") == pytest.approx(0.20)


def test_young_share_starts_2022():
    with pytest.raises(ParameterError):
        get_param("planning.young_share_min", "2021-12-31")
    assert get_param("planning.young_share_min", "2022-01-01") == pytest.approx(0.15)


def test_retirement_roadmap():
    men = dict(history("retirement.age_men_months"))
    women = dict(history("retirement.age_women_months"))
    for year in range(2021, 2029):
        assert men[dt.date(year, 1, 1)] == 723 + 3 * (year - 2021)
    for year in range(2021, 2036):
        assert women[dt.date(year, 1, 1)] == 664 + 4 * (year - 2021)
    assert get_param("retirement.age_men_months", "2023-07-01") == 729
    assert get_param("retirement.age_women_months", "2023-07-01") == 672
    assert get_param("retirement.age_men_months", "2040-01-01") == 744
    assert get_param("retirement.age_women_months", "2040-01-01") == 720


def test_point_thresholds_2025_not_assumption():
    entries = {e["since"]: e for e in parameter_info("rating.point_thresholds")["entries"]}
    assert entries[dt.date(2017, 12, 1)]["assumption"] is True
    assert entries[dt.date(2025, 9, 1)]["assumption"] is False
    assert entries[dt.date(2025, 9, 1)]["value"] == {"xuat_sac": 90, "tot": 70, "hoan_thanh": 50}
    p = parameters("2018-06-30")
    p.get("rating.point_thresholds")
    assert bool(p.references().loc[0, "assumption"]) is True
    p = parameters("2025-12-31")
    p.get("rating.point_thresholds")
    assert bool(p.references().loc[0, "assumption"]) is False


@pytest.mark.parametrize(
    ("name", "as_of", "flag"),
    [
        ("planning.slate_max_per_post", "2018-01-01", True),
        ("planning.slate_max_per_post", "2023-01-01", False),
        ("planning.age_cohort_bounds", "2018-01-01", True),
        ("planning.review_low_rating_years", "2018-01-01", True),
        ("planning.women_share_min", "2018-01-01", True),
        ("planning.women_share_min", "2023-01-01", False),
        ("rotation.title_rank", "2018-01-01", True),
        ("rotation.seniority", "2018-01-01", True),
        ("rotation.min_years_left", "2010-01-01", True),
        ("rotation.min_years_left", "2018-01-01", False),
        ("standards.district_head", "2018-01-01", True),
        ("standards.commune_key", "2024-01-01", False),
        ("rating.org_rating_year_offset", "2018-01-01", True),
        ("rating.excellent_quota_of_good", "2020-01-01", False),
        ("training.knowledge_update_days_per_year", "2018-01-01", True),
        ("vetting.min_rating_years", "2018-01-01", True),
        ("retirement.age_men_months", "2018-01-01", False),
    ],
)
def test_assumption_flags(name, as_of, flag):
    p = parameters(as_of)
    p.get(name)
    assert bool(p.references().set_index("name").loc[name, "assumption"]) is flag


def test_repeal_is_error(monkeypatch):
    fake = P._Parameter(
        name="x.y",
        path=Path("x/y.yaml"),
        description="Thử",
        metadata={},
        entries=(
            P._Entry(dt.date(2010, 1, 1), 1, False, (("T", ""),)),
            P._Entry(dt.date(2015, 1, 1), None, False, (("T", ""),)),
        ),
        dates=(dt.date(2010, 1, 1), dt.date(2015, 1, 1)),
    )
    monkeypatch.setattr(P, "_registry", lambda: {"x.y": fake})
    assert parameters("2014-12-31").get("x.y") == 1
    with pytest.raises(ParameterError, match="không còn hiệu lực từ ngày 01/01/2015"):
        parameters("2015-01-01").get("x.y")
    assert "x.y" not in parameters("2016-01-01")
    assert "x.y" in parameters("2012-01-01")


# --------------------------------------------------------------------------- content checks


def test_standards_use_ladder_codes():
    fields = {"education", "political_theory", "state_mgmt"}
    numeric = {"max_age_first", "terms_left_first", "months_left_first"}
    for d, table in history("standards.commune_key"):
        for title, req in table.items():
            assert title in codes.TITLE, (d, title)
            for field, level in req.items():
                if field in fields:
                    assert level in codes.LADDERS[field], (d, title, field, level)
                else:
                    assert field in numeric and isinstance(level, int)
    for name in ("standards.district_head", "standards.district_leader"):
        for _, req in history(name):
            for field, level in req.items():
                assert level in codes.LADDERS[field]
    later = get_param("standards.commune_key", "2023-08-01")
    assert later["bi_thu"] == {
        "education": "dai_hoc",
        "political_theory": "trung_cap",
        "months_left_first": 60,
    }
    earlier = get_param("standards.commune_key", "2023-07-31")
    assert earlier["bi_thu"]["max_age_first"] == 45
    assert earlier["chu_tich_ubnd"]["terms_left_first"] == 2


def test_rotation_tables_use_title_codes():
    rank = get_param("rotation.title_rank", "2018-01-01")
    assert set(rank) <= set(codes.TITLE)
    assert rank["bi_thu"] == 3 and rank["pho_bi_thu"] == 2 and rank["chuyen_vien"] == 0
    seniority = get_param("rotation.seniority", "2018-01-01")
    assert seniority["bi_thu"] == {"min_years_service": 10, "min_rank": 2}
    assert seniority["pho_bi_thu"] == {"min_years_service": 5, "min_rank": 1}
    assert set(seniority) <= set(rank)


def test_relatives_tables_use_codes():
    for _, definition in history("relatives.definition"):
        assert set(definition["relations"]) == set(codes.RELATION)
        for derived in definition["derived"]:
            assert set(derived["path"]) <= set(codes.RELATION)
    scopes = {"same_party_committee", "same_locality", "same_unit"}
    for _, rules in history("relatives.linked_posts"):
        ids = [r["rule_id"] for r in rules]
        assert len(ids) == len(set(ids))
        for rule in rules:
            assert rule["scope"] in scopes
            assert _vietnamese(rule["description_vi"]) and rule["reference"]
            titles = set(rule["titles"]) | set(rule.get("with_titles", []))
            assert titles <= set(codes.TITLE), rule["rule_id"]
            for title, functions in rule.get("unit_function", {}).items():
                assert title in titles
                assert set(functions) <= set(codes.UNIT_FUNCTION)
    assert [r["rule_id"] for r in get_param("relatives.linked_posts", "2019-07-01")] == [
        "pctn_nhan_su_tai_chinh"
    ]
    assert len(get_param("relatives.linked_posts", "2019-09-23")) == 4


def test_training_groups_use_codes():
    for _, groups in history("training.knowledge_update_groups"):
        for group in groups.values():
            assert _vietnamese(group["name_vi"])
            assert set(group["titles"]) <= set(codes.TITLE)
            assert set(group["unit_kinds"]) <= set(codes.UNIT_KIND)
    # Quy định 164-QĐ/TW has four "đối tượng": the district's cadres are all in đối tượng 4 (no group 5)
    groups = get_param("training.knowledge_update_groups", "2020-01-01")
    assert set(groups) == {"doi_tuong_4_xa", "doi_tuong_4_huyen"}
    assert all(g["name_vi"].startswith("Đối tượng 4") for g in groups.values())
    assert set(get_param("training.knowledge_update_groups", "2024-05-10")) == {"nhom_3"}


def test_cohort_bounds_ordered():
    bounds = get_param("planning.age_cohort_bounds", "2020-01-01")
    assert bounds == {"young_max": 40, "middle_max": 50}


# --------------------------------------------------------------------------- ParameterSet


@pytest.mark.parametrize(
    "as_of",
    ["2022-01-01", dt.date(2022, 1, 1), dt.datetime(2022, 1, 1, 15, 30), pd.Timestamp("2022-01-01 08:00")],
)
def test_as_of_types(as_of):
    p = parameters(as_of)
    assert p.as_of == dt.date(2022, 1, 1)
    assert p.get("planning.slate_max_per_post") == 3


@pytest.mark.parametrize("bad", ["31/12/2021", "2021-13-01", None, pd.NaT])
def test_bad_as_of(bad):
    with pytest.raises(ParameterError):
        parameters(bad)


def test_unknown_parameter():
    with pytest.raises(ParameterError, match="khong.ton_tai"):
        parameters("2020-01-01").get("khong.ton_tai")
    assert issubclass(ParameterError, KimsonError)


def test_overrides():
    p = parameters("2018-12-31", {"planning.slate_max_per_post": 2, "planning.young_share_min": 0.2})
    assert p["planning.slate_max_per_post"] == 2
    # an override wins even before the first regulation value
    assert p["planning.young_share_min"] == 0.2
    assert p["term.length_years"] == 5
    assert p.is_overridden("planning.slate_max_per_post")
    assert not p.is_overridden("term.length_years")
    q = p.with_overrides({"planning.slate_max_per_post": 5, "term.length_years": 4})
    assert q["planning.slate_max_per_post"] == 5 and q["term.length_years"] == 4
    assert q["planning.young_share_min"] == 0.2
    assert q.used == {
        "planning.slate_max_per_post": 5,
        "term.length_years": 4,
        "planning.young_share_min": 0.2,
    }
    assert p["planning.slate_max_per_post"] == 2  # original untouched


def test_unknown_override_rejected():
    with pytest.raises(ParameterError, match="planning.khong_co"):
        parameters("2020-01-01", {"planning.khong_co": 1})
    with pytest.raises(ParameterError):
        parameters("2020-01-01").with_overrides({"x": 1})


def test_used_and_references():
    p = parameters("2023-06-30", {"planning.slate_max_per_post": 2})
    assert p.used == {}
    assert list(p.references().columns) == [
        "name",
        "description",
        "value",
        "since",
        "reference",
        "href",
        "assumption",
        "overridden",
    ]
    assert p.references().empty
    p.get("retirement.age_men_months")
    p["planning.slate_max_per_post"]
    p.get("rating.point_thresholds")
    p.get("retirement.age_men_months")
    assert p.used == {
        "planning.slate_max_per_post": 2,
        "rating.point_thresholds": {"xuat_sac": 90, "tot": 70, "hoan_thanh": 50},
        "retirement.age_men_months": 729,
    }
    refs = p.references()
    assert list(refs["name"]) == sorted(p.used)
    row = refs.set_index("name").loc["retirement.age_men_months"]
    assert row["value"] == 729 and row["since"] == "2023-01-01"
    assert "135/2020" in row["reference"]
    assert not bool(row["assumption"]) and not bool(row["overridden"])
    assert _vietnamese(row["description"])
    row = refs.set_index("name").loc["planning.slate_max_per_post"]
    assert row["value"] == 2 and bool(row["overridden"]) and row["since"] == ""
    assert "50-QĐ/TW" in row["reference"]
    row = refs.set_index("name").loc["rating.point_thresholds"]
    assert row["value"] == {"xuat_sac": 90, "tot": 70, "hoan_thanh": 50}
    assert bool(row["assumption"]) and row["since"] == "2017-12-01"
    assert refs["assumption"].dtype == bool and refs["overridden"].dtype == bool


def test_values_are_copies():
    p = parameters("2020-01-01")
    rank = p.get("rotation.title_rank")
    rank["bi_thu"] = 99
    assert p.get("rotation.title_rank")["bi_thu"] == 3
    assert get_param("rotation.title_rank", "2020-01-01")["bi_thu"] == 3


def test_contains():
    p = parameters("2018-12-31")
    assert "planning.slate_max_per_post" in p
    assert "rating.excellent_quota_of_good" not in p
    assert "khong.co" not in p
    assert "rating.excellent_quota_of_good" in p.with_overrides({"rating.excellent_quota_of_good": 0.2})


def test_fast_lookup():
    import time

    parameters("2020-01-01").get("term.length_years")
    start = time.perf_counter()
    for _ in range(2000):
        parameters("2020-01-01").get("planning.slate_max_per_post")
    assert (time.perf_counter() - start) / 2000 < 1e-4


def test_parameter_set_type():
    assert isinstance(parameters("2020-01-01"), ParameterSet)
    assert "2020-01-01" in repr(parameters("2020-01-01"))


# --------------------------------------------------------------------------- malformed files


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


GOOD = """\
description: Tham số thử
metadata:
  reference:
    - title: Văn bản thử
values:
  2020-01-01:
    value: 1
"""


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (GOOD.replace("description: Tham số thử\n", ""), "description"),
        (GOOD.replace("description: Tham số thử", "description: Test parameter"), "tiếng Việt"),
        (GOOD.replace("  reference:\n    - title: Văn bản thử\n", "  unit: day\n"), "reference"),
        (GOOD.replace("    - title: Văn bản thử", "    - href: http://x"), "title"),
        (GOOD.split("values:")[0], "values"),
        (GOOD.replace("2020-01-01:", "hai-nghin:"), "không phải ngày"),
        (GOOD.replace("2020-01-01:", "2020-01-01 10:00:00:"), "không phải ngày"),
        (GOOD + "  2020-01-01:\n    value: 2\n", "trùng lặp"),
        (GOOD + "  '2020-01-01':\n    value: 2\n", "trùng lặp"),
        (GOOD.replace("    value: 1", "    valeur: 1"), "value"),
        (GOOD.replace("    value: 1", "    value: null"), "null"),
        (GOOD + "extra: 1\n", "khóa lạ"),
        (GOOD.replace("metadata:", "metadata:\n  assumtion: true"), "khóa lạ"),
        ("- 1\n- 2\n", "mapping"),
        ("description: [\n", "YAML"),
    ],
)
def test_malformed_file_reported(tmp_path, monkeypatch, text, fragment):
    _write(tmp_path, "nhom/thu.yaml", text)
    _write(tmp_path, "nhom/tot.yaml", GOOD)
    monkeypatch.setattr(P, "PARAMS_DIR", tmp_path)
    problems = validate_all()
    assert problems, text
    assert all("nhom/thu.yaml" in p for p in problems)
    assert any(fragment in p for p in problems), problems
    P._registry.cache_clear()
    try:
        with pytest.raises(ParameterError, match="nhom/thu.yaml"):
            parameters("2021-01-01")
    finally:
        monkeypatch.undo()
        P._registry.cache_clear()


def test_unsorted_dates_fine(tmp_path, monkeypatch):
    text = GOOD + "  2010-01-01:\n    value: 0\n"
    _write(tmp_path, "nhom/thu.yaml", text)
    monkeypatch.setattr(P, "PARAMS_DIR", tmp_path)
    P._registry.cache_clear()
    try:
        assert validate_all() == []
        assert history("nhom.thu") == [(dt.date(2010, 1, 1), 0), (dt.date(2020, 1, 1), 1)]
        assert get_param("nhom.thu", "2015-06-01") == 0
    finally:
        monkeypatch.undo()
        P._registry.cache_clear()


def test_override_must_have_the_parameters_shape():
    from kimson_ds.errors import ParameterError
    from kimson_ds.rules.parameters import parameters

    with pytest.raises(ParameterError, match="không đúng kiểu"):
        parameters("2020-01-01", {"rating.excellent_quota_of_good": "abc"})
    with pytest.raises(ParameterError, match="khóa không tồn tại: foo"):
        parameters("2020-01-01", {"rating.point_thresholds": {"foo": 1}})


def test_mapping_override_changes_only_named_keys():
    from kimson_ds.rules.parameters import parameters

    base = parameters("2020-01-01").get("rating.point_thresholds")
    ps = parameters("2020-01-01", {"rating.point_thresholds": {"xuat_sac": 85}})
    assert ps.get("rating.point_thresholds") == {**base, "xuat_sac": 85}
    assert ps.references().set_index("name").loc["rating.point_thresholds", "overridden"]
