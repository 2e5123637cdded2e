"""The audit log is sound: serialised appends, deletions detected, keyed mode, follows the dataset."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kimson_ds import audit
from kimson_ds.cli import main

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"

WRITER = """
import sys
from kimson_ds import audit
for i in range(int(sys.argv[2])):
    audit.record_run(f"rate data/kimson --year {2000 + i} (tiến trình {sys.argv[3]})", scenario={"i": i},
                     log=sys.argv[1])
"""


@pytest.fixture(autouse=True)
def _no_key(monkeypatch):
    for name in (audit.LOG_ENV, audit.KEY_ENV, audit.KEY_FILE_ENV):
        monkeypatch.delenv(name, raising=False)


def _records(log: Path, n: int, **kw) -> None:
    for i in range(n):
        audit.record_run(f"rate data/kimson --year {2015 + i}", scenario={"year": 2015 + i}, log=log, **kw)


def test_ten_processes_twenty_records_each_keep_one_unbroken_chain(tmp_path):
    log = tmp_path / "audit.jsonl"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(log), "20", str(k)], env=env, cwd=tmp_path,
                              stderr=subprocess.PIPE, text=True) for k in range(10)]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    result = audit.verify(log)
    assert result.ok, result.message
    assert result.records == 200
    assert [r["seq"] for r in audit.read_log(log)] == list(range(200))
    assert main(["audit", "verify", "--log", str(log)]) == 0


def test_deleting_the_whole_log_while_its_head_exists_is_detected(tmp_path):
    log = tmp_path / "audit.jsonl"
    _records(log, 3)
    log.unlink()
    result = audit.verify(log)
    assert not result.ok and "bị xóa" in result.message
    # and no silent fresh chain is started over it
    with pytest.raises(audit.AuditError, match="bị xóa"):
        audit.record_run("rate data/kimson --year 2019", log=log)
    assert not log.exists()


def test_truncating_and_deleting_the_head_is_detected(tmp_path):
    log = tmp_path / "audit.jsonl"
    _records(log, 4)
    lines = log.read_text(encoding="utf-8").splitlines()
    log.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    Path(str(log) + ".head").unlink()
    result = audit.verify(log)
    assert not result.ok and "đầu chuỗi" in result.message
    log.write_text("", encoding="utf-8")  # emptied completely
    assert not audit.verify(log).ok
    with pytest.raises(audit.AuditError):
        audit.record_run("rate data/kimson --year 2019", log=log)


def test_editing_the_last_record_and_its_head_consistently_fails_without_a_key_only_if_chain_breaks(tmp_path):
    """What the unkeyed chain cannot do (README): a full rewrite with recomputed hashes passes."""
    log = tmp_path / "audit.jsonl"
    _records(log, 2)
    recs = audit.read_log(log)
    rec = recs[-1]
    rec.pop("hash")
    rec["command"] = "rate data/kimson --year 2099"
    rec["hash"] = audit._digest(rec, None)
    lines = log.read_text(encoding="utf-8").splitlines()
    lines[-1] = audit._canonical(rec)
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert not audit.verify(log).ok  # the head still names the old hash
    audit._write_head(log, 1, rec["hash"], None, None)
    assert audit.verify(log).ok  # a consistent rewrite is NOT detected without a key


def test_keyed_mode_detects_a_rewritten_chain(tmp_path, monkeypatch):
    key_file = tmp_path / "khoa" / "audit.key"
    key_file.parent.mkdir()
    key_file.write_text("bí mật của văn phòng", encoding="utf-8")
    monkeypatch.setenv(audit.KEY_FILE_ENV, str(key_file))
    log = tmp_path / "log" / "audit.jsonl"
    _records(log, 3)
    result = audit.verify(log)
    assert result.ok and result.keyed == 3, result.message
    # rewrite the last record with a recomputed plain hash and a matching unsigned head
    recs = audit.read_log(log)
    rec = recs[-1]
    rec.pop("hash")
    rec.pop("mac")
    rec["command"] = "rate data/kimson --year 2099"
    rec["hash"] = audit._digest(rec, None)
    lines = log.read_text(encoding="utf-8").splitlines()
    lines[-1] = audit._canonical(rec)
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    audit._write_head(log, 2, rec["hash"], None, None)
    assert not audit.verify(log).ok
    # a rewrite of the whole chain without the key is detected too (the head is not signed)
    plain = tmp_path / "plain.jsonl"
    monkeypatch.delenv(audit.KEY_FILE_ENV)
    _records(plain, 3)
    shutil.copy(plain, log)
    shutil.copy(str(plain) + ".head", str(log) + ".head")
    monkeypatch.setenv(audit.KEY_FILE_ENV, str(key_file))
    result = audit.verify(log)
    assert not result.ok and "khóa" in result.message


def test_keyed_records_need_the_key_to_verify_and_a_wrong_key_fails(tmp_path, monkeypatch):
    log = tmp_path / "audit.jsonl"
    monkeypatch.setenv(audit.KEY_ENV, "khoa-dung")
    _records(log, 2)
    monkeypatch.setenv(audit.KEY_ENV, "khoa-sai")
    assert not audit.verify(log).ok
    monkeypatch.delenv(audit.KEY_ENV)
    result = audit.verify(log)
    assert not result.ok and audit.KEY_FILE_ENV in result.message
    with pytest.raises(audit.AuditError, match="khóa"):
        audit.record_run("rate", log=log)  # no unsigned record after signed ones


def test_an_unkeyed_log_can_switch_to_keyed_mode(tmp_path, monkeypatch):
    log = tmp_path / "audit.jsonl"
    _records(log, 2)
    monkeypatch.setenv(audit.KEY_ENV, "khoa")
    _records(log, 2)
    result = audit.verify(log)
    assert result.ok and result.records == 4 and result.keyed == 2, result.message
    # editing an old unkeyed record breaks the signed link after it
    lines = log.read_text(encoding="utf-8").splitlines()
    rec = json.loads(lines[0])
    rec.pop("hash")
    rec["command"] = "sửa"
    rec["hash"] = audit._digest(rec, None)
    lines[0] = audit._canonical(rec)
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert not audit.verify(log).ok


def test_records_name_the_os_user_and_show_vietnam_time(tmp_path, capsys):
    log = tmp_path / "audit.jsonl"
    _records(log, 1)
    rec = audit.read_log(log)[0]
    assert rec["user"] == getpass.getuser()
    t = dt.datetime.fromisoformat(rec["time"])
    assert t.utcoffset() == dt.timedelta(hours=7)
    assert audit.time_vi("2026-12-05T17:30:00+00:00") == "06/12/2026 00:30:00"
    assert main(["audit", "show", "--log", str(log)]) == 0
    out = capsys.readouterr().out
    assert "giờ Việt Nam" in out and getpass.getuser() in out and t.strftime("%d/%m/%Y %H:%M:%S") in out


def test_the_log_follows_the_dataset_not_the_current_folder(tmp_path, monkeypatch):
    data = tmp_path / "du-lieu"
    shutil.copytree(MINIMAL, data)
    fp_before = __import__("kimson_ds.data.io", fromlist=["read_dataset"]).read_dataset(data).fingerprint
    elsewhere = [tmp_path / "a", tmp_path / "b"]
    for i, cwd in enumerate(elsewhere):
        cwd.mkdir()
        monkeypatch.chdir(cwd)
        assert main(["rate", str(data), "--year", "2018", "--out", str(tmp_path / f"kq{i}.csv")]) == 0
        assert not (cwd / audit.LOG_NAME).exists()
    log = data / audit.LOG_NAME
    recs = audit.read_log(log)
    assert [r["seq"] for r in recs] == [0, 1]
    assert audit.verify(log).ok
    assert main(["audit", "verify", str(data)]) == 0
    # the log is not part of the data: the fingerprint is unchanged
    from kimson_ds.data.io import read_dataset

    assert read_dataset(data).fingerprint == fp_before
    # a workbook dataset keeps its log beside it
    book = tmp_path / "ds.xlsx"
    assert main(["export", str(data), "--out", str(book)]) == 0
    assert main(["rate", str(book), "--year", "2018", "--out", str(tmp_path / "kq.xlsx")]) == 0
    assert audit.verify(audit.dataset_log(book)).ok
    assert audit.read_log(audit.dataset_log(book))[0]["command"].startswith("rate")


@pytest.mark.parametrize("block", [1, 7, 64, 65536])
def test_appends_read_only_the_last_record_whatever_its_length(tmp_path, block):
    log = tmp_path / "audit.jsonl"
    _records(log, 5)
    last, cut = audit._last_line(log, block=block)
    assert not cut and json.loads(last) == audit.read_log(log)[-1]
    log.write_bytes(log.read_bytes()[:-1])
    assert audit._last_line(log, block=block) == (None, True)
