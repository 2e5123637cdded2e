"""Closing a page of ``kimson-ds app`` shuts its kernel down, in every mode; nothing piles up.

Ten pages are opened and closed in the default mode (token, preheated pool)
and the kernel count must come back to the pool (one per page of the app).
The same holds without token and without pool (one kernel per page view).
The kernels' memory after the cycles is printed for the closing note.

The pages are closed as a user closes a tab: the page's close handler sends
its shutdown request (a beacon) and the browser stays open while the server
acts on it. Closing the whole browser context at once would cancel the last
beacon in flight (measured: 4 out of 4 kernels then stayed until the idle
culler), which was the cause of this test's flakiness, not the server.
"""

from __future__ import annotations

import pytest
from conftest import App, needs_browser, offline_context

from kimson_ds.commands.app import ORPHAN_GRACE_SECONDS, app_pages

pytestmark = needs_browser()

APP_PAGES = len(app_pages())  # one pooled kernel per page of apps/ (index, the explorers, kiem-phieu …)
LOAD_MS = 120_000
STOP_S = 120  # generous: a kernel stops in about 2 s on a quiet machine, a loaded 2-core CI machine is slower


def _open_and_close(browser, app: App, notebooks: list[str], kernels_after: int) -> tuple[list[str], int]:
    """Open and close each page in turn, then wait (browser still open) for ``kernels_after`` kernels.

    Returns the non-local requests and the kernel count reached.
    """
    ctx = offline_context(browser)
    try:
        for nb in notebooks:
            pg = ctx.new_page()
            pg.goto(app.page_url(nb), timeout=LOAD_MS)
            sel = ".kimson-dataset" if nb == "index.ipynb" else '.kimson-run[data-run="1"]'
            pg.locator(sel).wait_for(state="visible", timeout=LOAD_MS)
            with pg.expect_event("close"):
                pg.close(run_before_unload=True)  # as a tab closed by the user: the page's close handler runs
        return ctx.external, app.wait_kernels(kernels_after, timeout=STOP_S)
    finally:
        ctx.close()


def test_ten_page_views_leave_only_the_pool(tmp_path, browser):
    app = App(tmp_path)
    try:
        pool = APP_PAGES * app.pool_size
        assert app.wait_kernels(pool) == pool, "\n".join(app.lines)
        external, count = _open_and_close(browser, app, ["index.ipynb", "luan-chuyen.ipynb"] * 5, pool)
        assert count == pool, "\n".join(app.lines)
        assert app.wait_idle(pool)  # the refilled pool has finished its pages: memory as a user finds it
        rss = sum(k.memory_info().rss for k in app.kernels()) / 2**20
        print(f"\nSau 10 lần mở/đóng trang: {len(app.kernels())} tiến trình tính toán (bằng số trang chuẩn bị sẵn, "
              f"{APP_PAGES} trang), tổng bộ nhớ {rss:.0f} MB, trung bình {rss / pool:.0f} MB".replace(".", ","))
        assert external == []
        assert not any("403" in ln and "shutdown" in ln for ln in app.lines), "\n".join(app.lines)
    finally:
        app.stop()


@pytest.mark.parametrize("token", [True, False], ids=["ma-truy-cap", "khong-ma"])
def test_closing_a_page_stops_its_kernel_without_pool(tmp_path, browser, token):
    app = App(tmp_path, token=token, pool_size=0)
    try:
        assert app.wait_kernels(0) == 0
        _, count = _open_and_close(browser, app, ["luan-chuyen.ipynb", "index.ipynb"], 0)
        assert count == 0, "\n".join(app.lines)
    finally:
        app.stop()


def test_a_browser_that_quits_without_closing_its_page_leaves_no_kernel(tmp_path, browser):
    app = App(tmp_path, token=False, pool_size=0)
    try:
        assert app.wait_kernels(0) == 0
        ctx = offline_context(browser)
        pg = ctx.new_page()
        pg.goto(app.page_url("luan-chuyen.ipynb"), timeout=LOAD_MS)
        pg.locator('.kimson-run[data-run="1"]').wait_for(state="visible", timeout=LOAD_MS)
        assert app.wait_kernels(1) == 1
        ctx.close()  # no close handler runs, so no shutdown request: only the page's socket closes
        assert app.wait_kernels(0, timeout=ORPHAN_GRACE_SECONDS + STOP_S) == 0, "\n".join(app.lines)
        assert ctx.external == []
    finally:
        app.stop()
