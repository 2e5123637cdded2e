"""YAML rule cases of the appointment procedure and confidence votes, on both sides of each change date.

Each case builds a tiny dataset (one district office, four cadres) with the
tallies it lists and checks the outcome, the person proposed, the reason text,
each person's decision at a step and the regulation cited.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from kimson_ds.data.io import Dataset
from kimson_ds.procedure.confidence import evaluate_confidence
from kimson_ds.procedure.steps import evaluate_procedures

CASES = Path(__file__).parent / "cases"


def world(procedures=(), rounds=(), votes=(), confidence=()) -> Dataset:
    units = pd.DataFrame([dict(unit_id="PNV", name="Phòng Nội vụ", kind="phong_ban", valid_from="2010-01-01")])
    positions = pd.DataFrame([dict(position_id="PNV-TP", unit_id="PNV", title="truong_phong", is_key=True)])
    cadres = pd.DataFrame([dict(cadre_id=f"C{i}", full_name=f"Nguyễn Văn {n}", gender="nam", birth_date="1980-01-01", managed_by_btv=True,
                                unit_id="PNV") for i, n in enumerate(("An", "Bình", "Cường", "Dũng"), start=1)])
    frames = {"units": units, "positions": positions, "cadres": cadres}
    for name, rows in (("procedures", procedures), ("ballot_rounds", rounds), ("ballot_votes", votes),
                       ("confidence_votes", confidence)):
        if rows:
            frames[name] = pd.DataFrame(list(rows))
    return Dataset.from_frames(frames, as_of="2026-12-01")


def procedure_world(case: dict) -> Dataset:
    proc = dict(procedure_id="QT", title="truong_phong", unit_id="PNV", action="bo_nhiem", source=case["source"],
                started_on=str(case["started_on"]), head_choice_id=case.get("head_choice"))
    start = pd.Timestamp(case["started_on"])
    rounds, votes = [], []
    given = dict(case["rounds"])
    if case["source"] == "tai_cho" and 2 not in given and 3 in given:
        given[2] = [9, 9, 9, 9, 9, {}]  # step 2 is only recorded: its result narrows nobody
    for step, (members, present, issued, returned, valid, counts) in sorted(given.items()):
        rounds.append(dict(procedure_id="QT", step=int(step), held_on=(start + pd.Timedelta(days=int(step))).date(),
                           members=members, present=present, issued=issued, returned=returned, valid=valid))
        votes += [dict(procedure_id="QT", step=int(step), cadre_id=c, votes=n) for c, n in counts.items()]
    return world([proc], rounds, votes)


def _load(name: str) -> list:
    return [pytest.param(c, id=c["name"]) for c in yaml.safe_load((CASES / name).read_text(encoding="utf-8"))]


@pytest.mark.parametrize("case", _load("steps_thresholds.yaml") + _load("change_dates.yaml"))
def test_procedure_case(case):
    result = evaluate_procedures(procedure_world(case))
    row = result.summary.iloc[0]
    want = case["output"]
    assert row["status"] == want["status"], row["reason"]
    if "proposed" in want:
        assert row["proposed_id"] == want["proposed"]
    for text in case.get("reason_contains", []):
        assert text in row["reason"], row["reason"]
    if "reference_contains" in want:
        assert want["reference_contains"] in row["reference"]
    if "assumption" in want:
        assert bool(row["assumption"]) is want["assumption"]
    for step, people in case.get("step_decision", {}).items():
        steps = result.steps.loc[result.steps["step"] == int(step)].set_index("cadre_id")
        for cid, text in people.items():
            assert text in steps.loc[cid, "decision_vi"], steps.loc[cid, "decision_vi"]


@pytest.mark.parametrize("case", _load("confidence.yaml"))
def test_confidence_case(case):
    members, present, valid, high, medium, low = case["vote"]
    ds = world(confidence=[dict(cadre_id="C1", held_on=str(case["held_on"]), title="truong_phong", unit_id="PNV",
                                members=members, present=present, valid=valid, high=high, medium=medium, low=low)])
    row = evaluate_confidence(ds).votes.iloc[0]
    want = case["output"]
    if "consequence" in want:
        assert row["consequence_vi"] == want["consequence"]
    if "consequence_contains" in want:
        assert want["consequence_contains"] in row["consequence_vi"]
    if "reference_contains" in want:
        assert want["reference_contains"] in row["reference"]
    if "low_pct" in want:
        assert row["low_pct"] == want["low_pct"]
    if "quorum_ok" in want:
        assert bool(row["quorum_ok"]) is want["quorum_ok"]


def test_every_change_date_has_a_case_on_each_side():
    dates = {pd.Timestamp(c["started_on"]) for c in yaml.safe_load((CASES / "change_dates.yaml").read_text("utf-8"))}
    for change in ("2017-12-19", "2022-08-18", "2025-10-08"):
        day = pd.Timestamp(change)
        assert day in dates and day - pd.Timedelta(days=1) in dates, change
    held = {pd.Timestamp(c["held_on"]) for c in yaml.safe_load((CASES / "confidence.yaml").read_text("utf-8"))}
    assert {pd.Timestamp("2023-02-01"), pd.Timestamp("2023-02-02")} <= held
