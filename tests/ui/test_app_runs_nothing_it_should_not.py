"""The app is locked down: Host check in every mode, no token in logs, save fields confined to the project.

The in-process tests drive the same tornado settings the app uses; the slow
tests start the real ``kimson-ds app`` (Voilà) with and without a token.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import tornado.web
from tornado.testing import AsyncHTTPTestCase

from kimson_ds.ui import common
from kimson_ds.ui.server_security import SecretFilter, guard_hosts, host_allowed, log_request

REPO = Path(__file__).resolve().parents[2]


# --------------------------------------------------------------------------- Host header
@pytest.mark.parametrize("host", ["localhost", "localhost:8866", "127.0.0.1", "127.0.0.1:1", "LOCALHOST:80"])
def test_local_host_headers_are_accepted(host):
    assert host_allowed(host)


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8866", "localhost.evil.example", "127.0.0.1.nip.io",
                                  "192.168.1.5:8866", "127.0.0.2", "[::1]:8866", "", None, "localhost:80:80",
                                  "0.0.0.0"])
def test_every_other_host_header_is_refused(host):
    assert not host_allowed(host)


class _Hello(tornado.web.RequestHandler):
    def get(self, _path):
        self.write("xin chào")


class TestGuardedServer(AsyncHTTPTestCase):
    """A tornado application with the app's guard and log function."""

    def get_app(self):
        app = tornado.web.Application([(r"/voila/render/(.*)", _Hello)], log_function=log_request)
        guard_hosts(app)
        return app

    def test_foreign_host_gets_403_and_local_host_is_served(self):
        bad = self.fetch("/voila/render/index.ipynb", headers={"Host": "evil.example"})
        assert bad.code == 403 and "localhost" in bad.body.decode("utf-8")
        good = self.fetch("/voila/render/index.ipynb", headers={"Host": f"127.0.0.1:{self.get_http_port()}"})
        assert good.code == 200 and good.body.decode("utf-8") == "xin chào"
        assert self.fetch("/voila/render/x", headers={"Host": "localhost"}).code == 200

    def test_the_token_never_reaches_the_request_log(self):
        records: list[str] = []

        class Keep(logging.Handler):
            def emit(self, record):
                records.append(record.getMessage())

        access = logging.getLogger("tornado.access")
        handler = Keep()
        access.addHandler(handler)
        old = access.level
        access.setLevel(logging.DEBUG)
        try:
            self.fetch("/khong-co?token=BIMAT123", headers={"Host": "localhost"})
            self.fetch("/voila/render/a?token=BIMAT123", headers={"Host": "evil.example"})
        finally:
            access.removeHandler(handler)
            access.setLevel(old)
        assert any("404" in r for r in records) and any("403" in r for r in records)
        assert not any("BIMAT123" in r for r in records)


def test_secret_filter_scrubs_the_token_from_any_log_line():
    rec = logging.LogRecord("x", logging.WARNING, __file__, 1, "Lỗi %s", ("GET /a?token=BIMAT123",), None)
    assert SecretFilter("BIMAT123").filter(rec)
    assert "BIMAT123" not in rec.getMessage() and "[mã truy cập]" in rec.getMessage()


# --------------------------------------------------------------------------- save fields
def _saver(default: str):
    return common.SaveButton(lambda p: (p.write_text("a: 1\n", encoding="utf-8"), p)[1], default)


@pytest.mark.parametrize("path", ["/tmp/kimson-ngoai/kb.yaml", "../ngoai.yaml", "reports/../../ngoai.yaml",
                                  "kimson_ds/ui/common.yaml", "notebooks/x.yaml", "~/kb.yaml"])
def test_save_scenario_outside_reports_and_scenario_folders_is_refused(path):
    saver = _saver(path)
    assert saver.save() is None
    assert "Không lưu được kịch bản" in saver.out.value and "ngoài thư mục được phép" in saver.out.value
    assert not Path("/tmp/kimson-ngoai/kb.yaml").exists() and not (REPO.parent / "ngoai.yaml").exists()


