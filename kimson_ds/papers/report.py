"""Reports: run a notebook with papermill and render a self-contained HTML file.

Notebook helpers (the whole API an analysis notebook needs)
-----------------------------------------------------------
``show_table(df, caption=None, *, index=False)``
    Display ``df`` as a clean static HTML table: Vietnamese number format
    (``1.234``, ``35,2``), dates ``dd/mm/yyyy``, booleans ``Có``/``Không``,
    empty cells for missing values, numbers right-aligned. No widgets, no
    JavaScript. :func:`table_html` returns the same HTML as a string.
``show_figure(fig)``
    Display a :class:`matplotlib.figure.Figure` as an embedded PNG (works the
    same in Jupyter, Voilà and papermill runs; the figure need not come from
    pyplot).
``find_dataset(path)``
    Resolve a dataset path: as given (relative to the working folder), else
    relative to the repository root, so ``dataset = "data/kimson"`` works
    whether the notebook runs from the repository root or from ``notebooks/``.
``legal_basis(P)``
    The code cell of every notebook's last section, "Căn cứ pháp lý": ``P`` is
    the :class:`~kimson_ds.rules.parameters.ParameterSet` the analysis read (or a
    list of them). Displays the references table (ASSUMPTION rows labelled
    "GIẢ ĐỊNH") and, when run by the report pipeline, appends the rows to the
    JSON sidecar named by ``$KIMSON_REPORT_SIDECAR`` so the report header can
    list them.

Pipeline
--------
:func:`build_report` (used by ``kimson-ds report`` and the meeting pack) runs
the notebook in the *current* Python environment (a ``kimson-ds`` kernelspec
pointing at :data:`sys.executable` is created when missing), validates the
parameters against the notebook's ``parameters`` cell, writes the executed
notebook and an HTML file without code, prompts, tracebacks or external
resources (no CDN scripts, fonts or MathJax: it opens on an offline office
PC). Results come first: the title and the reference date, then the cells
tagged ``summary`` (a one-page summary), then the results; the appendix —
run date, parameters, data fingerprint, package version, git commit, and the
notebook sections "Mục tiêu", "Bài toán", "Mô hình", "Dữ liệu", "Phân tích",
"Căn cứ pháp lý" (:func:`split_cells`) — closes the report, or is its own file
``<stem>.phu-luc.html`` (``split_appendix``, used by the meeting pack). Then it
appends an audit record.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import datetime as dt
import functools
import hashlib
import html
import io
import json
import logging
import math
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kimson_ds import __version__
from kimson_ds.errors import DataError, ReportError
from kimson_ds.outputs import OutputSet
from kimson_ds.papers import vi

__all__ = [
    "ReportError",
    "ReportInputError",
    "ReportResult",
    "SIDECAR_ENV",
    "build_report",
    "decimal_comma",
    "external_resources",
    "find_dataset",
    "legal_basis",
    "notebook_parameters",
    "param_value_text",
    "references_frame",
    "resolve_parameters",
    "show_figure",
    "show_table",
    "table_html",
    "vi_number",
    "vi_text",
]

# nbformat (papermill, nbconvert) validates notebooks with jsonschema, which on import builds 38 grammars of the
# optional package rfc3987_syntax (~1 s) for string formats no notebook schema uses: left out of this process.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]

#: Environment variable naming the JSON file where :func:`legal_basis` records references.
SIDECAR_ENV = "KIMSON_REPORT_SIDECAR"

#: Name of the kernelspec that runs report notebooks in the current environment.
KERNEL_NAME = "kimson-ds"

#: Root of the repository (parent of the package folder).
REPO_ROOT = Path(__file__).resolve().parents[2]

_ASSETS = Path(__file__).resolve().parent / "assets"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_REMOVED_TAGS = {"parameters", "injected-parameters", "papermill-error-cell-tag", "remove_cell", "hide"}


#: Errors a notebook raises on bad input (the user's data, scenario or parameters): exit code 2.
_INPUT_ERRORS = frozenset({"DataError", "ScenarioError", "ParameterError", "ReportInputError", "ValidationError"})


class ReportInputError(ReportError):
    """Bad report request (unknown parameter, bad value, missing notebook): exit code 2."""

    exit_code = 2


# =====================================================================
# Formatting helpers (notebook side)
# =====================================================================
def _fmt_number(v: float, decimals: int = 2) -> str:
    return vi.number(v, decimals)


def _fmt_value(v: Any) -> str:
    """Vietnamese display text of one value (also used for parameter values): :func:`kimson_ds.papers.vi.value`."""
    return vi.value(v)


def vi_number(x: float, decimals: int = 1) -> str:
    """A number in Vietnamese notation with a fixed number of decimals: ``36,4``, ``1.234,5``.

    For numbers written into Markdown text (tables format their cells themselves);
    the same as :func:`kimson_ds.papers.vi.decimal`.
    """
    return vi.decimal(x, decimals)


def decimal_comma(text):
    """Vietnamese decimals (and dates) inside a text or a Series of texts: ``Điểm 96.7`` → ``Điểm 96,7``.

    The same as :func:`kimson_ds.papers.vi.text`: thousands written ``1.234``
    and codes such as ``21-HD/BTCTW`` or ``0.1.0`` stay as they are.
    """
    return vi.text(text)


def vi_text(obj):
    """Vietnamese number and date notation inside free texts (reasons, notes): :func:`kimson_ds.papers.vi.text`.

    Works on a string, a Series, or every text column of a DataFrame.
    """
    return vi.text(obj)


def _column_cells(s: pd.Series) -> tuple[list[str], bool]:
    """Display texts of a column and whether it is numeric (right-aligned)."""
    numeric = pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)
    if pd.api.types.is_datetime64_any_dtype(s):
        texts = [vi.date(v) for v in s.tolist()]
    else:
        texts = [_fmt_value(v) for v in s.tolist()]
    return [html.escape(t) for t in texts], numeric


def table_html(df: pd.DataFrame, caption: str | None = None, *, index: bool = False,
               max_rows: int | None = None, full_source: str | None = None, css_class: str = "",
               more_note: str | None = None) -> str:
    """Static HTML of ``df`` in the report style (see the module docstring).

    The table sits in a ``<div class="kimson-scroll">`` that scrolls sideways on
    screen when the table is wider than the page. With ``max_rows`` only the
    first rows are shown, followed by a note saying how many were left out and
    where the full list is (``full_source``, e.g. the command that writes it),
    or ``more_note`` when given.
    """
    frame = df.reset_index() if index else df
    total = len(frame)
    if max_rows is not None and total > max_rows:
        frame = frame.iloc[: max(0, int(max_rows))]
    cols = [str(c) for c in frame.columns]
    cells = [_column_cells(frame.iloc[:, i]) for i in range(frame.shape[1])]
    head = "".join(
        f'<th class="num">{html.escape(c)}</th>' if num else f"<th>{html.escape(c)}</th>"
        for c, (_, num) in zip(cols, cells, strict=True)
    )
    rows = []
    for r in range(len(frame)):
        tds = "".join(
            f'<td class="num">{texts[r]}</td>' if num else f"<td>{texts[r]}</td>" for texts, num in cells
        )
        rows.append(f"<tr>{tds}</tr>")
    if not rows and total == 0:
        rows.append(f'<tr><td class="empty" colspan="{max(1, len(cols))}">(không có dòng nào)</td></tr>')
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    classes = " ".join(["kimson-table", *([css_class] if css_class else [])])
    text = (
        f'<div class="kimson-scroll"><table class="{classes}">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
    left = total - len(frame)
    if left > 0 and more_note:
        text += f'<p class="kimson-more">{html.escape(more_note)}</p>'
    elif left > 0:
        where = (f" — xem đầy đủ trong tệp kết quả của lệnh {full_source}" if full_source
                 else f" (bảng đầy đủ có {_fmt_value(total)} dòng)")
        text += (f'<p class="kimson-more">… và {_fmt_value(left)} dòng nữa{html.escape(where)}.</p>')
    return text


def _display_html(text: str, metadata: dict | None = None) -> None:
    from IPython.display import HTML, display

    display(HTML(text), metadata=metadata or {})


#: A table of the main part (summary and results) shows at most this many rows; the whole table goes to the
#: appendix ("Bảng đầy đủ"), so a long listing never lengthens the pages the committee reads.
MAIN_TABLE_ROWS = 12
#: Heading of the appendix section holding the whole tables of the main part.
FULL_TABLES_HEADING = "Bảng đầy đủ của phần chính"


def _main_table_metadata(df: pd.DataFrame, caption: str | None, *, index: bool, shown: int) -> dict:
    """Output metadata of a table longer than :data:`MAIN_TABLE_ROWS`: its short form for the main part."""
    if shown <= MAIN_TABLE_ROWS:
        return {}
    short = table_html(df, caption, index=index, max_rows=MAIN_TABLE_ROWS, more_note=(
        f"… và {vi.integer(len(df) - MAIN_TABLE_ROWS)} dòng nữa — bảng đầy đủ ở phụ lục, "
        f"mục «{FULL_TABLES_HEADING}»."))
    return {"kimson": {"rows": int(len(df)), "caption": caption or "", "short_html": short}}


def show_table(df: pd.DataFrame, caption: str | None = None, *, index: bool = False,
               max_rows: int | None = None, full_source: str | None = None) -> None:
    """Display ``df`` as a static HTML table with an optional caption.

    Parameters
    ----------
    df : DataFrame
        Columns are shown as named (use Vietnamese column names).
    caption : str, optional
        Shown above the table.
    index : bool
        Also show the index as the first column(s).
    max_rows : int, optional
        Show only the first ``max_rows`` rows (default: all) and a note
        "… và K dòng nữa" under the table; for long per-person listings in a
        meeting report.
    full_source : str, optional
        Where the full list is, named in that note, e.g.
        ``"kimson-ds train (tệp schedule.csv)"``.

    Notes
    -----
    In a report, a table of the summary or the results longer than
    :data:`MAIN_TABLE_ROWS` rows shows its first rows only; the whole table
    is printed in the appendix, section :data:`FULL_TABLES_HEADING`
    (:func:`cap_main_tables`). The short form travels in the output's
    metadata, so the split is made when the report is rendered.
    """
    shown = len(df) if max_rows is None else min(len(df), max(0, int(max_rows)))
    _display_html(table_html(df, caption, index=index, max_rows=max_rows, full_source=full_source),
                  _main_table_metadata(df, caption, index=index, shown=shown))


def figure_png(fig, dpi: int = 110) -> bytes:
    """PNG bytes of a matplotlib Figure (deterministic metadata)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if fig.canvas is None or not hasattr(fig.canvas, "print_png"):
        FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None}, bbox_inches="tight")
    return buf.getvalue()


