"""The app's landing page and Vietnamese titles; when a panel shows itself (interactive kernels only)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser

import nbformat
import pytest
from ui_sample import ANALYSES, APPS, REPO, SAMPLE, SCENARIO, needs_sample  # noqa: F401

from kimson_ds.ui import common


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


