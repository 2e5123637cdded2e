"""Tamper-evident audit trail of decision runs.

Every decision run (``rate``, ``rotate``, ``plan``, ``train``, ``vet``,
``report``, ...) appends one JSON line to the audit log **of the dataset it
read** (the log follows the dataset, not the current folder):

* a dataset folder ``D/`` → ``D/.kimson-audit.jsonl``;
* a workbook ``F.xlsx`` → ``.F.xlsx.kimson-audit.jsonl`` beside it;
* ``$KIMSON_AUDIT_LOG`` (or an explicit ``log=``) overrides both.

Each record carries the sha256 of the record before it (a hash chain), the
time in Vietnam time, the operating-system user, the data fingerprint and the
sha256 of every output file. Appends are serialised with a file lock
(:mod:`filelock`), so concurrent runs never fork the chain. A small side file
``<log>.head`` holds the newest record's number and hash; :func:`verify`
compares the chain with it, so cutting records from the end, deleting the log
(while the head exists) or deleting the head (while the log exists) is
detected.

Keyed mode
----------
With a secret key (``$KIMSON_AUDIT_KEY_FILE``, a file holding the key, or
``$KIMSON_AUDIT_KEY``, the key itself), each new record's ``hash`` is an
HMAC-SHA256 under that key, and so is the head. Someone who can write the log
but does not know the key cannot rewrite the chain consistently; without the
key (unkeyed mode) a person with write access can recompute every hash, and
only the head and the chain protect against careless or partial edits. Keep
the key outside the log's folder (for example on the office administrator's
account or a USB key).
"""

from __future__ import annotations

import datetime as _dt
import getpass
import hashlib
import hmac
import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from kimson_ds import __version__
from kimson_ds.errors import KimsonError

LOG_NAME = ".kimson-audit.jsonl"
GENESIS = "0" * 64
#: Environment variable naming an explicit log file (tests, shared logs).
LOG_ENV = "KIMSON_AUDIT_LOG"
#: Environment variables of keyed mode: a key file path, or the key itself.
KEY_FILE_ENV = "KIMSON_AUDIT_KEY_FILE"
KEY_ENV = "KIMSON_AUDIT_KEY"
#: Vietnam time (UTC+7, no daylight saving time).
VIETNAM_TZ = _dt.timezone(_dt.timedelta(hours=7), "ICT")
#: Marker of a keyed record or head.
MAC_NAME = "hmac-sha256"
#: Seconds a run waits for another run to finish writing the log.
LOCK_TIMEOUT = 120


class AuditError(KimsonError):
    """The audit record cannot be written (exit code 2); the run's outputs are not kept."""

    exit_code = 2


# --------------------------------------------------------------------- where the log is
def dataset_log(dataset: str | os.PathLike) -> Path:
    """The audit log that belongs to a dataset (folder or workbook).

    A folder ``D`` keeps its log inside (``D/.kimson-audit.jsonl``); a
    workbook ``F.xlsx`` keeps it beside itself (``.F.xlsx.kimson-audit.jsonl``).
    The log is neither a CSV nor a workbook, so it is not part of the data and
    does not change the data fingerprint.
    """
    p = Path(dataset).expanduser().resolve()
    if p.is_dir():
        return p / LOG_NAME
    return p.with_name(f".{p.name}{LOG_NAME}")


def log_path(path: str | Path | None = None, dataset=None) -> Path:
    """The audit log in use.

    ``path`` if given, else ``$KIMSON_AUDIT_LOG``, else the log of
    ``dataset`` (a :class:`Dataset` or a path), else ``./.kimson-audit.jsonl``
    (runs that read no dataset).
    """
    if path is not None:
        return Path(path)
    env = os.environ.get(LOG_ENV)
    if env:
        return Path(env)
    where = getattr(dataset, "path", dataset)
    if where is not None and str(where) != "":
        return dataset_log(where)
    return Path(LOG_NAME)


def _head_path(path: Path) -> Path:
    """The small side file holding the newest record's seq and hash."""
    return path.with_name(path.name + ".head")


def _lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def protected_files(path: str | Path | None = None, dataset=None) -> list[Path]:
    """The log, its head and its lock file: no command may write its outputs there."""
    p = log_path(path, dataset)
    return [p, _head_path(p), _lock_path(p)]