#: Source line added under every chart that does not carry one.
SOURCE_LINE = "Nguồn: bộ dữ liệu cán bộ, xử lý bằng kimson-ds"


def _finite(values) -> np.ndarray | None:
    """Values as floats (None when they are not numbers, e.g. category labels)."""
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        return None


def _line_has_data(line) -> bool:
    """A line draws data unless all its values are missing or it is a reference line (axhline/axvline)."""
    x, y = _finite(line.get_xdata()), _finite(line.get_ydata())
    if x is None or y is None:  # category axis: the labels are the data
        return len(line.get_xdata()) > 0 and len(line.get_ydata()) > 0
    if len(x) == 0 or len(y) == 0 or not (np.isfinite(x).any() and np.isfinite(y).any()):
        return False
    reference = (len(x) == 2 and ((tuple(x.tolist()) == (0.0, 1.0) and y[0] == y[1])
                                  or (tuple(y.tolist()) == (0.0, 1.0) and x[0] == x[1])))
    return not reference


def figure_facts(fig) -> dict:
    """What a chart shows: its title, axis labels and whether it draws any data.

    A chart "has data" when one of its axes draws a bar of non-zero finite
    size, a line or a scatter with a finite point, or an image; an axes whose
    values are all missing (NaN) has none. Used by :func:`show_figure` to
    record every chart of a report (the pack test checks none is empty).
    """
    import numpy as np
    from matplotlib.collections import Collection
    from matplotlib.image import AxesImage
    from matplotlib.patches import Rectangle

    has_data = False
    titles, labels = [], []
    for ax in fig.axes:
        titles.append(ax.get_title())
        labels += [ax.get_xlabel(), ax.get_ylabel()]
        legend_patches = set()
        leg = ax.get_legend()
        if leg is not None:
            legend_patches = {id(p) for p in leg.get_patches()}
        for patch in ax.patches:
            if id(patch) in legend_patches or not isinstance(patch, Rectangle):
                continue
            w, h = patch.get_width(), patch.get_height()
            if np.isfinite(w) and np.isfinite(h) and (w != 0 and h != 0):
                has_data = True
        for line in ax.lines:
            has_data = has_data or _line_has_data(line)
        for coll in ax.collections:
            offsets = _finite(coll.get_offsets()) if isinstance(coll, Collection) else None
            if offsets is not None and offsets.size and np.isfinite(offsets).any():
                has_data = True
        if any(isinstance(im, AxesImage) for im in ax.images):
            has_data = True
    return {"title": next((t for t in titles if t), "") or (fig._suptitle.get_text() if fig._suptitle else ""),
            "labels": [x for x in labels if x], "has_data": bool(has_data),
            "source": any(t.get_text().startswith("Nguồn") for t in fig.texts)}


def _record_figure(facts: dict) -> None:
    path = os.environ.get(SIDECAR_ENV)
    if not path:
        return
    p = Path(path)
    data: dict = {"references": []}
    if p.exists():
        with contextlib.suppress(ValueError, OSError):
            data = json.loads(p.read_text(encoding="utf-8"))
    data.setdefault("figures", []).append(facts)
    p.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


def show_figure(fig, dpi: int = 110, *, source: str | None = None) -> None:
    """Display a matplotlib Figure as an embedded PNG image, with a source line.

    A line "Nguồn: …" (``source``, default :data:`SOURCE_LINE`) is added under
    a chart that has none. When run by the report pipeline the chart's title,
    axis labels and whether it draws any data are recorded in the sidecar
    (:func:`figure_facts`). A figure made with ``plt.subplots`` is closed
    afterwards, so the inline backend does not display it a second time.
    """
    from IPython.display import Image, display

    if not any(t.get_text().startswith("Nguồn") for t in fig.texts):
        fig.text(0.01, 0.0, source or SOURCE_LINE, fontsize=7, color="#5b6775", ha="left", va="bottom")
    facts = figure_facts(fig)
    _record_figure(facts)
    display(Image(data=figure_png(fig, dpi=dpi), format="png"), metadata={"image/png": {"alt": figure_alt(facts)}})
    _close_pyplot(fig)


def figure_alt(facts: dict) -> str:
    """Vietnamese alternative text of a chart from its :func:`figure_facts`: "Biểu đồ: <tiêu đề>"."""
    return f"Biểu đồ: {facts['title']}" if facts.get("title") else "Biểu đồ"


def _close_pyplot(fig) -> None:
    """Close ``fig`` if pyplot manages it, so the inline backend does not show it a second time."""
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close(fig)  # a no-op for a Figure made without pyplot


def find_dataset(path: str | os.PathLike) -> Path:
    """Resolve a dataset path: as given, else relative to the repository root.

    Raises
    ------
    DataError
        If neither exists (the message lists both places tried).
    """
    p = Path(path).expanduser()
    if p.exists():
        return p.resolve()
    tried = [p.resolve()]
    if not p.is_absolute():
        q = REPO_ROOT / p
        if q.exists():
            return q.resolve()
        tried.append(q)
    places = "; ".join(dict.fromkeys(str(t) for t in tried))
    raise DataError(f"Không tìm thấy bộ dữ liệu '{path}' (đã tìm ở: {places}).")


# =====================================================================
# Legal basis
# =====================================================================
_REF_COLUMNS = ["name", "description", "value", "since", "reference", "href", "assumption", "overridden"]


