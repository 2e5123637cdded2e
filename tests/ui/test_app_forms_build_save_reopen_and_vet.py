"""Scenarios and proposals without files typed by hand, in a real browser.

Rotation: a scenario built in the form is saved, the command line solves the
saved file to the same plan the page shows, and "Mở kịch bản" loads it back
into a fresh page with every control as it was. Vetting: a proposal entered
in the form is vetted with the batch, with the library's verdict.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pandas as pd
from conftest import needs_browser, offline_context, plan_rows

pytestmark = needs_browser()

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "kimson"
LOAD_MS = 120_000


def _wait_run(page, n: int) -> None:
    page.locator(f'.kimson-run[data-run="{n}"]').wait_for(state="attached", timeout=LOAD_MS)


def _set_int(page, cls: str, value: int, run: int) -> None:
    box = page.locator(f".kimson-{cls} input")
    box.fill(str(value))
    box.press("Enter")
    _wait_run(page, run)


def test_rotation_scenario_built_in_the_form_runs_in_the_cli_and_reopens_unchanged(app, browser, tmp_path):
    rel = f"reports/kich-ban/kiem-thu-{uuid.uuid4().hex[:8]}.yaml"
    saved = REPO / rel
    ctx = offline_context(browser)
    try:
        pg = ctx.new_page()
        pg.goto(app.page_url("luan-chuyen.ipynb"), timeout=LOAD_MS)
        _wait_run(pg, 1)
        _set_int(pg, "min-women", 2, 2)
        _set_int(pg, "n-bi-thu", 1, 3)
        pg.locator(".kimson-rule-home input").uncheck()
        _wait_run(pg, 4)
        shown = plan_rows(pg)
        pg.locator(".kimson-save-path input").fill(rel)
        pg.locator(".kimson-save").click()
        pg.get_by_text("Đã lưu kịch bản").wait_for(timeout=LOAD_MS)
        assert saved.is_file()

        out = tmp_path / "cli"
        run = subprocess.run([sys.executable, "-m", "kimson_ds.cli", "rotate", str(SAMPLE), "--scenario", str(saved),
                              "--out", str(out)], cwd=REPO, capture_output=True, text=True, encoding="utf-8",
                             env={**__import__("os").environ, "KIMSON_AUDIT_LOG": str(tmp_path / "audit.jsonl")})
        assert run.returncode == 0, run.stderr
        cli = pd.read_csv(out / "assignments.csv", dtype=str)
        assert list(zip(cli["Mã cán bộ"], cli["Mã vị trí"], strict=True)) == shown

        fresh = ctx.new_page()  # a new page starts from the shipped scenario, then opens the saved one
        fresh.goto(app.page_url("luan-chuyen.ipynb"), timeout=LOAD_MS)
        _wait_run(fresh, 1)
        assert fresh.locator(".kimson-min-women input").input_value() != "2"
        fresh.locator(".kimson-open-path input").fill(rel)
        fresh.locator(".kimson-open").click()
        _wait_run(fresh, 2)
        assert fresh.locator(".kimson-min-women input").input_value() == "2"
        assert fresh.locator(".kimson-n-bi-thu input").input_value() == "1"
        assert not fresh.locator(".kimson-rule-home input").is_checked()
        assert fresh.locator(".kimson-rule-relatives input").is_checked()
        assert plan_rows(fresh) == shown
        assert ctx.external == []
    finally:
        ctx.close()
        saved.unlink(missing_ok=True)


def test_a_proposal_entered_in_the_form_is_vetted_with_the_batch(app, browser):
    from kimson_ds.data.io import load_dataset
    from kimson_ds.vetting import checklist as vetting

    ds = load_dataset(SAMPLE)
    batch = vetting.read_proposals(REPO / "data" / "scenarios" / "de-xuat-mau.csv", ds)
    new = vetting.parse_proposals(pd.DataFrame([{
        "proposal_id": "DX20", "cadre_id": "CB0100", "action": "bo_nhiem", "position_id": "XA_KIM_DINH-BI_THU-1",
        "effective_date": "2020-07-01"}]), ds)
    expected = vetting.vet(ds, pd.concat([batch, new], ignore_index=True), as_of="2020-08-01").verdicts
    verdict = expected.set_index("proposal_id").loc["DX20", "verdict_vi"]

    ctx = offline_context(browser)
    try:
        pg = ctx.new_page()
        pg.goto(app.page_url("tham-dinh.ipynb"), timeout=LOAD_MS)
        _wait_run(pg, 1)
        pg.get_by_text("Thêm đề xuất mới vào đợt").click()
        pg.locator(".kimson-new-proposal-id input").fill("DX20")
        for cls, code in (("cadre-id", "CB0100"), ("position-id", "XA_KIM_DINH-BI_THU-1")):
            sel = pg.locator(f".kimson-new-{cls} select")
            label = sel.locator("option").filter(has_text=f"({code})").first.inner_text()
            sel.select_option(label=label)
        pg.locator(".kimson-new-effective-date input").fill("01/07/2020")
        pg.locator(".kimson-add-proposal").click()
        _wait_run(pg, 2)
        assert "Đã thêm đề xuất DX20" in pg.locator(".kimson-form-message").inner_text()
        rows = pg.locator(".kimson-panel table").first.locator("tbody tr").all_inner_texts()
        row = next(r for r in rows if r.startswith("DX20"))
        assert verdict in row
        assert f"{len(expected)} đề xuất" in pg.locator(".kimson-summary").inner_text()
        assert ctx.external == []
    finally:
        ctx.close()
