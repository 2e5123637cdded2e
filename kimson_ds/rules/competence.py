"""Who decides a post and how it is filled (phân cấp quản lý cán bộ), by date.

Reads the dated parameter ``management.competence``: a list of rules
``{titles, level, body, mode}``; the first rule matching a post's title and
level (``xa`` for communes and towns, ``huyen`` for district bodies) applies.
From 1-7-2025 there is no district level, so district posts match no rule.
"""

from __future__ import annotations

import pandas as pd

from kimson_ds.data.codes import COMMUNE_KINDS, FILLING_MODE, MANAGING_BODY
from kimson_ds.rules.parameters import ParameterSet, parameters

__all__ = ["COMPETENCE_PARAM", "citation", "competence"]

COMPETENCE_PARAM = "management.competence"


def competence(posts: pd.DataFrame, as_of, *, params: ParameterSet | None = None) -> pd.DataFrame:
    """Deciding body and filling mode of each post on ``as_of``.

    Parameters
    ----------
    posts : DataFrame
        Columns ``title`` (title code) and ``unit_kind`` (unit kind code).
    as_of : date-like
        The date whose rules apply.
    params : ParameterSet, optional
        Parameters to read (with the user's overrides); built from ``as_of`` if absent.

    Returns
    -------
    DataFrame
        Same index as ``posts`` with ``level``, ``body``, ``body_vi``, ``mode``, ``mode_vi``
        (empty when no rule matches), ``reference`` and ``assumption``.
    """
    params = params or parameters(as_of)
    rules = params.get(COMPETENCE_PARAM)
    level = pd.Series("huyen", index=posts.index, dtype=object).mask(posts["unit_kind"].isin(COMMUNE_KINDS), "xa")
    table = pd.DataFrame(
        [(t, r["level"], r["body"], r["mode"], i) for i, r in enumerate(rules) for t in r["titles"]],
        columns=["title", "level", "body", "mode", "order"],
    ).sort_values("order").drop_duplicates(["title", "level"], keep="first")
    keyed = pd.DataFrame({"title": posts["title"].to_numpy(), "level": level.to_numpy()}, index=posts.index)
    out = keyed.reset_index().merge(table, on=["title", "level"], how="left").set_index(posts.index.name or "index")
    out.index = posts.index
    ref, assumption = citation(params, COMPETENCE_PARAM)
    return pd.DataFrame({
        "level": out["level"],
        "body": out["body"],
        "body_vi": out["body"].map(MANAGING_BODY).fillna(""),
        "mode": out["mode"],
        "mode_vi": out["mode"].map(FILLING_MODE).fillna(""),
        "reference": ref,
        "assumption": assumption,
    }, index=posts.index)


def citation(params: ParameterSet, name: str) -> tuple[str, bool]:
    """The legal reference of a parameter read through ``params`` and whether it is an ASSUMPTION."""
    params.get(name)
    refs = params.references()
    row = refs.loc[refs["name"] == name].iloc[0]
    return str(row["reference"]), bool(row["assumption"])
