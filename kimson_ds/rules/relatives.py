"""The relatives graph (người thân) used by rotation and vetting.

The ``relatives`` table records one direction of each family link: ``relative_id``
is the ``relation`` of ``cadre_id`` (``cha_me``: the relative is a parent of the
cadre). Power-control rules (Quy định 205-QĐ/TW) need every link in both
directions and the links that follow from the recorded ones:

* symmetric links: ``cha_me`` ↔ ``con``, ``vo_chong`` ↔ ``vo_chong``,
  ``anh_chi_em`` ↔ ``anh_chi_em``;
* in-laws: the spouse's parents are parents (``cha_me``, ``derived=True``,
  ``via`` = the spouse), and the parent-in-law sees the cadre as ``con``;
* siblings from shared parents: two people with a recorded common parent are
  ``anh_chi_em`` (``derived=True``, ``via`` = the parent).

Everything is computed with merges (no per-row Python loops).
"""

from __future__ import annotations

import pandas as pd

__all__ = ["INVERSE_RELATION", "relatives_graph", "related_pairs", "are_related", "relatives_in_force"]

#: The inverse of each relation: if B is A's ``cha_me`` then A is B's ``con``.
INVERSE_RELATION = {"cha_me": "con", "con": "cha_me", "vo_chong": "vo_chong", "anh_chi_em": "anh_chi_em"}

_COLUMNS = ["cadre_id", "relative_id", "relation", "derived", "via"]


def _empty() -> pd.DataFrame:
    return pd.DataFrame({"cadre_id": pd.Series(dtype=object), "relative_id": pd.Series(dtype=object),
                         "relation": pd.Series(dtype=object), "derived": pd.Series(dtype=bool),
                         "via": pd.Series(dtype=object)})


def relatives_graph(relatives: pd.DataFrame) -> pd.DataFrame:
    """Return every family link in both directions, with derived links.

    Parameters
    ----------
    relatives : pandas.DataFrame
        Columns ``cadre_id``, ``relative_id``, ``relation`` (codes of
        :data:`kimson_ds.data.codes.RELATION`): ``relative_id`` is the ``relation``
        of ``cadre_id``.

    Returns
    -------
    pandas.DataFrame
        Columns ``cadre_id``, ``relative_id``, ``relation``, ``derived``
        (bool), ``via`` (the person the derived link goes through, ``""`` for
        recorded links and their inverses). One row per
        (cadre_id, relative_id, relation); a recorded link wins over a derived
        one; among derived links the smallest ``via`` is kept. Sorted by
        ``cadre_id``, ``relative_id``, ``relation``.
    """
    if relatives is None or len(relatives) == 0:
        return _empty()
    base = relatives[["cadre_id", "relative_id", "relation"]].dropna().astype(str)
    base = base[(base["cadre_id"] != base["relative_id"]) & base["relation"].isin(list(INVERSE_RELATION))]
    inverse = pd.DataFrame({"cadre_id": base["relative_id"].to_numpy(),
                            "relative_id": base["cadre_id"].to_numpy(),
                            "relation": base["relation"].map(INVERSE_RELATION).to_numpy()})
    sym = pd.concat([base, inverse], ignore_index=True).drop_duplicates()
    sym = sym.assign(derived=False, via="")

    spouses = sym.loc[sym["relation"] == "vo_chong", ["cadre_id", "relative_id"]]
    parents = sym.loc[sym["relation"] == "cha_me", ["cadre_id", "relative_id"]]

    # in-laws: X —vo_chong→ S —cha_me→ P  gives  X —cha_me→ P (via S) and P —con→ X (via S)
    inlaw = spouses.merge(parents, left_on="relative_id", right_on="cadre_id", suffixes=("", "_p"))
    inlaw = inlaw[inlaw["cadre_id"] != inlaw["relative_id_p"]]
    inlaw_up = pd.DataFrame({"cadre_id": inlaw["cadre_id"].to_numpy(), "relative_id": inlaw["relative_id_p"].to_numpy(),
                             "relation": "cha_me", "derived": True, "via": inlaw["relative_id"].to_numpy()})
    inlaw_down = pd.DataFrame({"cadre_id": inlaw["relative_id_p"].to_numpy(), "relative_id": inlaw["cadre_id"].to_numpy(),
                               "relation": "con", "derived": True, "via": inlaw["relative_id"].to_numpy()})

    # siblings: X —cha_me→ P ←cha_me— Y  gives  X —anh_chi_em→ Y (via P)
    sib = parents.merge(parents, on="relative_id", suffixes=("", "_y"))
    sib = sib[sib["cadre_id"] != sib["cadre_id_y"]]
    siblings = pd.DataFrame({"cadre_id": sib["cadre_id"].to_numpy(), "relative_id": sib["cadre_id_y"].to_numpy(),
                             "relation": "anh_chi_em", "derived": True, "via": sib["relative_id"].to_numpy()})

    parts = [p for p in (sym, inlaw_up, inlaw_down, siblings) if len(p)]
    out = pd.concat(parts, ignore_index=True)[_COLUMNS]
    out = out.sort_values(["cadre_id", "relative_id", "relation", "derived", "via"], kind="mergesort")
    out = out.drop_duplicates(["cadre_id", "relative_id", "relation"], keep="first")
    out["derived"] = out["derived"].astype(bool)
    return out.reset_index(drop=True)