def references_frame(psets) -> pd.DataFrame:
    """Combined references of one or several ParameterSets (or reference frames).

    Rows repeated across sets (same name, value, date and override flag)
    appear once; sorted by name.
    """
    if psets is None:
        items: list = []
    elif isinstance(psets, (list, tuple)):
        items = list(psets)
    else:
        items = [psets]
    frames = []
    for item in items:
        if isinstance(item, pd.DataFrame):
            frames.append(item.reindex(columns=_REF_COLUMNS))
        elif isinstance(item, dict):
            frames.append(pd.DataFrame([item]).reindex(columns=_REF_COLUMNS))
        else:
            frames.append(item.references().reindex(columns=_REF_COLUMNS))
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=_REF_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    out["assumption"] = out["assumption"].fillna(False).astype(bool)
    out["overridden"] = out["overridden"].fillna(False).astype(bool)
    for col in ("description", "since", "reference", "href"):
        out[col] = out[col].fillna("").astype(str)
    key = out["value"].map(lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True, default=str))
    dup = pd.DataFrame({"n": out["name"], "k": key, "s": out["since"], "o": out["overridden"]}).duplicated()
    return out.loc[~dup].sort_values(["name", "since"], kind="stable").reset_index(drop=True)


#: Vietnamese phrases of the keys used inside structured parameter values.
PARAM_KEYS_VI = {
    "max_age_first": "Tuổi tối đa khi giữ chức lần đầu",
    "education": "Trình độ chuyên môn",
    "political_theory": "Lý luận chính trị",
    "state_mgmt": "Quản lý nhà nước",
    "months_left_first": "Số tháng công tác còn lại khi giữ chức lần đầu",
    "terms_left_first": "Số nhiệm kỳ còn đủ tuổi công tác khi giữ chức lần đầu",
    "min_years_service": "Số năm công tác tối thiểu",
    "min_rank": "Bậc chức danh hiện giữ tối thiểu",
    "young_max": "Ranh giới tuổi nhóm 1 – nhóm 2",
    "middle_max": "Ranh giới tuổi nhóm 2 – nhóm 3",
    "soon_max_months": "Số tháng đào tạo tối đa để xếp “1–2 năm”",
    "experience_rank_gap": "Chênh lệch bậc chức danh cho phép",
    "relations": "Quan hệ gia đình",
    "include_derived": "Tính cả quan hệ suy ra",
    "derived": "Quan hệ suy ra",
    "path": "Cách suy ra",
    "titles": "Chức danh",
    "title": "Chức danh",
    "with_titles": "Với chức danh",
    "unit_kinds": "Loại đơn vị",
    "unit_function": "Chức năng đơn vị",
    "unit_functions": "Chức năng đơn vị",
    "scheme": "Hình thức xếp loại tổ chức",
    "scope": "Phạm vi",
    "severity": "Kết luận khi vi phạm",
    "actions": "Hình thức đề xuất",
    "reference": "Căn cứ",
    # procedure and competence (procedure.*, management.competence)
    "level": "Cấp", "body": "Cấp có thẩm quyền", "mode": "Hình thức",
    "tai_cho": "Nguồn tại chỗ", "ben_ngoai": "Nguồn từ nơi khác", "step": "Bước", "collective": "Hội nghị",
    "ballot": "Bỏ phiếu", "threshold": "Ngưỡng (phải vượt)", "fallback_top": "Số người đi tiếp khi không ai vượt ngưỡng",
    "tie_at_cut": "Khi bằng phiếu ở vị trí cuối", "quorum_share": "Tỷ lệ có mặt tối thiểu", "denominator": "Mẫu số",
    "bands": "Ngưỡng tín nhiệm thấp", "above": "Trên tỷ lệ", "inclusive": "Kể cả đúng bằng",
    "consequence_vi": "Hệ quả",
    # age cohort share targets (planning)
    "young_share_min": "Tỷ lệ nhóm trẻ tối thiểu", "middle_share_min": "Tỷ lệ nhóm giữa tối thiểu",
    "middle_share_max": "Tỷ lệ nhóm giữa tối đa",
    # rotation: equivalent post, one-term exception (rotation.higher_post, rotation.one_term_exception,
    # management.two_terms_trigger)
    "max_rank_step": "Số bậc chức danh được bố trí cao hơn tối đa",
    "outstanding_years": "Số năm liền để coi là nổi trội", "outstanding_levels": "Mức xếp loại coi là nổi trội",
    "planned_counts": "Người trong quy hoạch chức danh đích coi là nổi trội", "terms": "Số nhiệm kỳ",
    "levels": "Cấp", "two_terms_heads": "Áp dụng cả cho người đứng đầu đủ số nhiệm kỳ liên tiếp",
    "max_consecutive_terms": "Số nhiệm kỳ liên tiếp tối đa",
}
#: Keys left out of the display (internal identifiers).
_PARAM_KEYS_HIDDEN = {"rule_id", "code", "group"}
#: Keys whose text names the item (shown first, without a key phrase).
_PARAM_HEADINGS = ("description_vi", "label", "name_vi")
#: Codes of parameter values that are not in :data:`kimson_ds.data.codes.CODESETS`.
PARAM_CODES_VI = {
    "same_party_committee": "cùng cấp ủy",
    "same_locality": "cùng địa phương, cùng cấp",
    "same_unit": "cùng cơ quan, đơn vị",
    "khong_dat": "Không đạt",
    "dua_ra": "Đưa ra khỏi quy hoạch",
    "can_xem_xet": "Cần xem xét",
    "bo_nhiem": "Bổ nhiệm",
    "gioi_thieu_ung_cu": "Giới thiệu ứng cử",
    "luan_chuyen": "Luân chuyển",
    "quy_hoach": "Quy hoạch",
    "cung_chuc_danh": "Trong quy hoạch đúng chức danh, đúng đơn vị",
    "bat_ky": "Trong quy hoạch một chức danh lãnh đạo bất kỳ",
    "hdnd": "Hội đồng nhân dân",
    "ubnd": "Ủy ban nhân dân",
    "mttq": "Ủy ban MTTQ",
    "doi_tuong_4_xa": "Đối tượng 4 (cấp xã)",
    "doi_tuong_4_huyen": "Đối tượng 4 (cấp huyện)",
    "khong": "Không bỏ phiếu",
    "gioi_thieu": "Giới thiệu (mỗi phiếu một người)",
    "y_kien": "Lấy ý kiến",
    "bieu_quyet": "Biểu quyết",
    "nguoi_dung_dau": "Người đứng đầu lựa chọn",
    "trieu_tap": "Tổng số người được triệu tập",
    # organs of a unit (vetting.title_organ)
    "ubkt": "Ủy ban Kiểm tra",
    "don_vi": "chính đơn vị",
    "toan_don_vi": "toàn đơn vị (cùng cơ quan với mọi chức danh)",
    "chi_bo": "chi bộ",
}
#: Values of these keys are codes of one code set (its labels win over the others).
_KEY_CODESET = {"education": "education", "political_theory": "political_theory", "state_mgmt": "state_mgmt",
                "scheme": "org_scheme", "relations": "relation", "path": "relation", "unit_kinds": "unit_kind",
                "unit_function": "unit_function", "unit_functions": "unit_function", "body": "managing_body",
                "mode": "filling_mode", "collective": "collective"}
#: Scope codes that clash with unit kinds ("xa") keep their own meaning under ``scope``.
_SCOPE_VI = {"xa": "cùng xã, thị trấn", "huyen": "trong huyện"}
#: Levels of a post in ``management.competence``.
_LEVEL_VI = {"xa": "xã, thị trấn", "huyen": "cấp huyện"}


def _code_labels() -> dict[str, str]:
    from kimson_ds.data.codes import CODESETS

    out: dict[str, str] = {}
    for name in ("title", "rating_level", "discipline_form", "org_scheme", "unit_kind", "unit_function",
                 "relation", "qualification_level", "removal_reason", "course_field", "gender",
                 "training_status", "discipline_rating_exception", "org_level"):
        for code, text in CODESETS[name].items():
            out.setdefault(code, text)
    out.update(PARAM_CODES_VI)
    return out


