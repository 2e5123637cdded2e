"""A discipline without an end (dismissal, no expiry date) keeps barring the cadre forever.

"Never expires" used to be the sentinel 9999-12-31 cast to ``datetime64[ns]``, which wraps
to 1816: the dismissed cadre then counted as long expired and was proposed as Bí thư.
"""

from pathlib import Path

import pandas as pd
import pytest

from kimson_ds.data.io import load_dataset
from kimson_ds.rotation.eligibility import candidate_facts, eligibility, post_facts
from kimson_ds.rules.parameters import parameters

MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "minimal"


@pytest.mark.parametrize("form, expires_on", [("buoc_thoi_viec", ""), ("khai_tru", ""), ("canh_cao", "")])
def test_discipline_without_end_is_in_force_decades_later(tmp_path, form, expires_on):
    (tmp_path / "d").mkdir()
    for f in MINIMAL.glob("*.csv"):
        (tmp_path / "d" / f.name).write_bytes(f.read_bytes())
    (tmp_path / "d" / "discipline.csv").write_text(
        f"cadre_id,form,decided_on,expires_on\nCB0004,{form},2018-04-10,{expires_on}\n", encoding="utf-8")
    ds = load_dataset(tmp_path / "d", as_of="2019-12-31")
    as_of = pd.Timestamp("2019-12-31") if form == "canh_cao" else pd.Timestamp("2045-01-01")
    params = parameters("2019-12-31")
    facts = candidate_facts(ds, ["CB0004", "CB0001"], as_of, params)
    row = facts.set_index("cadre_id").loc["CB0004"]
    if form == "canh_cao":  # a 12-month bar from 10/4/2018 has really ended by 31/12/2019
        assert pd.isna(row["discipline_form"]) and pd.isna(row["discipline_until"])
    else:
        assert row["discipline_form"] == form
        assert pd.isna(row["discipline_until"])  # open-ended, never a wrapped 1816 date
    posts = post_facts(ds, list(ds.positions["position_id"]))
    table = eligibility(facts, posts, params)
    mine = table.loc[table["cadre_id"] == "CB0004"]
    if form != "canh_cao":
        assert mine["fail_discipline"].all()
        assert not mine["eligible"].any()
        assert mine["reasons"].str.contains("đang trong thời hạn kỷ luật").all()
        assert not mine["reasons"].str.contains("1816").any()