def related_pairs(graph: pd.DataFrame, *, relations=None, include_derived: bool = True) -> pd.DataFrame:
    """One row per ordered pair of related people.

    Parameters
    ----------
    graph : pandas.DataFrame
        Output of :func:`relatives_graph`.
    relations : iterable of str, optional
        Relation codes that count (default: all).
    include_derived : bool
        Whether derived links (in-laws, siblings through shared parents) count.

    Returns
    -------
    pandas.DataFrame
        Columns ``cadre_id``, ``relative_id``, ``relation``, ``derived``,
        ``via``; for a pair linked several ways, the recorded link (then the
        first relation in code order) is kept.
    """
    g = graph
    if relations is not None:
        g = g[g["relation"].isin(list(relations))]
    if not include_derived:
        g = g[~g["derived"]]
    g = g.sort_values(["cadre_id", "relative_id", "derived", "relation", "via"], kind="mergesort")
    return g.drop_duplicates(["cadre_id", "relative_id"], keep="first").reset_index(drop=True)


def are_related(graph: pd.DataFrame, a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are linked in ``graph`` (either direction)."""
    return bool(((graph["cadre_id"] == a) & (graph["relative_id"] == b)).any())


def relatives_in_force(relatives: pd.DataFrame | None, params) -> pd.DataFrame:
    """Ordered pairs of relatives under ``relatives.definition`` in force on ``params.as_of``.

    Recorded links count when their relation is listed in ``relations``;
    derived parents-in-law (and the inverse) count only when a ``derived``
    entry has the path ``[vo_chong, cha_me]`` (Quy định 205/114-QĐ/TW, not Luật
    Phòng, chống tham nhũng 2018 Điều 20).

    Parameters
    ----------
    relatives : DataFrame or None
        The ``relatives`` table.
    params : ParameterSet
        Parameters in force (reads ``relatives.definition``).

    Returns
    -------
    DataFrame
        ``cadre_id, relative_id, relation, derived, via`` (one row per ordered pair).
    """
    graph = relatives_graph(relatives if relatives is not None else pd.DataFrame())
    definition = params.get("relatives.definition")
    relations = list(definition.get("relations", []))
    in_law = any(list(d.get("path", [])) == ["vo_chong", "cha_me"] for d in definition.get("derived", []) or [])
    g = graph.loc[graph["relation"].isin(relations)]
    if not in_law:
        g = g.loc[~(g["derived"] & g["relation"].isin(["cha_me", "con"]))]
    return related_pairs(g)
