"""Command-line behaviour common to every subcommand: Vietnamese, no traceback, exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kimson_ds.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_missing_argument_is_vietnamese(capsys):
    with pytest.raises(SystemExit) as info:
        main(["validate"])
    err = capsys.readouterr().err
    assert info.value.code == 2
    assert "cách dùng:" in err and "thiếu tham số bắt buộc: dataset" in err
    assert "usage" not in err and "error" not in err


def test_help_is_vietnamese(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "tùy chọn" in out and "hiện hướng dẫn này rồi thoát" in out
    assert "show this help" not in out


def test_bad_as_of_is_a_clear_error(capsys):
    code = main(["validate", str(ROOT / "data" / "kimson"), "--as-of", "2018-13-01"])
    err = capsys.readouterr().err
    assert code == 2 and "--as-of" in err and "yyyy-mm-dd" in err and "Traceback" not in err


def test_unwritable_output_is_a_clear_error(capsys, tmp_path):
    target = tmp_path / "khong-co-thu-muc" / "sub" / "x.xlsx"
    target.parent.parent.write_text("đây là tệp, không phải thư mục", encoding="utf-8")
    code = main(["template", "--out", str(target)])
    err = capsys.readouterr().err
    assert code == 2 and "không đọc/ghi được tệp" in err and "Traceback" not in err


def test_scenario_with_impossible_date_is_exit_2(tmp_path, capsys):
    scenario = tmp_path / "s.yaml"
    scenario.write_text("as_of: 2016-13-45\n", encoding="utf-8")
    code = main(["rotate", str(ROOT / "data" / "kimson"), "--scenario", str(scenario), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and "yyyy-mm-dd" in err and "Traceback" not in err


def test_override_of_wrong_type_is_exit_2(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    ov = tmp_path / "ov.yaml"
    ov.write_text("rating.excellent_quota_of_good: abc\n", encoding="utf-8")
    code = main(["rate", str(ROOT / "data" / "kimson"), "--year", "2018", "--params", str(ov),
                 "--out", str(tmp_path / "r.csv")])
    err = capsys.readouterr().err
    assert code == 2 and "không đúng kiểu" in err


def test_broken_pipe_is_quiet():
    proc = subprocess.run(
        f"'{sys.executable}' -m kimson_ds.cli validate '{ROOT / 'data' / 'kimson'}' | head -c 10",
        shell=True, capture_output=True, text=True, cwd=ROOT,
    )
    assert "Lỗi không mong đợi" not in proc.stderr and "Traceback" not in proc.stderr
