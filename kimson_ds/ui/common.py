"""Shared pieces of the interactive panels (ipywidgets): layout, busy indicator,
Vietnamese error display, "Lưu kịch bản" and "Xuất báo cáo" buttons.

A panel never computes anything itself: every refresh calls the same library
function that the command line and the report notebooks call, then shows the
returned tables as static HTML (:func:`kimson_ds.papers.report.table_html`) and the
charts as PNG images, so the panel, the CLI and the report cannot disagree.

Errors
------
Every callback of a panel goes through :meth:`Panel.refresh` or
:func:`guarded`, which turn any exception into a readable Vietnamese message
inside the panel (:func:`error_message`); the page is never left blank.
:func:`install_error_display` does the same for exceptions raised directly in
a notebook cell (the Voilà explorer notebooks call it first).

Interactive or report run
-------------------------
:func:`interactive` tells whether the kernel serves a person (Voilà, Jupyter)
rather than a papermill report run, so an analysis notebook can show its
panel only when someone can use it::

    from kimson_ds import ui
    ui.show_if_interactive(ui.rotation_panel, ds, sc)

It decides from the kernel's own situation, not only from inherited
environment variables: a kernel launched by papermill or ``jupyter nbconvert
--execute`` is never interactive even when it inherited ``VSCODE_PID`` or
``JPY_SESSION_NAME`` from the shell that started the run; callers can also
set ``KIMSON_STATIC=1`` (see :func:`interactive`). :func:`show_if_interactive`
displays the panel and returns None, so it shows once as a cell's last line.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import html
import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from kimson_ds.errors import KimsonError, ScenarioError
from kimson_ds.papers.report import REPO_ROOT, SIDECAR_ENV, figure_png, table_html

__all__ = [
    "PANEL_CSS",
    "STATIC_ENV",
    "NotebookPanel",
    "Panel",
    "ReportButton",
    "SaveButton",
    "batch_launcher",
    "date_choices",
    "date_vi",
    "decimal_slider",
    "parse_date_vi",
    "vi_number",
    "default_dataset",
    "error_html",
    "error_message",
    "figure_html",
    "guarded",
    "install_error_display",
    "legal_basis_html",
    "interactive",
    "resolve_path",
    "show_dataset",
    "show_if_interactive",
    "tables_html",
]

#: Styles of the panels (tables as in the reports, spinner, diagnosis and error boxes).
PANEL_CSS = """
<style>
.kimson-panel { font-family: "Segoe UI", "Noto Sans", "DejaVu Sans", Arial, sans-serif; color: #1d2733; }
.kimson-panel h3 { margin: 10px 0 4px; font-size: 1.1em; }
table.kimson-table { border-collapse: collapse; margin: 6px 0 12px; font-size: 0.92em; max-width: 100%; }
table.kimson-table caption { caption-side: top; text-align: left; font-weight: 600; padding: 4px 0; }
table.kimson-table th, table.kimson-table td { border: 1px solid #d5dbe3; padding: 3px 8px; vertical-align: top; }
table.kimson-table thead th { background: #eef2f7; text-align: left; }
table.kimson-table th.num, table.kimson-table td.num { text-align: right; white-space: nowrap; }
table.kimson-table tbody tr:nth-child(even) { background: #fafbfc; }
table.kimson-table td.empty { color: #5b6775; font-style: italic; }
.kimson-error { border-left: 5px solid #b3261e; background: #fdecea; color: #5f1410; padding: 8px 12px;
  margin: 6px 0; white-space: pre-wrap; }
.kimson-diag { border-left: 5px solid #2e7d32; background: #edf7ee; padding: 6px 12px; margin: 6px 0; }
.kimson-diag.kimson-infeasible { border-left-color: #b3261e; background: #fdecea; }
.kimson-diag ul { margin: 4px 0 0 0; padding-left: 20px; }
.kimson-status { color: #5b6775; font-size: 0.9em; }
.kimson-ok { color: #2e7d32; }
.kimson-spinner { display: inline-block; width: 14px; height: 14px; border: 3px solid #d5dbe3;
  border-top-color: #8c1c13; border-radius: 50%; animation: kimson-spin 0.8s linear infinite;
  vertical-align: middle; margin-right: 6px; }
@keyframes kimson-spin { to { transform: rotate(360deg); } }
/* tab titles in full (Vietnamese titles are longer than the 144 px default) */
.kimson-panel .lm-TabBar-tab, .kimson-panel .p-TabBar-tab { flex: 0 0 auto !important; max-width: none !important;
  min-width: 0 !important; }
.kimson-panel .lm-TabBar-tabLabel, .kimson-panel .p-TabBar-tabLabel { overflow: visible; text-overflow: clip; }
/* long control labels wrap instead of being cut ("…làm Phó Bí …") */
.kimson-panel .widget-label { white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; line-height: 1.25; }
</style>
"""

#: Environment variables that an interactive front end sets in its kernels. They are inherited by
#: every child process (a papermill run started from a VS Code terminal or a Jupyter kernel has them
#: too), so :func:`interactive` trusts them only after ruling out a batch run.
_INTERACTIVE_ENV = ("VOILA_BASE_URL", "VOILA_KERNEL_ID", "JPY_SESSION_NAME", "VSCODE_PID")

#: Set to 1 by a caller that runs notebooks in batch (papermill, nbconvert) to forbid any panel.
STATIC_ENV = "KIMSON_STATIC"

#: Programs that execute notebooks in batch; a kernel whose launcher is one of them serves no person.
_BATCH_LAUNCHERS = ("papermill", "nbconvert", "jupyter-nbconvert", "nbclient", "jupyter-execute")


# --------------------------------------------------------------------- environment
def _launcher_cmdline() -> list[str]:
    """Command line of the process that started this one (empty when unknown)."""
    try:
        import psutil

        return psutil.Process(os.getppid()).cmdline()
    except Exception:  # noqa: BLE001 - psutil missing, process gone, access denied: unknown
        return []


def batch_launcher(cmdline: list[str] | None = None) -> str | None:
    """Name of the batch notebook runner that launched this kernel (``"papermill"``, …) or None.

    A kernel is started by the program that executes the notebook: papermill,
    ``jupyter nbconvert --execute``, nbclient. Their command line names them
    (``…/bin/papermill``, ``python -m papermill``, ``jupyter-nbconvert``).
    """
    args = _launcher_cmdline() if cmdline is None else cmdline
    for i, arg in enumerate(args):
        name = Path(arg).name.lower().removesuffix(".exe").removesuffix(".py")
        if name in _BATCH_LAUNCHERS:
            return name
        if arg == "-m" and i + 1 < len(args) and args[i + 1].split(".")[0] in _BATCH_LAUNCHERS:
            return args[i + 1].split(".")[0]
    if len(args) >= 3 and Path(args[1]).name.startswith("jupyter") and args[2] in ("nbconvert", "execute"):
        return args[2]
    return None


def _kernel_connection_file() -> str | None:
    """The connection file of the running IPython kernel (None outside a kernel)."""
    try:
        from ipykernel.kernelapp import IPKernelApp

        if IPKernelApp.initialized():
            return str(IPKernelApp.instance().connection_file or "") or None
    except Exception:  # noqa: BLE001 - not in a kernel
        pass
    return None


def interactive() -> bool:
    """True when a person drives this kernel (Voilà, JupyterLab, VS Code), False in a report run.

    Decided in this order:

    1. ``KIMSON_UI=1`` / ``KIMSON_UI=0`` force the answer.
    2. ``KIMSON_STATIC=1`` (for papermill callers) and the report pipeline
       (:func:`kimson_ds.papers.report.build_report` sets ``$KIMSON_REPORT_SIDECAR``)
       are never interactive.
    3. A kernel launched by a batch runner (papermill, ``jupyter nbconvert
       --execute``, nbclient — read from the launcher's command line) is never
       interactive, whatever environment variables it inherited.
    4. ``VOILA_KERNEL_ID`` counts only when it names this kernel (Voilà's
       connection file is ``kernel-<id>.json``); otherwise a kernel started by
       a front end is recognised by ``VOILA_BASE_URL``, ``JPY_SESSION_NAME``
       (JupyterLab, Notebook) or ``VSCODE_PID``.
    """
    forced = os.environ.get("KIMSON_UI", "").strip()
    if forced in ("0", "1"):
        return forced == "1"
    if os.environ.get(STATIC_ENV, "").strip() not in ("", "0") or os.environ.get(SIDECAR_ENV):
        return False
    if batch_launcher() is not None:
        return False
    kernel_id = os.environ.get("VOILA_KERNEL_ID", "").strip()
    conn = _kernel_connection_file()
    if kernel_id and conn and kernel_id in Path(conn).name:
        return True
    markers = [k for k in _INTERACTIVE_ENV if k != "VOILA_KERNEL_ID" or not conn]
    return any(os.environ.get(k) for k in markers)


def show_if_interactive(factory: Callable[..., Any], *args, **kwargs) -> None:
    """Build and display a panel only in an interactive session; return None.

    Report runs stay static: nothing is built, nothing is displayed. The panel
    is displayed here and not returned, so calling this as the last line of a
    cell shows it once (a returned panel would be displayed a second time as
    the cell's value).
    """
    if not interactive():
        return None
    from IPython.display import display

    display(factory(*args, **kwargs))
    return None


def default_dataset(dataset=None):
    """The dataset a panel opens: ``dataset`` if given (not empty), else ``$KIMSON_DATASET``
    (set by ``kimson-ds app --dataset``), else the sample ``data/kimson``."""
    if dataset is not None and str(dataset).strip():
        return dataset
    return os.environ.get("KIMSON_DATASET") or "data/kimson"


def show_dataset(dataset=None) -> None:
    """Display which dataset the explorer uses (name, size, fingerprint) or why it cannot be read."""
    from IPython.display import HTML, display

    from kimson_ds.data.io import load_dataset
    from kimson_ds.papers.report import find_dataset

    try:
        path = find_dataset(default_dataset(dataset))
        ds = load_dataset(path)
    except Exception as exc:  # noqa: BLE001 - shown in the page
        display(HTML(PANEL_CSS + error_html(exc, "Không đọc được bộ dữ liệu")))
        return
    n_warn = sum(1 for i in ds.issues if getattr(i, "severity", "") == "warning")
    display(HTML(
        PANEL_CSS + '<div class="kimson-diag kimson-dataset">'
        f"<b>Bộ dữ liệu:</b> {html.escape(str(path))} — {len(ds['cadres'])} cán bộ, {len(ds['units'])} đơn vị, "
        f"{len(ds['positions'])} vị trí chức danh; {n_warn} cảnh báo khi kiểm tra. "
        f"Dấu vân tay (sha256): <code>{html.escape(ds.fingerprint[:16])}…</code></div>"))


#: Where the app may save a scenario file (relative to the project).
SCENARIO_ROOTS = ("reports", "data/scenarios")
#: Where the app may build reports.
REPORT_ROOTS = ("reports",)


def resolve_path(path: str | os.PathLike) -> Path:
    """A path typed in a panel: absolute as given, else relative to the repository root."""
    p = Path(str(path).strip()).expanduser()
    return p if p.is_absolute() else REPO_ROOT / p


# --------------------------------------------------------------------- errors
def error_message(exc: BaseException) -> str:
    """Readable Vietnamese text for ``exc`` (no traceback, no code)."""
    if isinstance(exc, KimsonError):
        return str(exc)
    if isinstance(exc, FileNotFoundError):
        return f"Không tìm thấy tệp hoặc thư mục: {exc.filename or exc}."
    if isinstance(exc, PermissionError):
        return f"Không có quyền ghi hoặc đọc: {exc.filename or exc}."
    if isinstance(exc, MemoryError):
        return "Máy không đủ bộ nhớ để tính toán yêu cầu này."
    text = str(exc).strip()
    return (f"Lỗi không mong đợi ({type(exc).__name__}){': ' + text if text else ''}. "
            "Hãy kiểm tra lại dữ liệu và các lựa chọn; nếu vẫn lỗi, báo cho người quản trị công cụ.")


def error_html(exc: BaseException | str, title: str = "Không thực hiện được") -> str:
    """HTML box with the Vietnamese message of ``exc``."""
    text = exc if isinstance(exc, str) else error_message(exc)
    return (f'<div class="kimson-error" role="alert"><strong>{html.escape(title)}.</strong> '
            f"{html.escape(text)}</div>")


def _custom_exc(shell, etype, evalue, tb, tb_offset=None):  # IPython's handler signature
    from IPython.display import HTML, display

    display(HTML(PANEL_CSS + error_html(evalue, "Lỗi khi chạy trang")))
    return [f"Lỗi: {error_message(evalue)}"]


def install_error_display() -> bool:
    """Show exceptions of later notebook cells as a Vietnamese message, not a traceback.

    Only for the Voilà explorer notebooks (a report run must still fail on an
    error). Returns False outside IPython.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return False
    shell = get_ipython()
    if shell is None:
        return False
    shell.set_custom_exc((Exception,), _custom_exc)
    return True


def guarded(out_widget, title: str = "Không thực hiện được"):
    """Decorator for widget callbacks: an exception becomes a message in ``out_widget`` (an HTML widget)."""

    def wrap(fn):
        def inner(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - shown to the user, never swallowed silently
                out_widget.value = PANEL_CSS + error_html(exc, title)
                return None

        inner.__name__ = getattr(fn, "__name__", "callback")
        inner.__doc__ = fn.__doc__
        return inner

    return wrap


# --------------------------------------------------------------------- rendering
def tables_html(items: list[tuple[pd.DataFrame, str]]) -> str:
    """Concatenated report-style tables ``[(frame, caption), ...]``."""
    return "".join(table_html(df, cap) for df, cap in items)


def figure_html(fig, alt: str = "Biểu đồ") -> str:
    """An ``<img>`` with the figure as an embedded PNG (no file, works offline)."""
    data = base64.b64encode(figure_png(fig)).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}" style="max-width:100%">'


def date_choices(ds, keep: dt.date) -> list[tuple[str, dt.date]]:
    """Dates a panel offers: ``keep``, the year ends of the rating years (and the next one)
    and the days units start, when someone is at work on that day (dd/mm/yyyy labels)."""
    from kimson_ds.overview.figures import active_cadres

    years = sorted(int(y) for y in pd.Series(ds["ratings"]["year"]).dropna().unique())
    starts = pd.to_datetime(ds["units"]["valid_from"]).dropna().dt.date.unique()
    candidates = {*(dt.date(y, 12, 31) for y in [*years, *(years[-1:] and [years[-1] + 1])]), *starts}
    dates = {keep} | {d for d in candidates if len(active_cadres(ds["cadres"], ds["units"], d))}
    return [(d.strftime("%d/%m/%Y"), d) for d in sorted(dates)]


def vi_number(value: float, decimals: int = 1) -> str:
    """``10.5`` → ``"10,5"``: a number as Vietnamese readers write it (decimal comma)."""
    return f"{value:.{decimals}f}".replace(".", ",")


def date_vi(day) -> str:
    """A date as dd/mm/yyyy."""
    return pd.Timestamp(day).strftime("%d/%m/%Y")


def parse_date_vi(text: str) -> dt.date:
    """Parse a date typed as dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy or yyyy-mm-dd).

    Raises
    ------
    ScenarioError
        With a Vietnamese message when the text is not such a date.
    """
    t = str(text).strip()
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", t)
    try:
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", t):
            return dt.date.fromisoformat("-".join(f"{int(x):02d}" for x in t.split("-")))
    except ValueError:
        pass
    raise ScenarioError(f"Ngày '{t}' không hợp lệ; hãy nhập theo dạng ngày/tháng/năm, ví dụ 01/08/2020.")


def decimal_slider(value: float, min: float, max: float, step: float, *, decimals: int = 1,  # noqa: A002
                   whole: bool = False, **kwargs):
    """A slider over ``min, min+step, …, max`` whose readout uses a decimal comma ("10,5").

    ipywidgets' ``readout_format`` always prints a decimal point, so this is a
    :class:`DecimalSlider` (a selection slider labelled in Vietnamese). Its
    ``value`` is the float, as for a ``FloatSlider``; a value between two steps
    snaps to the nearest one. ``whole=True`` shows whole numbers without
    decimals ("10", "10,5").
    """
    n = int(round((max - min) / step))
    values = [round(min + i * step, 6) for i in range(n + 1)]
    cls = globals().get("DecimalSlider") or __getattr__("DecimalSlider")
    labels = [str(int(v)) if whole and float(v).is_integer() else vi_number(v, decimals) for v in values]
    return cls(options=list(zip(labels, values, strict=True)),
                         value=_nearest(values, value), **kwargs)


def _nearest(values, v) -> float:
    return values[int(pd.Series(values).sub(float(v)).abs().to_numpy().argmin())]


def _decimal_slider_class():
    import ipywidgets as w
    from traitlets import validate

    class DecimalSlider(w.SelectionSlider):
        """Selection slider over numbers: a number between two options snaps to the nearest."""

        @validate("value")
        def _validate_value(self, proposal):
            v = proposal.value
            values = list(self._options_values)
            if v not in values and isinstance(v, (int, float)) and values:
                return _nearest(values, v)
            return super()._validate_value(proposal)

    return DecimalSlider


def __getattr__(name: str):  # the widget class is built lazily (ipywidgets only when a panel is used)
    if name == "DecimalSlider":
        cls = _decimal_slider_class()
        globals()["DecimalSlider"] = cls
        return cls
    raise AttributeError(name)


def legal_basis_html(psets) -> str:
    """The "Căn cứ pháp lý" table of the parameters a result used (as in the reports)."""
    from kimson_ds.papers.report import legal_basis_table, references_frame

    refs = references_frame(psets)
    if refs.empty:
        return "<p>Phân tích này không dùng tham số quy định nào.</p>"
    text = table_html(legal_basis_table(refs), "Các quy định và giá trị đã áp dụng")
    if refs["assumption"].any():
        text += ('<p class="kimson-note">Dòng ghi <b>GIẢ ĐỊNH</b>: giá trị chưa được xác nhận trong văn bản '
                 "gốc, dùng làm mặc định và có thể thay trong kịch bản.</p>")
    return text


def _seconds(s: float) -> str:
    return f"{s:.2f}".replace(".", ",")


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


# --------------------------------------------------------------------- panel base
class Panel:
    """Base of every analysis panel.

    Subclasses build their controls in ``__init__``, call :meth:`_assemble`,
    and implement :meth:`compute` (call the library, return its result) and
    :meth:`render` (put the result into the output widgets). Every control
    change calls :meth:`refresh`, which shows the spinner, runs both, records
    the latency in :attr:`last_seconds` and turns errors into a Vietnamese
    message in the panel.

    Attributes
    ----------
    widget : ipywidgets.VBox
        The whole panel (displaying the panel displays it).
    result : Any
        What the last successful :meth:`compute` returned.
    runs : int
        Number of completed refreshes (successful or not).
    last_seconds : float
        Wall time of the last refresh, control change to updated outputs.
    error : str or None
        Vietnamese message of the last failed refresh.
    """

    title = ""

    def __init__(self) -> None:
        import ipywidgets as w

        self._w = w
        self.result: Any = None
        self.runs = 0
        self.last_seconds = 0.0
        self.error: str | None = None
        self._hold = False
        self.css = w.HTML(PANEL_CSS)
        self.header = w.HTML(f"<h3>{html.escape(self.title)}</h3>" if self.title else "")
        self.spinner = w.HTML('<span class="kimson-spinner"></span>Đang tính toán…',
                              layout=w.Layout(display="none"))
        self.spinner.add_class("kimson-busy")
        self.status = w.HTML("")
        self.status.add_class("kimson-status-box")
        self.message = w.HTML("")
        self.message.add_class("kimson-message")
        self.widget = w.VBox()
        self.widget.add_class("kimson-panel")

    # -- to implement
    def compute(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def render(self, result: Any) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def status_text(self, result: Any) -> str:
        """One-line summary shown after a refresh."""
        return ""

    # -- machinery
    def _assemble(self, controls: list, outputs: list, buttons: list | None = None) -> None:
        w = self._w
        top = [self.css, self.header, *controls]
        if buttons:
            top.append(w.HBox(buttons, layout=w.Layout(flex_flow="row wrap", align_items="flex-start")))
        self.widget.children = [*top, w.HBox([self.spinner, self.status]), self.message, *outputs]

    def observe(self, *controls) -> None:
        """Refresh whenever one of ``controls`` changes value."""
        for c in controls:
            c.observe(lambda _change: self.refresh(), names="value")

    @contextlib.contextmanager
    def holding(self) -> Iterator[None]:
        """Change several controls and refresh once at the end."""
        self._hold = True
        try:
            yield
        finally:
            self._hold = False
        self.refresh()

    def refresh(self) -> bool:
        """Re-run the analysis with the current controls; return True on success."""
        if self._hold:
            return False
        t0 = time.perf_counter()
        self.spinner.layout.display = ""
        ok = False
        try:
            result = self.compute()
            self.render(result)
            self.result = result
            self.error = None
            self.message.value = ""
            ok = True
        except Exception as exc:  # noqa: BLE001 - shown in the page as a Vietnamese message
            self.error = error_message(exc)
            self.message.value = error_html(exc)
        finally:
            self.spinner.layout.display = "none"
            self.last_seconds = time.perf_counter() - t0
            self.runs += 1
        extra = self.status_text(self.result) if ok else "Kết quả bên dưới là của lần tính trước."
        self.status.value = (f'<span class="kimson-status kimson-run" data-run="{self.runs}" data-ok="{int(ok)}">'
                             f"Lần tính thứ {self.runs}: {_seconds(self.last_seconds)} giây. "
                             f"{html.escape(extra)}</span>")
        return ok

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


class NotebookPanel(Panel):
    """A panel whose controls are the parameters of one report notebook.

    "Lưu kịch bản" writes :meth:`notebook_parameters` as the YAML file that
    ``kimson-ds report NOTEBOOK --params FILE --out DIR`` accepts; "Xuất báo
    cáo" builds that notebook's report with exactly these parameters.
    Subclasses set :attr:`notebook` and implement :meth:`notebook_parameters`.
    """

    notebook: Path = REPO_ROOT / "notebooks"

    def notebook_parameters(self) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def _buttons(self, stem: str) -> list:
        out = REPO_ROOT / "reports"
        self.saver = SaveButton(self._save_parameters, os.path.relpath(out / "kich-ban" / f"{stem}.yaml", REPO_ROOT))
        self.reporter = ReportButton(self.notebook, self._report_parameters,
                                     os.path.relpath(out / "ung-dung" / stem, REPO_ROOT))
        return [self.saver.widget, self.reporter.widget]

    def _save_parameters(self, path: Path) -> Path:
        import yaml

        path.write_text(yaml.safe_dump(self.notebook_parameters(), allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        return path

    def _report_parameters(self, out_dir: Path) -> dict:
        self._save_parameters(Path(out_dir) / "tham-so.yaml")
        return self.notebook_parameters()


def load_for_panel(dataset):
    """``(Dataset, path)`` for a panel factory: a Dataset as given, else loaded from the path."""
    from kimson_ds.data.io import Dataset, load_dataset
    from kimson_ds.papers.report import find_dataset

    if isinstance(dataset, Dataset):
        return dataset, dataset.path
    path = find_dataset(default_dataset(dataset))
    return load_dataset(path), path


def repo_file(path) -> Path:
    """A file named in a panel or notebook parameter: as given if it exists, else under the repository."""
    p = Path(path)
    return p if p.exists() else REPO_ROOT / p


class ErrorPanel(Panel):
    """What a panel factory returns when the panel cannot even be built (bad dataset, bad scenario)."""

    def __init__(self, exc: BaseException, title: str = "Không mở được bảng điều khiển") -> None:
        super().__init__()
        self.error = error_message(exc)
        self.message.value = error_html(exc, title)
        self._assemble([], [])


# --------------------------------------------------------------------- buttons
class SaveButton:
    """"Lưu kịch bản": a path field and a button that writes the current scenario.

    Parameters
    ----------
    write : callable
        ``write(path) -> Path`` writes the scenario (a YAML the command line accepts).
    default_path : str
        Shown in the field; relative paths are taken from the repository root.
    """

    def __init__(self, write: Callable[[Path], Path], default_path: str, *,
                 suffixes: tuple[str, ...] = (".yaml", ".yml"), what: str = "Tệp kịch bản") -> None:
        import ipywidgets as w

        self._write = write
        self._suffixes = suffixes
        self._what = what
        self.path = w.Text(value=default_path, description="Tệp kịch bản:",
                           layout=w.Layout(width="440px"), style={"description_width": "initial"})
        self.path.add_class("kimson-save-path")
        self.button = w.Button(description="Lưu kịch bản", button_style="primary",
                               tooltip="Ghi các lựa chọn hiện tại thành tệp kịch bản YAML dùng được với lệnh kimson-ds")
        self.button.add_class("kimson-save")
        self.out = w.HTML("")
        self.saved: Path | None = None
        self.button.on_click(lambda _b: self.save())
        self.widget = w.VBox([w.HBox([self.path, self.button]), self.out])

    def save(self) -> Path | None:
        """Write the scenario to the path in the field; show where (or why not)."""
        try:
            from kimson_ds.outputs import OutputError, confine

            target = confine(self.path.value, SCENARIO_ROOTS, what=self._what)
            if target.suffix.lower() not in self._suffixes:
                raise OutputError(f"{self._what} '{self.path.value}' phải có đuôi {self._suffixes[0]}.")
            target.parent.mkdir(parents=True, exist_ok=True)
            self.saved = self._write(target)
            self.out.value = (f'<span class="kimson-ok">Đã lưu {self._what.removeprefix("Tệp ").lower()} vào '
                              f"{html.escape(str(self.saved))}.</span>")
            return self.saved
        except Exception as exc:  # noqa: BLE001
            self.out.value = error_html(exc, "Không lưu được kịch bản")
            return None


class ReportButton:
    """"Xuất báo cáo": build the papermill report of the current scenario.

    Parameters
    ----------
    notebook : Path
        The analysis notebook of the report.
    prepare : callable
        ``prepare(out_dir) -> dict`` writes what the run needs into ``out_dir``
        (the scenario file) and returns the notebook parameters.
    default_dir : str
        Output folder prefix (a time stamp is appended at each build).
    """

    def __init__(self, notebook: Path, prepare: Callable[[Path], dict], default_dir: str) -> None:
        import ipywidgets as w

        self.notebook = Path(notebook)
        self._prepare = prepare
        self.folder = w.Text(value=default_dir, description="Thư mục báo cáo:",
                             layout=w.Layout(width="440px"), style={"description_width": "initial"})
        self.button = w.Button(description="Xuất báo cáo", button_style="success",
                               tooltip="Chạy notebook phân tích với đúng kịch bản này và tạo báo cáo HTML")
        self.button.add_class("kimson-report-button")
        self.out = w.HTML("")
        self.result = None
        self.button.on_click(lambda _b: self.build())
        self.widget = w.VBox([w.HBox([self.folder, self.button]), self.out])

    def build(self, out_dir: str | os.PathLike | None = None):
        """Build the report into ``out_dir`` (default: the field's folder + a time stamp)."""
        from kimson_ds.papers.report import build_report

        self.button.disabled = True
        self.out.value = '<span class="kimson-spinner"></span>Đang tạo báo cáo (khoảng 10–30 giây)…'
        try:
            from kimson_ds.outputs import confine

            target = confine(Path(out_dir) if out_dir is not None else Path(self.folder.value.strip()) / _stamp(),
                             REPORT_ROOTS, what="Thư mục báo cáo")
            target.mkdir(parents=True, exist_ok=True)
            params = self._prepare(target)
            self.result = build_report(self.notebook, params, target)
            self.out.value = (f'<span class="kimson-ok">Đã tạo báo cáo «{html.escape(self.result.title)}» '
                              f"trong {_seconds(self.result.seconds)} giây: "
                              f"{html.escape(str(self.result.html))}</span>")
            return self.result
        except Exception as exc:  # noqa: BLE001
            self.out.value = error_html(exc, "Không tạo được báo cáo")
            return None
        finally:
            self.button.disabled = False


class ExportButton:
    """"Xuất Tờ trình, Excel và PDF": the scenario on screen, in one click, without re-running any notebook.

    Parameters
    ----------
    collect : callable
        ``collect() -> (title, sheets, scenario_writer)``: the document title,
        ``{sheet name: frame already in Vietnamese}`` in reading order, and a
        ``write(path)`` that saves the scenario file next to the exports (or None).
    default_dir : str
        Output folder prefix (a time stamp is appended at each export).
    stem : str
        File-name stem of the exports.
    submission : callable, optional
        ``submission() -> kimson_ds.papers.word.Submission`` of the result on
        screen (the Tờ trình ``kimson-ds to-trinh`` writes for the same
        analysis); written as ``<stem>.docx``, issued by the body in office on the
        analysis date (``Submission.as_of``), the date left blank for signing.
    """

    def __init__(self, collect: Callable[[], tuple], default_dir: str, stem: str, *,
                 submission: Callable[[], Any] | None = None) -> None:
        import ipywidgets as w

        self._collect = collect
        self._submission = submission
        self.stem = stem
        self.folder = w.Text(value=default_dir, description="Thư mục xuất:", layout=w.Layout(width="440px"),
                             style={"description_width": "initial"})
        what = "Tờ trình, Excel và PDF" if submission is not None else "Excel và PDF"
        self.button = w.Button(description=f"Xuất {what}", button_style="info",
                               tooltip=f"Ghi {what} của kịch bản đang xem để in, sửa, trình ký (không cần mạng)")
        self.button.add_class("kimson-export")
        self.out = w.HTML("")
        self.out.add_class("kimson-export-out")
        self.files: list[Path] = []
        self.seconds = 0.0
        self.button.on_click(lambda _b: self.export())
        self.widget = w.VBox([w.HBox([self.folder, self.button]), self.out])

    def export(self, out_dir: str | os.PathLike | None = None) -> list[Path]:
        """Write ``<stem>.docx`` (Tờ trình), ``<stem>.xlsx``, ``<stem>.pdf`` and the scenario into a new
        time-stamped folder."""
        import concurrent.futures

        from kimson_ds.data.excel import write_workbook
        from kimson_ds.outputs import confine
        from kimson_ds.papers.pdf import html_to_pdf

        self.button.disabled = True
        what = self.button.description
        self.out.value = f'<span class="kimson-spinner"></span>Đang {html.escape(what[:1].lower() + what[1:])}…'
        t0 = time.perf_counter()
        try:
            target = confine(Path(out_dir) if out_dir is not None else Path(self.folder.value.strip()) / _stamp(),
                             REPORT_ROOTS, what="Thư mục xuất")
            target.mkdir(parents=True, exist_ok=True)
            title, sheets, write_scenario = self._collect()
            page = target / f"{self.stem}.html"
            page.write_text(self._print_page(title, sheets), encoding="utf-8")
            pdf = target / f"{self.stem}.pdf"
            # Playwright's synchronous API cannot run on the kernel's event loop thread; Chromium starts
            # (≈ 2 s) while the scenario, the Tờ trình and the workbook are written
            with concurrent.futures.ThreadPoolExecutor(1) as pool:
                printing = pool.submit(html_to_pdf, [(page, pdf)])
                files = []
                if write_scenario is not None:
                    files.append(write_scenario(target / "kich-ban.yaml"))
                if self._submission is not None:
                    from kimson_ds.papers.word import organisation, write_submission

                    sub = self._submission()  # issued by the body in office on the analysis date, date left to sign
                    files.append(write_submission(sub, target / f"{self.stem}.docx", org=organisation(sub.as_of)))
                files.append(write_workbook(target / f"{self.stem}.xlsx", sheets, title=title))
                printing.result()
            files.append(pdf)
            self.files, self.seconds = files, time.perf_counter() - t0
            names = ", ".join(html.escape(f.name) for f in files)
            self.out.value = (f'<span class="kimson-ok" data-seconds="{self.seconds:.3f}">Đã xuất trong '
                              f"{_seconds(self.seconds)} giây vào {html.escape(str(target))}: {names}.</span>")
            return files
        except Exception as exc:  # noqa: BLE001
            self.out.value = error_html(exc, "Không xuất được tệp")
            return []
        finally:
            self.button.disabled = False


    #: Rows of a table printed in the PDF; longer tables end with a line pointing to the workbook.
    PDF_ROWS = 40

    def _print_page(self, title: str, sheets: dict[str, pd.DataFrame]) -> str:
        """The HTML printed to PDF: every table on screen, long ones cut at :attr:`PDF_ROWS` rows
        (the workbook has them whole)."""
        parts = []
        for name, frame in sheets.items():
            parts.append(f"<h2>{html.escape(name)}</h2>" + table_html(frame.head(self.PDF_ROWS)))
            if len(frame) > self.PDF_ROWS:
                parts.append(f"<p><i>… và {vi_number(len(frame) - self.PDF_ROWS, 0)} dòng nữa: xem đầy đủ ở trang "
                             f"«{html.escape(name)}» của tệp {html.escape(self.stem)}.xlsx.</i></p>")
        return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
                f'{PANEL_CSS}</head><body class="kimson-panel"><h1>{html.escape(title)}</h1>'
                f"<p>Xuất ngày {dt.date.today():%d/%m/%Y} từ ứng dụng thử kịch bản.</p>{''.join(parts)}</body></html>")


def slug(text: str) -> str:
    """ASCII file-name fragment of a Vietnamese text."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    plain = plain.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "kich-ban"
