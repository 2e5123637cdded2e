"""Browser-test support: one ``kimson-ds app`` server per test module, Debian chromium through Playwright.

Every request that does not go to 127.0.0.1 is aborted and recorded
(``page.external``), so a page that asks a public server cannot hang a test
and a test can assert that nothing left the machine. Servers and their
kernels are stopped by PID at the end of their fixture.
"""

from __future__ import annotations

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

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
READY_LINE = "Ứng dụng đã sẵn sàng ("
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class App:
    """One ``kimson-ds app`` process with isolated Jupyter folders.

    Parameters
    ----------
    tmp : Path
        Folder for the server's Jupyter, IPython and matplotlib folders and its audit log.
    token : bool
        Run behind a token (the default of the command).
    pool_size : int or None
        ``--pool-size``; None keeps the command's default.
    env : dict, optional
        Extra environment variables of the server (and so of its kernels).
    """

    def __init__(self, tmp: Path, *, token: bool = True, pool_size: int | None = None,
                 env: dict | None = None, timeout: float = 240.0) -> None:
        self.port = _free_port()
        home = tmp / f"app-{self.port}"
        dirs = {"JUPYTER_CONFIG_DIR": "cfg", "JUPYTER_DATA_DIR": "data", "JUPYTER_RUNTIME_DIR": "rt",
                "IPYTHONDIR": "ipy", "MPLCONFIGDIR": "mpl"}
        full_env = {**os.environ, **{k: str(home / v) for k, v in dirs.items()},
                    "KIMSON_AUDIT_LOG": str(home / "audit.jsonl"), "PYTHONUNBUFFERED": "1",
                    "PYTHONPATH": os.pathsep.join([str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]),
                    **(env or {})}
        for v in dirs.values():
            (home / v).mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "kimson_ds.cli", "app", "--port", str(self.port), "--no-browser"]
        if not token:
            cmd.append("--no-token")
        if pool_size is not None:
            cmd += ["--pool-size", str(pool_size)]
        self.pool_size = 1 if pool_size is None else pool_size
        self.lines: list[str] = []
        self.started = time.monotonic()
        self.proc = subprocess.Popen(cmd, cwd=home, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, encoding="utf-8", start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()
        try:
            self.url = self._wait_ready(timeout)
        except BaseException:
            self.stop()
            raise
        self.ready_seconds = time.monotonic() - self.started

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def _wait_ready(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        url = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("kimson-ds app stopped:\n" + "\n".join(self.lines))
            if url is None:
                url = next((m.group(0) for ln in list(self.lines)
                            if (m := re.search(r"http://127\.0\.0\.1:\d+/\S+", ln))), None)
            warm = self.pool_size == 0 or any(ln.startswith(READY_LINE) for ln in list(self.lines))
            if url is not None and warm:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{self.port}/voila/static/", timeout=5)
                    return url
                except urllib.error.HTTPError:  # any HTTP answer (even 404) means the server is up
                    return url
                except OSError:
                    pass
            time.sleep(0.2)  # polling a server process, not synchronising with a page
        raise AssertionError("kimson-ds app did not start:\n" + "\n".join(self.lines))

    @property
    def token(self) -> str | None:
        m = re.search(r"token=([^&\s]+)", self.url)
        return m.group(1) if m else None

    def page_url(self, notebook: str) -> str:
        return self.url.replace("index.ipynb", notebook)

    def kernels(self) -> list:
        """The kernel processes (ipykernel) this server runs now."""
        import psutil

        try:
            kids = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.Error:
            return []
        out = []
        for k in kids:
            try:
                if "ipykernel" in " ".join(k.cmdline()):
                    out.append(k)
            except psutil.Error:
                pass
        return out

    def wait_kernels(self, n: int, timeout: float = 90.0) -> int:
        """Wait until the server runs exactly ``n`` kernels, stably for 2 s; return the last count."""
        deadline = time.monotonic() + timeout
        stable_since = None
        count = len(self.kernels())
        while time.monotonic() < deadline:
            count = len(self.kernels())
            if count == n:
                stable_since = stable_since or time.monotonic()
                if time.monotonic() - stable_since >= 2.0:
                    return count
            else:
                stable_since = None
            time.sleep(0.25)  # polling processes
        return count

    def tree_cpu(self, seconds: float = 1.0) -> float:
        """CPU used by the server and all its descendants (kernels, their solvers) over ``seconds``, in % of a core."""
        import psutil

        try:
            procs = [psutil.Process(self.proc.pid), *psutil.Process(self.proc.pid).children(recursive=True)]
        except psutil.Error:
            return 0.0

        def total() -> float:
            used = 0.0
            for p in procs:
                try:
                    t = p.cpu_times()
                    used += t.user + t.system
                except psutil.Error:
                    pass
            return used

        before = total()
        time.sleep(seconds)  # sampling CPU use
        return 100.0 * (total() - before) / seconds

    def wait_idle(self, n: int, timeout: float = 180.0) -> bool:
        """Wait until ``n`` kernels run and the whole server is idle twice in a row (a refilled pool has
        finished its page: the server, the kernels and any solver they started use < 10 % of a core)."""
        deadline = time.monotonic() + timeout
        quiet = 0
        while time.monotonic() < deadline:
            if self.wait_kernels(n, timeout=max(deadline - time.monotonic(), 1)) != n:
                return False
            quiet = quiet + 1 if self.tree_cpu() < 10.0 and len(self.kernels()) == n else 0
            if quiet >= 2:
                return True
        return False

    def stop(self) -> None:
        kids = self.kernels()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        for k in kids:  # kernels left behind
            try:
                os.kill(k.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def needs_browser():
    return [
        pytest.mark.slow,
        pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (/usr/bin/chromium)"),
        pytest.mark.skipif(not (REPO / "data" / "kimson").is_dir(), reason="data/kimson is not generated"),
    ]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def offline_context(browser, **kwargs):
    """A browser context that aborts, and records in ``ctx.external``, every request not to this machine."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN", **kwargs)
    ctx.external = []

    def route(r):
        if r.request.url.startswith(LOCAL):
            r.continue_()
        else:
            ctx.external.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    return ctx


@pytest.fixture
def page(browser):
    ctx = offline_context(browser)
    pg = ctx.new_page()
    pg.set_default_timeout(60_000)
    pg.errors = []
    pg.external = ctx.external
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    ctx.close()


@pytest.fixture(scope="module")
def ds():
    """The bundled sample, loaded once per module."""
    from kimson_ds.data.io import load_dataset

    return load_dataset(REPO / "data" / "kimson")


@pytest.fixture(scope="module")
def base():
    """The 2016 rotation scenario of the sample."""
    from kimson_ds.rotation import model as rotation

    return rotation.load_rotation_scenario(REPO / "data" / "scenarios" / "luan-chuyen-2016.yaml")


@pytest.fixture
def saves_in_tmp(tmp_path, monkeypatch):
    """A test's own audit log, and its tmp folder allowed for "Lưu kịch bản" and the exports."""
    from kimson_ds.ui import common

    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    monkeypatch.setattr(common, "SCENARIO_ROOTS", (*common.SCENARIO_ROOTS, str(tmp_path)))
    monkeypatch.setattr(common, "REPORT_ROOTS", (*common.REPORT_ROOTS, str(tmp_path)))
    return tmp_path


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """One ``kimson-ds app`` server (token, preheated pool) for a test module."""
    a = App(tmp_path_factory.mktemp("voila"))
    yield a
    a.stop()


def plan_rows(page) -> list[tuple[str, str]]:
    """(Mã cán bộ, Mã vị trí) of every row of the rotation plan table shown on a page."""
    table = page.locator(".kimson-assignments table")
    heads = table.locator("thead th").all_inner_texts()
    ic, ip = heads.index("Mã cán bộ"), heads.index("Mã vị trí")
    rows = table.locator("tbody tr").evaluate_all("rs => rs.map(r => [...r.cells].map(c => c.innerText.trim()))")
    return [(r[ic], r[ip]) for r in rows if len(r) > max(ic, ip)]
