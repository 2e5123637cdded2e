"""Voilà configuration: arguments, template, transport; app notebooks trusted for the server only."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

from kimson_ds.commands import app as app_cmd
from kimson_ds.data.io import load_dataset
from kimson_ds.rotation import model as rotation

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "kimson"
SCENARIO = REPO / "data" / "scenarios" / "luan-chuyen-2016.yaml"
APPS = REPO / "apps"
ANALYSES = ["tong-quan.ipynb", "luan-chuyen.ipynb", "xep-loai.ipynb", "quy-hoach.ipynb", "dao-tao.ipynb",
            "tham-dinh.ipynb", "kiem-phieu.ipynb"]

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
