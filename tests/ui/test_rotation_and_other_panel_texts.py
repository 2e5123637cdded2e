"""Panel texts: rotation alternatives name people and posts, Vietnamese labels and dates, panels take notebook parameters."""

from __future__ import annotations

import re

import pytest
from ui_sample import ANALYSES, APPS, REPO, SAMPLE, SCENARIO, needs_sample  # noqa: F401

from kimson_ds.rotation import model as rotation
from kimson_ds.ui import common


@pytest.fixture(autouse=True)
def _audit(tmp_path, monkeypatch):
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))


# =========================================================================== 3.–4. rotation texts
@needs_sample
def test_alternatives_name_people_and_posts_and_keep_ids_apart(ds, base):
    r = rotation.run(ds, base.model_copy(update={"alternatives": 3}), rule_costs=False)
    alts = r.alternatives
    assert list(alts.columns) == ["plan", "objective", "score", "bonus", "penalty", "delta", "people_changed",
                                  "changes", "removed_ids", "added_ids", "equivalent"]
    assert len(alts) >= 2
    names = ds["cadres"].set_index("cadre_id")["full_name"]
    for row in alts.iloc[1:].itertuples():
        assert row.changes and row.removed_ids + row.added_ids
        assert not re.search(r"→ [A-Z0-9_]+-[A-Z_]+-\d", row.changes)  # no raw post ids in the text
        for verb, ids in (("bỏ", row.removed_ids), ("thêm", row.added_ids)):
            for pair in filter(None, ids.split("; ")):
                cadre, post = pair.split("→")
                assert re.fullmatch(r"CB\d+", cadre) and post in set(ds["positions"]["position_id"])
                assert f"{verb} {names[cadre]} → " in row.changes and f"({cadre})" not in row.changes
    assert "Bí thư" in alts["changes"].iloc[1] or "Phó Bí thư" in alts["changes"].iloc[1]
    vi = rotation.vietnamese(alts)
    assert "Cặp bỏ (mã cán bộ→mã vị trí)" in vi.columns and "Cặp thêm (mã cán bộ→mã vị trí)" in vi.columns


@needs_sample
def test_more_women_than_posts_is_named_first(ds, base):
    r = rotation.resolve(ds, rotation.with_knobs(base, min_women=9))  # 2 + 4 = 6 posts
    assert not r.feasible
    items = [x for x in r.diagnosis if x.startswith("- ")]
    assert items[0] == "- Nguyên nhân: Yêu cầu tối thiểu 9 nữ nhưng chỉ bố trí 6 vị trí"

    r = rotation.resolve(ds, rotation.with_knobs(base, n_pho_bi_thu=6, min_women=15))  # 8 posts, 10 women
    items = [x for x in r.diagnosis if x.startswith("- ")]
    assert items[0] == "- Nguyên nhân: Yêu cầu tối thiểu 15 nữ nhưng chỉ bố trí 8 vị trí"
    text = "\n".join(r.diagnosis)
    assert text.index("chỉ bố trí 8 vị trí") < text.index("ứng viên nữ đủ điều kiện")


@needs_sample
def test_per_title_women_beyond_posts_and_capitalised_titles(ds, base):
    sc = rotation.with_knobs(base, n_bi_thu=2, n_pho_bi_thu=4, min_women=0)
    sc.rules.gender.per_title = {"bi_thu": 3}
    r = rotation.resolve(ds, sc)
    assert not r.feasible
    items = [x for x in r.diagnosis if x.startswith("- ")]
    assert items[0] == "- Nguyên nhân: Yêu cầu tối thiểu 3 nữ làm Bí thư nhưng chỉ bố trí 2 vị trí Bí thư"
    assert "chức danh Bí thư" in "\n".join(r.diagnosis)
    assert " bí thư" not in "\n".join(r.diagnosis)

    short = rotation.resolve(ds, rotation.with_knobs(base, n_bi_thu=40))
    text = "\n".join(short.diagnosis)
    assert "Cần 40 vị trí Bí thư" in text and "Bí thư (thiếu" in text and " bí thư" not in text


