"""Ballot tallies: a consistent tally always yields a decision; an inconsistent one is refused, the cell named."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_procedure_rule_cases import world

from kimson_ds.errors import DataError
from kimson_ds.procedure.confidence import evaluate_confidence
from kimson_ds.procedure.steps import STATUS_VI, evaluate_procedures

PEOPLE = ("C1", "C2", "C3")
SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def consistent_round(draw, step: int, nomination: bool):
    members = draw(st.integers(1, 15))
    present = draw(st.integers(0, members))
    issued = draw(st.integers(0, present))
    returned = draw(st.integers(0, issued))
    valid = draw(st.integers(0, returned))
    if nomination:  # each valid ballot names at most one person
        left, votes = valid, {}
        for c in PEOPLE:
            votes[c] = draw(st.integers(0, left))
            left -= votes[c]
    else:
        votes = {c: draw(st.integers(0, valid)) for c in PEOPLE}
    return dict(step=step, members=members, present=present, issued=issued, returned=returned, valid=valid), votes


def _dataset(rounds_votes, head=None):
    proc = dict(procedure_id="QT", title="truong_phong", unit_id="PNV", action="bo_nhiem", source="tai_cho",
                started_on="2023-03-01", head_choice_id=head)
    rounds, votes = [], []
    for r, v in rounds_votes:
        rounds.append(dict(procedure_id="QT", held_on=f"2023-03-0{r['step']}", **r))
        votes += [dict(procedure_id="QT", step=r["step"], cadre_id=c, votes=n) for c, n in v.items()]
    return world([proc], rounds, votes)


@SETTINGS
@given(st.tuples(consistent_round(2, True), consistent_round(3, True), consistent_round(4, False),
                 consistent_round(5, False)), st.sampled_from([None, *PEOPLE]))
def test_a_consistent_tally_always_yields_a_decision(rounds, head):
    result = evaluate_procedures(_dataset(rounds, head))
    row = result.summary.iloc[0]
    assert row["status"] in STATUS_VI and row["reason"]
    if row["status"] == "de_nghi":
        share = result.steps.loc[(result.steps["step"] == 5) & (result.steps["cadre_id"] == row["proposed_id"])]
        members = rounds[3][0]["members"]
        assert int(share["votes"].iloc[0]) * 2 > members  # a majority of the total membership


BREAKS = [
    ("present", lambda r: r.update(present=r["members"] + 1)),
    ("issued", lambda r: r.update(issued=r["present"] + 1)),
    ("returned", lambda r: r.update(returned=r["issued"] + 1)),
    ("valid", lambda r: r.update(valid=r["returned"] + 1)),
]


@SETTINGS
@given(consistent_round(5, False), st.sampled_from(BREAKS))
def test_an_inconsistent_meeting_is_refused_naming_the_column(rv, brk):
    column, breaker = brk
    r, v = rv
    r = dict(r)
    breaker(r)
    with pytest.raises(DataError) as err:
        evaluate_procedures(_dataset([({**r, "step": 5}, v)]))
    named = [i for i in err.value.issues if i.table == "ballot_rounds" and i.column == column]
    assert named and named[0].row == 2 and named[0].expected, [str(i) for i in err.value.issues]


@SETTINGS
@given(consistent_round(3, True))
def test_votes_above_the_valid_ballots_are_refused_on_the_vote_row(rv):
    r, v = rv
    v = {"C1": r["valid"] + 1}
    with pytest.raises(DataError) as err:
        evaluate_procedures(_dataset([(r, v)]))
    assert any(i.table == "ballot_votes" and i.column == "votes" and i.row == 2 for i in err.value.issues)


def test_nomination_votes_adding_up_to_more_than_the_valid_ballots_are_refused():
    r = dict(step=3, members=5, present=5, issued=5, returned=5, valid=5)
    with pytest.raises(DataError) as err:
        evaluate_procedures(_dataset([(r, {"C1": 3, "C2": 3})]))
    issue = next(i for i in err.value.issues if i.column == "valid")
    assert "mỗi phiếu chỉ giới thiệu một người" in issue.message and "6" in issue.message


def test_a_step_without_a_ballot_is_refused():
    r = dict(step=1, members=5, present=5, issued=5, returned=5, valid=5)
    with pytest.raises(DataError) as err:
        evaluate_procedures(_dataset([(r, {"C1": 3})]))
    issue = next(i for i in err.value.issues if i.column == "step")
    assert "bước này không bỏ phiếu" in issue.message and "2, 3, 4, 5" in issue.expected


def test_votes_for_a_meeting_that_was_not_recorded_are_refused():
    ds = world([dict(procedure_id="QT", title="truong_phong", unit_id="PNV", action="bo_nhiem", source="tai_cho",
                     started_on="2023-03-01")], [], [dict(procedure_id="QT", step=3, cadre_id="C1", votes=2)])
    with pytest.raises(DataError) as err:
        evaluate_procedures(ds)
    assert any(i.table == "ballot_votes" and "không có hội nghị bước 3" in i.message for i in err.value.issues)


@SETTINGS
@given(st.integers(1, 40), st.data())
def test_confidence_tallies_consistent_or_refused(members, data):
    present = data.draw(st.integers(0, members))
    valid = data.draw(st.integers(0, present))
    high = data.draw(st.integers(0, valid))
    medium = data.draw(st.integers(0, valid - high))
    low = data.draw(st.integers(0, valid - high - medium))
    extra = data.draw(st.integers(0, 2))  # 0: consistent; 1, 2: too many "low" ballots
    row = dict(cadre_id="C1", held_on="2024-01-10", title="truong_phong", members=members, present=present,
               valid=valid, high=high, medium=medium, low=low + (valid - high - medium - low + extra if extra else 0))
    ds = world(confidence=[row])
    if extra:
        with pytest.raises(DataError) as err:
            evaluate_confidence(ds)
        assert any(i.column == "low" and i.row == 2 for i in err.value.issues)
    else:
        out = evaluate_confidence(ds).votes.iloc[0]
        assert out["low_pct"].endswith("%")
