"""Scenario forms without YAML (rating what-if, training, planning, merger staffing): a scenario built in
the form is saved, the command line runs the saved file to the result the panel shows, and "Mở kịch bản"
loads it back into a fresh form unchanged; every field of the scenario model has a Vietnamese label."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from ui_sample import REPO, SAMPLE, needs_sample

from kimson_ds.config import load_scenario
from kimson_ds.planning.slate_model import PlanScenario
from kimson_ds.rating.scenario import RatingScenario
from kimson_ds.rotation.model import RotationScenario, load_rotation_scenario
from kimson_ds.training.schedule import TrainingScenario
from kimson_ds.ui.forms import field_paths

SCENARIOS = REPO / "data" / "scenarios"
VI = set("àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ")

pytestmark = [needs_sample, pytest.mark.usefixtures("saves_in_tmp")]


def _cli(tmp_path, *args) -> subprocess.CompletedProcess:
    run = subprocess.run([sys.executable, "-m", "kimson_ds.cli", *map(str, args)], cwd=REPO, capture_output=True,
                         text=True, encoding="utf-8",
                         env={**os.environ, "KIMSON_AUDIT_LOG": str(tmp_path / "audit.jsonl"),
                              "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])})
    assert run.returncode == 0, run.stdout + run.stderr
    return run


def _save(panel, path: Path) -> Path:
    assert not panel.form.missing_labels  # every field and every choice of a drop-down is labelled
    panel.saver.path.value = str(path)
    saved = panel.saver.save()
    assert saved is not None, panel.saver.out.value
    return saved


def _values(panel) -> dict:
    f = panel.form
    return {**{k: v.value for k, v in panel.controls.items()}, **{k: v.value for k, v in f.fields.items()},
            **{f"tick {k}": v.value for k, v in f.ticks.items()}}


@pytest.mark.parametrize("panel_module, name, model", [
    ("rating", "RATING_LABELS", RatingScenario), ("training", "TRAINING_LABELS", TrainingScenario),
    ("succession", "PLANNING_LABELS", PlanScenario), ("rotation", "ROTATION_LABELS", RotationScenario)])
def test_every_field_of_the_scenario_has_a_vietnamese_label(panel_module, name, model):
    import importlib

    labels = getattr(importlib.import_module(f"kimson_ds.ui.{panel_module}"), name)
    missing = [p for p in field_paths(model) if p not in labels]
    assert not missing
    assert all(set(text.lower()) & VI for text in labels.values()), labels


def test_rating_what_if_built_in_the_form_is_rated_alike_by_the_cli_and_reopens_unchanged(ds, tmp_path):
    from kimson_ds.ui.rating import RatingPanel

    panel = RatingPanel(ds, dataset_path=SAMPLE)
    c, f = panel.controls, panel.form.fields
    with panel.holding():
        c["year"].value = 2018
        c["as_of"].value = "2019-10-18"
        c["compare_as_of"].value = ""
        c["group_col"].value = "title"
        f["all_cadres"].value = True
        f["name"].value = "Xếp loại 2018 theo Quy định 2019, chia nhóm theo chức danh"
    assert panel.error is None, panel.error
    saved = _save(panel, tmp_path / "xep-loai.yaml")
    sc = load_scenario(saved, RatingScenario)
    assert sc == panel.scenario() and sc.all_cadres and sc.group == "title"

    out = tmp_path / "xep-loai.csv"
    _cli(tmp_path, "rate", SAMPLE, "--scenario", saved, "--out", out)
    cli = pd.read_csv(out, dtype=str, encoding="utf-8-sig").set_index("Mã cán bộ")
    vi = panel.result[0].vietnamese().set_index("Mã cán bộ")
    assert len(cli) == len(vi) > 100
    level = next(col for col in vi.columns if col.startswith("Mức xếp loại"))
    pd.testing.assert_series_equal(cli[level].reindex(vi.index).fillna(""), vi[level].astype(str).fillna("")
                                   .replace("nan", ""), check_names=False)

    fresh = RatingPanel(ds, dataset_path=SAMPLE)
    assert fresh.open_scenario(saved), fresh.open_out.value
    assert fresh.scenario() == sc
    assert _values(fresh) == _values(panel)
    assert "Đã mở kịch bản" in fresh.open_out.value


def test_training_plan_built_in_the_form_is_scheduled_alike_by_the_cli_and_reopens_unchanged(ds, tmp_path):
    from kimson_ds.ui.training import TrainingPanel

    panel = TrainingPanel(ds, "data/scenarios/dao-tao-2020-2025.yaml", dataset_path=SAMPLE)
    f = panel.form.fields
    with panel.holding():
        f["weights.key_post"].value = 3.0
        f["knowledge_update.class_capacity"].value = 50
        f["budget_million_vnd"].value = "2017: 200.0\n2018: 350.0\n2019: 400.0"
        panel.controls["thin_slate_bonus"].value = 2.0
    assert panel.error is None, panel.error
    sc = panel.scenario()
    assert sc.budget_million_vnd == {2017: 200.0, 2018: 350.0, 2019: 400.0} and sc.weights.thin_slate_bonus == 2.0
    shown = panel.result[1].schedule
    saved = _save(panel, tmp_path / "dao-tao.yaml")
    assert load_scenario(saved, TrainingScenario) == sc

    out = tmp_path / "cli"
    _cli(tmp_path, "train", SAMPLE, "--scenario", saved, "--out", out)
    cli = pd.read_csv(out / "schedule.csv", dtype=str, encoding="utf-8-sig")
    key = ["Mã cán bộ", "Mã khóa học", "Năm bắt đầu"]
    got = sorted(map(tuple, cli[key].to_numpy().tolist()))
    want = sorted(map(tuple, shown[["cadre_id", "course_id", "start_year"]].astype(str).to_numpy().tolist()))
    assert got == want and len(got) > 50

    fresh = TrainingPanel(ds, "data/scenarios/dao-tao-2020-2025.yaml", dataset_path=SAMPLE)
    assert fresh.open_scenario(saved), fresh.open_out.value
    assert fresh.scenario() == sc
    assert _values(fresh) == _values(panel)


def test_a_form_field_that_cannot_be_read_explains_in_vietnamese_and_keeps_the_last_result(ds):
    from kimson_ds.ui.rating import RatingPanel

    panel = RatingPanel(ds, dataset_path=SAMPLE)
    before = panel.result
    panel.form.fields["parameters"].value = "rating.point_thresholds: [1, 2"
    assert panel.result is before and panel.error
    assert "Ghi đè tham số quy định" in panel.error and "Traceback" not in panel.message.value
    panel.form.fields["parameters"].value = "khong_co_tham_so: 1"
    assert panel.error and "khong_co_tham_so" in panel.error


def test_planning_scenario_built_in_the_form_gives_the_cli_slates_and_reopens_unchanged(ds, tmp_path):
    from kimson_ds.ui.succession import SuccessionPanel

    panel = SuccessionPanel(ds, "data/scenarios/quy-hoach-2020-2025.yaml", dataset_path=SAMPLE)
    first = panel.result[2].slates
    dropped = first.iloc[0]  # someone on the optimal list, excluded from every post
    f, c = panel.form, panel.controls
    with panel.holding():
        c["slate_size"].value = 2
        c["override_women"].value, c["women_share_min"].value = True, 0.3
        f.fields["weights.keep_current"].value = 1.5
        f.nodes["excludes"].pick({"cadre_id": dropped["cadre_id"]}, {})
        f.nodes["pins"].pick({"cadre_id": "CB0100"}, {"target_title": "bi_thu", "target_unit_id": "XA_KIM_DINH"})
    assert panel.error is None, panel.error
    sc = panel.scenario()
    assert sc.slate_size == 2 and sc.parameters == {"planning.women_share_min": 0.3}
    assert [x.cadre_id for x in sc.excludes] == [dropped["cadre_id"]] and sc.excludes[0].target_title is None
    shown = panel.result[2].slates
    assert dropped["cadre_id"] not in set(shown["cadre_id"])
    saved = _save(panel, tmp_path / "quy-hoach.yaml")
    assert load_scenario(saved, PlanScenario) == sc

    out = tmp_path / "cli"
    _cli(tmp_path, "plan", SAMPLE, "--scenario", saved, "--optimise", "--out", out)
    cli = pd.read_csv(out / "slates.csv", dtype=str, encoding="utf-8-sig")
    ids = [col for col in cli.columns if col.startswith("Mã cán bộ")]
    assert sorted(cli[ids[0]]) == sorted(shown["cadre_id"].astype(str)) and len(cli) > 100

    fresh = SuccessionPanel(ds, "data/scenarios/quy-hoach-2020-2025.yaml", dataset_path=SAMPLE)
    assert fresh.open_scenario(saved), fresh.open_out.value
    assert fresh.scenario() == sc
    assert _values(fresh) == _values(panel)
    assert fresh.form.nodes["pins"].get() == panel.form.nodes["pins"].get()


def test_merger_staffing_built_in_the_form_is_solved_alike_by_the_cli_and_reopens_unchanged(ds, tmp_path):
    from kimson_ds.ui.rotation import RotationPanel, merger_panel

    merger = SCENARIOS / "sap-xep-2025.yaml"
    panel = RotationPanel(ds, load_rotation_scenario(SCENARIOS / "luan-chuyen-2016.yaml"), dataset_path=SAMPLE)
    assert panel.open_scenario(merger), panel.open_out.value
    assert panel.scenario().model_dump() == load_rotation_scenario(merger).model_dump()  # opened unchanged
    assert merger_panel(ds).scenario().model_dump() == panel.scenario().model_dump()
    f, c = panel.form, panel.controls
    new_units = f.fields["merger.new_units"].value.splitlines()
    assert new_units[0].startswith("XA2025_CHAT_BINH: [") and len(new_units) == 8
    with panel.holding():
        f.fields["rules.gender.min_women_share"].value = 0.25
        f.fields["rules.home.absolute"].value = True
        f.fields["merger.note"].value = "Thử tỷ lệ nữ 25%"
        c["weight_development"].value = 0.5
    assert panel.error is None, panel.error
    sc = panel.scenario()
    assert sc.rules.gender.min_women_share == 0.25 and sc.rules.home.absolute and sc.weights.development == 0.5
    assert sc.merger.new_units == load_rotation_scenario(merger).merger.new_units
    shown = list(zip(panel.result.assignments["cadre_id"], panel.result.assignments["post_id"], strict=True))
    saved = _save(panel, tmp_path / "sap-xep.yaml")
    assert load_rotation_scenario(saved).model_dump() == sc.model_dump()

    out = tmp_path / "cli"
    _cli(tmp_path, "rotate", SAMPLE, "--scenario", saved, "--out", out)
    cli = pd.read_csv(out / "assignments.csv", dtype=str, encoding="utf-8-sig")
    assert list(zip(cli["Mã cán bộ"], cli["Mã vị trí"], strict=True)) == shown and len(shown) > 20

    fresh = merger_panel(ds)
    assert fresh.open_scenario(saved), fresh.open_out.value
    assert fresh.scenario().model_dump() == sc.model_dump()
    assert _values(fresh) == _values(panel)


def test_a_merger_line_that_cannot_be_read_is_explained_in_vietnamese(ds):
    from kimson_ds.ui.rotation import merger_panel

    panel = merger_panel(ds)
    before = panel.result
    lines = panel.form.fields["merger.new_units"].value.splitlines()
    panel.form.fields["merger.new_units"].value = "\n".join([*lines[:-1], lines[-1] + " ["])
    assert panel.error and "Xã mới và các xã cũ nhập vào" in panel.error and panel.result is before


def test_rating_report_refuses_a_scenario_its_notebook_cannot_reproduce(ds, tmp_path):
    from kimson_ds.ui.rating import RatingPanel

    panel = RatingPanel(ds, dataset_path=SAMPLE)
    panel.form.fields["all_cadres"].value = True
    assert panel.reporter.build(tmp_path / "bc") is None
    assert "chỉ nhận năm" in panel.reporter.out.value and "kimson-ds rate --scenario" in panel.reporter.out.value
