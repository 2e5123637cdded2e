"""The rules that need the work history are options of the rotation model, not only lists in reports:
heads past two consecutive terms (QĐ 65-QĐ/TW) and appointments due for renewal (bổ nhiệm lại)
are required or prioritised; the HiGHS model and the PuLP reference agree (conftest)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from kimson_ds.data.io import load_dataset
from kimson_ds.errors import ScenarioError
from kimson_ds.history.careers import two_terms_candidates
from kimson_ds.history.state import dataset_on
from kimson_ds.rotation import tenure
from kimson_ds.rotation.model import RotationScenario, load_rotation_scenario, run
from kimson_ds.rules.parameters import parameters

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "kimson"
DAY = "2021-12-31"  # no invented change after 2019: the commune secretaries of 2010 pass two terms in 2020-2021


@pytest.fixture(scope="module")
def on_day():
    return dataset_on(load_dataset(SAMPLE), DAY)


def _scenario(tmp_path, rules: str, counts: str = "bi_thu: 9", strict: str = "false") -> RotationScenario:
    f = tmp_path / "s.yaml"
    f.write_text(f"""name: Luân chuyển người đứng đầu quá hai nhiệm kỳ
as_of: {DAY}
posts:
  counts: {{{counts}}}
candidates:
  source_kinds: [phong_ban, co_quan_dang, doan_the, chinh_quyen_huyen]
