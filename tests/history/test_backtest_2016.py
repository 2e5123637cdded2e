"""The 2016 rotation round is back-tested on the state of 30-11-2016 rebuilt from the work history."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from kimson_ds.cli import main
from kimson_ds.history.backtest import compare_with_record

ROOT = Path(__file__).resolve().parents[2]


def test_overlap_counts_people_posts_and_pairs_separately():
    record = pd.DataFrame({"cadre_id": ["A", "B", "C"], "unit_id": ["X", "Y", "Z"], "title": ["bi_thu"] * 3})
    plan = pd.DataFrame({"cadre_id": ["A", "B", "D"], "unit_id": ["X", "Z", "Y"], "title": ["bi_thu"] * 3})
    got = compare_with_record(plan, record)
    assert (got["same_person"], got["same_post"], got["same_pair"]) == (2, 3, 1)


def test_rotate_2016_runs_on_the_2016_state_and_states_the_overlap(tmp_path, capsys):
    out = tmp_path / "rot"
    code = main(["rotate", str(ROOT / "data" / "kimson"), "--scenario",
                 str(ROOT / "data" / "scenarios" / "luan-chuyen-2016.yaml"), "--out", str(out)])
    text = capsys.readouterr().out
    assert code == 0
    assert "Cơ cấu ngày 30/11/2016" in text and "27 xã, thị trấn" in text
    m = re.search(r"Đối chiếu với 6 quyết định .* trùng người (\d)/6, trùng vị trí (\d)/6, "
                  r"trùng cả người và vị trí (\d)/6", text)
    assert m, text
    table = pd.read_csv(out / "backtest.csv", encoding="utf-8-sig")
    assert len(table) == 6 and table["Giải thích"].str.len().gt(20).all()
    # the people the plan proposes worked at district level on 30-11-2016 (not their 2019 posts)
    plan = pd.read_csv(out / "assignments.csv", encoding="utf-8-sig")
    assert len(plan) == 6
    assert int(m.group(1)) == (table["Phương án tối ưu bố trí người này về"].fillna("") != "").sum()


@pytest.mark.slow
@pytest.mark.parametrize("as_of, expected", [("2016-11-30", "27 xã, thị trấn"),
                                             ("2026-06-30", "8 xã, thị trấn")])
def test_overview_report_shows_the_structure_of_its_date(tmp_path, as_of, expected):
    out = tmp_path / "r"
    assert main(["report", str(ROOT / "notebooks" / "00-tong-quan.ipynb"), "-p", "as_of", as_of,
                 "--out", str(out)]) == 0
    nb = json.loads((out / "00-tong-quan.ipynb").read_text(encoding="utf-8"))
    text = json.dumps(nb, ensure_ascii=False)
    assert expected in text
    if as_of.startswith("2026"):
        assert "Ban Thường vụ Tỉnh ủy" in text and "Ban Thường vụ Huyện ủy" not in text.split("Cơ cấu ngày")[-1]


def test_recorded_staffing_of_a_merger_is_who_took_the_new_posts_from_its_day():
    from kimson_ds.data.io import load_dataset
    from kimson_ds.history.backtest import recorded_staffing

    ds = load_dataset(ROOT / "data" / "kimson")
    posts = ds["positions"].loc[ds["positions"]["unit_id"].str.startswith("XA2025_")
                                & ds["positions"]["is_key"].astype(bool), "position_id"]
    got = recorded_staffing(ds, posts, "2025-07-01")
    wh = ds["work_history"]
    expected = wh[wh["position_id"].isin(posts) & (wh["start_date"] == "2025-07-01")]
    assert len(got) == len(expected) > 0
    assert set(got["post_id"]) <= set(posts) and (got["start_date"] == pd.Timestamp("2025-07-01")).all()
    assert recorded_staffing(ds, posts, "2020-01-01").empty  # nobody took those posts in 2020