# --------------------------------------------------------------------- hashing
def _canonical(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def audit_key() -> bytes | None:
    """The keyed-mode secret: the content of ``$KIMSON_AUDIT_KEY_FILE``, else ``$KIMSON_AUDIT_KEY``.

    Raises
    ------
    AuditError
        The key file is named but cannot be read, or is empty.
    """
    key_file = os.environ.get(KEY_FILE_ENV)
    if key_file:
        try:
            key = Path(key_file).expanduser().read_bytes().strip()
        except OSError as exc:
            raise AuditError(f"Không đọc được tệp khóa nhật ký kiểm toán '{key_file}' "
                             f"(biến môi trường {KEY_FILE_ENV}): {exc.strerror or exc}.") from None
        if not key:
            raise AuditError(f"Tệp khóa nhật ký kiểm toán '{key_file}' rỗng.")
        return key
    key = os.environ.get(KEY_ENV, "")
    return key.encode("utf-8") if key else None


def _digest(body: dict, key: bytes | None) -> str:
    data = _canonical(body).encode("utf-8")
    if key is None:
        return hashlib.sha256(data).hexdigest()
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def file_digest(path: str | Path) -> str:
    """sha256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def outputs_fingerprint(paths) -> dict[str, str]:
    """sha256 of each output file (folders are walked, sorted)."""
    out: dict[str, str] = {}
    for p in paths or []:
        p = Path(p)
        files = sorted(q for q in p.rglob("*") if q.is_file()) if p.is_dir() else [p]
        for f in files:
            if f.is_file():
                out[str(f)] = file_digest(f)
    return out


def os_user() -> str:
    """The operating-system account running this process ("không rõ" if it cannot be told)."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in the environment or the password database
        return "không rõ"


def now_vietnam() -> _dt.datetime:
    """The current time in Vietnam time (UTC+7), to the second."""
    return _dt.datetime.now(VIETNAM_TZ).replace(microsecond=0)


def time_vi(text: str) -> str:
    """A record's ISO time shown in Vietnam time, ``dd/mm/yyyy HH:MM:SS``."""
    try:
        t = _dt.datetime.fromisoformat(str(text))
    except ValueError:
        return str(text)
    if t.tzinfo is None:
        t = t.replace(tzinfo=_dt.UTC)
    return t.astimezone(VIETNAM_TZ).strftime("%d/%m/%Y %H:%M:%S")


# --------------------------------------------------------------------- reading
def _read_lines(path: Path) -> tuple[list[str], bool]:
    """The log's lines and whether its end is cut mid-record (no final newline)."""
    raw = path.read_text(encoding="utf-8")
    lines = raw.split("\n")
    if lines and lines[-1] == "":
        return lines[:-1], False
    return lines, bool(raw)


def _last_line(path: Path, block: int = 65536) -> tuple[bytes | None, bool]:
    """The log's last line (read from the end, so appends stay fast on a long log) and whether the file is cut."""
    with path.open("rb") as fh:
        size = fh.seek(0, os.SEEK_END)
        if size == 0:
            return None, False
        fh.seek(size - 1)
        if fh.read(1) != b"\n":
            return None, True
        data, pos = b"", size - 1  # the final newline is left out
        while pos > 0:
            step = min(block, pos)
            pos -= step
            fh.seek(pos)
            data = fh.read(step) + data
            idx = data.rfind(b"\n")
            if idx >= 0:
                return data[idx + 1:], False
        return data, False


def _read_head(path: Path) -> dict | None:
    head_file = _head_path(path)
    if not head_file.exists():
        return None
    try:
        head = json.loads(head_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"_unreadable": True}
    return head if isinstance(head, dict) else {"_unreadable": True}


def _write_head(path: Path, seq: int, digest: str, key: bytes | None, keyed_from: int | None) -> None:
    head: dict = {"seq": seq, "hash": digest}
    if keyed_from is not None:
        head["keyed_from"] = keyed_from
    if key is not None:
        head["mac"] = MAC_NAME
        head["head_mac"] = _digest(head, key)
    tmp = path.with_name(path.name + ".head.tmp")
    tmp.write_text(_canonical(head) + "\n", encoding="utf-8")
    os.replace(tmp, _head_path(path))


# --------------------------------------------------------------------- writing
def record_run(command: str, *, dataset=None, scenario=None, parameters=None, outputs=None,
               log: str | Path | None = None) -> dict:
    """Append one record to the audit log and return it.

    Parameters
    ----------
    command : str
        The command line as run, e.g. ``"rate data/kimson --year 2018"``.
    dataset : Dataset or path, optional
        A loaded dataset (its ``fingerprint`` and per-file hashes are
        recorded) or the path of one; it chooses the log (:func:`log_path`).
    scenario : dict, optional
        The scenario (configuration) the run used.
    parameters : dict, optional
        The regulation parameter values the run read (``ParameterSet.used``).
    outputs : list of path, optional
        Output files or folders; each file's sha256 is recorded.
    log : path, optional
        Explicit log file.

    Raises
    ------
    AuditError
        The log cannot be written, is locked by another run for too long, or
        is inconsistent with its head (deleted or cut): a new record would
        hide that, so nothing is appended.
    """
    from filelock import FileLock, Timeout

    path = log_path(log, dataset)
    key = audit_key()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(_lock_path(path)), timeout=LOCK_TIMEOUT):
            return _append(path, key, command, dataset, scenario, parameters, outputs)
    except Timeout:
        raise AuditError(f"Nhật ký kiểm toán {path} đang bị một lần chạy khác khóa quá {LOCK_TIMEOUT} giây; "
                         "hãy chạy lại sau.") from None
    except OSError as exc:
        raise AuditError(f"Không ghi được nhật ký kiểm toán {path}: {exc.strerror or exc}. "
                         "Kết quả của lần chạy này không được giữ lại.") from None