# =========================================================================== 5.–6. rotation panel
@needs_sample
def test_chart_counts_come_from_eligibility_exclusion_counts(ds, base, monkeypatch):
    from kimson_ds.rotation import eligibility
    from kimson_ds.ui import rotation as ui_rotation

    calls = []

    def spy(elig):
        calls.append(elig)
        return eligibility.exclusion_counts(elig)

    monkeypatch.setattr(ui_rotation, "exclusion_counts", spy)
    panel = ui_rotation.RotationPanel(ds, base, dataset_path=SAMPLE)
    panel.tabs.selected_index = list(panel.others).index("charts")
    assert len(calls) == 1 and calls[0] is panel.result.problem.elig
    assert panel.others["charts"].value.startswith("<img")


@needs_sample
def test_rotation_panel_texts_are_vietnamese_and_readable(ds, base):
    from kimson_ds.ui.rotation import RotationPanel

    panel = RotationPanel(ds, base, dataset_path=SAMPLE)
    c = panel.controls
    assert c["seniority_bi_thu"].label == "10" and c["seniority_bi_thu"].value == 10.0
    assert c["weight_distance"].label == "0,2"
    c["seniority_pho_bi_thu"].value = 4.5
    assert c["seniority_pho_bi_thu"].label == "4,5"
    assert panel.scenario().rules.seniority.min_years_service["pho_bi_thu"] == 4.5
    c["weight_merit"].value = 1.23  # between two steps: snaps
    assert c["weight_merit"].value == 1.2
    assert "thêm " in panel.others["alternatives"].value and "(CB" not in panel.others["alternatives"].value
    assert "Cặp bỏ" not in panel.others["alternatives"].value  # machine columns stay in the CSV
    assert ".lm-TabBar-tab" in common.PANEL_CSS and "max-width: none" in common.PANEL_CSS
    assert c["seniority_pho_bi_thu"].style.description_width == "300px"


@needs_sample
def test_vetting_date_is_typed_as_day_month_year(ds):
    from kimson_ds.ui.vetting import VettingPanel

    panel = VettingPanel(ds, dataset_path=SAMPLE)
    assert panel.controls["as_of"].value == "01/08/2020"
    assert panel.notebook_parameters()["as_of"] == "2020-08-01"
    panel.controls["as_of"].value = "31/12/2019"
    assert panel.error is None and str(panel.result[1].as_of)[:10] == "2019-12-31"
    panel.controls["as_of"].value = "12/31/2019"  # month/day: refused, in Vietnamese
    assert "không hợp lệ" in panel.message.value and "ngày/tháng/năm" in panel.message.value


def test_date_and_number_helpers():
    import datetime as dt

    from kimson_ds.errors import ScenarioError

    assert common.parse_date_vi("1/8/2020") == dt.date(2020, 8, 1)
    assert common.parse_date_vi("2020-08-01") == dt.date(2020, 8, 1)
    with pytest.raises(ScenarioError, match="không hợp lệ"):
        common.parse_date_vi("31/02/2020")
    assert common.vi_number(0.25, 2) == "0,25" and common.date_vi("2020-08-01") == "01/08/2020"


# =========================================================================== 8. starting values
@needs_sample
def test_training_panel_takes_notebook_parameters(ds):
    from kimson_ds.training import schedule as training
    from kimson_ds.ui import training_panel

    panel = training_panel(ds, "data/scenarios/dao-tao-2020-2025.yaml", budget_scale=0.5, thin_slate_bonus=2.0,
                           gantt_rows=12)
    assert panel.error is None
    p = panel.notebook_parameters()
    assert (p["budget_scale"], p["thin_slate_bonus"], p["gantt_rows"]) == (0.5, 2.0, 12)
    sc = panel.scenario()
    assert sc.weights.thin_slate_bonus == 2.0
    assert len(panel.result[1].schedule) == len(training.run(ds, sc).schedule)


@pytest.mark.slow
@needs_sample
def test_succession_panel_takes_notebook_parameters(ds):
    from kimson_ds.ui import succession_panel

    panel = succession_panel(ds, "data/scenarios/quy-hoach-2020-2025.yaml", term="2020-2025", as_of="2019-12-31",
                             term_start="2020-08-01", women_share_min=0.3, slate_size=2)
    assert panel.error is None, panel.error
    p = panel.notebook_parameters()
    assert (p["as_of"], p["term_start"], p["women_share_min"], p["slate_size"]) == ("2019-12-31", "2020-08-01",
                                                                                     0.3, 2)
    P, _comp, _res = panel.result
    assert P.get("planning.women_share_min") == 0.3


