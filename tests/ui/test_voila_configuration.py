"""Voilà configuration: arguments, template, transport; app notebooks trusted for the server only."""

from __future__ import annotations

import re
import sys

import nbformat
import pytest
from ui_sample import ANALYSES, APPS, REPO, SAMPLE, SCENARIO, needs_sample  # noqa: F401

from kimson_ds.commands import app as app_cmd


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


def test_server_preheats_pages_culls_idle_kernels_and_loads_no_unused_extension():
    argv = app_cmd.voila_argv(8866, "t", pool_size=2)
    assert "--VoilaConfiguration.preheat_kernel=True" in argv
    assert "--VoilaConfiguration.default_pool_size=2" in argv
    assert f"--MappingKernelManager.cull_idle_timeout={app_cmd.CULL_IDLE_SECONDS}" in argv
    assert "--MappingKernelManager.cull_connected=False" in argv  # an open page is never culled
    assert any(a.startswith("--VoilaConfiguration.extension_denylist=") for a in argv)
    assert not any("preheat" in a for a in app_cmd.voila_argv(8866, None, pool_size=0))


def test_the_pool_counts_every_page_of_the_app_including_late_additions(tmp_path):
    assert set(app_cmd.app_pages()) == {"index.ipynb", *ANALYSES}  # kiem-phieu included
    for name in ("b.ipynb", "a.ipynb", "sub/c.ipynb", ".ipynb_checkpoints/a-checkpoint.ipynb", "notes.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}", encoding="utf-8")
    assert app_cmd.app_pages(tmp_path) == ["a.ipynb", "b.ipynb", "sub/c.ipynb"]  # as Voilà preheats them


def test_no_list_option_that_traitlets_warns_about_in_english():
    import warnings

    from voila.app import Voila

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Voila().parse_command_line(app_cmd.voila_argv(8866, "t"))


def test_a_kernel_whose_page_is_gone_is_stopped_unless_the_page_reconnected():
    import asyncio
    import logging

    class Kernels:
        log = logging.getLogger("test")

        def __init__(self):
            self._kernel_connections = {"gone": 0, "back": 1}
            self.stopped = []

        def __contains__(self, kid):
            return kid in self._kernel_connections

        async def shutdown_kernel(self, kid):
            self.stopped.append(kid)
            del self._kernel_connections[kid]

    async def scenario():
        km = Kernels()
        for kid in ("gone", "back", "never-there"):
            app_cmd.stop_if_orphaned(km, kid, delay=0.01)
        await asyncio.sleep(0.2)
        app_cmd.stop_if_orphaned(km, "gone", delay=0.01)  # closed twice (beacon and socket): stopped once
        await asyncio.sleep(0.2)
        return km.stopped

    assert asyncio.run(scenario()) == ["gone"]


def test_page_handler_sets_the_xsrf_cookie_the_close_beacon_needs():
    from voila.tornado.handler import TornadoVoilaHandler
    from voila.tornado.treehandler import TornadoVoilaTreeHandler

    table = [("/voila/render/(.*)", TornadoVoilaHandler, {"x": 1}), ("/", TornadoVoilaTreeHandler, {}),
             ("/other", object)]
    out = app_cmd.adapt_handlers(table, "/")
    page_cls = out[0][1]
    assert issubclass(page_cls, TornadoVoilaHandler) and page_cls is not TornadoVoilaHandler
    assert out[0][2] == {"x": 1}
    assert "xsrf_token" in __import__("inspect").getsource(page_cls.get)
    assert out[1][2] == {"url": "/voila/render/index.ipynb"}  # the root leads to the landing page
    assert out[2] == ("/other", object)


def test_refused_requests_are_logged_in_vietnamese_without_the_token(caplog):
    from types import SimpleNamespace

    req = SimpleNamespace(method="GET", path="/voila/render/khong-co.ipynb", query="token=bi-mat", uri="x?token=bi-mat")
    with caplog.at_level("WARNING", logger="tornado.access"):
        app_cmd.log_request_vi(SimpleNamespace(get_status=lambda: 404, request=req))
        app_cmd.log_request_vi(SimpleNamespace(get_status=lambda: 200, request=req))
    assert [r.getMessage() for r in caplog.records] == [
        "Cảnh báo: GET /voila/render/khong-co.ipynb → mã 404 (không tìm thấy)."]


def test_server_pages_are_vietnamese_and_self_contained():
    for name in ("login.html", "404.html", "error.html", "kimson_page.html", "index.html.j2"):
        text = (app_cmd.TEMPLATE_DIR / name).read_text(encoding="utf-8")
        assert not re.search(r'(href|src)="(https?:)?//', text) and "cdn." not in text.lower(), name
    assert "Nhập mã truy cập" in (app_cmd.TEMPLATE_DIR / "login.html").read_text(encoding="utf-8")