def test_save_scenario_inside_reports_is_written_there():
    target = REPO / "reports" / "kich-ban" / f"thu-kiem-tra-{os.getpid()}.yaml"
    try:
        saver = _saver(os.path.relpath(target, REPO))
        assert saver.save() == target.resolve() and target.read_text(encoding="utf-8") == "a: 1\n"
        saver.path.value = str(target.with_suffix(".sh"))
        assert saver.save() is None and ".yaml" in saver.out.value
    finally:
        target.unlink(missing_ok=True)


def test_save_scenario_through_a_link_leaving_reports_is_refused(tmp_path):
    (REPO / "reports").mkdir(exist_ok=True)
    link = REPO / "reports" / f"lien-ket-{os.getpid()}"
    link.symlink_to(tmp_path, target_is_directory=True)
    try:
        saver = _saver(f"reports/{link.name}/kb.yaml")
        assert saver.save() is None
        assert not (tmp_path / "kb.yaml").exists()
    finally:
        link.unlink()


def test_report_folder_outside_reports_is_refused(tmp_path):
    button = common.ReportButton(REPO / "notebooks" / "00-tong-quan.ipynb", lambda d: {}, str(tmp_path / "bc"))
    assert button.build() is None
    assert "Không tạo được báo cáo" in button.out.value and "ngoài thư mục được phép" in button.out.value
    assert not (tmp_path / "bc").exists()
    assert button.build(REPO / "notebooks") is None
    assert button.build(tmp_path) is None


# --------------------------------------------------------------------------- the real app (slow)
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _App:
    def __init__(self, tmp: Path, token: bool):
        self.port = _free_port()
        home = tmp / f"app-{self.port}"
        dirs = {"JUPYTER_CONFIG_DIR": "cfg", "JUPYTER_DATA_DIR": "data", "JUPYTER_RUNTIME_DIR": "rt",
                "IPYTHONDIR": "ipy", "MPLCONFIGDIR": "mpl"}
        env = {**os.environ, **{k: str(home / v) for k, v in dirs.items()},
               "KIMSON_AUDIT_LOG": str(home / "audit.jsonl"), "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(REPO)}
        for v in dirs.values():
            (home / v).mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "kimson_ds.cli", "app", "--port", str(self.port), "--no-browser"]
        if not token:
            cmd.append("--no-token")
        self.lines: list[str] = []
        self.proc = subprocess.Popen(cmd, cwd=home, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, encoding="utf-8", start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()
        deadline = time.monotonic() + 120
        self.url = None
        while time.monotonic() < deadline and self.url is None:
            for line in list(self.lines):
                m = re.search(r"(http://127\.0\.0\.1:\d+/\S+)", line)
                if m:
                    self.url = m.group(1)
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        assert self.url, "".join(self.lines)

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line)

    def get(self, url: str, host: str | None = None) -> int:
        req = urllib.request.Request(url, headers={"Host": host} if host else {})
        for _ in range(100):
            try:
                with urllib.request.urlopen(req, timeout=60) as r:
                    return r.status
            except urllib.error.HTTPError as exc:
                return exc.code
            except urllib.error.URLError:
                time.sleep(0.3)
        raise AssertionError("server not reachable")

    def stop(self):
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


@pytest.mark.slow
@pytest.mark.parametrize("token", [False, True], ids=["no-token", "token"])
def test_real_app_refuses_foreign_hosts_and_keeps_the_token_out_of_its_log(tmp_path, token):
    app = _App(tmp_path, token)
    try:
        base = f"http://127.0.0.1:{app.port}"
        secret = app.url.split("token=")[1] if token else None
        query = f"?token={secret}" if secret else ""
        # a foreign Host (DNS rebinding) is refused on every route, with or without a valid token
        for path in ("/voila/render/index.ipynb", "/", "/voila/static/x.js", "/api/kernels"):
            assert app.get(base + path + query, host=f"evil.example:{app.port}") == 403
        assert app.get(base + "/voila/api/contents" + query, host=f"localhost:{app.port}") != 403
        assert app.get(base + "/khong-co-trang-nay" + query) == 404
        time.sleep(1.0)
        log = "".join(app.lines)
        assert "403" in log or "404" in log
        if secret:
            announce = [ln for ln in app.lines if secret in ln]
            assert all(ln.strip().startswith("http://127.0.0.1") for ln in announce), announce
            assert len(announce) == 1  # only the address printed for the user, never a request line
    finally:
        app.stop()
