"""The explorer app in a real browser: ``kimson-ds app`` (Voilà) driven by Playwright + Debian chromium.

Every request that does not go to 127.0.0.1 is blocked. Synchronisation is on
page content only (the panel's run counter ``.kimson-run[data-run]`` and the
tables), never on sleeps. The expected plans are computed here with
:mod:`kimson_ds.rotation.model`, independently of the panel code.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import App, needs_browser, plan_rows

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "kimson"
SCENARIO = REPO / "data" / "scenarios" / "luan-chuyen-2016.yaml"
ARTIFACTS = REPO / "test-artifacts"
LOAD_MS = 120_000  # page load incl. kernel start and first solve (≈ 3–5 s here)
CHANGE_MS = 60_000  # one control change to updated table (≈ 0.3 s here)

pytestmark = needs_browser()


# =========================================================================== helpers
def _expected(result) -> list[tuple[str, str]]:
    a = result.assignments
    return list(zip(a["cadre_id"], a["post_id"], strict=True))


def _set_int(page, cls: str, value: int, run: int) -> float:
    """Type ``value`` into the int field ``.kimson-<cls>``; wait for refresh number ``run``; return seconds."""
    box = page.locator(f".kimson-{cls} input")
    t0 = time.perf_counter()
    box.fill(str(value))
    box.press("Enter")
    page.locator(f'.kimson-run[data-run="{run}"]').wait_for(state="attached", timeout=CHANGE_MS)
    return time.perf_counter() - t0


def _kernel_seconds(page) -> float:
    text = page.locator(".kimson-run").inner_text()
    return float(re.search(r"(\d+,\d+) giây", text).group(1).replace(",", "."))


# =========================================================================== tests
def test_rotation_explorer_follows_the_library(app, page):
    from kimson_ds.data.io import load_dataset
    from kimson_ds.history.state import dataset_on
    from kimson_ds.rotation import model as rotation

    base = rotation.load_rotation_scenario(SCENARIO)
    full = load_dataset(SAMPLE)
    ds = dataset_on(full, base.as_of)  # the panel works on the state of the scenario date
    e0 = _expected(rotation.resolve(ds, base))
    e1 = _expected(rotation.resolve(ds, rotation.with_knobs(base, min_women=3)))
    e2 = _expected(rotation.resolve(ds, rotation.with_knobs(base, min_women=3, n_bi_thu=1)))
    bad = rotation.resolve(ds, rotation.with_knobs(base, min_women=9, n_bi_thu=1))
    assert e0 != e1 != e2 and not bad.feasible  # each step must change what the page shows

    # landing page → rotation explorer (the token in the first URL must carry over)
    page.goto(app.url, timeout=LOAD_MS)
    page.locator(".kimson-dataset").wait_for(timeout=LOAD_MS)
    assert f"{len(full.cadres)} cán bộ" in page.locator(".kimson-dataset").inner_text()
    page.get_by_role("link", name="Luân chuyển cán bộ về xã, thị trấn").click()
    page.locator('.kimson-run[data-run="1"]').wait_for(state="attached", timeout=LOAD_MS)
    assert "luan-chuyen.ipynb" in page.url
    assert plan_rows(page) == e0
    assert page.locator(".kimson-diagnosis .kimson-diag").get_attribute("data-feasible") == "1"

    latencies = []
    latencies.append(("min_women=3", _set_int(page, "min-women", 3, 2), _kernel_seconds(page)))
    assert plan_rows(page) == e1
    latencies.append(("n_bi_thu=1", _set_int(page, "n-bi-thu", 1, 3), _kernel_seconds(page)))
    assert plan_rows(page) == e2
    assert sum(1 for _, post in plan_rows(page) if "-BI_THU-" in post) == 1

    # an impossible request: the Vietnamese diagnosis names the rule that blocks it
    latencies.append(("min_women=9", _set_int(page, "min-women", 9, 4), _kernel_seconds(page)))
    diag = page.locator(".kimson-diagnosis .kimson-diag")
    assert diag.get_attribute("data-feasible") == "0"
    text = diag.inner_text()
    assert "Yêu cầu không thực hiện được" in text
    for line in bad.diagnosis:  # every line, items ("- ") and sub-items ("  + ") as list entries
        assert line.strip().removeprefix("- ").removeprefix("+ ") in text
    assert "Cần 9 nữ" in text
    assert plan_rows(page) == _expected(bad)  # the relaxed plan, as the library gives it

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "luan-chuyen-chan-doan.png"), full_page=True)
    log = "\n".join(f"{name}: trình duyệt {b:.3f} s, tính toán {k:.3f} s" for name, b, k in latencies)
    (ARTIFACTS / "ui-latency-browser.txt").write_text(log + "\n", encoding="utf-8")
    print("\nĐộ trễ tính lại (luân chuyển, quy mô huyện):\n" + log)
    # the 1 s re-solve target is measured by benchmarks/ui_latency.py (timing is not asserted on a shared
    # machine); here only a hang is a failure
    assert all(k < 10.0 for _, _, k in latencies), log
    assert all(b < 10.0 for _, b, _ in latencies), log  # round trip through the browser, generous
    assert page.errors == []


def test_overview_explorer_changes_with_the_date(app, page):
    from kimson_ds.data.io import load_dataset
    from kimson_ds.overview import figures as overview

    ds = load_dataset(SAMPLE)
    n_2020 = len(overview.active_cadres(ds.cadres, ds.units, "2020-12-31"))
    assert n_2020 != len(overview.active_cadres(ds.cadres, ds.units, "2019-12-31"))
    page.goto(app.page_url("tong-quan.ipynb"), timeout=LOAD_MS)
    page.locator('.kimson-run[data-run="1"]').wait_for(state="attached", timeout=LOAD_MS)
    page.locator(".kimson-as-of select").select_option(label="31/12/2020")
    page.locator('.kimson-run[data-run="2"]').wait_for(state="attached")
    assert f"{n_2020} cán bộ đang công tác" in page.locator(".kimson-run").inner_text()
    assert f"có {n_2020} cán bộ" in page.locator(".kimson-summary").inner_text()
    assert page.errors == []


@pytest.mark.parametrize("notebook", ["xep-loai.ipynb", "quy-hoach.ipynb", "dao-tao.ipynb", "tham-dinh.ipynb"])
def test_every_explorer_page_renders_its_panel(app, page, notebook):
    page.goto(app.page_url(notebook), timeout=LOAD_MS)
    page.locator('.kimson-run[data-run="1"]').wait_for(state="attached", timeout=LOAD_MS)
    assert page.locator(".kimson-run").get_attribute("data-ok") == "1", page.locator(".kimson-message").inner_text()
    assert page.locator(".kimson-error").count() == 0
    assert page.locator(".kimson-save").count() == 1 and page.locator(".kimson-report-button").count() == 1
    assert page.errors == []


def test_ballot_count_page_recomputes_when_a_count_is_typed(app, page):
    page.goto(app.page_url("kiem-phieu.ipynb"), timeout=LOAD_MS)
    page.locator('.kimson-run[data-run="1"]').wait_for(state="attached", timeout=LOAD_MS)
    assert "Đủ điều kiện đề nghị" in page.locator(".kimson-summary").inner_text()
    field = page.locator(".kimson-step5-present input")
    field.fill("9")  # more present than the 5 summoned: refused, the cell named
    field.press("Enter")
    page.locator(".kimson-message .kimson-error").wait_for(timeout=LOAD_MS)
    assert "số người có mặt không được lớn hơn số người được triệu tập" in page.locator(".kimson-message").inner_text()
    assert page.errors == []


def test_no_token_no_page(app):
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.build_opener(_NoRedirect).open(
            f"http://127.0.0.1:{app.port}/voila/render/luan-chuyen.ipynb", timeout=30)
    assert err.value.code in (302, 401, 403)
    assert "token=" in app.url


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_bad_dataset_shows_a_vietnamese_message(tmp_path, browser):
    bad = App(tmp_path, token=False, env={"KIMSON_DATASET": str(tmp_path / "khong-co")})
    try:
        ctx = browser.new_context()
        pg = ctx.new_page()
        pg.route("**/*", lambda r: r.continue_() if r.request.url.startswith("http://127.0.0.1") else r.abort())
        pg.goto(bad.page_url("luan-chuyen.ipynb"), timeout=LOAD_MS)
        msg = pg.locator(".kimson-message .kimson-error")
        msg.wait_for(timeout=LOAD_MS)
        text = msg.inner_text()
        assert "Không mở được bảng điều khiển luân chuyển" in text
        assert "Không tìm thấy bộ dữ liệu" in text and "khong-co" in text
        assert "Traceback" not in pg.content()
        ctx.close()
    finally:
        bad.stop()