rules:
  gender: {{enabled: false}}
{rules}
alternatives: 1
rule_costs: false
strict: {strict}
""", encoding="utf-8")
    return load_rotation_scenario(f)


def test_history_rule_options_reject_unknown_keys_and_modes(tmp_path):
    with pytest.raises(ScenarioError, match="two_terms"):
        _scenario(tmp_path, "  two_terms: {enabled: true, mode: bat_buoc, terms: 3}")
    with pytest.raises(ScenarioError, match="mode"):
        _scenario(tmp_path, "  reappointment: {enabled: true, mode: bắt buộc}")


def test_two_terms_trigger_names_the_heads_the_history_names(on_day):
    found = tenure.flags(on_day, DAY, parameters(DAY), two_terms=True)
    expected = two_terms_candidates(load_dataset(SAMPLE)["work_history"], DAY)
    assert set(found["cadre_id"]) == set(expected["cadre_id"]) and len(found) > 0
    assert found["reason"].str.contains("quá 2 nhiệm kỳ liên tiếp").all()


def test_required_heads_are_moved_and_those_who_cannot_be_are_named(tmp_path, on_day):
    sc = _scenario(tmp_path, "  two_terms: {enabled: true, mode: bat_buoc}")
    r = run(on_day, sc)
    named = set(r.problem.history["cadre_id"])
    in_scope = set(on_day["positions"].query("title == 'bi_thu' and unit_id.str.startswith('XA')")["holder_id"])
    assert named and named <= in_scope  # commune secretaries past two terms, nobody else
    movable = set(r.problem.pairs["cadre_id"]) & named
    placed = set(r.assignments["cadre_id"])
    assert movable and movable <= placed  # every named head with an eligible post is moved
    for c in named - movable:  # the others are named in the diagnosis with the reason
        assert any(c in line and "phải luân chuyển" in line for line in r.diagnosis)
    # the posts they leave are open to fill (two-terms heads swap communes, never stay)
    held = r.assignments.set_index("cadre_id")["post_id"]
    pos = on_day["positions"]
    assert all(held[c] not in set(pos.loc[pos["holder_id"] == c, "position_id"]) for c in movable)
    opened = set(pos.loc[pos["holder_id"].isin(named) & (pos["title"] == "bi_thu"), "position_id"])
    assert opened <= set(r.problem.posts["post_id"])


def test_without_the_rule_the_heads_stay_and_their_posts_are_not_offered(tmp_path, on_day):
    off = run(on_day, _scenario(tmp_path, "  two_terms: {enabled: false}"))
    on = run(on_day, _scenario(tmp_path, "  two_terms: {enabled: true, mode: uu_tien, bonus: 1.0}"))
    named = set(on.problem.history["cadre_id"])
    assert not named & set(off.problem.cands["cadre_id"])
    assert len(on.problem.posts) > len(off.problem.posts)
    assert set(on.assignments["cadre_id"]) & named
    assert (on.assignments.loc[on.assignments["cadre_id"].isin(named), "history"] == 1.0).all()
    assert on.assignments["history_reason"].str.contains("Quy định|nhiệm kỳ").any()


def test_priority_bonus_moves_a_named_head_ahead_of_a_better_rated_candidate(tmp_path, on_day):
    # one post, priority mode: with a large bonus a named head wins it; without, the best score does
    low = run(on_day, _scenario(tmp_path, "  two_terms: {enabled: true, mode: uu_tien, bonus: 0.0}", "bi_thu: 1"))
    high = run(on_day, _scenario(tmp_path, "  two_terms: {enabled: true, mode: uu_tien, bonus: 5.0}", "bi_thu: 1"))
    named = set(high.problem.history["cadre_id"])
    assert set(high.assignments["cadre_id"]) <= named
    assert high.solution.objective > low.solution.objective


def test_two_terms_rule_names_nobody_before_it_existed(tmp_path):
    ds = dataset_on(load_dataset(SAMPLE), "2016-11-30")
    sc = load_rotation_scenario(ROOT / "data" / "scenarios" / "luan-chuyen-2016.yaml")
    sc = sc.model_copy(update={"rules": sc.rules.model_copy(update={
        "two_terms": sc.rules.two_terms.model_copy(update={"enabled": True, "mode": "bat_buoc"})}),
        "alternatives": 1, "rule_costs": False})
    r = run(ds, sc)
    assert r.problem.history.empty
    assert any("không có ai trong phạm vi" in line for line in r.diagnosis)


def test_reappointment_due_dates_come_from_the_appointment_in_force(on_day):
    found = tenure.flags(on_day, DAY, parameters(DAY), two_terms=False, reappointment_months=12)
    assert len(found) and (found["rule"] == "reappointment").all()
    assert (found["due_date"] == found["since"] + pd.DateOffset(years=5)).all()
    assert (found["due_date"] <= pd.Timestamp(DAY) + pd.DateOffset(months=12)).all()
    wh = load_dataset(SAMPLE)["work_history"]
    appointed = wh[(wh["filled_by"] == "bo_nhiem") & (wh["start_date"] <= DAY)
                   & (wh["end_date"].isna() | (wh["end_date"] >= DAY))]
    assert set(found["cadre_id"]) <= set(appointed["cadre_id"])


def test_reappointment_anywhere_brings_district_appointees_to_commune_posts(tmp_path, on_day):
    sc = _scenario(tmp_path, "  reappointment: {enabled: true, mode: uu_tien, bonus: 1.0, anywhere: true}",
                   "pho_bi_thu: 2")
    r = run(on_day, sc)
    named = set(r.problem.history["cadre_id"])
    assert set(r.assignments["cadre_id"]) <= named
    assert r.assignments["history_reason"].str.contains("bổ nhiệm lại").all()


def test_snapshot_only_dataset_counts_terms_from_holder_since(tmp_path):
    folder = tmp_path / "snap"
    shutil.copytree(SAMPLE, folder)
    for name in ("work_history.csv", "unit_successions.csv"):
        (folder / name).unlink()
    snap = dataset_on(load_dataset(folder), DAY)
    assert "post_since" not in snap["positions"].columns
    found = tenure.flags(snap, DAY, parameters(DAY), two_terms=True, reappointment_months=12)
    held = snap["positions"].dropna(subset=["holder_id"])
    long = held[(pd.Timestamp(DAY) - held["holder_since"]).dt.days / 365.25 > 10]
    long = long[long["title"].isin(parameters(DAY).get("management.two_terms_trigger")["titles"])]
    assert set(found["cadre_id"]) == set(long["holder_id"])
    assert (found["rule"] == "two_terms").all()  # no appointment dates without a history
