"""Safe outputs: every command writes through one mechanism that never destroys an input.

:class:`OutputSet` is what every command (``rate``, ``rotate``, ``plan``,
``train``, ``vet``, ``export``, ``template``, ``report``, ``pack``, …) uses
for its ``--out``:

1. **Checked before any work** (:func:`check_target`): the target may not be
   a file the run reads, may not lie inside a dataset folder (the one read or
   any other), inside the project's own notebooks, apps, package or data
   folders, may not be (or pass through) a symbolic link, may not be the
   audit log; an input may not lie inside an output folder; an existing
   filled data-entry workbook is only replaced with ``force``; an output
   folder that already holds files not written by kimson-ds is refused.
2. **Staged**: the command writes into a temporary folder next to the target
   (same disk), never into the target itself.
3. **Committed with the audit record** (:meth:`OutputSet.commit`): the staged
   files are moved into place (a whole output folder is swapped, so no stale
   file of an earlier run survives), then the audit record is appended with
   exactly the files this run wrote; if the record cannot be written the
   previous state is put back and the command fails.

:func:`write_csv` is the one CSV writer of user-facing outputs: text cells
that Excel would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
tab or carriage return) are written with a leading apostrophe; numbers stay
numbers.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from kimson_ds.errors import KimsonError

#: The project folder (the repository checkout holding ``notebooks/``).
PROJECT_ROOT = Path(__file__).resolve().parents[1]
#: Project folders no output may go into (sources, shipped notebooks, the sample data).
PROTECTED_DIRS = ("notebooks", "apps", "kimson_ds", "data", "tests", "benchmarks")
#: File kimson-ds leaves in every output folder: what the run wrote (lets a re-run replace it).
MARKER = ".kimson-ds-output.json"
#: Text cells starting with one of these are run as formulas by spreadsheet programs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")

#: Callables ``f(path) -> str | None`` telling whether a folder or file is a
#: dataset (the data room registers one; it knows the table names). The text
#: returned names what makes it a dataset, for the message.
DATASET_DETECTORS: list[Callable[[Path], str | None]] = []


class OutputError(KimsonError):
    """An output target would destroy an input or is unsafe (exit code 2)."""

    exit_code = 2


# --------------------------------------------------------------------- checks
def _resolved(p: str | os.PathLike) -> Path:
    return Path(p).expanduser().resolve()


def _inside(p: Path, folder: Path) -> bool:
    return p == folder or p.is_relative_to(folder)


def _dataset_reason(p: Path) -> str | None:
    for detect in DATASET_DETECTORS:
        with contextlib.suppress(OSError, ValueError):
            reason = detect(p)
            if reason:
                return reason
    return None


def _symlink_on_path(p: Path) -> Path | None:
    """A symbolic link the write would go through: the target, its folder, or the first existing folder above it.

    Links higher up (a system-wide ``/home`` or ``/tmp`` link) are not the
    user's doing and are not refused; every protection rule compares resolved
    paths anyway.
    """
    p = Path(os.path.abspath(p.expanduser()))
    candidates = [p, p.parent]
    q = p
    while not q.exists() and q.parent != q:
        q = q.parent
        candidates.append(q)
    for c in candidates:
        if c.is_symlink():
            return c
    return None


def _ipynb_source(p: Path) -> bool:
    """``p`` is an existing notebook that is not an executed report (no papermill metadata)."""
    if p.suffix.lower() != ".ipynb" or not p.is_file():
        return False
    try:
        meta = json.loads(p.read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError, AttributeError):
        return True
    return "papermill" not in meta


def check_target(target: str | os.PathLike, *, inputs: Iterable = (), folder: bool = False,
                 force: bool | None = None, what: str = "Đầu ra") -> Path:
    """Refuse an output target that would destroy an input; return it made absolute.

    Parameters
    ----------
    target : path
        The ``--out`` file (``folder=False``) or folder (``folder=True``).
    inputs : iterable of path
        Everything the run reads (dataset folder or workbook, scenario,
        proposals, parameter file, notebook, scenarios folder). ``None``
        entries are ignored.
    folder : bool
        The target is a whole output folder (its previous content is replaced).
    force : bool or None
        Allow replacing an existing filled data-entry workbook (``True``);
        ``None`` when the command offers no ``--force`` (the message then
        does not suggest it).
    what : str
        How the message names the target.

    Raises
    ------
    OutputError
        With a Vietnamese message naming the target and the input it would
        destroy (exit code 2).
    """
    from kimson_ds import audit

    raw = Path(target).expanduser()
    if str(target).strip() == "":
        raise OutputError(f"{what}: chưa ghi đường dẫn.")
    link = _symlink_on_path(raw)
    if link is not None:
        raise OutputError(f"{what} '{target}' đi qua liên kết tượng trưng (symlink) '{link}'; kimson-ds không ghi "
                          "qua liên kết để tránh ghi đè tệp ở nơi khác. Hãy ghi vào một thư mục thật.")
    t = _resolved(raw)
    if folder and t.exists() and not t.is_dir():
        raise OutputError(f"{what} '{target}' là một tệp, không phải thư mục; hãy chọn một thư mục.")
    if not folder and t.is_dir():
        raise OutputError(f"{what} '{target}' là một thư mục; hãy ghi tên tệp kết quả.")
    for log_file in audit.protected_files():
        if t == _resolved(log_file):
            raise OutputError(f"{what} '{target}' trùng với nhật ký kiểm toán; hãy chọn tên khác.")
    if t.name.endswith((audit.LOG_NAME, audit.LOG_NAME + ".head", audit.LOG_NAME + ".lock")):
        raise OutputError(f"{what} '{target}' là tệp nhật ký kiểm toán; hãy chọn tên khác.")
    for item in inputs:
        if item is None or str(item) == "":
            continue
        src = _resolved(item)
        if t == src:
            raise OutputError(f"{what} '{target}' trùng với tệp đầu vào '{item}' mà lệnh đang đọc; "
                              "ghi đè sẽ làm mất dữ liệu gốc. Hãy chọn tên khác.")
        if src.is_dir() and _inside(t, src):
            raise OutputError(f"{what} '{target}' nằm trong thư mục đầu vào '{item}'; không ghi kết quả vào "
                              "thư mục dữ liệu hoặc kịch bản. Hãy chọn thư mục khác.")
        if folder and _inside(src, t):
            raise OutputError(f"Thư mục kết quả '{target}' chứa tệp đầu vào '{item}'; ghi kết quả sẽ thay cả "
                              "thư mục và làm mất tệp đó. Hãy chọn thư mục khác.")
    for name in PROTECTED_DIRS:
        base = PROJECT_ROOT / name
        if base.is_dir() and _inside(t, base.resolve()):
            raise OutputError(f"{what} '{target}' nằm trong thư mục '{name}/' của dự án (mã nguồn, notebook, "
                              "dữ liệu mẫu); hãy ghi vào thư mục reports/ hoặc một thư mục riêng.")
    if folder and _inside(PROJECT_ROOT, t):
        raise OutputError(f"Thư mục kết quả '{target}' chứa cả dự án; hãy chọn một thư mục con riêng, "
                          "ví dụ reports/ket-qua.")
    if not folder and _ipynb_source(t):
        raise OutputError(f"{what} '{target}' là một notebook gốc (chưa chạy); ghi đè sẽ làm mất notebook. "
                          "Hãy chọn thư mục khác.")
    # Inside a dataset folder (any dataset, not only the one read).
    for parent in [t, *t.parents] if folder else list(t.parents):
        if parent.is_dir():
            reason = _dataset_reason(parent)
            if reason:
                raise OutputError(f"{what} '{target}' nằm trong thư mục bộ dữ liệu '{parent}' ({reason}); "
                                  "không ghi kết quả vào thư mục dữ liệu. Hãy chọn thư mục khác.")
        if parent == PROJECT_ROOT or parent.parent == parent:
            break
    if not folder and t.is_file():
        reason = _dataset_reason(t)
        if reason and not force:
            hint = ", hoặc thêm --force nếu chắc chắn muốn thay" if force is not None else ""
            raise OutputError(f"Tệp '{target}' đã có và là một bộ dữ liệu đã nhập ({reason}); ghi đè sẽ làm mất "
                              f"dữ liệu. Hãy chọn tên khác{hint}.")
    if folder and t.is_dir():
        foreign = _foreign_entries(t)
        if foreign:
            shown = ", ".join(foreign[:5]) + (f" và {len(foreign) - 5} mục khác" if len(foreign) > 5 else "")
            raise OutputError(f"Thư mục kết quả '{target}' đã có tệp không do lần chạy kimson-ds nào ghi ({shown}); "
                              "ghi kết quả sẽ thay cả thư mục nên kimson-ds không ghi vào đó. Hãy chọn thư mục mới "
                              "hoặc thư mục trống (kết quả của phiên bản cũ: xóa hoặc đổi tên thư mục đó).")
    return t


def _foreign_entries(folder: Path) -> list[str]:
    """Entries of an existing output folder that no earlier kimson-ds run listed as its own."""
    entries = sorted(p.name for p in folder.iterdir())
    if not entries:
        return []
    marker = folder / MARKER
    own: set[str] = set()
    if marker.is_file():
        with contextlib.suppress(OSError, ValueError, AttributeError, TypeError):
            own = {Path(f).parts[0] for f in json.loads(marker.read_text(encoding="utf-8")).get("files", [])}
    return [e for e in entries if e != MARKER and e not in own]


# --------------------------------------------------------------------- staged writing
class OutputSet:
    """The outputs of one run: staged in a temporary folder, moved into place with the audit record.

    Parameters
    ----------
    target : path
        The output folder (``folder=True``) or the main output file.
    inputs : iterable of path
        What the run reads (see :func:`check_target`).
    folder : bool
        ``True``: the whole folder is this run's output set and is replaced.
        ``False``: ``files`` (default: ``[target]``) are written, other files
        beside them are left alone.
    files : iterable of path, optional
        The files of a ``folder=False`` set (for example a result and its
        comparison file).
    stale : iterable of path, optional
        Files of the same set from an earlier run that this run does not
        write; they are removed at commit (no stale companion file survives).
    force : bool
        See :func:`check_target`.

    Examples
    --------
    >>> with OutputSet(out, inputs=[dataset], folder=True) as o:     # doctest: +SKIP
    ...     write_csv(frame, o / "assignments.csv")
    ...     o.commit(lambda files: audit.record_run(cmd, dataset=ds, outputs=files))
    """

    def __init__(self, target: str | os.PathLike, *, inputs: Iterable = (), folder: bool = False,
                 files: Iterable | None = None, stale: Iterable = (), force: bool | None = None,
                 what: str | None = None) -> None:
        inputs = list(inputs)
        self.folder = folder
        what = what or ("Thư mục kết quả" if folder else "Tệp kết quả")
        self.target = check_target(target, inputs=inputs, folder=folder, force=force, what=what)
        self.targets = [self.target] if folder else [
            check_target(f, inputs=inputs, folder=False, force=force, what=what) for f in (files or [target])]
        self.stale = [] if folder else [_resolved(s) for s in stale]
        self._inputs, self._force, self._what = inputs, force, what
        base = self.target.parent
        base.mkdir(parents=True, exist_ok=True)
        self.stage = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.kimson-tmp-", dir=base))
        self.root = self.stage / "out" if folder else self.stage
        self.root.mkdir(exist_ok=True)
        self.committed: list[Path] | None = None

    # where a command writes
    def __truediv__(self, name: str | os.PathLike) -> Path:
        return self.path(name)

    def path(self, name: str | os.PathLike) -> Path:
        """Staging path of an output: a name inside the folder, or one of the declared files."""
        if self.folder:
            p = self.root / name
            p.parent.mkdir(parents=True, exist_ok=True)
            return p
        wanted = _resolved(name) if Path(name).is_absolute() or Path(name).parent != Path() else None
        for t in self.targets:
            if wanted == t or (wanted is None and t.name == str(name)):
                return self.root / t.name
        raise ValueError(f"{name} is not a declared output of this set")

    def final(self, staged: str | os.PathLike) -> Path:
        """Where a staged file will be after :meth:`commit`."""
        rel = Path(staged).relative_to(self.root)
        return self.target / rel if self.folder else next(t for t in self.targets if t.name == rel.name)

    # commit / discard
    def commit(self, audit: Callable[[list[Path]], object] | None = None) -> list[Path]:
        """Move the staged outputs into place, then write the audit record; undo the move if it fails.

        Parameters
        ----------
        audit : callable, optional
            ``audit(files)`` receives the final paths of exactly the files
            this run wrote (and should append the audit record).

        Returns
        -------
        list of Path
            The files written.
        """
        if self.committed is not None:
            return self.committed
        backup = self.stage / "old"
        if self.folder:
            written = self._commit_folder(backup)
        else:
            written = self._commit_files(backup)
        try:
            if audit is not None:
                audit(written)
        except BaseException:
            self._rollback(backup, written)
            raise
        shutil.rmtree(self.stage, ignore_errors=True)
        self.committed = written
        return written

    def _commit_folder(self, backup: Path) -> list[Path]:
        check_target(self.target, inputs=self._inputs, folder=True, force=self._force, what=self._what)
        files = sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*") if p.is_file())
        (self.root / MARKER).write_text(json.dumps({"files": files}, ensure_ascii=False, indent=1) + "\n",
                                        encoding="utf-8")
        if self.target.exists():
            os.replace(self.target, backup)
        os.replace(self.root, self.target)
        return [self.target / f for f in files] + [self.target / MARKER]

    def _commit_files(self, backup: Path) -> list[Path]:
        backup.mkdir(exist_ok=True)
        moved: list[Path] = []
        self._moved_old: list[tuple[Path, Path]] = []
        for t in self.targets:
            check_target(t, inputs=self._inputs, folder=False, force=self._force, what=self._what)
        for i, t in enumerate([*self.targets, *self.stale]):
            if t.exists() and t.is_file() and not t.is_symlink():
                keep = backup / f"{i}-{t.name}"
                os.replace(t, keep)
                self._moved_old.append((keep, t))
        for t in self.targets:
            staged = self.root / t.name
            if staged.is_file():
                os.replace(staged, t)
                moved.append(t)
        return moved

    def _rollback(self, backup: Path, written: list[Path]) -> None:
        with contextlib.suppress(OSError):
            if self.folder:
                if self.target.exists():
                    shutil.rmtree(self.target)
                if backup.exists():
                    os.replace(backup, self.target)
            else:
                for p in written:
                    p.unlink(missing_ok=True)
                for keep, original in getattr(self, "_moved_old", []):
                    os.replace(keep, original)
        shutil.rmtree(self.stage, ignore_errors=True)

    def discard(self) -> None:
        """Forget the staged outputs (nothing of this run appears)."""
        shutil.rmtree(self.stage, ignore_errors=True)

    def __enter__(self) -> OutputSet:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.committed is None:
            self.discard()


# --------------------------------------------------------------------- CSV
def _protect_text(value):
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.match(value.strip()):
        return "'" + value
    return value


def protect_formulas(frame):
    """A copy of ``frame`` whose text cells cannot run as spreadsheet formulas.

    Only text cells change (a leading apostrophe); numeric columns, and text
    that is a plain number such as ``-1`` or ``+2,5``, are left as they are.
    Column headers are protected the same way.
    """
    import pandas as pd

    out = frame.copy()
    for j in range(out.shape[1]):
        s = out.iloc[:, j]
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype(object)
        if pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s):
            out.isetitem(j, s.map(_protect_text, na_action="ignore"))
    out.columns = [_protect_text(c) for c in out.columns]
    return out


def write_csv(frame, path: str | os.PathLike, *, index: bool = False, **kwargs) -> Path:
    """Write a user-facing table as CSV for Excel (UTF-8 with BOM, ``\\n`` line ends), formula-safe.

    Parameters
    ----------
    frame : DataFrame
    path : path
        Usually a staging path from :class:`OutputSet`.
    index : bool
        Write the index too.
    **kwargs
        Passed to :meth:`pandas.DataFrame.to_csv` (for example ``date_format``).
    """
    kwargs.setdefault("encoding", "utf-8-sig")
    kwargs.setdefault("lineterminator", "\n")
    path = Path(path)
    if index:
        frame = frame.reset_index()
    protect_formulas(frame).to_csv(path, index=False, **kwargs)
    return path


# --------------------------------------------------------------------- app fields
def confine(text: str | os.PathLike, roots: Iterable[str | os.PathLike], *, what: str = "Đường dẫn") -> Path:
    """A path typed in the app, resolved and confined to one of ``roots`` (relative paths from the project).

    Raises
    ------
    OutputError
        The path leaves every root (absolute elsewhere, ``..``, a symbolic link).
    """
    raw = Path(str(text).strip()).expanduser()
    if str(text).strip() == "":
        raise OutputError(f"{what}: chưa ghi đường dẫn.")
    p = raw if raw.is_absolute() else PROJECT_ROOT / raw
    allowed = [Path(r) if Path(r).is_absolute() else PROJECT_ROOT / r for r in roots]
    resolved = p.resolve()
    for root in allowed:
        root_r = root.resolve()
        if resolved != root_r and resolved.is_relative_to(root_r):
            return resolved
    names = ", ".join(f"{os.path.relpath(r, PROJECT_ROOT)}/" for r in allowed)
    raise OutputError(f"{what} '{text}' nằm ngoài thư mục được phép ({names}); hãy ghi một đường dẫn bên trong "
                      "các thư mục đó, ví dụ reports/kich-ban/ten.yaml.")
