"""Bad work histories are refused with the file, row, column and what was expected."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kimson_ds.cli import main
from kimson_ds.data.io import read_dataset

MINIMAL = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "minimal"
HEADER = "cadre_id,unit_id,title,position_id,start_date,end_date,filled_by,decision_no,decision_date\n"


@pytest.fixture
def folder(tmp_path):
    f = tmp_path / "ds"
    shutil.copytree(MINIMAL, f)
    return f


def _errors(folder, body):
    (folder / "work_history.csv").write_text(HEADER + body, encoding="utf-8")
    return [str(e) for e in read_dataset(folder).errors]


def test_overlapping_holdings_of_one_post_are_refused(folder):
    errs = _errors(folder, "CB0001,XA_KIM_HAI,bi_thu,XA_KIM_HAI-BI_THU-1,2016-01-01,,bau,,\n"
                           "CB0002,XA_KIM_HAI,bi_thu,XA_KIM_HAI-BI_THU-1,2017-01-01,2018-01-01,bau,,\n")
    assert any("work_history.csv, dòng 3, cột position_id" in e and "cùng một vị trí" in e for e in errs)


def test_two_heads_of_one_unit_at_once_are_refused_without_position_ids(folder):
    errs = _errors(folder, "CB0001,XA_KIM_HAI,chu_tich_ubnd,,2016-01-01,2016-12-31,bau,,\n"
                           "CB0002,XA_KIM_HAI,chu_tich_ubnd,,2016-05-01,,bau,,\n")
    assert sum("người đứng đầu" in e for e in errs) == 2


def test_successive_holders_are_accepted(folder):
    assert _errors(folder, "CB0001,XA_KIM_HAI,bi_thu,XA_KIM_HAI-BI_THU-1,2016-01-01,2016-12-31,bau,,\n"
                           "CB0002,XA_KIM_HAI,bi_thu,XA_KIM_HAI-BI_THU-1,2017-01-01,,bau,,\n") == []


def test_holding_before_working_age_is_refused(folder):
    errs = _errors(folder, "CB0001,XA_KIM_HAI,cong_chuc_xa,,1985-01-01,1990-01-01,,,\n")
    assert any("dòng 2, cột start_date" in e and "18 tuổi" in e for e in errs)


def test_holding_in_a_unit_that_did_not_exist_yet_is_refused(folder):
    errs = _errors(folder, "CB0001,XA_KIM_HAI,cong_chuc_xa,,2012-01-01,2014-01-01,,,\n")
    assert any("trước ngày đơn vị bắt đầu hiệu lực" in e for e in errs)


def test_validate_command_says_which_mode_it_used(folder, capsys):
    assert main(["validate", str(folder)]) == 0
    assert "ảnh chụp" in capsys.readouterr().out
    (folder / "work_history.csv").write_text(
        HEADER + "CB0001,XA_KIM_HAI,bi_thu,XA_KIM_HAI-BI_THU-1,2016-01-01,,bau,,\n", encoding="utf-8")
    assert main(["validate", str(folder)]) == 0
    assert "quá trình công tác" in capsys.readouterr().out


def test_work_history_round_trips_through_the_excel_export(tmp_path):
    from kimson_ds.data.io import load_dataset, write_csv_folder

    sample = Path(__file__).resolve().parents[2] / "data" / "kimson"
    assert main(["export", str(sample), "--out", str(tmp_path / "k.xlsx")]) == 0
    back = load_dataset(tmp_path / "k.xlsx")
    write_csv_folder(back.tables, tmp_path / "csv")
    for name in ("work_history", "unit_successions"):
        assert (tmp_path / "csv" / f"{name}.csv").read_bytes() == (sample / f"{name}.csv").read_bytes()


def _warnings(folder, body, **kw):
    (folder / "work_history.csv").write_text(HEADER + body, encoding="utf-8")
    return [str(w) for w in read_dataset(folder, **kw).warnings]


def test_a_break_longer_than_the_limit_between_holdings_is_warned_naming_row_and_cadre(folder):
    warns = _warnings(folder, "CB0001,XA_KIM_HAI,pho_bi_thu,,2016-01-01,2016-12-31,bau,,\n"
                              "CB0001,XA_KIM_HAI,bi_thu,XA_KIM_HAI-BI_THU-1,2018-06-01,,bau,,\n")
    gap = [w for w in warns if "gián đoạn" in w]
    assert len(gap) == 1
    assert "work_history.csv, dòng 3, cột start_date" in gap[0]
    assert "CB0001" in gap[0] and "nghỉ 516 ngày" in gap[0]


def test_holdings_that_follow_or_overlap_each_other_are_not_a_break(folder):
    warns = _warnings(folder, "CB0001,XA_KIM_HAI,pho_bi_thu,,2014-01-01,2016-12-31,bau,,\n"
                              "CB0001,XA_KIM_HAI,truong_ban,,2015-01-01,2015-06-30,bo_nhiem,,\n"
                              "CB0001,XA_KIM_HAI,bi_thu,XA_KIM_HAI-BI_THU-1,2017-01-01,,bau,,\n")
    assert not [w for w in warns if "gián đoạn" in w]


def test_the_break_limit_is_a_setting_of_the_validation(folder):
    body = ("CB0001,XA_KIM_HAI,pho_bi_thu,,2016-01-01,2016-12-31,bau,,\n"
            "CB0001,XA_KIM_HAI,bi_thu,XA_KIM_HAI-BI_THU-1,2017-05-01,,bau,,\n")  # 120 days
    assert not [w for w in _warnings(folder, body) if "gián đoạn" in w]
    assert [w for w in _warnings(folder, body, max_gap_days=90) if "gián đoạn" in w]


def test_validate_command_takes_the_break_limit_in_months(folder, capsys):
    (folder / "work_history.csv").write_text(
        HEADER + "CB0001,XA_KIM_HAI,pho_bi_thu,,2016-01-01,2016-12-31,bau,,\n"
                 "CB0001,XA_KIM_HAI,bi_thu,XA_KIM_HAI-BI_THU-1,2017-05-01,,bau,,\n", encoding="utf-8")
    assert main(["validate", str(folder), "--max-gap-months", "3"]) == 0
    assert "gián đoạn quá 91 ngày" in capsys.readouterr().out
