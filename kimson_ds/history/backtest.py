"""Compare an optimiser's plan with the decisions actually recorded (the 2016 back-test)."""

from __future__ import annotations

import pandas as pd


def compare_with_record(plan: pd.DataFrame, record: pd.DataFrame) -> dict:
    """Overlap between a plan and the recorded decisions, at three levels.

    Parameters
    ----------
    plan : DataFrame
        ``cadre_id``, ``unit_id``, ``title`` of each proposed assignment.
    record : DataFrame
        The same columns for the decisions recorded (e.g. the ``rotations``
        table with ``to_unit_id`` renamed ``unit_id``).

    Returns
    -------
    dict
        ``n_record``; ``same_person`` (recorded people the plan also moves),
        ``same_post`` (recorded (unit, title) the plan also fills),
        ``same_pair`` (same person to the same unit and title) — counts — and
        ``table``: one row per recorded decision with what the plan did for
        that person and for that post.
    """
    rec = record[["cadre_id", "unit_id", "title"]].reset_index(drop=True)
    pl = plan[["cadre_id", "unit_id", "title"]].reset_index(drop=True)
    by_person = pl.drop_duplicates("cadre_id").set_index("cadre_id")
    by_post = pl.drop_duplicates(["unit_id", "title"]).set_index(["unit_id", "title"])["cadre_id"]
    t = rec.copy()
    t["plan_unit_for_person"] = t["cadre_id"].map(by_person["unit_id"])
    t["plan_title_for_person"] = t["cadre_id"].map(by_person["title"])
    keys = pd.MultiIndex.from_frame(t[["unit_id", "title"]])
    t["plan_person_for_post"] = by_post.reindex(keys).to_numpy()
    t["same_person"] = t["plan_unit_for_person"].notna()
    t["same_post"] = t["plan_person_for_post"].notna()
    t["same_pair"] = t["plan_person_for_post"].eq(t["cadre_id"])
    return {
        "n_record": len(t),
        "n_plan": len(pl),
        "same_person": int(t["same_person"].sum()),
        "same_post": int(t["same_post"].sum()),
        "same_pair": int(t["same_pair"].sum()),
        "table": t,
    }
