"""Planning check and review reasons write dates dd/mm/yyyy (the rules' one formatter)."""

from __future__ import annotations

import re
from pathlib import Path

from kimson_ds.data.io import load_dataset
from kimson_ds.planning import succession as su

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "kimson"


def test_sample_check_writes_retirement_and_term_dates_day_first():
    v = su.check_compliance(load_dataset(SAMPLE), "2020-2025", "2018-12-31", term_start="2020-07-01").violations
    age = v.loc[v["rule"] == "AGE", "detail"].iloc[0]
    assert age == "Nghỉ hưu ngày 30/06/2021, cần công tác đến 01/07/2025"
    std = " ".join(v.loc[v["rule"] == "STANDARDS", "detail"])
    assert "nhiệm kỳ bắt đầu 01/07/2020" in std
    assert not any(re.search(r"\b\d{2}-\d{2}-\d{4}\b", d) for d in v["detail"].astype(str))
