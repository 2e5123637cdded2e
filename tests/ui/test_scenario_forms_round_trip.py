"""Forms instead of hand-written files: a rotation scenario saved from the form reopens unchanged,
a bad file gives a Vietnamese message, a proposal added in the vetting form is checked and vetted."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kimson_ds.data.io import load_dataset
from kimson_ds.rotation import model as rotation
from kimson_ds.ui.rotation import RotationPanel
from kimson_ds.ui.vetting import VettingPanel
from kimson_ds.vetting import checklist as vetting

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "kimson"
SCENARIO = REPO / "data" / "scenarios" / "luan-chuyen-2016.yaml"

pytestmark = pytest.mark.skipif(not SAMPLE.is_dir(), reason="data/kimson is not generated")


@pytest.fixture(scope="module")
def ds():
    return load_dataset(SAMPLE)


@pytest.fixture(autouse=True)
def _roots(saves_in_tmp):
    return saves_in_tmp


def test_rotation_form_saves_a_scenario_that_reopens_into_the_same_controls(ds, tmp_path):
    panel = RotationPanel(ds, rotation.load_rotation_scenario(SCENARIO), dataset_path=SAMPLE)
    c = panel.controls
    with panel.holding():
        c["min_women"].value = 2
        c["n_pho_bi_thu"].value = 3
        c["rule_relatives"].value = False
        c["weight_distance"].value = 0.5
        c["bans"].value = (c["bans"].options[0][1],)
        c["alternatives"].value = 2
    before = {k: v.value for k, v in c.items()}
    plan = panel.result.assignments[["cadre_id", "post_id"]].to_numpy().tolist()
    panel.saver.path.value = str(tmp_path / "kb.yaml")
    saved = panel.saver.save()
    assert saved is not None, panel.saver.out.value
    on_disk = rotation.load_rotation_scenario(saved)  # what the CLI reads
    assert on_disk.model_dump() == panel.scenario().model_dump()

    fresh = RotationPanel(ds, rotation.load_rotation_scenario(SCENARIO), dataset_path=SAMPLE)
    box = fresh.widget
    assert fresh.open_scenario(saved)
    assert fresh.widget is box  # the page keeps its panel
    assert {k: v.value for k, v in fresh.controls.items()} == before
    assert fresh.result.assignments[["cadre_id", "post_id"]].to_numpy().tolist() == plan
    assert "Đã mở kịch bản" in fresh.open_out.value


def test_opening_a_missing_or_invalid_scenario_explains_in_vietnamese(ds, tmp_path):
    panel = RotationPanel(ds, rotation.load_rotation_scenario(SCENARIO), dataset_path=SAMPLE)
    runs = panel.runs
    assert not panel.open_scenario(tmp_path / "khong-co.yaml")
    assert "Không mở được kịch bản" in panel.open_out.value and "khong-co.yaml" in panel.open_out.value
    bad = tmp_path / "sai.yaml"
    bad.write_text("as_of: 2016-11-30\nposts: {counts: {bi_thu: 1}}\ntrong_so: 3\n", encoding="utf-8")
    assert not panel.open_scenario(bad)
    assert "trong_so" in panel.open_out.value and "Traceback" not in panel.open_out.value
    assert panel.runs == runs  # nothing recomputed, the form is unchanged


def test_vetting_form_adds_a_checked_proposal_and_saves_the_batch_for_the_cli(ds, tmp_path):
    panel = VettingPanel(ds, dataset_path=SAMPLE)
    n = len(panel.result[1].verdicts)
    f = panel.form
    f["proposal_id"].value = "DX01"  # taken by the file's batch
    f["cadre_id"].value, f["position_id"].value = "CB0100", "XA_KIM_DINH-BI_THU-1"
    f["effective_date"].value = "01/07/2020"
    assert not panel.add_proposal()
    assert "đã có trong đợt" in panel.form_message.value
    f["proposal_id"].value, f["effective_date"].value = "DX20", "31/02/2020"
    assert not panel.add_proposal() and "ngày/tháng/năm" in panel.form_message.value
    f["effective_date"].value = "01/06/2020"  # the same cadre, action, post and date as DX02 of the file
    assert not panel.add_proposal() and "trùng" in panel.form_message.value
    f["effective_date"].value = "01/07/2020"
    assert panel.add_proposal()
    verdicts = panel.result[1].verdicts.set_index("proposal_id")
    assert len(verdicts) == n + 1 and "DX20" in verdicts.index

    panel.batch_saver.path.value = str(tmp_path / "de-xuat.csv")
    saved = panel.batch_saver.save()
    assert saved is not None, panel.batch_saver.out.value
    again = vetting.read_proposals(saved, ds)
    pd.testing.assert_frame_equal(again.drop(columns="row"), panel.batch().drop(columns="row"))
    assert panel.controls["proposals"].value == str(saved)
