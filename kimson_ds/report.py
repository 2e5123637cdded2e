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
    the :class:`~kimson_ds.parameters.ParameterSet` the analysis read (or a
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
PC), headed by the title, run date, parameters, data fingerprint, package
version, git commit and the regulations used; then it appends an audit record.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import datetime as dt
import hashlib
import html
import io
import json
import logging
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

__all__ = [
    "ReportError",
    "ReportInputError",
    "ReportResult",
    "SIDECAR_ENV",
    "build_report",
    "external_resources",
    "find_dataset",
    "legal_basis",
    "notebook_parameters",
    "references_frame",
    "resolve_parameters",
    "show_figure",
    "show_table",
    "table_html",
]

#: Environment variable naming the JSON file where :func:`legal_basis` records references.
SIDECAR_ENV = "KIMSON_REPORT_SIDECAR"

#: Name of the kernelspec that runs report notebooks in the current environment.
KERNEL_NAME = "kimson-ds"

#: Root of the repository (parent of the package folder).
REPO_ROOT = Path(__file__).resolve().parents[1]

_ASSETS = Path(__file__).resolve().parent / "assets"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_REMOVED_TAGS = {"parameters", "injected-parameters", "papermill-error-cell-tag", "remove_cell", "hide"}


class ReportInputError(ReportError):
    """Bad report request (unknown parameter, bad value, missing notebook): exit code 2."""

    exit_code = 2


# =====================================================================
# Formatting helpers (notebook side)
# =====================================================================
def _fmt_number(v: float, decimals: int = 2) -> str:
    text = f"{v:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def _fmt_value(v: Any) -> str:
    """Vietnamese display text of one value (also used for parameter values)."""
    if v is None or v is pd.NA or v is pd.NaT:
        return ""
    if isinstance(v, (bool, np.bool_)):
        return "Có" if v else "Không"
    if isinstance(v, (int, np.integer)):
        return _fmt_number(float(v), 0) if abs(int(v)) >= 10000 else str(int(v))
    if isinstance(v, (float, np.floating)):
        if np.isnan(v):
            return ""
        if float(v).is_integer() and abs(v) < 10000:
            return str(int(v))
        return _fmt_number(float(v))
    if isinstance(v, pd.Timestamp):
        return v.strftime("%d/%m/%Y") if v == v.normalize() else v.strftime("%d/%m/%Y %H:%M")
    if isinstance(v, dt.datetime):
        return v.strftime("%d/%m/%Y %H:%M")
    if isinstance(v, dt.date):
        return v.strftime("%d/%m/%Y")
    if isinstance(v, dict):
        return "; ".join(f"{k}: {_fmt_value(x)}" for k, x in v.items())
    if isinstance(v, (list, tuple, set)):
        return ", ".join(_fmt_value(x) for x in v)
    return str(v)


def _column_cells(s: pd.Series) -> tuple[list[str], bool]:
    """Display texts of a column and whether it is numeric (right-aligned)."""
    numeric = pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)
    if pd.api.types.is_datetime64_any_dtype(s):
        texts = s.dt.strftime("%d/%m/%Y").where(s.notna(), "").tolist()
    else:
        texts = [_fmt_value(v) for v in s.tolist()]
    return [html.escape(t) for t in texts], numeric


