"""Sample appointment procedures and confidence votes (synthetic, deterministic).

Two completed internal-source procedures on vacant district posts of the
snapshot: one passes every step; in the other nobody has more than half of the
leadership collective at the nomination step (the two highest go on) and the
collective's secret ballot falls short of the majority of its total members
(two of five, although two of the four present). One confidence vote round on
the holders of district key posts in December 2018 and December 2019, one of
whom has more than half "tín nhiệm thấp" in 2019. The ballot counts are invented
(ASSUMPTION, like every person of the sample); they are chosen, not drawn, so
that each rule of the procedure is exercised.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["build_procedure_records"]

_DISTRICT_DEPUTY_TITLES = ("pho_truong_ban", "pho_truong_phong")
_KEY_DISTRICT_TITLES = ("truong_ban", "truong_phong")

# step -> (members, present, issued, returned, valid, votes of candidates 1..3)
_PASSES = {
    2: (9, 9, 9, 9, 9, (6, 2, 1)),
    3: (5, 5, 5, 5, 5, (4, 1, 0)),
    4: (15, 14, 14, 14, 14, (12,)),
    5: (5, 5, 5, 5, 5, (5,)),
}
_FALLS_SHORT = {
    2: (9, 8, 8, 8, 8, (4, 3, 1)),
    3: (5, 5, 5, 5, 5, (2, 2, 1)),
    4: (15, 13, 13, 13, 12, (7, 6)),
    5: (5, 4, 4, 4, 4, (2, 2)),
}


def _candidates(tables: dict[str, pd.DataFrame], unit_id: str, taken: set[str], n: int = 3) -> list[str]:
    cadres, positions = tables["cadres"], tables["positions"]
    holders = set(positions["holder_id"].dropna())
    pool = cadres.loc[~cadres["cadre_id"].isin(holders | taken)]
    same = pool.loc[pool["unit_id"] == unit_id, "cadre_id"].sort_values().tolist()
    units = tables["units"].set_index("unit_id")
    district = units.index[~units["kind"].isin(["xa", "thi_tran"])]
    other = pool.loc[pool["unit_id"].isin(district) & (pool["unit_id"] != unit_id), "cadre_id"].sort_values().tolist()
    return (same + other)[:n]


def _rounds(pid: str, start: pd.Timestamp, plan: dict, people: list[str]) -> tuple[list[dict], list[dict]]:
    rounds, votes = [], []
    for step, (members, present, issued, returned, valid, counts) in plan.items():
        held = start + pd.Timedelta(days=7 * (step - 1))
        rounds.append(dict(procedure_id=pid, step=step, held_on=held, members=members, present=present,
                           issued=issued, returned=returned, valid=valid))
        # steps 4 and 5 vote on the people the nomination step sent on
        for cid, n in zip(people, counts, strict=False):
            votes.append(dict(procedure_id=pid, step=step, cadre_id=cid, votes=n))
    return rounds, votes


def build_procedure_records(tables: dict[str, pd.DataFrame]) -> dict[str, list[dict]]:
    """Records of ``procedures``, ``ballot_rounds``, ``ballot_votes`` and ``confidence_votes``.

    Parameters
    ----------
    tables : dict of str to DataFrame
        The sample's ``units``, ``positions`` and ``cadres`` (typed).
    """
    positions = tables["positions"]
    vacant = positions.loc[positions["holder_id"].isna() & positions["title"].isin(_DISTRICT_DEPUTY_TITLES)]
    vacant = vacant.sort_values("position_id").head(2)
    procedures, rounds, votes, taken = [], [], [], set()
    for k, (post, plan, start) in enumerate(zip(vacant.itertuples(index=False), (_PASSES, _FALLS_SHORT),
                                                (pd.Timestamp("2019-09-05"), pd.Timestamp("2019-10-03")),
                                                strict=False), start=1):
        pid = f"QT2019-{k:02d}"
        people = _candidates(tables, post.unit_id, taken)
        taken.update(people)
        procedures.append(dict(procedure_id=pid, title=post.title, unit_id=post.unit_id, action="bo_nhiem",
                               source="tai_cho", started_on=start, head_choice_id=None,
                               note="Quy trình mẫu (giả lập)"))
        r, v = _rounds(pid, start, plan, people)
        rounds += r
        votes += v

    holders = positions.loc[positions["title"].isin(_KEY_DISTRICT_TITLES) & positions["holder_id"].notna()]
    holders = holders.sort_values("position_id").head(8)
    confidence = []
    for i, post in enumerate(holders.itertuples(index=False)):
        for year, day in ((2018, "2018-12-14"), (2019, "2019-12-13")):
            members, present = 35, 33 if year == 2018 else 34
            low = (i * 3 + year) % 5 + 1
            if i == 3 and year == 2019:
                low = 19  # more than half of the 35 summoned: a consequence applies
            high = max(present - low - 8 - i % 3, 0)
            medium = present - low - high
            confidence.append(dict(cadre_id=post.holder_id, held_on=pd.Timestamp(day), title=post.title,
                                   unit_id=post.unit_id, members=members, present=present, valid=present,
                                   high=high, medium=medium, low=low))
    return {"procedures": procedures, "ballot_rounds": rounds, "ballot_votes": votes, "confidence_votes": confidence}