def _code_text(v: Any, key: str | None = None) -> str:
    """Vietnamese label of a code value (the value formatted as is when it is not a code)."""
    if isinstance(v, str):
        if key in ("level", "levels") and v in _LEVEL_VI:
            return _LEVEL_VI[v]
        if key == "scope" and v in _SCOPE_VI:
            return _SCOPE_VI[v]
        if key in _KEY_CODESET:
            from kimson_ds.data.codes import CODESETS

            found = CODESETS[_KEY_CODESET[key]].get(v)
            if found:
                return found
        return _code_labels().get(v, v)
    if isinstance(v, float) and not np.isnan(v) and not float(v).is_integer():
        return vi.number(v, 4)
    return _fmt_value(v)


def _join(texts: list[str]) -> str:
    """Join labels with commas, or semicolons when a label has a comma of its own."""
    return ("; " if any("," in t for t in texts) else ", ").join(texts)


def _key_text(k: Any) -> str:
    return PARAM_KEYS_VI.get(str(k), _code_text(str(k)))


def _inline(v: Any, key: str | None = None) -> str:
    """One-line text of a value inside a structured parameter."""
    if isinstance(v, dict):
        heads = [str(v[h]) for h in _PARAM_HEADINGS if v.get(h)]
        skip = set(_PARAM_HEADINGS) | _PARAM_KEYS_HIDDEN
        if not heads and isinstance(v.get("title"), str):
            heads, skip = [_code_text(v["title"], "title")], skip | {"title"}
        rest = [f"{_key_text(k)}: {_inline(x, str(k))}" for k, x in v.items()
                if k not in skip and x not in (None, [], {}, "")]
        if heads:
            return heads[0] + (f" ({'; '.join(rest)})" if rest and "description_vi" not in v else "")
        return "; ".join(rest)
    if isinstance(v, (list, tuple, set)):
        return _join([_inline(x, key) for x in v])
    return _code_text(v, key)


def _is_scalar(v: Any) -> bool:
    return not isinstance(v, (dict, list, tuple, set))


def param_value_text(value: Any) -> str:
    """Human text of a parameter value for the "Quy định đã áp dụng" tables.

    Codes (keys and values) become their Vietnamese labels
    (:data:`kimson_ds.data.codes.CODESETS`, :data:`PARAM_CODES_VI`), standard keys
    become phrases (:data:`PARAM_KEYS_VI`), numbers take the decimal comma,
    and each entry of a mapping or a list of rules goes on its own line.
    """
    if isinstance(value, dict):
        items = [(k, v) for k, v in value.items() if k not in _PARAM_KEYS_HIDDEN]
        scalars = [v for _, v in items if _is_scalar(v)]
        if len(items) > 4 and len(scalars) == len(items) and len(set(map(str, scalars))) < len(scalars):
            # Many codes sharing few values (e.g. a rank per title): one line per value.
            groups: dict[str, list[str]] = {}
            for k, v in items:
                groups.setdefault(_code_text(v), []).append(_key_text(k))
            return "\n".join(f"{_join(keys)}: {v}" for v, keys in groups.items())
        lines = []
        for k, v in items:
            if isinstance(v, dict) and any(v.get(h) for h in _PARAM_HEADINGS):
                lines.append(_inline(v, str(k)))
            elif isinstance(v, dict):
                lines.append(f"{_key_text(k)} — {_inline(v, str(k))}")
            else:
                lines.append(f"{_key_text(k)}: {_inline(v, str(k))}")
        return "\n".join(lines)
    if isinstance(value, (list, tuple)) and any(isinstance(x, dict) for x in value):
        return "\n".join(_inline(x) for x in value)
    return _inline(value)


def _note(row) -> str:
    parts = []
    if row["assumption"]:
        parts.append("GIẢ ĐỊNH")
    if row["overridden"]:
        parts.append("Ghi đè theo kịch bản")
    return "; ".join(parts)


def _short_description(text: str, limit: int = 140) -> str:
    """First clause of a parameter description (up to the first colon or full stop)."""
    m = re.search(r"[:.](?:\s|$)", text)
    short = text[: m.start()] if m else text
    return short if len(short) <= limit else short[: limit - 1].rstrip() + "…"


_KEY_WORD = re.compile(r"(?<![\w.])([a-z][a-z0-9]*(?:_[a-z0-9]+)+|[a-z]+)(?![\w.])")


def _keys_in_text(text: Any) -> Any:
    """A parameter description naming the keys or codes of its value (``outstanding_years``, ``dua_ra``) names
    them in words («số năm liền để coi là nổi trội»); dotted parameter names stay (the ids of the appendix)."""
    if not isinstance(text, str):
        return text
    def word(m: re.Match) -> str:
        token = m.group(1)
        if token in PARAM_KEYS_VI:
            return f"«{PARAM_KEYS_VI[token].lower()}»"
        if "_" in token and token in PARAM_CODES_VI:  # a code the value may take
            return f"«{PARAM_CODES_VI[token].lower()}»"
        return token

    return _KEY_WORD.sub(word, text)


def legal_basis_table(refs: pd.DataFrame, *, compact: bool = False) -> pd.DataFrame:
    """Vietnamese display table of :func:`references_frame` rows.

    ``compact`` (the report header) keeps the first clause of each description
    and leaves out the legal references, which the "Căn cứ pháp lý" section at
    the end of the report lists in full.
    """
    since = pd.to_datetime(refs["since"].replace("", None), errors="coerce")
    desc = refs["description"].map(_short_description) if compact else refs["description"]
    desc = desc.map(_keys_in_text)
    table = pd.DataFrame(
        {
            "Nội dung quy định": desc,
            "Giá trị áp dụng": refs["value"].map(param_value_text),
            "Áp dụng từ ngày": since.map(vi.date),
            "Căn cứ": refs["reference"],
            "Ghi chú": [_note(r) for _, r in refs.iterrows()],
            "Mã tham số": refs["name"],
        }
    )
    return table.drop(columns=["Căn cứ"]) if compact else table


def _append_sidecar(refs: pd.DataFrame) -> None:
    path = os.environ.get(SIDECAR_ENV)
    if not path:
        return
    p = Path(path)
    data = {"references": []}
    if p.exists():
        with contextlib.suppress(ValueError, OSError):
            data = json.loads(p.read_text(encoding="utf-8"))
    rows = json.loads(refs.to_json(orient="records", force_ascii=False, default_handler=str))
    data.setdefault("references", []).extend(rows)
    p.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


def legal_basis(psets) -> None:
    """Display the "Căn cứ pháp lý" table and record it for the report header.

    Parameters
    ----------
    psets : ParameterSet, list of ParameterSet, or DataFrame
        What the analysis read (``P.references()`` is taken at call time, so
        call this last).
    """
    refs = references_frame(psets)
    _append_sidecar(refs)
    if refs.empty:
        _display_html("<p>Phân tích này không dùng tham số quy định nào.</p>")
        return
    text = table_html(legal_basis_table(refs), "Các quy định và giá trị đã áp dụng", css_class="kimson-legal")
    if refs["assumption"].any():
        text += (
            '<p class="kimson-note">Dòng ghi <strong>GIẢ ĐỊNH</strong>: giá trị chưa được xác nhận '
            "trong văn bản gốc, dùng làm mặc định và có thể thay bằng tệp tham số kịch bản.</p>"
        )
    _display_html(text)


# =====================================================================
# Parameters
# =====================================================================
def notebook_parameters(notebook: str | os.PathLike) -> dict[str, dict]:
    """Parameters declared in the notebook's ``parameters`` cell (papermill.inspect_notebook)."""
    import papermill

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return dict(papermill.inspect_notebook(str(notebook)))
    except Exception as exc:  # noqa: BLE001 - malformed notebook files raise many kinds
        raise ReportInputError(f"Không đọc được notebook '{notebook}': {type(exc).__name__}: {exc}") from None


def _parse_cli_value(raw: str, declared: str) -> Any:
    """Parse like ``papermill -p`` (True/False/None/int/float/str); str parameters stay text."""
    if declared == "str":
        return raw
    if raw == "True":
        return True
    if raw == "False":
        return False
    if raw == "None":
        return None
    try:
        return int(raw)
    except ValueError:
        pass
    try:
        return float(raw)
    except ValueError:
        return raw


_TYPE_VI = {"int": "số nguyên", "float": "số", "bool": "True hoặc False", "str": "chuỗi ký tự"}