def table_html(df: pd.DataFrame, caption: str | None = None, *, index: bool = False) -> str:
    """Static HTML of ``df`` in the report style (see the module docstring)."""
    frame = df.reset_index() if index else df
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
    if not rows:
        rows.append(f'<tr><td class="empty" colspan="{max(1, len(cols))}">(không có dòng nào)</td></tr>')
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (
        f'<table class="kimson-table">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _display_html(text: str) -> None:
    from IPython.display import HTML, display

    display(HTML(text))


def show_table(df: pd.DataFrame, caption: str | None = None, *, index: bool = False) -> None:
    """Display ``df`` as a static HTML table with an optional caption.

    Parameters
    ----------
    df : DataFrame
        Columns are shown as named (use Vietnamese column names).
    caption : str, optional
        Shown above the table.
    index : bool
        Also show the index as the first column(s).
    """
    _display_html(table_html(df, caption, index=index))


def figure_png(fig, dpi: int = 110) -> bytes:
    """PNG bytes of a matplotlib Figure (deterministic metadata)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if fig.canvas is None or not hasattr(fig.canvas, "print_png"):
        FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None}, bbox_inches="tight")
    return buf.getvalue()


def show_figure(fig, dpi: int = 110) -> None:
    """Display a matplotlib Figure as an embedded PNG image."""
    from IPython.display import Image, display

    display(Image(data=figure_png(fig, dpi=dpi), format="png"))


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


def _note(row) -> str:
    parts = []
    if row["assumption"]:
        parts.append("GIẢ ĐỊNH")
    if row["overridden"]:
        parts.append("Ghi đè theo kịch bản")
    return "; ".join(parts)


def legal_basis_table(refs: pd.DataFrame) -> pd.DataFrame:
    """Vietnamese display table of :func:`references_frame` rows."""
    since = pd.to_datetime(refs["since"].replace("", None), errors="coerce")
    return pd.DataFrame(
        {
            "Nội dung quy định": refs["description"],
            "Giá trị áp dụng": refs["value"].map(_fmt_value),
            "Áp dụng từ ngày": since.dt.strftime("%d/%m/%Y").where(since.notna(), ""),
            "Căn cứ": refs["reference"],
            "Ghi chú": [_note(r) for _, r in refs.iterrows()],
            "Mã tham số": refs["name"],
        }
    )


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
    text = table_html(legal_basis_table(refs), "Các quy định và giá trị đã áp dụng")
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


def _check_type(name: str, value: Any, declared: str) -> Any:
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
            f"Tham số '{name}' cần giá trị kiểu {_TYPE_VI[declared]}, nhận được {value!r}."
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
                outs.append(out)
            cell.outputs = outs
            if not outs:
                continue
        kept.append(cell)
    nb.cells = kept
    return nb


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


def _header_html(title, run_time, nb_name, params_table, dataset_path, fingerprint, commit, refs) -> str:
    meta = [
        ("Ngày lập báo cáo", run_time.strftime("%d/%m/%Y %H:%M")),
        ("Notebook", nb_name),
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
        '<header class="kimson-header">',
        f"<h1>{html.escape(title)}</h1>",
        f'<table class="kimson-meta"><tbody>{rows}</tbody></table>',
        "<h2>Tham số chạy</h2>",
        table_html(params_table),
        "<h2>Quy định đã áp dụng</h2>",
    ]
    if refs.empty:
        parts.append("<p>Notebook không ghi nhận tham số quy định nào.</p>")
    else:
        parts.append(table_html(legal_basis_table(refs)))
        if refs["assumption"].any():
            parts.append(
                '<p class="kimson-note">Dòng ghi <strong>GIẢ ĐỊNH</strong>: giá trị chưa được xác nhận '
                "trong văn bản gốc, có thể thay đổi bằng tệp tham số kịch bản.</p>"
            )
    parts.append("</header>")
    return "\n".join(parts)


def _css() -> str:
    path = _ASSETS / "report.css"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def _render_html(executed_nb, title: str, header: str) -> str:
    from nbconvert import HTMLExporter

    nb = _export_cells(executed_nb)
    # The header carries the title: drop the notebook's own first-level title line.
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            lines = cell.source.splitlines()
            if lines and re.match(r"^\s*#\s+", lines[0]) and lines[0].lstrip("# ").strip() == title:
                cell.source = "\n".join(lines[1:])
            break
    exporter = HTMLExporter(template_name="basic")
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nb)
    doc = (
        "<!DOCTYPE html>\n"
        '<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="kimson-ds {html.escape(__version__)}">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{_css()}\n</style>\n</head>\n<body>\n"
        f'<div class="kimson-report">\n{header}\n<main>\n{body}\n</main>\n'
        f'<footer>Báo cáo tạo tự động bởi kimson-ds {html.escape(__version__)}. '
        "Kết quả là căn cứ tham khảo; tập thể có thẩm quyền xem xét, quyết định.</footer>\n"
        "</div>\n</body>\n</html>\n"
    )
    return _strip_external(doc)


def _command_text(notebook, parameters: dict, params_file) -> str:
    parts = ["report", str(notebook)]
    for k, v in parameters.items():
        parts += ["-p", k, str(v)]
    if params_file is not None:
        parts += ["--params", str(params_file)]
    return " ".join(shlex.quote(p) for p in parts)


def build_report(notebook, parameters: dict | None = None, out_dir=".", *, params_file=None,
                 cli_pairs=None, command: str | None = None, timeout: int = 600) -> ReportResult:
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
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from kimson_ds.audit import record_run
    from kimson_ds.io import read_dataset

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
        dataset_obj = read_dataset(dataset_path)
        fingerprint = dataset_obj.fingerprint

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = nb_path.stem
    ipynb, html_path, sidecar = out / f"{stem}.ipynb", out / f"{stem}.html", out / f"{stem}.references.json"
    for stale in (html_path, sidecar):
        stale.unlink(missing_ok=True)
    sidecar.write_text(json.dumps({"references": []}), encoding="utf-8")

    kernel = ensure_kernel()
    run_time = dt.datetime.now()
    env = {
        SIDECAR_ENV: str(sidecar.resolve()),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "JUPYTER_PLATFORM_DIRS": "1",
    }
    with _quiet_run(env):
        try:
            papermill.execute_notebook(
                str(nb_path), str(ipynb), parameters=given, kernel_name=kernel, progress_bar=False,
                log_output=False, cwd=os.getcwd(), start_timeout=120, execution_timeout=timeout,
            )
        except PapermillExecutionError as exc:
            raise ReportError(_cell_error_message(exc, ipynb, nb_path.name)) from None
        except Exception as exc:  # noqa: BLE001 - kernel death, timeouts, ZMQ errors
            msg = _ANSI.sub("", str(exc)).strip().splitlines()
            first = msg[0] if msg else ""
            raise ReportError(
                f"Không chạy được notebook '{nb_path.name}' ({type(exc).__name__}: {first}). "
                f"Bản đã chạy (nếu có) ở: {ipynb}"
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
            "Tham số": list(declared),
            "Giá trị": [_fmt_value(effective[k]) for k in declared],
            "Ý nghĩa": [declared[k].get("help", "") for k in declared],
            "Nguồn": ["đặt khi chạy" if k in given else "mặc định của notebook" for k in declared],
        }
    )
    header = _header_html(title, run_time, nb_path.name, params_table, dataset_path, fingerprint,
                          _git_commit(), refs)
    html_path.write_text(_render_html(executed, title, header), encoding="utf-8")

    used: dict[str, Any] = {}
    for _, r in refs.iterrows():
        if r["name"] in used and used[r["name"]] != r["value"]:
            prev = used[r["name"]]
            used[r["name"]] = [*(prev if isinstance(prev, list) else [prev]), r["value"]]
        else:
            used[r["name"]] = r["value"]
    audit = record_run(
        command or _command_text(nb_path, given, params_file),
        dataset=dataset_obj,
        scenario={"notebook": str(nb_path), "parameters": effective,
                  "params_file": None if params_file is None else str(params_file)},
        parameters=used,
        outputs=[html_path, ipynb, sidecar],
    )
    return ReportResult(html_path, ipynb, sidecar, title, effective, refs, fingerprint,
                        time.perf_counter() - started, audit)
