"""Print HTML reports to PDF with headless Chromium (Debian's ``chromium`` package).

:func:`html_to_pdf` opens each report in one headless Chromium driven by
Playwright for Python and prints it with ``page.pdf()``: A4, the page
backgrounds printed, margins of 15 mm (12 mm at the sides) and a footer
"Trang N/M". Playwright's own browser download is never used: Chromium is
found by :func:`find_chromium` (``$KIMSON_CHROMIUM``, then ``/usr/bin/chromium``,
then ``chromium`` or ``chromium-browser`` on ``PATH``). When none is found the
error tells the user to install the ``chromium`` package (exit code 2).

Paper layout
    Tables are set in 8 pt, long identifiers get break points after ``. _ - /``,
    and the widest table or figure decides the page: portrait at full size
    when it fits, portrait zoomed out down to 85 %, else landscape zoomed out
    as needed (never below 50 %; beyond that cells wrap inside words). Nothing
    is cut off at the right edge. :class:`PdfResult` records the choice.
    Only small blocks are kept whole (figures, table rows, tables of at most
    :data:`SMALL_TABLE_ROWS` rows and :data:`SMALL_TABLE_PX` pixels); a long
    table starts right after the text before it instead of leaving a
    half-empty page.

Offline
    Every request of the page that is not ``file:`` or ``data:`` is aborted,
    so a report can never wait on, or leak anything to, the network.

Vietnamese text
    The PDFs are typeset in **DejaVu Sans**, embedded from the copy that ships
    inside matplotlib (``matplotlib/mpl-data/fonts/ttf``; matplotlib is a
    dependency, and its default chart font is the same DejaVu Sans). Its four
    faces (regular, bold, oblique, bold oblique) cover every Vietnamese letter
    with its diacritics (``tests/test_pack.py`` checks each one). Because the
    faces are injected into the page as ``@font-face`` data, a PDF looks the
    same on any machine and never depends on which system fonts are
    installed; ``fonts-dejavu-core`` (installed by ``.ci/run`` with
    ``chromium``) only serves the footer line. DejaVu fonts are free (Bitstream
    Vera licence with public-domain additions), so nothing had to be copied
    into this package.
"""

from __future__ import annotations

import base64
import os
import shutil
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kimson_ds.errors import KimsonError, ReportError

__all__ = [
    "CHROMIUM_ARGS",
    "ChromiumMissingError",
    "PdfResult",
    "find_chromium",
    "font_css",
    "html_to_pdf",
]

#: Command-line switches of the headless browser (no sandbox: CI runs as root).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

#: Places tried, in order, after ``$KIMSON_CHROMIUM``.
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")

#: Family name of the embedded font (distinct from any system font name).
FONT_FAMILY = "Kimson DejaVu Sans"

_FACES = (
    ("DejaVuSans.ttf", "normal", "normal"),
    ("DejaVuSans-Bold.ttf", "bold", "normal"),
    ("DejaVuSans-Oblique.ttf", "normal", "italic"),
    ("DejaVuSans-BoldOblique.ttf", "bold", "italic"),
)

_MARGIN = {"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"}
#: Printable width of A4 portrait and landscape inside the margins, in CSS pixels (96 per inch).
_PORTRAIT_PX = (210 - 24) / 25.4 * 96
_LANDSCAPE_PX = (297 - 24) / 25.4 * 96
#: Smallest zoom used to fit a wide table on the page (below it the table is cut at the right).
MIN_SCALE = 0.5
#: Portrait is kept while the zoom it needs is at least this; otherwise the report prints landscape.
PORTRAIT_MIN_SCALE = 0.85

