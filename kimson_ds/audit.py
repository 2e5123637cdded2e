"""Tamper-evident audit trail of decision runs.

Every decision run (``rate``, ``rotate``, ``plan``, ``train``, ``vet``,
``report``, ...) appends one JSON line to the log ``.kimson-audit.jsonl`` in
the working folder (or the path in ``KIMSON_AUDIT_LOG``). Each record carries
the sha256 of the record before it, so an edit, a deletion or a truncation of
the log is detected by :func:`verify`.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from kimson_ds import __version__

LOG_NAME = ".kimson-audit.jsonl"
GENESIS = "0" * 64


def log_path(path: str | Path | None = None) -> Path:
    """The audit log in use: ``path``, else ``$KIMSON_AUDIT_LOG``, else ``./.kimson-audit.jsonl``."""
    if path is not None:
        return Path(path)
    return Path(os.environ.get("KIMSON_AUDIT_LOG", LOG_NAME))


def _canonical(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


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


def record_run(command: str, *, dataset=None, scenario=None, parameters=None, outputs=None,
               log: str | Path | None = None) -> dict:
    """Append one record to the audit log and return it.

    Parameters
    ----------
    command : str
        The command line as run, e.g. ``"rate data/kimson --year 2018"``.
    dataset : Dataset, optional
        Its ``fingerprint`` and per-file hashes are recorded.
    scenario : dict, optional
        The scenario (configuration) the run used.
    parameters : dict, optional
        The regulation parameter values the run read (``ParameterSet.used``).
    outputs : list of path, optional
        Output files or folders; each file's sha256 is recorded.
    """
    path = log_path(log)
    prev = GENESIS
    seq = 0
    if path.exists():
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        if lines:
            last = json.loads(lines[-1])
            prev, seq = last["hash"], int(last["seq"]) + 1
    body = {
        "seq": seq,
        "time": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "command": command,
        "version": __version__,
        "data_fingerprint": getattr(dataset, "fingerprint", None),
        "data_files": getattr(dataset, "file_hashes", None),
        "scenario": scenario,
        "parameters": parameters,
        "outputs": outputs_fingerprint(outputs),
        "prev_hash": prev,
    }
    body = json.loads(_canonical(body))
    body["hash"] = hashlib.sha256(_canonical(body).encode("utf-8")).hexdigest()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(_canonical(body) + "\n")
    _head_path(path).write_text(_canonical({"seq": seq, "hash": body["hash"]}) + "\n", encoding="utf-8")
    return body


def _head_path(path: Path) -> Path:
    """The small side file holding the newest record's seq and hash.

    The chain alone cannot show that whole records were cut from the end;
    comparing with the head can.
    """
    return path.with_name(path.name + ".head")


@dataclass
class VerifyResult:
    """Outcome of :func:`verify`: ``ok``, the records read, and the first problem."""

    ok: bool
    records: int
    broken_at: int | None = None
    message: str = ""


def verify(log: str | Path | None = None) -> VerifyResult:
    """Check the hash chain; name the first broken record (1-based line number).

    A truncation (the file cut mid-record) or a deleted record breaks the
    chain at the first line whose ``prev_hash`` or ``seq`` no longer matches;
    an edited record fails its own hash.
    """
    path = log_path(log)
    if not path.exists():
        return VerifyResult(True, 0, None, f"Chưa có nhật ký kiểm toán ({path}).")
    raw = path.read_text(encoding="utf-8")
    lines = raw.split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    elif raw:
        return VerifyResult(False, len(lines) - 1, len(lines),
                            f"Bản ghi dòng {len(lines)} bị cắt cụt (thiếu ký tự xuống dòng cuối).")
    prev, n = GENESIS, 0
    for i, line in enumerate(lines, start=1):
        try:
            rec = json.loads(line)
            stored = rec.pop("hash")
        except (json.JSONDecodeError, KeyError, AttributeError):
            return VerifyResult(False, n, i, f"Bản ghi dòng {i} không đọc được (bị sửa hoặc cắt cụt).")
        if hashlib.sha256(_canonical(rec).encode("utf-8")).hexdigest() != stored:
            return VerifyResult(False, n, i, f"Bản ghi dòng {i} đã bị sửa (mã băm không khớp).")
        if rec.get("prev_hash") != prev or rec.get("seq") != i - 1:
            return VerifyResult(False, n, i, f"Chuỗi bị đứt tại dòng {i}: có bản ghi trước đó bị xóa hoặc chèn.")
        prev, n = stored, n + 1
    head_file = _head_path(path)
    if head_file.exists():
        head = json.loads(head_file.read_text(encoding="utf-8"))
        if head.get("seq") != n - 1 or head.get("hash") != prev:
            return VerifyResult(False, n, n + 1,
                                f"Nhật ký bị cắt bớt: bản ghi cuối phải là số {head.get('seq')} "
                                f"nhưng chỉ còn {n} bản ghi (thiếu từ dòng {n + 1}).")
    return VerifyResult(True, n, None, f"Nhật ký toàn vẹn: {n} bản ghi.")


def read_log(log: str | Path | None = None) -> list[dict]:
    """All records of the log (no verification)."""
    path = log_path(log)
    if not path.exists():
        return []
    return [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
