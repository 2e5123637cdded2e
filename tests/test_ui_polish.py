"""Review fixes of the explorer app: landing page, interactivity detection, Vietnamese texts,
rotation alternatives and diagnoses, panel starting values, Voilà configuration."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from kimson_ds import rotation
from kimson_ds.commands import app as app_cmd
from kimson_ds.io import load_dataset
from kimson_ds.ui import common

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "kimson"
SCENARIO = REPO / "data" / "scenarios" / "luan-chuyen-2016.yaml"
APPS = REPO / "apps"
ANALYSES = ["tong-quan.ipynb", "luan-chuyen.ipynb", "xep-loai.ipynb", "quy-hoach.ipynb", "dao-tao.ipynb",
            "tham-dinh.ipynb"]

needs_sample = pytest.mark.skipif(not SAMPLE.is_dir(), reason="data/kimson is not generated")


@pytest.fixture(scope="module")
def ds():
    return load_dataset(SAMPLE)


@pytest.fixture(scope="module")
def base():
    return rotation.load_rotation_scenario(SCENARIO)


@pytest.fixture(autouse=True)
def _audit(tmp_path, monkeypatch):
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))


# =========================================================================== 1. landing page
class _Tables(HTMLParser):
    """Links inside table cells and the text outside tables, of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.rows = 0
        self.links_in_tables: list[str] = []
        self.text_outside: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.depth += 1
        elif tag == "tr" and self.depth:
            self.rows += 1
        elif tag == "a" and self.depth:
            self.links_in_tables.append(dict(attrs).get("href", ""))

    def handle_endtag(self, tag):
        if tag == "table":
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.text_outside.append(data)


def test_landing_page_lists_every_analysis_as_a_link_in_one_table():
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    nb = nbformat.read(APPS / "index.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "markdown" and "## Các phân tích" in c.source)
    html = markdown2html_mistune(cell.source)
    parsed = _Tables()
    parsed.feed(html)
    assert html.count("<table") == 1
    assert parsed.links_in_tables == ANALYSES  # all six, in order, inside the table
    assert parsed.rows == 1 + len(ANALYSES)  # header + one row per analysis
    assert "|" not in "".join(parsed.text_outside)  # no table row fell out as a paragraph
    for target in ANALYSES:
        assert (APPS / target).is_file()


def test_every_app_page_has_a_vietnamese_browser_title():
    for path in sorted(APPS.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        title = nb.metadata.get("title", "")  # nbconvert's lab template (Voilà) puts it in <title>
        assert title.startswith(nb.metadata["kimson"]["title"]), path.name
        assert re.search(r"[àáảãạăắằâấầđèéêếềìíòóôốồơớờùúưứừ]", title, re.I), title


# =========================================================================== 2. interactivity
@pytest.mark.parametrize("cmdline, expected", [
    (["/work/.venv/bin/python", "/work/.venv/bin/papermill", "-k", "x", "a.ipynb", "b.ipynb"], "papermill"),
    (["python", "-m", "papermill", "a.ipynb", "b.ipynb"], "papermill"),
    (["/usr/bin/python3", "/usr/local/bin/jupyter-nbconvert", "--execute", "a.ipynb"], "jupyter-nbconvert"),
    (["python", "-m", "nbclient.cli", "a.ipynb"], "nbclient"),
    (["python", "/usr/bin/jupyter", "nbconvert", "--execute", "a.ipynb"], "nbconvert"),
    (["python", "-m", "kimson_ds.cli", "app", "--port", "8866"], None),
    (["/usr/bin/python3", "-m", "jupyterlab"], None),
    (["node", "/papermill-notes/server.js"], None),
    ([], None),
])
def test_batch_launcher_reads_the_launcher_command_line(cmdline, expected):
    assert common.batch_launcher(cmdline) == expected


def _clean_env(monkeypatch):
    for k in ("KIMSON_UI", "KIMSON_STATIC", "KIMSON_REPORT_SIDECAR", *common._INTERACTIVE_ENV):
        monkeypatch.delenv(k, raising=False)


def test_inherited_front_end_variables_do_not_make_a_papermill_kernel_interactive(monkeypatch):
    _clean_env(monkeypatch)
    monkeypatch.setenv("VSCODE_PID", "1")
    monkeypatch.setenv("JPY_SESSION_NAME", "x.ipynb")
    monkeypatch.setattr(common, "_launcher_cmdline", lambda: ["python", "/venv/bin/papermill", "a", "b"])
    assert common.interactive() is False
    monkeypatch.setattr(common, "_launcher_cmdline", lambda: ["python", "-m", "jupyterlab"])
    assert common.interactive() is True
    monkeypatch.setenv("KIMSON_STATIC", "1")
    assert common.interactive() is False
    monkeypatch.setenv("KIMSON_UI", "1")
    assert common.interactive() is True


def test_voila_kernel_id_counts_only_for_this_kernel(monkeypatch):
    _clean_env(monkeypatch)
    monkeypatch.setattr(common, "_launcher_cmdline", lambda: ["python", "-m", "kimson_ds.cli", "app"])
    monkeypatch.setenv("VOILA_KERNEL_ID", "abc-123")
    monkeypatch.setattr(common, "_kernel_connection_file", lambda: "/run/voila_x/kernel-abc-123.json")
    assert common.interactive() is True
    monkeypatch.setattr(common, "_kernel_connection_file", lambda: "/run/jupyter/kernel-zzz-999.json")
    assert common.interactive() is False  # inherited from another kernel


def test_show_if_interactive_displays_once_and_returns_none(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj))
    monkeypatch.setenv("KIMSON_UI", "1")
    assert common.show_if_interactive(lambda a, b=0: ("panel", a, b), 1, b=2) is None
    assert shown == [("panel", 1, 2)]
    monkeypatch.setenv("KIMSON_UI", "0")
    assert common.show_if_interactive(lambda: shown.append("built")) is None and len(shown) == 1


@pytest.mark.slow
@needs_sample
def test_papermill_with_inherited_vscode_variable_embeds_no_widgets(tmp_path):
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("KIMSON_UI", "KIMSON_STATIC", "KIMSON_REPORT_SIDECAR")}
    env.update({"VSCODE_PID": "1", "JPY_SESSION_NAME": "x.ipynb", "KIMSON_AUDIT_LOG": str(tmp_path / "a.jsonl")})
    out = tmp_path / "o.ipynb"
    p = subprocess.run([sys.executable, "-m", "papermill", "-k", "kimson-ds", "--log-level", "ERROR",
                        str(REPO / "notebooks" / "30-luan-chuyen.ipynb"), str(out)],
                       cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-2000:]
    nb = json.loads(out.read_text(encoding="utf-8"))
    mimes = {m for c in nb["cells"] for o in c.get("outputs", []) for m in o.get("data", {})}
    assert "application/vnd.jupyter.widget-view+json" not in mimes
    assert "widgets" not in nb["metadata"] or not nb["metadata"]["widgets"]
    assert "image/png" in mimes  # the static report is still there