#: Print layout for paper: compact tables whose long words wrap, figures kept whole.
PRINT_CSS = """
@media print {
  body { font-size: 10.5pt; }
  table, html table.kimson-table { font-size: 8pt; max-width: 100%; }
  table th, table td { padding: 2px 4px; overflow-wrap: break-word; }
  html table th.num, html table.kimson-table th.num { white-space: normal; }
  html.kimson-fit table th, html.kimson-fit table td { overflow-wrap: anywhere; }
  .kimson-report { max-width: none; padding: 0; }
  h1 { font-size: 16pt; } h2 { font-size: 13pt; } h3 { font-size: 11pt; }
  img { max-width: 100%; page-break-inside: avoid; }
  tr { page-break-inside: avoid; }
  .kimson-scroll { overflow: visible; }
}
"""
_FOOTER = (
    '<div style="width:100%;font-size:8px;color:#555;text-align:center;'
    'font-family:\'DejaVu Sans\',sans-serif;">Trang <span class="pageNumber"></span>/'
    '<span class="totalPages"></span></div>'
)
_INSTALL_HINT = (
    "Hãy cài gói 'chromium' của hệ điều hành (Debian/Ubuntu: sudo apt-get install chromium "
    "fonts-dejavu-core), hoặc đặt biến môi trường KIMSON_CHROMIUM trỏ tới tệp chạy của Chromium, "
    "hoặc chạy lại với --no-pdf để bỏ qua bước tạo PDF."
)


class ChromiumMissingError(KimsonError):
    """No Chromium (or no Playwright) to print PDFs with: exit code 2."""

    exit_code = 2


@dataclass
class PdfResult:
    """One printed report: source, target, page count, seconds taken, orientation and zoom."""

    html: Path
    pdf: Path
    pages: int
    seconds: float
    landscape: bool = False
    scale: float = 1.0