def _append(path: Path, key, command, dataset, scenario, parameters, outputs) -> dict:
    head = _read_head(path)
    prev, seq, keyed_from = GENESIS, 0, None
    if path.exists():
        last_line, cut = _last_line(path)
        if cut:
            raise AuditError(f"Nhật ký kiểm toán {path} bị cắt cụt ở bản ghi cuối; không ghi thêm. "
                             "Chạy 'kimson-ds audit verify' để xem chi tiết.")
        if last_line is not None:
            try:
                last = json.loads(last_line)
                prev, seq = last["hash"], int(last["seq"]) + 1
            except (ValueError, KeyError, TypeError):  # includes a line that is not UTF-8
                raise AuditError(f"Bản ghi cuối của nhật ký kiểm toán {path} không đọc được; không ghi thêm. "
                                 "Chạy 'kimson-ds audit verify' để xem chi tiết.") from None
        if head is None:
            raise AuditError(f"Thiếu tệp đầu chuỗi {_head_path(path).name} của nhật ký kiểm toán {path} "
                             "(có thể nhật ký đã bị cắt bớt); không ghi thêm. "
                             "Chạy 'kimson-ds audit verify' để xem chi tiết.")
    elif head is not None:
        raise AuditError(f"Nhật ký kiểm toán {path} đã bị xóa (tệp đầu chuỗi {_head_path(path).name} vẫn còn); "
                         "không bắt đầu chuỗi mới. Khôi phục nhật ký từ bản sao lưu, hoặc báo người quản trị.")
    if head is not None and (head.get("_unreadable") or head.get("seq") != seq - 1 or head.get("hash") != prev):
        raise AuditError(f"Nhật ký kiểm toán {path} không khớp với tệp đầu chuỗi (bản ghi cuối bị xóa hoặc sửa); "
                         "không ghi thêm. Chạy 'kimson-ds audit verify' để xem chi tiết.")
    if head is not None:
        keyed_from = head.get("keyed_from")
    if key is None and keyed_from is not None:
        raise AuditError(f"Nhật ký kiểm toán {path} dùng chế độ có khóa (từ bản ghi số {keyed_from}) nhưng chưa có "
                         f"khóa: đặt biến môi trường {KEY_FILE_ENV} (đường dẫn tệp khóa) rồi chạy lại.")
    if key is not None and keyed_from is None:
        keyed_from = seq
    body = {
        "seq": seq,
        "time": now_vietnam().isoformat(),
        "user": os_user(),
        "host": socket.gethostname(),
        "command": command,
        "version": __version__,
        "data_fingerprint": getattr(dataset, "fingerprint", None),
        "data_files": getattr(dataset, "file_hashes", None),
        "dataset": None if dataset is None else str(getattr(dataset, "path", dataset)),
        "scenario": scenario,
        "parameters": parameters,
        "outputs": outputs_fingerprint(outputs),
        "prev_hash": prev,
    }
    if key is not None:
        body["mac"] = MAC_NAME
    body = json.loads(_canonical(body))
    body["hash"] = _digest(body, key)
    line = _canonical(body) + "\n"
    with path.open("a", encoding="utf-8") as fh:
        fh.write(line)
        fh.flush()
        os.fsync(fh.fileno())
    _write_head(path, seq, body["hash"], key, keyed_from)
    return body


# --------------------------------------------------------------------- verifying
@dataclass
class VerifyResult:
    """Outcome of :func:`verify`: ``ok``, the records read, and the first problem."""

    ok: bool
    records: int
    broken_at: int | None = None
    message: str = ""
    keyed: int = 0


