"""Training gap analysis: course paths, months and cost; non-closable gaps; gaps.csv; the notebook shows it."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pandas as pd

from kimson_ds.data.io import Dataset
from kimson_ds.training import schedule as tr

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / room) for room in ("planning", "training")]
from test_review_reasons_and_display_tables import _code, _no_internal_headers, _read, _write_dataset  # noqa: E402
from test_succession import _cadre, _ds, _plan, _positions  # noqa: E402
from test_training import scenario as train_scenario  # noqa: E402
from test_training import tables as train_tables  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SNAKE = re.compile(r"^[a-z0-9_]+$")
BOM = b"\xef\xbb\xbf"











def _review_ds():
    """Five kept rows, each with exactly one ground for removal, plus a clean one."""
    ratings = pd.DataFrame([dict(cadre_id="LOW", year=y, level="hoan_thanh") for y in (2018, 2019)]
                           + [dict(cadre_id=c, year=y, level="tot") for c in ("OK", "DIS", "APP", "OLD", "STD")
                              for y in (2018, 2019)])
    disc = pd.DataFrame([dict(cadre_id="DIS", form="khien_trach", decided_on="2019-05-01", expires_on=None)])
    pos = _positions([dict(position_id="X2_BT", unit_id="X2", title="bi_thu", is_key=True, holder_id="APP",
                           holder_since="2019-06-01")])
    people = ([_cadre(c) for c in ("OK", "LOW", "DIS", "APP")] + [_cadre("OLD", birth="1962-03-01")]
              + [_cadre("STD", birth="1985-01-01", pt="chua_co")])
    plan = [_plan("OK"), _plan("LOW"), _plan("DIS"), _plan("APP", "bi_thu", "X2"), _plan("OLD"),
            _plan("STD", "chu_tich_ubnd")]
    return _ds(people, plan, positions=pos, ratings=ratings, discipline=disc)



# --------------------------------------------------------------------------- issue 6 §1: gap analysis
def test_training_gaps_have_course_path_months_and_cost():
    t = train_tables(["chua_co", "so_cap", "trung_cap"])
    res = tr.run(t, train_scenario())
    g = res.gaps
    assert set(tr.GAP_PATH_COLUMNS) <= set(g.columns)
    pol = g.loc[(g["standard"] == "political_theory") & ~g["met"]].set_index("cadre_id")
    # from nothing: sơ cấp (prerequisite) then trung cấp, 3 + 8 months, 3 + 12 million
    assert pol.loc["C0", "course_ids"] == "SC, TC" and pol.loc["C0", "course_path"] == "Sơ cấp LLCT → Trung cấp LLCT"
    assert pol.loc["C0", "close_months"] == 11.0 and pol.loc["C0", "close_cost_million_vnd"] == 15.0
    assert pol.loc["C1", "course_ids"] == "TC" and pol.loc["C1", "close_months"] == 8.0
    assert "C2" not in pol.index  # trung cấp already held
    table = tr.gaps_table(res)
    _no_internal_headers(table)
    row = table.set_index("Mã cán bộ").loc["C0"]
    assert row["Khắc phục được bằng đào tạo"] == "có" and row["Số khóa"] == 2
    assert row["Yêu cầu"] == "Trung cấp" and row["Hiện có (ngày lập kế hoạch)"] == "Chưa qua đào tạo"
    assert "Sơ cấp LLCT (" in row["Khóa học được xếp trong kế hoạch"]
    assert row["Tình trạng khi nhận chức"] == tr.READY_STATUS["se_du"]


def test_training_gaps_list_non_closable_gaps_with_their_reason():
    t = train_tables(["so_cap", "so_cap"], births=["1982-03-01", "1958-03-01"])
    res = tr.run(t, train_scenario())
    table = tr.gaps_table(res)
    old = table.loc[table["Mã cán bộ"] == "C1"]
    no = old.loc[old["Khắc phục được bằng đào tạo"] == "không"]
    assert len(no) >= 1
    assert no["Cách khắc phục hoặc lý do không khắc phục được"].str.startswith(
        "Không thể đáp ứng bằng đào tạo").all()
    assert no["Số tháng học"].isna().all()
    # no course in the catalog: the reason says so
    t2 = train_tables(["so_cap"])
    t2["courses"] = t2["courses"].loc[t2["courses"]["course_id"] != "TC"]
    table2 = tr.gaps_table(tr.run(t2, train_scenario()))
    assert table2["Cách khắc phục hoặc lý do không khắc phục được"].tolist() == [
        "Không có khóa học nào trong danh mục đạt trình độ yêu cầu"]


def test_train_command_writes_gaps_csv(tmp_path, monkeypatch, capsys):
    from kimson_ds.cli import main

    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    data = _write_dataset(Dataset.from_frames(train_tables(["chua_co", "so_cap"]), as_of="2030-12-31"),
                          tmp_path / "data")
    sc = tmp_path / "sc.yaml"
    sc.write_text("as_of: 2017-08-31\nterm: '2020-2025'\nterm_start: 2020-07-01\nfirst_year: 2018\n",
                  encoding="utf-8")
    assert main(["train", str(data), "--scenario", str(sc), "--out", str(tmp_path / "out")]) == 0
    gaps = _read(tmp_path / "out" / "gaps.csv")
    _no_internal_headers(gaps)
    assert {"Lộ trình khóa học (kể cả khóa điều kiện)", "Số tháng học", "Kinh phí (triệu đồng)"} <= set(gaps.columns)
    assert gaps.set_index("Mã cán bộ").loc["C0", "Mã khóa học (theo thứ tự)"] == "SC, TC"
    assert "gaps.csv" in capsys.readouterr().out


def test_training_notebook_shows_the_gap_analysis():
    code = _code(ROOT / "notebooks" / "40-dao-tao.ipynb")
    assert "training.gaps_table(res)" in code and "lambda" not in code
    raw = json.loads((ROOT / "notebooks" / "40-dao-tao.ipynb").read_text(encoding="utf-8"))
    md = "\n".join("".join(c["source"]) for c in raw["cells"] if c["cell_type"] == "markdown")
    assert "lộ trình khắc phục" in md.lower() and "khóa điều kiện" in md
