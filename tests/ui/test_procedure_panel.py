"""The ballot-count panel: typing counts re-decides the procedure at once; the dataset is never changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from kimson_ds.data.io import load_dataset
from kimson_ds.ui.procedure import ProcedurePanel, procedure_panel

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "kimson"


@pytest.fixture(scope="module")
def ds():
    return load_dataset(SAMPLE)


def test_form_starts_from_the_recorded_counts_and_agrees_with_the_command(ds):
    panel = ProcedurePanel(ds, procedure_id="QT2019-02")
    assert panel.error is None
    assert panel.result.summary.iloc[0]["status"] == "khong_dat"
    assert panel.fields[(5, "members")].value == 5 and panel.fields[(5, "present")].value == 4


def test_one_more_vote_at_the_last_step_makes_a_majority_of_the_total(ds):
    panel = ProcedurePanel(ds, procedure_id="QT2019-02")
    first = panel.people[0]
    with panel.holding():
        panel.fields[(5, "present")].value = 5
        panel.fields[(5, "issued")].value = 5
        panel.fields[(5, "returned")].value = 5
        panel.fields[(5, "valid")].value = 5
        panel.fields[(5, first)].value = 3
    s = panel.result.summary.iloc[0]
    assert s["status"] == "de_nghi" and s["proposed_id"] == first and "3/5" in s["reason"]
    assert "Đủ điều kiện đề nghị" in panel.summary.value


def test_an_inconsistent_count_is_named_and_the_last_result_kept(ds):
    panel = ProcedurePanel(ds, procedure_id="QT2019-01")
    panel.fields[(3, "present")].value = 9  # 5 members summoned
    assert panel.error and "số người có mặt không được lớn hơn số người được triệu tập" in panel.error
    assert "Biểu mẫu kiểm phiếu" in panel.error
    assert panel.result.summary.iloc[0]["status"] == "de_nghi"  # the previous (valid) result stays on screen


def test_minutes_of_the_counts_on_screen_go_under_reports_only(ds, tmp_path, monkeypatch):
    import kimson_ds.ui.common as common

    monkeypatch.setattr(common, "REPORT_ROOTS", (str(tmp_path),))
    panel = ProcedurePanel(ds, procedure_id="QT2019-01")
    files = panel.write_minutes(tmp_path / "bb")
    assert [f.name for f in files] == ["bien-ban-QT2019-01.docx", "bien-ban-QT2019-01.html"]
    assert panel.write_minutes("/etc") == [] and "Thư mục biên bản" in panel.minutes_out.value


def test_a_dataset_without_procedures_gives_a_vietnamese_message(tmp_path):
    panel = procedure_panel(str(Path(__file__).resolve().parents[1] / "fixtures" / "minimal"))
    assert panel.error and "chưa có quy trình nào" in panel.error