#: Notebook parameters that hold a date (typed as text): accepted in the formats the data
#: accepts and passed on as ISO ``yyyy-mm-dd``; empty text keeps its "not set" meaning.
_DATE_PARAMETER = re.compile(r"(^|_)(as_of|date|from|to|start|end)$")


def _check_type(name: str, value: Any, declared: str) -> Any:
    from kimson_ds.config import DATE_FORMATS_VI, DATE_RANGE_VI, parse_user_date, shorten

    if isinstance(value, float) and not math.isfinite(value):
        raise ReportInputError(f"Tham số '{name}' cần một số hữu hạn, nhận được '{shorten(value)}'.")
    if declared == "str" and _DATE_PARAMETER.search(name) and isinstance(value, (str, dt.date)) and value != "":
        day = parse_user_date(value)
        if day is None:
            raise ReportInputError(f"Tham số '{name}' cần một ngày có thật dạng {DATE_FORMATS_VI}, "
                                   f"{DATE_RANGE_VI}; nhận được '{shorten(value)}'.")
        return day.isoformat()
    if declared == "float" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    ok = {
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "float": lambda v: isinstance(v, float),
        "bool": lambda v: isinstance(v, bool),
        "str": lambda v: isinstance(v, str),
    }.get(declared)
    if ok is not None and value is not None and not ok(value):
        raise ReportInputError(
            f"Tham số '{name}' cần giá trị kiểu {_TYPE_VI[declared]}, nhận được '{shorten(value)}'."
        )
    return value