# =========================================================================== 3.–4. rotation texts
@needs_sample
def test_alternatives_name_people_and_posts_and_keep_ids_apart(ds, base):
    r = rotation.run(ds, base.model_copy(update={"alternatives": 3}), rule_costs=False)
    alts = r.alternatives
    assert list(alts.columns) == ["plan", "objective", "delta", "changes", "removed_ids", "added_ids"]
    assert len(alts) >= 2
    names = ds["cadres"].set_index("cadre_id")["full_name"]
    for row in alts.iloc[1:].itertuples():
        assert row.changes and row.removed_ids + row.added_ids
        assert not re.search(r"→ [A-Z0-9_]+-[A-Z_]+-\d", row.changes)  # no raw post ids in the text
        for verb, ids in (("bỏ", row.removed_ids), ("thêm", row.added_ids)):
            for pair in filter(None, ids.split("; ")):
                cadre, post = pair.split("→")
                assert re.fullmatch(r"CB\d+", cadre) and post in set(ds["positions"]["position_id"])
                assert f"{verb} {names[cadre]} ({cadre}) → " in row.changes
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
    from kimson_ds import eligibility
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
    assert "Đinh" in panel.others["alternatives"].value or "(CB" in panel.others["alternatives"].value
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
    from kimson_ds import training
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


# =========================================================================== 7. Voilà configuration
def test_voila_arguments_template_and_transport(monkeypatch):
    argv = app_cmd.voila_argv(8866, "t")
    assert "--VoilaConfiguration.template=kimson" in argv
    if sys.platform != "win32":
        assert "--KernelManager.transport=ipc" in argv
    tpl = app_cmd.TEMPLATE_ROOT / "voila" / "templates" / "kimson"
    assert "Đang mở trang" in (tpl / "spinner.macro.html.j2").read_text(encoding="utf-8")
    setup = (tpl / "voila_setup.macro.html.j2").read_text(encoding="utf-8")
    assert "Đang tính ô" in setup and "Executing" not in setup
    monkeypatch.setenv("JUPYTER_PATH", "/x")
    app_cmd.use_template_root()
    app_cmd.use_template_root()
    import os

    assert os.environ["JUPYTER_PATH"].split(os.pathsep) == [str(app_cmd.TEMPLATE_ROOT), "/x"]


def test_app_notebooks_are_trusted_for_the_server_only(tmp_path, monkeypatch):
    from jupyter_server.services.contents.largefilemanager import LargeFileManager

    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "data"))
    cm = LargeFileManager(root_dir=str(APPS))
    signed = app_cmd.trust_app_notebooks(cm)
    assert {p.name for p in signed} == {"index.ipynb", *ANALYSES}
    for p in signed:
        assert cm.notary.check_signature(nbformat.read(p, as_version=4))
    other = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    assert not cm.notary.check_signature(other)
    assert not (tmp_path / "data").exists() or not any((tmp_path / "data").iterdir())  # nothing written
