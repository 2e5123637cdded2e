"""The audit log is hash-chained: edits, deletions and truncations are detected."""

from __future__ import annotations

import json

import pytest

from kimson_ds import audit
from kimson_ds.cli import main


@pytest.fixture
def log(tmp_path):
    path = tmp_path / "audit.jsonl"
    out = tmp_path / "out.csv"
    out.write_text("a,b\n1,2\n", encoding="utf-8")
    for i in range(4):
        audit.record_run(f"rate data/kimson --year {2015 + i}", scenario={"year": 2015 + i},
                         parameters={"rating.excellent_quota_of_good": 0.2}, outputs=[out], log=path)
    return path


def test_intact_chain_verifies(log):
    result = audit.verify(log)
    assert result.ok and result.records == 4
    recs = audit.read_log(log)
    assert [r["seq"] for r in recs] == [0, 1, 2, 3]
    assert recs[1]["prev_hash"] == recs[0]["hash"]
    assert recs[0]["prev_hash"] == audit.GENESIS
    assert list(recs[0]["outputs"].values())[0] == audit.file_digest(next(iter(recs[0]["outputs"])))


def test_edit_is_detected(log):
    lines = log.read_text(encoding="utf-8").splitlines()
    rec = json.loads(lines[2])
    rec["command"] = "rate data/kimson --year 2099"
    lines[2] = json.dumps(rec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = audit.verify(log)
    assert not result.ok and result.broken_at == 3 and "sửa" in result.message


def test_deletion_is_detected(log):
    lines = log.read_text(encoding="utf-8").splitlines()
    del lines[1]
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = audit.verify(log)
    assert not result.ok and result.broken_at == 2 and "xóa" in result.message


def test_truncation_is_detected(log):
    data = log.read_bytes()
    log.write_bytes(data[: len(data) - 40])
    result = audit.verify(log)
    assert not result.ok and result.broken_at == 4


def test_cutting_whole_trailing_records_is_detected(log):
    lines = log.read_text(encoding="utf-8").splitlines()
    log.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    result = audit.verify(log)
    assert not result.ok and result.broken_at == 4 and "cắt bớt" in result.message


def test_cli_verify_and_show(log, capsys):
    assert main(["audit", "verify", "--log", str(log)]) == 0
    assert "toàn vẹn" in capsys.readouterr().out
    assert main(["audit", "show", "--log", str(log)]) == 0
    assert "--year 2018" in capsys.readouterr().out
    log.write_bytes(log.read_bytes()[:-10])
    assert main(["audit", "verify", "--log", str(log)]) == 1