def verify(log: str | Path | None = None, dataset=None) -> VerifyResult:
    """Check the hash chain and the head; name the first broken record (1-based line number).

    Detected: an edited record (its hash fails), a deleted or inserted record
    (the chain breaks), records cut from the end or the file cut mid-record,
    the whole log deleted while its head exists, the head deleted while the
    log exists. With a key (keyed mode) also: a chain rewritten without the
    key, keyed records turned back into unkeyed ones, a head not signed.
    """
    path = log_path(log, dataset)
    key = audit_key()
    head = _read_head(path)
    if not path.exists():
        if head is not None:
            return VerifyResult(False, 0, 1, f"Nhật ký kiểm toán {path} đã bị xóa: tệp đầu chuỗi "
                                             f"{_head_path(path).name} vẫn còn (bản ghi cuối số {head.get('seq')}).")
        return VerifyResult(True, 0, None, f"Chưa có nhật ký kiểm toán ({path}).")
    lines, cut = _read_lines(path)
    if cut:
        return VerifyResult(False, len(lines) - 1, len(lines),
                            f"Bản ghi dòng {len(lines)} bị cắt cụt (thiếu ký tự xuống dòng cuối).")
    prev, n, keyed = GENESIS, 0, 0
    for i, line in enumerate(lines, start=1):
        try:
            rec = json.loads(line)
            stored = rec.pop("hash")
        except (json.JSONDecodeError, KeyError, AttributeError, TypeError):
            return VerifyResult(False, n, i, f"Bản ghi dòng {i} không đọc được (bị sửa hoặc cắt cụt).", keyed)
        if rec.get("mac") == MAC_NAME:
            if key is None:
                return VerifyResult(False, n, i, f"Bản ghi dòng {i} được ký bằng khóa; cần khóa để kiểm tra "
                                                 f"(đặt biến môi trường {KEY_FILE_ENV} hoặc {KEY_ENV}).", keyed)
            if not hmac.compare_digest(_digest(rec, key), str(stored)):
                return VerifyResult(False, n, i, f"Bản ghi dòng {i} đã bị sửa hoặc ghi lại không có khóa "
                                                 "(chữ ký khóa không khớp).", keyed)
            keyed += 1
        else:
            if keyed:
                return VerifyResult(False, n, i, f"Bản ghi dòng {i} không có chữ ký khóa dù các bản ghi trước "
                                                 "đã ký: nhật ký bị ghi lại.", keyed)
            if hashlib.sha256(_canonical(rec).encode("utf-8")).hexdigest() != stored:
                return VerifyResult(False, n, i, f"Bản ghi dòng {i} đã bị sửa (mã băm không khớp).", keyed)
        if rec.get("prev_hash") != prev or rec.get("seq") != i - 1:
            return VerifyResult(False, n, i, f"Chuỗi bị đứt tại dòng {i}: có bản ghi trước đó bị xóa hoặc chèn.",
                                keyed)
        prev, n = stored, n + 1
    if head is None:
        return VerifyResult(False, n, n + 1, f"Thiếu tệp đầu chuỗi {_head_path(path).name}: không khẳng định được "
                                             "nhật ký không bị cắt bớt (tệp này chỉ mất khi bị xóa).", keyed)
    if head.get("_unreadable"):
        return VerifyResult(False, n, n + 1, f"Tệp đầu chuỗi {_head_path(path).name} không đọc được.", keyed)
    if key is not None:
        signed = {k: v for k, v in head.items() if k != "head_mac"}
        if head.get("mac") != MAC_NAME or not hmac.compare_digest(_digest(signed, key), str(head.get("head_mac"))):
            return VerifyResult(False, n, n + 1, f"Tệp đầu chuỗi {_head_path(path).name} không có chữ ký khóa hợp lệ: "
                                                 "nhật ký có thể đã bị ghi lại.", keyed)
        kf = head.get("keyed_from")
        if kf is None or keyed == 0:
            return VerifyResult(False, n, n + 1, "Nhật ký chưa có bản ghi nào được ký bằng khóa đang dùng: "
                                                 "không xác nhận được tính xác thực.", keyed)
        if keyed != n - int(kf):
            return VerifyResult(False, n, int(kf) + 1, f"Các bản ghi từ số {kf} phải được ký bằng khóa; "
                                                       "nhật ký đã bị ghi lại.", keyed)
    if head.get("seq") != n - 1 or head.get("hash") != prev:
        if isinstance(head.get("seq"), int) and head["seq"] >= n:
            return VerifyResult(False, n, n + 1,
                                f"Nhật ký bị cắt bớt: bản ghi cuối phải là số {head.get('seq')} "
                                f"nhưng chỉ còn {n} bản ghi (thiếu từ dòng {n + 1}).", keyed)
        return VerifyResult(False, n, n, f"Bản ghi cuối (dòng {n}) không khớp với tệp đầu chuỗi: "
                                         "nhật ký bị sửa, cắt bớt hoặc ghi lại.", keyed)
    extra = f" ({keyed} bản ghi ký bằng khóa)" if keyed else ""
    return VerifyResult(True, n, None, f"Nhật ký toàn vẹn: {n} bản ghi{extra}.", keyed)


def read_log(log: str | Path | None = None, dataset=None) -> list[dict]:
    """All records of the log (no verification)."""
    path = log_path(log, dataset)
    if not path.exists():
        return []
    return [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
