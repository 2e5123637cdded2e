"""The static meeting-pack reports in a real browser (Playwright for Python + Debian chromium).

The pack is built once per session from ``data/kimson`` (``test_pack.sample_pack``)
and served by a local ``http.server`` on 127.0.0.1. Every request that does
not go to that server is aborted and recorded, so a report that needs the
internet fails here exactly as it would on an office PC without one.

For every page (the index and each report): no JavaScript error, no console
error, no blocked request, every image decoded (``naturalWidth > 0``), tables
present, and the Vietnamese headings drawn with their diacritics — checked
with Chromium's own answer (DevTools ``CSS.getPlatformFontsForNode``) of
which font files drew the heading: together they must hold a glyph for
every letter of it (no missing-glyph boxes).
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import threading
import unicodedata
from pathlib import Path

import pytest
from test_pack import CHROMIUM, REPO, SAMPLE, sample_pack

ARTIFACTS = Path(os.environ.get("KIMSON_TEST_ARTIFACTS", REPO / "test-artifacts")) / "pack"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (/usr/bin/chromium)"),
    pytest.mark.skipif(not SAMPLE.is_dir(), reason="data/kimson is not generated"),
]

playwright_sync = pytest.importorskip("playwright.sync_api")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep the test output clean
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The built pack, served on 127.0.0.1 (port chosen by the system)."""
    facts = sample_pack(tmp_path_factory)
    assert facts["code"] == 0, facts["stdout"] + facts["stderr"]
    out = Path(facts["out"])
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield out, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with playwright_sync.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def _pages(out: Path) -> list[str]:
    """The index, every report (main part and appendix) and the profile cards."""
    return ["index.html", *(f"bao-cao/{p.name}" for p in sorted((out / "bao-cao").glob("*.html"))),
            *(f"ho-so/{p.name}" for p in sorted((out / "ho-so").glob("*.html")))]


@functools.cache
def _font_file(postscript_name: str) -> str | None:
    """The font file fontconfig has for a PostScript name."""
    try:
        out = subprocess.run(["fc-list", f":postscriptname={postscript_name}", "file"], capture_output=True,
                             text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    files = [line.strip().rstrip(":") for line in out.stdout.splitlines() if line.strip()]
    return sorted(files)[0] if files else None


def _open(browser, base: str, path: str):
    """Open one page with the network fenced to the local server; return (page, context, problems)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    problems = {"pageerror": [], "console": [], "blocked": [], "failed": []}

    def route(r):
        url = r.request.url
        if url.startswith((base + "/", "data:")):
            r.continue_()
        else:
            problems["blocked"].append(url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda exc: problems["pageerror"].append(str(exc)))
    page.on("console", lambda msg: problems["console"].append(msg.text) if msg.type == "error" else None)
    page.on("requestfailed", lambda req: problems["failed"].append(req.url))
    page.goto(f"{base}/{path}", wait_until="load", timeout=60_000)
    page.wait_for_load_state("networkidle", timeout=60_000)
    return page, context, problems


def test_every_page_loads_offline_without_errors(served, browser):
    out, base = served
    pages = _pages(out)
    assert len(pages) >= 6  # index + the notebooks present
    for path in pages:
        page, context, problems = _open(browser, base, path)
        try:
            assert problems == {"pageerror": [], "console": [], "blocked": [], "failed": []}, (path, problems)
            imgs = page.evaluate("Array.from(document.images).map(i => [i.complete, i.naturalWidth])")
            assert all(done and width > 0 for done, width in imgs), (path, imgs)
            n_tables = page.locator("table").count()
            assert n_tables >= 2, path
            assert page.locator("table tbody tr").count() > n_tables, path  # tables have rows
        finally:
            context.close()


def test_reports_show_vietnamese_text_charts_and_the_legal_basis(served, browser):
    out, base = served
    n_images = 0
    for path in [p for p in _pages(out)[1:] if p.endswith(".phu-luc.html")]:
        page, context, _ = _open(browser, base, path)
        try:
            text = unicodedata.normalize("NFC", page.inner_text("body"))
            assert "Căn cứ pháp lý" in text and "Tham số chạy" in text, path
            assert page.locator("h2", has_text="Căn cứ pháp lý").count() == 1, path
            legal = page.locator("table", has_text="Mã tham số").last
            assert legal.locator("tbody tr").count() >= 1, path
            n_images += page.evaluate("document.images.length")
        finally:
            context.close()
    for path in [p for p in _pages(out)[1:] if p.startswith("bao-cao/") and not p.endswith(".phu-luc.html")]:
        page, context, _ = _open(browser, base, path)
        try:
            text = unicodedata.normalize("NFC", page.inner_text("body"))
            assert page.locator("h2, h3", has_text="Tóm tắt").count() == 1, path
            assert text.index("Tóm tắt") < text.index("Kết quả"), path  # results first, summary on top
            n_images += page.evaluate("document.images.length")
            if path.endswith("00-tong-quan.html"):
                assert "Tổng quan" in text
        finally:
            context.close()
    assert n_images >= 5  # the reports carry their charts (PNG, inline)


def test_headings_are_drawn_with_fonts_holding_every_diacritic(served, browser):
    from matplotlib.ft2font import FT2Font

    out, base = served
    for path in _pages(out):
        page, context, _ = _open(browser, base, path)
        try:
            cdp = context.new_cdp_session(page)
            cdp.send("DOM.enable")
            cdp.send("CSS.enable")
            root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
            node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "h1"})["nodeId"]
            heading = unicodedata.normalize("NFC", page.inner_text("h1"))
            letters = {c for c in heading if not c.isascii()}
            assert letters, (path, heading)  # a Vietnamese title
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            # every letter was drawn (spaces at a line wrap are not)
            assert sum(f["glyphCount"] for f in fonts) >= len("".join(heading.split())), (path, fonts)
            covered: set[str] = set()
            for f in fonts:
                assert "last resort" not in f["familyName"].lower(), (path, f)
                file = _font_file(f["postScriptName"])
                assert file is not None, (path, f)
                ft = FT2Font(file)
                covered |= {c for c in letters if ft.get_char_index(ord(c)) != 0}
            assert letters <= covered, (path, sorted(letters - covered), fonts)
            if path == "index.html":
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / "index.png"), full_page=True)
        finally:
            context.close()