def _content_width(page, width_px: float) -> float:
    """Width the laid-out page needs when the printable width is ``width_px``."""
    page.set_viewport_size({"width": int(width_px), "height": 1100})
    return float(page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"))


#: Give cells with long unspaced words (parameter ids, file names) break points after . _ - /
_BREAK_IDS_JS = r"""() => {
  for (const cell of document.querySelectorAll('td, th')) {
    if (cell.children.length) continue;
    const text = cell.textContent;
    if (!/\S{16,}/.test(text)) continue;
    cell.textContent = '';
    for (const part of text.split(/(?<=[._\-\/])/)) {
      cell.appendChild(document.createTextNode(part));
      cell.appendChild(document.createElement('wbr'));
    }
  }
}"""


#: Keep short tables (a caption and a few rows, at most this many CSS pixels high at the printed
#: width) on one page; longer ones may break between rows, so no page is left half empty.
SMALL_TABLE_ROWS = 12
SMALL_TABLE_PX = 320
_KEEP_SMALL_JS = """([limit, px]) => {
  for (const table of document.querySelectorAll('table')) {
    if (table.rows.length <= limit + 1 && table.getBoundingClientRect().height <= px) {
      const box = table.parentElement && table.parentElement.classList.contains('kimson-scroll')
        ? table.parentElement : table;
      box.style.breakInside = 'avoid';
    }
  }
}"""


def _layout(page) -> tuple[bool, float, bool]:
    """Orientation and zoom so that the widest table or figure fits the paper width.

    Portrait at full size when everything fits; portrait slightly zoomed out
    (not below :data:`PORTRAIT_MIN_SCALE`); else landscape, zoomed out as
    needed, never below :data:`MIN_SCALE`. The third value says whether the
    content fits at that zoom (if not, cells must wrap inside words).
    """
    need = _content_width(page, _PORTRAIT_PX)
    portrait = min(1.0, _PORTRAIT_PX / need)
    if portrait >= PORTRAIT_MIN_SCALE:
        return False, round(portrait, 3), True
    need_l = _content_width(page, _LANDSCAPE_PX)
    landscape = min(1.0, _LANDSCAPE_PX / need_l)
    if landscape <= portrait:
        return False, round(max(portrait, MIN_SCALE), 3), portrait >= MIN_SCALE
    return True, round(max(landscape, MIN_SCALE), 3), landscape >= MIN_SCALE


def find_chromium(explicit: str | os.PathLike | None = None) -> str:
    """Path of the Chromium executable to drive.

    Parameters
    ----------
    explicit : path, optional
        Use this one (else ``$KIMSON_CHROMIUM``, else :data:`CHROMIUM_CANDIDATES`).

    Raises
    ------
    ChromiumMissingError
        Nothing executable was found (the message says how to install it).
    """
    wanted = explicit or os.environ.get("KIMSON_CHROMIUM")
    if wanted:
        path = Path(wanted)
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
        found = shutil.which(str(wanted))
        if found:
            return found
        raise ChromiumMissingError(f"Không tìm thấy Chromium tại '{wanted}' để tạo PDF. {_INSTALL_HINT}")
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise ChromiumMissingError(f"Không tìm thấy trình duyệt Chromium để tạo tệp PDF. {_INSTALL_HINT}")


def _font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


@lru_cache(maxsize=1)
def font_css() -> str:
    """``@font-face`` rules embedding matplotlib's DejaVu Sans, and the body font using it."""
    rules = []
    folder = _font_dir()
    for name, weight, style in _FACES:
        path = folder / name
        if not path.is_file():  # pragma: no cover - a broken matplotlib install
            continue
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        rules.append(
            f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; font-style: {style}; '
            f'src: url(data:font/ttf;base64,{data}) format("truetype"); }}'
        )
    rules.append(f'body {{ font-family: "{FONT_FAMILY}", "DejaVu Sans", sans-serif; }}')
    return "\n".join(rules) + PRINT_CSS


def _page_count(path: Path) -> int:
    """Pages of a PDF: pypdf when installed, else the ``/Type /Page`` objects."""
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - pypdf is a test dependency
        import re

        return len(re.findall(rb"/Type\s*/Page[^s]", path.read_bytes()))
    return len(PdfReader(str(path)).pages)


def _route(route) -> None:
    """Let local files and inline data through; abort everything else (offline)."""
    url = route.request.url
    if url.startswith(("file:", "data:")):
        route.continue_()
    else:
        route.abort()


def html_to_pdf(jobs, *, chromium: str | None = None, timeout_s: float = 120.0) -> list[PdfResult]:
    """Print HTML files to PDF in one headless Chromium session.

    Parameters
    ----------
    jobs : iterable of (path, path)
        ``(html, pdf)`` pairs; the PDF folders must exist.
    chromium : str, optional
        Executable to drive (default: :func:`find_chromium`).
    timeout_s : float
        Seconds allowed to load and print one page.

    Returns
    -------
    list of PdfResult

    Raises
    ------
    ChromiumMissingError
        No Chromium, or Playwright is not installed (exit code 2).
    ReportError
        The browser failed to start or to print a page.
    """
    jobs = [(Path(h), Path(p)) for h, p in jobs]
    exe = find_chromium(chromium)
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise ChromiumMissingError(
            "Chưa cài thư viện Python 'playwright' dùng để điều khiển Chromium khi tạo PDF "
            "(cài bằng: pip install playwright; không cần 'playwright install'), hoặc chạy lại với --no-pdf."
        ) from None
    if not jobs:
        return []
    css = font_css()
    results: list[PdfResult] = []
    current = None
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
            try:
                context = browser.new_context(java_script_enabled=True, offline=False)
                context.route("**/*", _route)
                page = context.new_page()
                page.set_default_timeout(timeout_s * 1000)
                for html, pdf in jobs:
                    current = html
                    started = time.perf_counter()
                    page.goto(html.resolve().as_uri(), wait_until="load")
                    page.add_style_tag(content=css)
                    page.evaluate("document.fonts.ready.then(() => true)")
                    page.emulate_media(media="print")
                    page.evaluate(_BREAK_IDS_JS)
                    landscape, scale, fits = _layout(page)
                    page.evaluate(_KEEP_SMALL_JS, [SMALL_TABLE_ROWS, SMALL_TABLE_PX / scale])
                    if not fits:  # still too wide at the smallest zoom: wrap inside words rather than cut
                        page.evaluate("document.documentElement.classList.add('kimson-fit')")
                    page.pdf(path=str(pdf), format="A4", landscape=landscape, scale=scale, print_background=True,
                             margin=_MARGIN, display_header_footer=True, header_template="<span></span>",
                             footer_template=_FOOTER, prefer_css_page_size=False)
                    results.append(PdfResult(html, pdf, _page_count(pdf), time.perf_counter() - started,
                                             landscape, scale))
            finally:
                browser.close()
    except PlaywrightError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        where = f" khi in '{current.name}'" if current is not None else " khi khởi động"
        raise ReportError(f"Chromium ({exe}) gặp lỗi{where}: {first}") from None
    return results
