"""Page-ready times of ``kimson-ds app`` in a real browser, and the kernels left after ten page views.

Run: ``.venv/bin/python benchmarks/app_pages.py [LOADS]`` (prints the figures; not a timed test). Needs Debian
chromium (/usr/bin/chromium) and Playwright, as the browser tests. Target (issue 16): every page usable in ≤ 2 s
after the server is ready.

* Page ready: from navigation to the page's panel (the landing table) visible, after one warm-up load, each
  page loaded LOADS times (default 3) on a refilled pool; best and median per page.
* Ten page views (landing page and rotation explorer, five times each), closed as tabs: the kernel count
  (should be the pool: one per page) and their memory (RSS, MB) once the pool is refilled.

The server is the one the browser tests start (``tests/ui/conftest.py``: isolated Jupyter folders, every
non-local request blocked), so the figures are those of the tests.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "ui")]

from conftest import ARGS, CHROMIUM, App, offline_context  # noqa: E402

from kimson_ds.commands.app import app_pages  # noqa: E402

LOAD_MS = 120_000


def _ready_selector(notebook: str) -> str:
    return ".kimson-dataset" if notebook == "index.ipynb" else '.kimson-run[data-run="1"]'


def _open(ctx, app: App, nb: str) -> tuple[object, float]:
    pg = ctx.new_page()
    t0 = time.perf_counter()
    pg.goto(app.page_url(nb), wait_until="commit", timeout=LOAD_MS)
    pg.locator(_ready_selector(nb)).wait_for(state="visible", timeout=LOAD_MS)
    return pg, time.perf_counter() - t0


def _close(pg) -> None:
    with pg.expect_event("close"):
        pg.close(run_before_unload=True)


def main(loads: int = 3) -> None:
    from playwright.sync_api import sync_playwright

    pages = app_pages()
    pool = len(pages)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        app = App(Path(tmp))
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            print(f"server ready (pool warm, {pool} pages) after {app.ready_seconds:.1f} s")
            ctx = offline_context(browser)
            pg, _ = _open(ctx, app, "index.ipynb")  # warm-up: the browser caches the page scripts
            _close(pg)
            app.wait_idle(pool)
            print(f"{'page':<20}{'best s':>8}{'median s':>10}  loads")
            for nb in pages:
                times = []
                for _ in range(loads):
                    pg, seconds = _open(ctx, app, nb)
                    times.append(seconds)
                    _close(pg)
                    app.wait_idle(pool)
                print(f"{nb:<20}{min(times):>8.2f}{statistics.median(times):>10.2f}  "
                      + " ".join(f"{t:.2f}" for t in times))
            for nb in ["index.ipynb", "luan-chuyen.ipynb"] * 5:
                pg, _ = _open(ctx, app, nb)
                _close(pg)
            count = app.wait_kernels(pool, timeout=180)
            app.wait_idle(pool)
            rss = sum(k.memory_info().rss for k in app.kernels()) / 2**20
            print(f"after ten page views: {count} kernels (pool {pool}), {rss:.0f} MB in total, "
                  f"{rss / max(count, 1):.0f} MB each; non-local requests: {len(ctx.external)}")
            ctx.close()
        finally:
            browser.close()
            app.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