def resolve_parameters(notebook, cli_pairs=None, params_file=None, parameters: dict | None = None) -> dict:
    """Validate and type the parameters of a run.

    Parameters
    ----------
    notebook : path
    cli_pairs : list of (str, str), optional
        ``-p NAME VALUE`` pairs (parsed like papermill; ``str`` parameters keep the text).
    params_file : path, optional
        YAML mapping ``name: value``; ``-p`` wins over it.
    parameters : dict, optional
        Already-typed values (library callers); win over both.

    Returns
    -------
    dict
        The parameters to inject.

    Raises
    ------
    ReportInputError
        Unknown name (the message lists the known ones), bad type, unreadable file.
    """
    declared = notebook_parameters(notebook)
    values: dict[str, Any] = {}
    if params_file is not None:
        import yaml

        pf = Path(params_file)
        try:
            loaded = yaml.safe_load(pf.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise ReportInputError(f"Không đọc được tệp tham số '{pf}': {exc}") from None
        if loaded is None:
            loaded = {}
        if not isinstance(loaded, dict):
            raise ReportInputError(f"Tệp tham số '{pf}' phải là một bảng 'tên: giá trị'.")
        for k, v in loaded.items():
            if isinstance(v, (dt.date, dt.datetime)):
                v = v.isoformat()
            values[str(k)] = v
    for name, raw in cli_pairs or []:
        values[name] = _parse_cli_value(raw, declared.get(name, {}).get("inferred_type_name", ""))
    for k, v in (parameters or {}).items():
        values[k] = v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v
    unknown = [k for k in values if k not in declared]
    if unknown:
        known = ", ".join(declared) if declared else "(notebook không khai báo tham số nào)"
        raise ReportInputError(
            f"Notebook '{Path(notebook).name}' không có tham số {', '.join(repr(u) for u in unknown)}. "
            f"Các tham số hợp lệ: {known}."
        )
    return {k: _check_type(k, v, declared[k].get("inferred_type_name", "")) for k, v in values.items()}


def _default_value(text: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


# =====================================================================
# Kernel
# =====================================================================
def _kernel_json() -> dict:
    return {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python (kimson-ds)",
        "language": "python",
        "metadata": {"debugger": False},
    }


def _write_spec(folder: Path) -> bool:
    target = folder / "kernels" / KERNEL_NAME / "kernel.json"
    spec = _kernel_json()
    try:
        if target.exists() and json.loads(target.read_text(encoding="utf-8")) == spec:
            return True
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(spec, indent=1), encoding="utf-8")
        return True
    except (OSError, ValueError):
        return False


def _resolved_argv0() -> str | None:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        return KernelSpecManager().get_kernel_spec(KERNEL_NAME).argv[0]
    except NoSuchKernel:
        return None


def ensure_kernel() -> str:
    """Make the ``kimson-ds`` kernelspec resolve to :data:`sys.executable`; return its name.

    The spec is written into ``sys.prefix/share/jupyter`` (so Jupyter users see
    it too); if that is not writable, or another spec of the same name shadows
    it, a private folder is put first on ``JUPYTER_PATH`` for this process.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _write_spec(Path(sys.prefix) / "share" / "jupyter")
        if _resolved_argv0() == sys.executable:
            return KERNEL_NAME
        private = Path(tempfile.gettempdir()) / f"kimson-ds-jupyter-{hashlib.sha1(sys.executable.encode()).hexdigest()[:10]}"
        if not _write_spec(private):
            raise ReportError("Không tạo được kernel Python cho báo cáo (không ghi được thư mục tạm).")
        paths = os.environ.get("JUPYTER_PATH", "")
        if str(private) not in paths.split(os.pathsep):
            os.environ["JUPYTER_PATH"] = os.pathsep.join([str(private), *([paths] if paths else [])])
        if _resolved_argv0() != sys.executable:
            raise ReportError("Không cấu hình được kernel Python của môi trường hiện tại cho báo cáo.")
    return KERNEL_NAME


#: Environment of a report kernel.
KERNEL_ENV = {"PYDEVD_DISABLE_FILE_VALIDATION": "1", "JUPYTER_PLATFORM_DIRS": "1"}

# Run in a warm kernel before each notebook: a fresh namespace and execution count (as in a new kernel), the
# report's environment (its sidecar), matplotlib settings and warning filters as they were after start-up.
_KERNEL_RESET = """\
get_ipython().reset(new_session=True)
import os as _os, sys as _sys, warnings as _w
_os.environ.update({env!r})
_s = _sys.modules["kimson_ds.papers.report"]._WARM_STATE
_sys.modules["matplotlib.pyplot"].close("all")
_sys.modules["matplotlib"].rcParams.update(_s["rc"])
_w.filters[:] = _s["warnings"]
del _os, _sys, _w, _s
"""
# Run once when a warm kernel starts: the imports every report makes, and the state restored before each one.
_KERNEL_WARMUP = """\
import warnings as _w
import matplotlib as _mpl
import matplotlib.pyplot, pandas, numpy
import kimson_ds.papers.report as _r
import kimson_ds.data.io, kimson_ds.history.state, kimson_ds.rules.parameters
{preload}
_r._WARM_STATE = {{"rc": dict(_mpl.rcParams), "warnings": list(_w.filters)}}
del _w, _mpl, _r
"""
#: State a warm kernel restores before each report (set inside the kernel by the warm-up code).
_WARM_STATE: dict = {}


class WarmKernel:
    """A kernel that runs several report notebooks one after another (the meeting pack).

    A new kernel per report pays the start-up and the imports each time; a
    warm kernel pays them once. Before each notebook the kernel gets a fresh
    namespace and execution count, the report's environment, and the
    matplotlib settings and warning filters it had after start-up, so a report
    reads the same as one run in a new kernel (tested). With
    ``$KIMSON_DATASET_CACHE=1`` in its environment, a dataset loaded by one
    report is not read again by the next (:func:`kimson_ds.data.io.load_dataset`).

    Parameters
    ----------
    env : dict, optional
        Extra environment variables of the kernel process.
    preload : str
        Python code run once after the imports (e.g. loading the dataset).
    """

    def __init__(self, env: dict[str, str] | None = None, preload: str = "") -> None:
        from jupyter_client import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.name = ensure_kernel()
        self.km = AsyncKernelManager(kernel_name=self.name)
        with _quiet_run(KERNEL_ENV):
            run_sync(self.km.start_kernel)(env={**os.environ, **KERNEL_ENV, **(env or {})}, cwd=os.getcwd())
        self._execute(_KERNEL_WARMUP.format(preload=preload))

    def _execute(self, code: str) -> None:
        from jupyter_client import BlockingKernelClient

        kc = BlockingKernelClient()
        kc.load_connection_info(self.km.get_connection_info())
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=120)
            reply = kc.execute_interactive(code, store_history=False, timeout=300, output_hook=lambda _m: None)
        finally:
            kc.stop_channels()
        if reply["content"].get("status") != "ok":
            raise ReportError("Không chuẩn bị được kernel dùng chung cho các báo cáo: "
                              f"{reply['content'].get('ename', '')}: {reply['content'].get('evalue', '')}")

    def prepare(self, env: dict[str, str]) -> None:
        """Reset the kernel for the next report and give it the report's environment."""
        self._execute(_KERNEL_RESET.format(env=dict(env)))

    def shutdown(self) -> None:
        from jupyter_core.utils import run_sync

        with contextlib.suppress(Exception):
            run_sync(self.km.shutdown_kernel)(now=True)


# =====================================================================
# Pipeline
# =====================================================================
@dataclass
class ReportResult:
    """What :func:`build_report` produced.

    Attributes
    ----------
    html, ipynb, sidecar : Path
        The report, the executed notebook and the references sidecar (JSON).
    title : str
    parameters : dict
        Effective parameter values (defaults included).
    references : DataFrame
        Regulations the notebook recorded with :func:`legal_basis`.
    fingerprint : str or None
        sha256 of the dataset files, when the notebook has a ``dataset`` parameter.
    seconds : float
        Wall time of the run.
    """

    html: Path
    ipynb: Path
    sidecar: Path
    title: str
    parameters: dict
    references: pd.DataFrame
    fingerprint: str | None = None
    seconds: float = 0.0
    audit: dict = field(default_factory=dict)
    appendix: Path | None = None


def _git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return "không rõ"
    text = out.stdout.strip()
    return text if out.returncode == 0 and text else "không rõ"


def _title_of(nb) -> str:
    meta = nb.metadata.get("kimson", {}) if hasattr(nb, "metadata") else {}
    if isinstance(meta, dict) and meta.get("title"):
        return str(meta["title"])
    if nb.metadata.get("title"):
        return str(nb.metadata["title"])
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                m = re.match(r"^\s*#{1,6}\s+(.+?)\s*#*\s*$", line)
                if m:
                    return m.group(1)
    return ""


def _first_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip():
            text = line.strip()
            return text if len(text) <= 90 else text[:87] + "…"
    return "(ô trống)"


def _keep_failed(outs, staged_ipynb: Path) -> None:
    """Keep the executed notebook of a failed run (to see the error), and no stale report beside it."""
    with contextlib.suppress(OSError):
        for other in outs.root.iterdir():
            if other != staged_ipynb:
                other.unlink()
        if staged_ipynb.exists():
            outs.commit()


def _cell_error_message(exc, executed: Path, nb_name: str) -> str:
    import nbformat

    idx = int(exc.cell_index)
    tags: list[str] = []
    source = exc.source or ""
    orig = idx
    try:
        nb = nbformat.read(executed, as_version=4)
        cells = [c for c in nb.cells if "papermill-error-cell-tag" not in c.metadata.get("tags", [])]
        if 0 <= idx < len(cells):
            tags = [t for t in cells[idx].metadata.get("tags", []) if t != "papermill-error-cell-tag"]
            source = cells[idx].source or source
        injected = [i for i, c in enumerate(cells) if "injected-parameters" in c.metadata.get("tags", [])]
        if injected and idx > injected[0]:
            orig = idx - 1
    except Exception:  # noqa: BLE001 - the message must still be produced
        pass
    ename = _ANSI.sub("", str(exc.ename or "Lỗi"))
    evalue = _ANSI.sub("", str(exc.evalue or "")).strip()
    evalue = evalue if len(evalue) <= 600 else evalue[:597] + "…"
    tag_text = f", nhãn: {', '.join(tags)}" if tags else ""
    where = f"dòng đầu: «{_first_line(source)}»"
    trace = _ANSI.sub("", "\n".join(exc.traceback or []))
    m = re.search(r"Cell In\[\d*\], line (\d+)", trace)
    lines = source.splitlines()
    if m and 1 <= int(m.group(1)) <= len(lines) and lines[int(m.group(1)) - 1].strip() != _first_line(source):
        where += f"; lỗi ở dòng {m.group(1)}: «{_first_line(lines[int(m.group(1)) - 1])}»"
    return (
        f"Notebook '{nb_name}' bị lỗi ở ô số {orig + 1} ({where}{tag_text}): "
        f"{ename}: {evalue}\nBản notebook đã chạy (đến ô lỗi) được giữ tại: {executed}"
    )


@contextlib.contextmanager
def _quiet_run(env: dict[str, str]):
    """Set environment variables and silence library logging/warnings for the run."""
    saved_env = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    loggers = [logging.getLogger(n) for n in ("papermill", "nbclient", "traitlets", "jupyter_client", "asyncio")]
    saved = [(lg, lg.level, lg.propagate) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    # The kernel process inherits file descriptor 2: send its start-up chatter to a file.
    saved_fd = None
    sink = tempfile.TemporaryFile()
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
        saved_fd = os.dup(2)
        os.dup2(sink.fileno(), 2)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        if saved_fd is not None:
            with contextlib.suppress(OSError, ValueError):
                sys.stderr.flush()
            os.dup2(saved_fd, 2)
            os.close(saved_fd)
        sink.close()
        for lg, level, prop in saved:
            lg.setLevel(level)
            lg.propagate = prop
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _export_cells(nb):
    """Copy of ``nb`` ready for the HTML export (no parameters cells, stderr, widgets, errors)."""
    nb = copy.deepcopy(nb)
    kept = []
    for cell in nb.cells:
        if _REMOVED_TAGS & set(cell.metadata.get("tags", [])):
            continue
        if cell.cell_type == "code":
            outs = []
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    continue
                if out.get("output_type") == "stream" and out.get("name") == "stderr":
                    continue
                data = out.get("data")
                if data is not None:
                    for mime in [m for m in data if m.startswith("application/vnd.jupyter.widget")]:
                        del data[mime]
                    if not data:
                        continue
                    _give_image_alt(out)
                outs.append(out)
            cell.outputs = outs
            if not outs:
                continue
        kept.append(cell)
    nb.cells = kept
    return nb


def _give_image_alt(out) -> None:
    """An image output is exported as ``<img alt=…>`` (nbconvert's templates write no alt: English filler and an
    English "Alternative text is missing" warning in the terminal); the alt is the one :func:`show_figure` set."""
    data = out["data"]
    if "image/png" not in data or "text/html" in data:
        return
    alt = (out.get("metadata", {}).get("image/png") or {}).get("alt") or "Biểu đồ"
    data["text/html"] = (f'<img alt="{html.escape(alt)}" src="data:image/png;base64,'
                         f'{"".join(data["image/png"]).strip()}" style="max-width:100%">')


_EXTERNAL = [
    re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>", re.I),
    re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>", re.I),
    re.compile(r"<(?:img|iframe|source|video|audio|embed)\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>", re.I),
    re.compile(r"@import\s+(?:url\()?[\"']?(?:https?:)?//[^;]*;?", re.I),
    re.compile(r"url\(\s*[\"']?(?:https?:)?//[^)]*\)", re.I),
]


def external_resources(text: str) -> list[str]:
    """Every reference to a resource loaded from the network (scripts, styles, fonts, images)."""
    found: list[str] = []
    for pattern in _EXTERNAL:
        found.extend(m.group(0) for m in pattern.finditer(text))
    return found


def _strip_external(text: str) -> str:
    for pattern in _EXTERNAL:
        text = pattern.sub("", text)
    return text


def _header_html(title: str, as_of_text: str, appendix_href: str | None, meeting_text: str = "") -> str:
    """The short block that opens a report: the title and one line (dates, where the appendix is)."""
    where = (f'Phụ lục (thông tin lần chạy, tham số, mô hình, căn cứ pháp lý): '
             f'<a href="{html.escape(appendix_href, quote=True)}">tệp phụ lục riêng</a>.' if appendix_href
             else "Phụ lục (thông tin lần chạy, tham số, mô hình, căn cứ pháp lý) ở cuối báo cáo.")
    line = f"Tài liệu họp ngày {html.escape(meeting_text)}. " if meeting_text else ""
    line += f"Số liệu tại ngày {html.escape(as_of_text)}. " if as_of_text else ""
    return ('<header class="kimson-header">\n'
            f"<h1>{html.escape(title)}</h1>\n"
            f'<p class="kimson-note">{line}{where}</p>\n</header>')


def _run_info_html(run_time, nb_name, params_table, dataset_path, fingerprint, commit, refs) -> str:
    """Appendix block: run metadata, the run parameters and the regulations applied (short form)."""
    meta = [
        ("Ngày lập báo cáo", vi.datetime(run_time)),
        ("Sổ tay phân tích", nb_name),
    ]
    if dataset_path is not None:
        meta.append(("Bộ dữ liệu", str(dataset_path)))
        meta.append(("Dấu vân tay dữ liệu (sha256)", fingerprint or "không rõ"))
    meta.append(("Phiên bản kimson-ds", __version__))
    meta.append(("Mã nguồn (git commit)", commit))
    mono = ' class="mono"'
    rows = "".join(
        f"<tr><th>{html.escape(k)}</th><td{mono if ('sha256' in k or 'git' in k) else ''}>"
        f"{html.escape(v)}</td></tr>"
        for k, v in meta
    )
    parts = [
        '<section class="kimson-runinfo">',
        "<h2>Thông tin lần chạy</h2>",
        f'<table class="kimson-meta"><tbody>{rows}</tbody></table>',
        "<h3>Tham số chạy</h3>",
        table_html(params_table),
    ]
    if refs is not None and not refs.empty and refs["assumption"].any():
        parts.append(
            '<p class="kimson-note">Quy định ghi <strong>GIẢ ĐỊNH</strong> trong mục Căn cứ pháp lý: giá trị chưa '
            "được xác nhận trong văn bản gốc, có thể thay đổi bằng tệp tham số kịch bản.</p>"
        )
    parts.append("</section>")
    return "\n".join(parts)


def _css() -> str:
    path = _ASSETS / "report.css"
    return path.read_text(encoding="utf-8") if path.exists() else ""


#: Sections (second-level headings of a notebook) printed in the appendix, not in the main part.
APPENDIX_SECTIONS = ("Mục tiêu", "Bài toán", "Mô hình", "Dữ liệu", "Phân tích", "Căn cứ pháp lý", "Phụ lục")
#: Cell tags: ``summary`` opens the report, ``appendix`` goes to the appendix, ``main`` stays in the main part.
SUMMARY_TAG, APPENDIX_TAG, MAIN_TAG = "summary", "appendix", "main"


def _section_of(cell) -> str | None:
    if cell.cell_type != "markdown":
        return None
    for line in cell.source.splitlines():
        m = re.match(r"^\s*##\s+(.+?)\s*#*\s*$", line)
        if m:
            return m.group(1)
    return None


def split_cells(nb) -> tuple[list, list, list]:
    """The cells of the summary, the main part and the appendix, in notebook order within each part.

    A cell tagged ``summary`` opens the report; a cell tagged ``appendix``,
    or any cell of a section named in :data:`APPENDIX_SECTIONS` (unless tagged
    ``main``), goes to the appendix; every other cell is the main part.
    """
    summary, main, appendix = [], [], []
    section = ""
    for cell in nb.cells:
        tags = set(cell.metadata.get("tags", []))
        head = _section_of(cell)
        if head is not None and SUMMARY_TAG not in tags:  # the summary's own heading opens no section
            section = head
        if SUMMARY_TAG in tags:
            summary.append(cell)
        elif APPENDIX_TAG in tags or (MAIN_TAG not in tags and any(section.startswith(x) for x in APPENDIX_SECTIONS)):
            appendix.append(cell)
        else:
            main.append(cell)
    return summary, main, appendix


def nbformat_cell(kind: str, source: str = "", outputs=None, *, cell_id: str):
    """A new notebook cell (markdown, or code with ``outputs``) for the rendered report; a fixed ``cell_id``
    keeps the HTML the same from run to run."""
    import nbformat

    if kind == "markdown":
        return nbformat.v4.new_markdown_cell(source, id=cell_id)
    cell = nbformat.v4.new_code_cell(source, id=cell_id)
    cell.outputs = list(outputs or [])
    return cell


def cap_main_tables(cells) -> list:
    """Shorten the long tables of ``cells`` (in place) and return code cells holding their whole form.

    A table displayed by :func:`show_table` with more than
    :data:`MAIN_TABLE_ROWS` rows carries its short form in the output's
    metadata (``kimson.short_html``): the main part shows it, the returned
    cells (one per long table, in order) go to the appendix.
    """
    full = []
    for cell in cells:
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            meta = (out.get("metadata") or {}).get("kimson") or {}
            data = out.get("data") or {}
            if not meta.get("short_html") or "text/html" not in data:
                continue
            whole = copy.deepcopy(out)
            whole["metadata"] = {}
            full.append(nbformat_cell("code", "", [whole], cell_id=f"kimson-full-table-{len(full) + 1}"))
            data["text/html"] = meta["short_html"]
            out["metadata"] = {}
    return full


@functools.lru_cache(maxsize=1)
def _exporter():
    """The HTML exporter, made once per process (making one loads its templates: ~0,3 s each time)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="basic")
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    return exporter


def _body_html(nb, cells) -> str:
    part = copy.copy(nb)
    part.cells = cells
    body, _ = _exporter().from_notebook_node(part)
    return body


def _page(title: str, inner: str) -> str:
    doc = (
        "<!DOCTYPE html>\n"
        '<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="kimson-ds {html.escape(__version__)}">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{_css()}\n</style>\n</head>\n<body>\n"
        f'<div class="kimson-report">\n{inner}\n'
        f'<footer>Báo cáo tạo tự động bởi kimson-ds {html.escape(__version__)}. '
        "Kết quả là căn cứ tham khảo; tập thể có thẩm quyền xem xét, quyết định.</footer>\n"
        "</div>\n</body>\n</html>\n"
    )
    return _strip_external(doc)


def _render_html(executed_nb, title: str, header: str, run_info: str = "",
                 appendix_name: str | None = None) -> tuple[str, str | None]:
    """HTML of the report, results first; and of the appendix when it is a separate file.

    Returns ``(report, appendix)``: with ``appendix_name`` the appendix
    (run information, parameters, model, data, analysis, legal basis) is its
    own page and ``report`` is the summary and the results only; without it
    the appendix closes ``report`` and the second value is ``None``.
    """
    nb = _export_cells(executed_nb)
    # The header carries the title: drop the notebook's own first-level title line.
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            lines = cell.source.splitlines()
            if lines and re.match(r"^\s*#\s+", lines[0]) and lines[0].lstrip("# ").strip() == title:
                cell.source = "\n".join(lines[1:])
            break
    summary, main, appendix = split_cells(nb)
    full_tables = cap_main_tables(summary + main)
    if full_tables:
        head = nbformat_cell("markdown", f"## {FULL_TABLES_HEADING}\n\nCác bảng dài của phần chính, đầy đủ mọi "
                             "dòng (phần chính chỉ in những dòng đầu).", cell_id="kimson-full-tables")
        appendix = [head, *full_tables, *appendix]
    summary_html = (f'<section class="kimson-summary">\n{_body_html(nb, summary)}\n</section>' if summary else "")
    main_html = f"<main>\n{summary_html}\n{_body_html(nb, main)}\n</main>"
    appendix_html = (f'<section class="kimson-appendix">\n<h1>Phụ lục: {html.escape(title)}</h1>\n{run_info}\n'
                     f"{_body_html(nb, appendix)}\n</section>")
    if appendix_name:
        return _page(title, f"{header}\n{main_html}"), _page(f"Phụ lục — {title}", appendix_html)
    return _page(title, f"{header}\n{main_html}\n{appendix_html}"), None


def _command_text(notebook, parameters: dict, params_file) -> str:
    parts = ["report", str(notebook)]
    for k, v in parameters.items():
        parts += ["-p", k, str(v)]
    if params_file is not None:
        parts += ["--params", str(params_file)]
    return " ".join(shlex.quote(p) for p in parts)


def build_report(notebook, parameters: dict | None = None, out_dir=".", *, params_file=None,
                 cli_pairs=None, command: str | None = None, timeout: int = 600,
                 split_appendix: bool = False, record: bool = True, meeting_date=None,
                 kernel: WarmKernel | None = None) -> ReportResult:
    """Run ``notebook`` with papermill and write ``<stem>.ipynb`` and ``<stem>.html`` into ``out_dir``.

    Parameters
    ----------
    notebook : path
        Notebook with a cell tagged ``parameters``.
    parameters : dict, optional
        Typed parameter values (validated against the notebook).
    out_dir : path
        Created if needed.
    params_file : path, optional
        YAML ``name: value`` file; ``parameters`` win over it.
    cli_pairs : list of (str, str), optional
        Raw ``-p NAME VALUE`` pairs (the command line), parsed like papermill.
    command : str, optional
        Command text for the audit record.
    timeout : int
        Seconds allowed per cell.
    split_appendix : bool
        Write the appendix (run information, parameters, model, data,
        analysis, legal basis) as its own file ``<stem>.phu-luc.html`` (the
        meeting pack) instead of closing the report with it.
    meeting_date : date, optional
        The meeting the report is prepared for (the pack's one reference
        date), stated under the title of the report.
    record : bool
        Append the audit record (``False`` when a caller such as the meeting
        pack records the whole set it writes).
    kernel : WarmKernel, optional
        Run in this already started kernel (the meeting pack runs its
        notebooks one after another in warm kernels) instead of a new one.

    Returns
    -------
    ReportResult

    Raises
    ------
    ReportInputError
        Missing notebook, unknown parameter, bad value (exit code 2).
    DataError
        The ``dataset`` parameter names no readable dataset (exit code 2).
    ReportError
        A cell failed (the message names the cell and the error; the
        executed notebook is kept) or the kernel could not run.
    """
    from kimson_ds.data.io import load_dataset

    started = time.perf_counter()
    nb_path = Path(notebook)
    if not nb_path.is_file():
        raise ReportInputError(f"Không tìm thấy notebook '{notebook}'.")
    # Merge -p pairs and typed values, -p pairs first so typed values win.
    given = resolve_parameters(nb_path, cli_pairs=cli_pairs, params_file=params_file, parameters=parameters)
    declared = notebook_parameters(nb_path)
    effective = {k: given.get(k, _default_value(d.get("default", ""))) for k, d in declared.items()}

    dataset_obj = None
    dataset_path = None
    fingerprint = None
    if "dataset" in declared and effective.get("dataset"):
        dataset_path = find_dataset(str(effective["dataset"]))
        dataset_obj = load_dataset(dataset_path)  # bad data: the clean error (exit 2) before any kernel starts
        fingerprint = dataset_obj.fingerprint

    out = Path(out_dir)
    stem = nb_path.stem
    final = {"ipynb": out / f"{stem}.ipynb", "html": out / f"{stem}.html", "refs": out / f"{stem}.references.json"}
    if split_appendix:
        final["appendix"] = out / f"{stem}.phu-luc.html"
    # Staged next to the targets and moved into place with the audit record (kimson_ds.outputs):
    # never over the notebook itself, the dataset, a source notebook or through a link.
    outs = OutputSet(final["html"], inputs=[nb_path, dataset_path, params_file], files=list(final.values()),
                     what="Báo cáo")
    with outs:
        return _run_report(nb_path, given, declared, effective, dataset_obj, dataset_path, fingerprint, outs, final,
                           params_file=params_file, command=command, timeout=timeout, started=started,
                           record=record, meeting_date=meeting_date, warm=kernel)


def _run_report(nb_path, given, declared, effective, dataset_obj, dataset_path, fingerprint, outs, final, *,
                params_file, command, timeout, started, record, meeting_date=None, warm=None) -> ReportResult:
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from kimson_ds.audit import record_run

    stem = nb_path.stem
    ipynb, html_path, sidecar = outs / final["ipynb"], outs / final["html"], outs / final["refs"]
    appendix_path = outs / final["appendix"] if "appendix" in final else None
    sidecar.write_text(json.dumps({"references": []}), encoding="utf-8")

    kernel = ensure_kernel() if warm is None else warm.name
    run_time = dt.datetime.now()
    env = {SIDECAR_ENV: str(sidecar.resolve()), **KERNEL_ENV}
    with _quiet_run(env):
        try:
            if warm is not None:
                warm.prepare(env)
            papermill.execute_notebook(
                str(nb_path), str(ipynb), parameters=given, kernel_name=kernel, progress_bar=False,
                log_output=False, cwd=os.getcwd(), start_timeout=120, execution_timeout=timeout,
                **({"km": warm.km} if warm is not None else {}),
            )
        except PapermillExecutionError as exc:
            message = _cell_error_message(exc, ipynb, nb_path.name).replace(str(ipynb), str(final["ipynb"]))
            _keep_failed(outs, ipynb)
            if str(exc.ename or "") in _INPUT_ERRORS:  # bad data, scenario or parameter: exit 2, not a crash
                raise ReportInputError(message) from None
            raise ReportError(message) from None
        except Exception as exc:  # noqa: BLE001 - kernel death, timeouts, ZMQ errors
            msg = _ANSI.sub("", str(exc)).strip().splitlines()
            first = msg[0] if msg else ""
            _keep_failed(outs, ipynb)
            raise ReportError(
                f"Không chạy được notebook '{nb_path.name}' ({type(exc).__name__}: {first}). "
                f"Bản đã chạy (nếu có) ở: {final['ipynb']}"
            ) from None

    executed = nbformat.read(ipynb, as_version=4)
    title = _title_of(executed) or stem
    try:
        recorded = json.loads(sidecar.read_text(encoding="utf-8")).get("references", [])
    except (OSError, ValueError):
        recorded = []
    refs = references_frame(pd.DataFrame(recorded)) if recorded else references_frame(None)
    params_table = pd.DataFrame(
        {
            "Mã tham số": list(declared),
            "Giá trị": [_fmt_value(effective[k]) for k in declared],
            "Ý nghĩa": [declared[k].get("help", "") for k in declared],
            "Nguồn": ["đặt khi chạy" if k in given else "mặc định của sổ tay" for k in declared],
        }
    )
    as_of_value = effective.get("as_of") or effective.get("reference_date")
    try:
        as_of_text = vi.date(as_of_value) if as_of_value else ""
    except (TypeError, ValueError):
        as_of_text = str(as_of_value)
    header = _header_html(title, as_of_text, appendix_path.name if appendix_path else None,
                          vi.date(meeting_date) if meeting_date else "")
    run_info = _run_info_html(run_time, nb_path.name, params_table, dataset_path, fingerprint, _git_commit(), refs)
    main_doc, appendix_doc = _render_html(executed, title, header, run_info,
                                          appendix_path.name if appendix_path else None)
    html_path.write_text(main_doc, encoding="utf-8")
    if appendix_path is not None:
        appendix_path.write_text(appendix_doc, encoding="utf-8")

    used: dict[str, Any] = {}
    for _, r in refs.iterrows():
        if r["name"] in used and used[r["name"]] != r["value"]:
            prev = used[r["name"]]
            used[r["name"]] = [*(prev if isinstance(prev, list) else [prev]), r["value"]]
        else:
            used[r["name"]] = r["value"]
    records: list = [None]
    outs.commit(lambda files: record and records.append(record_run(
        command or _command_text(nb_path, given, params_file),
        dataset=dataset_obj if dataset_obj is not None else dataset_path,
        scenario={"notebook": str(nb_path), "parameters": effective,
                  "params_file": None if params_file is None else str(params_file)},
        parameters=used,
        outputs=files,
    )))
    audit = records[-1] or {}
    html_path, ipynb, sidecar = final["html"], final["ipynb"], final["refs"]
    appendix_path = final.get("appendix")
    return ReportResult(html_path, ipynb, sidecar, title, effective, refs, fingerprint,
                        time.perf_counter() - started, audit, appendix_path)
