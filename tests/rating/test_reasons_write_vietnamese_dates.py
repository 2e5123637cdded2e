"""Rating reasons write dates as Vietnamese readers do (dd/mm/yyyy), with the formatter the papers use."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from kimson_ds.data.io import load_dataset
from kimson_ds.papers import vi
from kimson_ds.rating.engine import rate_dataset
from kimson_ds.rules.dates import date_vi, dates_vi

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "kimson"


def test_one_formatter_for_rules_and_papers():
    for d in ("2019-06-14", pd.Timestamp("2020-04-02"), pd.Timestamp("2020-04-02").date()):
        assert date_vi(d) == vi.date(d)
    assert date_vi("2019-06-14") == "14/06/2019" and date_vi(None) == "" and date_vi(pd.NaT) == ""
    assert dates_vi(pd.Series(["2019-06-14", None])).tolist() == ["14/06/2019", ""]


def test_sample_2019_reasons_have_no_dashed_dates():
    res = rate_dataset(load_dataset(SAMPLE), year=2019, as_of="2019-12-31")
    reasons = res.table.set_index("cadre_id")["reason"]
    assert "Khiển trách, ngày 14/06/2019" in reasons["CB0025"]
    dashed = reasons[reasons.str.contains(r"\b\d{2}-\d{2}-\d{4}\b", regex=True)]
    assert dashed.empty, dashed.head().tolist()
    assert not any(re.search(r"\d{1,2}-\d{1,2}-\d{4}", r) for r in reasons)
