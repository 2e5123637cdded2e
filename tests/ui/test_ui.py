"""Panels built headless (ipywidgets without a front end): controls drive the library functions."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from kimson_ds.data.io import load_dataset
from kimson_ds.errors import ScenarioError
from kimson_ds.overview import figures as overview
from kimson_ds.papers.report import table_html
from kimson_ds.rotation import model as rotation
from kimson_ds.ui import common
from kimson_ds.ui.overview import OverviewPanel, overview_panel
from kimson_ds.ui.rotation import RotationPanel, rotation_panel

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "kimson"
SCENARIO = REPO / "data" / "scenarios" / "luan-chuyen-2016.yaml"

needs_sample = pytest.mark.skipif(not SAMPLE.is_dir(), reason="data/kimson is not generated")
VI = re.compile(r"[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]", re.I)


@pytest.fixture(scope="module")
def ds():
    return load_dataset(SAMPLE)


@pytest.fixture(scope="module")
def base():
    return rotation.load_rotation_scenario(SCENARIO)


@pytest.fixture
def rds(ds, base):
    """The sample as of the scenario date (the rotation panel and `kimson-ds rotate` work on it)."""
    from kimson_ds.history.state import dataset_on

    return dataset_on(ds, base.as_of)


@pytest.fixture
def panel(ds, base):
    return RotationPanel(ds, base, dataset_path=SAMPLE)


@pytest.fixture(autouse=True)
def _audit(tmp_path, monkeypatch):
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    # the panels' save fields are confined to reports/ and data/scenarios/; tests also allow their tmp folder
    monkeypatch.setattr(common, "SCENARIO_ROOTS", (*common.SCENARIO_ROOTS, str(tmp_path)))
    monkeypatch.setattr(common, "REPORT_ROOTS", (*common.REPORT_ROOTS, str(tmp_path)))


def _pairs(result) -> list[tuple[str, str]]:
    a = result.assignments
    return list(zip(a["cadre_id"], a["post_id"], strict=True))


def _shown_pairs(html: str) -> list[tuple[str, str]]:
    """(cadre, post) pairs of the plan table HTML (cells 2 and 8 of each body row)."""
    body = html.split("<tbody>", 1)[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", r) for r in rows]
    return [(c[1], c[7]) for c in cells if len(c) > 7]


# =========================================================================== rotation
@needs_sample
def test_rotation_control_change_resolves_through_the_library(panel, ds, base, monkeypatch, rds):
    assert panel.error is None and panel.runs == 1
    assert _shown_pairs(panel.plan.value) == _pairs(rotation.resolve(rds, base))
    calls = []
    real = rotation.resolve

    def spy(ds_, sc, **kw):
        calls.append(sc)
        return real(ds_, sc, **kw)

    monkeypatch.setattr(rotation, "resolve", spy)
    before = panel.plan.value
    panel.controls["min_women"].value = 3
    assert len(calls) == 1 and calls[0].rules.gender.min_women == 3
    expected = rotation.resolve(rds, rotation.with_knobs(base, min_women=3))
    assert _shown_pairs(panel.plan.value) == _pairs(expected)
    assert panel.plan.value != before
    assert sum(g == "nu" for g in expected.problem.cands.set_index("cadre_id").loc[
        [c for c, _ in _pairs(expected)], "gender"]) >= 3
    assert 'data-run="2"' in panel.status.value and panel.last_seconds > 0

    panel.controls["n_bi_thu"].value = 1
    assert calls[-1].posts.counts == {"bi_thu": 1, "pho_bi_thu": 4}
    assert _shown_pairs(panel.plan.value) == _pairs(rotation.resolve(
        rds, rotation.with_knobs(base, min_women=3, n_bi_thu=1)))


@needs_sample
def test_rotation_holding_refreshes_once_and_rules_switch(panel, ds, base, rds):
    with panel.holding():
        panel.controls["rule_gender"].value = False
        panel.controls["seniority_bi_thu"].value = 8.0
        panel.controls["weight_distance"].value = 1.5
    assert panel.runs == 2
    sc = panel.scenario()
    assert sc.rules.gender.enabled is False
    assert sc.rules.seniority.min_years_service["bi_thu"] == 8.0
    assert sc.weights.distance == 1.5
    ref = base.model_copy(deep=True)
    ref.rules.gender.enabled = False
    ref.rules.seniority.min_years_service = {"bi_thu": 8.0, "pho_bi_thu": 5.0}
    ref.weights.distance = 1.5
    assert _shown_pairs(panel.plan.value) == _pairs(rotation.resolve(rds, ref))


@needs_sample
def test_rotation_pin_and_ban(panel, ds, base):
    best = _pairs(panel.result)
    eligible = panel.result.problem.pairs
    pin = next((c, p) for c, p in zip(eligible["cadre_id"], eligible["post_id"], strict=True)
               if (c, p) not in best and "PHO_BI_THU" in p)
    panel.controls["pins"].value = (pin,)
    assert pin in _shown_pairs(panel.plan.value)
    panel.controls["pins"].value = ()
    panel.controls["bans"].value = (best[0],)
    assert best[0] not in _shown_pairs(panel.plan.value)
    sc = panel.scenario()
    assert [(b.cadre_id, b.post_id) for b in sc.bans] == [best[0]]


@needs_sample
def test_rotation_impossible_request_shows_vietnamese_diagnosis(panel, ds, base, rds):
    panel.controls["min_women"].value = 9
    expected = rotation.resolve(rds, rotation.with_knobs(base, min_women=9))
    assert not expected.feasible
    assert panel.error is None
    assert 'data-feasible="0"' in panel.diagnosis.value and "kimson-infeasible" in panel.diagnosis.value
    for line in expected.diagnosis:  # every line, in order, items and sub-items as list entries
        assert html.escape(line.strip().removeprefix("- ").removeprefix("+ ")) in panel.diagnosis.value
    assert "Cần 9 nữ" in panel.diagnosis.value
    assert "KHÔNG thực hiện được" in panel.status.value


@needs_sample
def test_rotation_errors_become_messages(panel, monkeypatch):
    shown = panel.plan.value
    monkeypatch.setattr(rotation, "resolve", lambda *a, **k: (_ for _ in ()).throw(ScenarioError("Kịch bản sai: thử")))
    assert panel.refresh() is False
    assert "Kịch bản sai: thử" in panel.message.value and "kimson-error" in panel.message.value
    assert panel.plan.value == shown  # the last good plan stays
    assert 'data-ok="0"' in panel.status.value
    monkeypatch.setattr(rotation, "resolve", lambda *a, **k: 1 / 0)
    panel.refresh()
    assert "Lỗi không mong đợi (ZeroDivisionError)" in panel.message.value
    assert "Traceback" not in panel.message.value


@needs_sample
def test_rotation_saved_scenario_is_accepted_by_the_cli(panel, ds, tmp_path, rds):
    from kimson_ds.cli import main

    panel.controls["min_women"].value = 2
    panel.controls["rule_young"].value = False
    panel.saver.path.value = str(tmp_path / "kb" / "thu.yaml")
    saved = panel.saver.save()
    assert saved == tmp_path / "kb" / "thu.yaml" and "Đã lưu kịch bản" in panel.saver.out.value
    loaded = rotation.load_rotation_scenario(saved)
    assert loaded.model_dump() == panel.scenario().model_dump()
    assert _pairs(rotation.resolve(rds, loaded)) == _shown_pairs(panel.plan.value)
    out = tmp_path / "out"
    assert main(["rotate", str(SAMPLE), "--scenario", str(saved), "--out", str(out)]) == 0
    cli_plan = pd.read_csv(out / "assignments.csv", dtype=str, encoding="utf-8-sig")
    assert list(zip(cli_plan["Mã cán bộ"], cli_plan["Mã vị trí"], strict=True)) == _shown_pairs(panel.plan.value)


@needs_sample
def test_rotation_save_error_is_shown(panel, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    panel.saver.path.value = str(blocker / "sub" / "kb.yaml")
    assert panel.saver.save() is None
    assert "Không lưu được kịch bản" in panel.saver.out.value


@needs_sample
def test_rotation_report_parameters_reproduce_the_scenario(panel, tmp_path):
    panel.controls["n_pho_bi_thu"].value = 3
    panel.controls["seniority_pho_bi_thu"].value = 4.0
    params = panel._report_parameters(tmp_path)
    assert params["n_pho_bi_thu"] == 3 and params["seniority_years_pho_bi_thu"] == 4.0
    # what notebook 30 does with these parameters gives back exactly the panel's scenario (the notebook
    # writes the regulation's seniority and the number of women where the panel leaves them to the regulation)
    knobs = {k: params[k] for k in ("n_bi_thu", "n_pho_bi_thu", "min_women", "seniority_years_bi_thu",
                                    "seniority_years_pho_bi_thu")}
    sc = rotation.with_knobs(rotation.load_rotation_scenario(params["scenario"]), **knobs)
    sc.alternatives = params["alternatives"]
    assert sc.model_dump() == rotation.with_knobs(panel.scenario(), **knobs).model_dump()
    assert params["seniority_years_bi_thu"] == 10.0  # the regulation's value, shown by the control
    from kimson_ds.papers.report import resolve_parameters

    assert resolve_parameters(REPO / "notebooks" / "30-luan-chuyen.ipynb", parameters=params) == params


@needs_sample
def test_every_label_is_vietnamese(panel, ds):
    labels = [c.description for c in panel.controls.values()]
    labels += [panel.saver.button.description, panel.reporter.button.description]
    labels += [panel.tabs.get_title(i) for i in range(len(panel.tabs.children))]
    assert all(VI.search(t) for t in labels), [t for t in labels if not VI.search(t)]
    ov = OverviewPanel(ds, pd.Timestamp("2019-12-31").date(), dataset_path=SAMPLE)
    labels = [c.description for c in ov.controls.values()]
    labels += [ov.tabs.get_title(i) for i in range(len(ov.tabs.children))]
    assert all(VI.search(t) for t in labels), labels


def test_factory_never_raises(tmp_path):
    p = rotation_panel(tmp_path / "khong-co")
    assert isinstance(p, common.ErrorPanel)
    assert "Không tìm thấy bộ dữ liệu" in p.message.value
    bad = tmp_path / "kb.yaml"
    bad.write_text("as_of: 2016-11-30\nposts: {counts: {bi_thu: 1}}\nkhoa_la: 1\n", encoding="utf-8")
    if SAMPLE.is_dir():
        p = rotation_panel(SAMPLE, bad)
        assert isinstance(p, common.ErrorPanel) and "khoa_la" in p.message.value
    assert isinstance(overview_panel(tmp_path / "khong-co"), common.ErrorPanel)


# =========================================================================== overview
@needs_sample
def test_overview_date_change_uses_overview_functions(ds, tmp_path):
    panel = OverviewPanel(ds, pd.Timestamp("2019-12-31").date(), dataset_path=SAMPLE)
    assert panel.error is None
    day = pd.Timestamp("2020-12-31").date()
    assert day in [v for _, v in panel.controls["as_of"].options]
    panel.controls["as_of"].value = day
    act = overview.active_cadres(ds.cadres, ds.units, "2020-12-31")
    assert len(panel.result.cadres) == len(act)
    assert panel.sections["vacant"].value == table_html(
        overview.vacancies(ds.units, ds.positions, ds.cadres, "2020-12-31"), "Vị trí khuyết")
    assert f"{len(act)} cán bộ đang công tác" in panel.status.value
    panel.controls["field"].value = "political_theory"
    assert table_html(overview.qualification_distribution(act, "political_theory"), "Lý luận chính trị") in \
        panel.sections["qualification"].value
    # saved parameters are what `kimson-ds report notebooks/00-tong-quan.ipynb --params FILE` takes
    from kimson_ds.papers.report import resolve_parameters

    panel.saver.path.value = str(tmp_path / "tq.yaml")
    saved = panel.saver.save()
    assert yaml.safe_load(saved.read_text(encoding="utf-8"))["as_of"] == "2020-12-31"
    got = resolve_parameters(REPO / "notebooks" / "00-tong-quan.ipynb", params_file=saved)
    assert got == {"dataset": str(SAMPLE), "as_of": "2020-12-31"}


# =========================================================================== helpers
def test_interactive_detection(monkeypatch):
    for k in ("KIMSON_UI", "KIMSON_REPORT_SIDECAR", *common._INTERACTIVE_ENV):
        monkeypatch.delenv(k, raising=False)
    assert common.interactive() is False  # papermill: nothing set
    monkeypatch.setenv("VOILA_BASE_URL", "/")
    assert common.interactive() is True
    monkeypatch.setenv("KIMSON_REPORT_SIDECAR", "/tmp/x.json")
    assert common.interactive() is False  # the report pipeline wins
    monkeypatch.setenv("KIMSON_UI", "1")
    assert common.interactive() is True
    called = []
    monkeypatch.setenv("KIMSON_UI", "0")
    assert common.show_if_interactive(lambda: called.append(1)) is None and called == []


def test_error_display_in_cells(monkeypatch):
    import IPython.display
    from IPython.core.interactiveshell import InteractiveShell

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: shown.extend(objs))
    shell = InteractiveShell.instance()
    try:
        assert common.install_error_display() is True
        res = shell.run_cell("raise FileNotFoundError(2, 'x', 'du-lieu.csv')")
        assert res.error_in_exec is not None  # the cell still counts as failed
        html = "".join(getattr(o, "data", "") for o in shown)
        assert "Không tìm thấy tệp hoặc thư mục: du-lieu.csv." in html and "kimson-error" in html
        assert "Traceback" not in html
        stb = shell.CustomTB(ValueError, ValueError("sai"), None)
        assert stb == ["Lỗi: Lỗi không mong đợi (ValueError): sai. Hãy kiểm tra lại dữ liệu và các lựa chọn; "
                       "nếu vẫn lỗi, báo cho người quản trị công cụ."]
    finally:
        shell.set_custom_exc((), None)
        InteractiveShell.clear_instance()


def test_error_message_texts():
    assert common.error_message(ScenarioError("Thiếu khóa")) == "Thiếu khóa"
    assert "Lỗi không mong đợi (KeyError)" in common.error_message(KeyError("x"))
    assert "&lt;b&gt;" in common.error_html("<b>")


@pytest.mark.slow
@needs_sample
def test_report_button_builds_the_report_of_that_scenario(panel, tmp_path):
    panel.controls["min_women"].value = 3
    res = panel.reporter.build(tmp_path / "bc")
    assert res is not None, panel.reporter.out.value
    text = res.html.read_text(encoding="utf-8")
    # the report's plan table (names, communes, titles; it shows no codes) is the panel's plan, row by row
    cols = ["Họ và tên", "Xã, thị trấn đến", "Chức danh đến"]
    body = text.split("Phương án luân chuyển tối ưu", 1)[1].split("</table>", 1)[0]
    heads = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", body)]
    rows = [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r)]
            for r in re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1], flags=re.S)]
    report = [tuple(r[heads.index(c)] for c in cols) for r in rows]
    shown = rotation.vietnamese(panel.result.assignments)[cols]
    assert report == [tuple(map(str, r)) for r in shown.to_numpy().tolist()] and len(report) >= 5
    assert res.parameters["min_women"] == 3
    assert rotation.load_rotation_scenario(res.parameters["scenario"]).model_dump() == panel.scenario().model_dump()
    assert "Đã tạo báo cáo" in panel.reporter.out.value


# =========================================================================== other panels
@needs_sample
def test_rating_panel_uses_rate_dataset(ds, tmp_path):
    from kimson_ds.config import load_scenario
    from kimson_ds.papers.report import resolve_parameters
    from kimson_ds.rating import engine as rating
    from kimson_ds.rating.scenario import RatingScenario
    from kimson_ds.ui.rating import RatingPanel

    panel = RatingPanel(ds, dataset_path=SAMPLE)
    share = rating.rate_dataset(ds, year=2018, as_of="2018-12-31", group_by="group").summary.iloc[0]["xs_share"]
    assert panel.error is None and f"{100 * share:.1f}%".replace(".", ",") in panel.summary.value
    panel.controls["compare_as_of"].value = ""
    panel.controls["as_of"].value = "2019-10-18"
    ref = rating.rate_dataset(ds, year=2018, as_of="2019-10-18", group_by="group")
    s = ref.summary.iloc[0]
    assert f"{int(s['xuat_sac'])}/{int(s['rated'])} người xuất sắc" in panel.status.value
    assert panel.result[1] is None
    panel.saver.path.value = str(tmp_path / "xl.yaml")
    saved = panel.saver.save()  # the rating scenario (kimson-ds rate --scenario); the report takes its parameters
    assert load_scenario(saved, RatingScenario) == panel.scenario()
    params = tmp_path / "tham-so.yaml"
    params.write_text(yaml.safe_dump(panel.notebook_parameters()), encoding="utf-8")
    got = resolve_parameters(REPO / "notebooks" / "10-xep-loai.ipynb", params_file=params)
    assert got == {"dataset": str(SAMPLE), "year": 2018, "as_of": "2019-10-18", "compare_as_of": "",
                   "group_col": "group"}


@needs_sample
def test_training_panel_budget_changes_the_schedule(ds):
    from kimson_ds.training import schedule as training
    from kimson_ds.ui.training import TrainingPanel

    panel = TrainingPanel(ds, "data/scenarios/dao-tao-2020-2025.yaml", dataset_path=SAMPLE)
    n_full = len(panel.result[1].schedule)
    panel.controls["budget_scale"].value = 0.5
    sc = panel.scenario()
    ref = training.run(ds, sc)
    assert len(panel.result[1].schedule) == len(ref.schedule) < n_full
    assert f"{len(ref.schedule)} lượt học" in panel.status.value


@needs_sample
def test_vetting_panel_and_missing_file(ds):
    from kimson_ds.ui.vetting import VettingPanel
    from kimson_ds.vetting import checklist as vetting

    panel = VettingPanel(ds, dataset_path=SAMPLE)
    batch = vetting.read_proposals(REPO / "data/scenarios/de-xuat-mau.csv", ds)
    ref = vetting.vet(ds, batch, as_of="2020-08-01")
    assert list(panel.result[1].verdicts["verdict_vi"]) == list(ref.verdicts["verdict_vi"])
    panel.controls["proposals"].value = "khong-co.csv"
    assert "Không tìm thấy tệp đề xuất" in panel.message.value and "khong-co.csv" in panel.message.value


@pytest.mark.slow
@needs_sample
def test_succession_panel_women_share(ds):
    from kimson_ds.ui.succession import SuccessionPanel

    panel = SuccessionPanel(ds, "data/scenarios/quy-hoach-2020-2025.yaml", dataset_path=SAMPLE)
    assert panel.error is None
    with panel.holding():
        panel.controls["override_women"].value = True
        panel.controls["women_share_min"].value = 0.4
    P, comp, res = panel.result
    assert P.get("planning.women_share_min") == 0.4
    assert res.shares.iloc[0]["achieved"] >= 0.4 - 1e-9
    assert panel.notebook_parameters()["women_share_min"] == 0.4
