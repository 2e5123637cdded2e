"""Posts that relatives may not hold together (``relatives.linked_posts``): the shared engine.

Used by vetting (conflicts among holders and proposals) and by rotation
(a candidate placed where a relative holds a linked post). The rules are
data (see the parameter's file); this module gives every holding its scope
keys and matches one rule between two sets of holdings.

Scopes
------
``same_unit``
    the unit itself, refined by the organ of the title inside the unit
    (``vetting.title_organ``); the organ :data:`WHOLE_UNIT` (staff serving the
    whole unit) shares every organ of its unit; a title missing from the
    table is its own organ :data:`OWN_UNIT`.
``same_party_committee``
    the nearest unit up the ``parent_unit_id`` chain (itself included) that is
    a commune or township or has ``function == "dang_uy"``.
``same_locality``
    the commune or township up the chain, else the district (:data:`DISTRICT`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kimson_ds.data.codes import COMMUNE_KINDS

__all__ = ["DISTRICT", "OWN_UNIT", "WHOLE_UNIT", "annotate_holdings", "holdings_with_titles", "match_rule",
           "unit_scopes"]

#: Locality key of every unit that is not inside a commune or township.
DISTRICT = "__huyen__"
#: Organ of staff who serve the whole unit (matches every organ of the unit).
WHOLE_UNIT = "toan_don_vi"
#: Organ of a title missing from ``vetting.title_organ``.
OWN_UNIT = "don_vi"
_HOLDING = ["cadre_id", "position_id", "title", "unit_id", "proposal_id"]
_MAX_DEPTH = 8  # parent chains are at most a few levels (commune → office)


def unit_scopes(units: pd.DataFrame) -> pd.DataFrame:
    """Scope keys of every unit.

    Parameters
    ----------
    units : DataFrame
        ``unit_id``, ``kind``, ``function`` (may be empty), ``parent_unit_id``,
        ``name``.

    Returns
    -------
    DataFrame
        Indexed by ``unit_id``, columns ``function``, ``kind``, ``name``,
        ``parent`` (parent unit id or None), ``party_committee`` (unit id or None), ``locality`` (commune unit id or
        :data:`DISTRICT`).
    """
    u = units.set_index("unit_id")
    function = u["function"] if "function" in u.columns else pd.Series(None, index=u.index, dtype=object)
    parent = u["parent_unit_id"] if "parent_unit_id" in u.columns else pd.Series(None, index=u.index, dtype=object)
    is_commune = u["kind"].isin(COMMUNE_KINDS)
    is_committee = is_commune | (function == "dang_uy")
    committee = pd.Series(None, index=u.index, dtype=object)
    locality = pd.Series(None, index=u.index, dtype=object)
    cursor = pd.Series(u.index.to_numpy(), index=u.index, dtype=object)
    for _ in range(_MAX_DEPTH):  # walk up the parent chain, all units at once
        live = cursor.notna() & cursor.isin(u.index)
        if not live.any():
            break
        at = cursor[live]
        hit_c = committee[live].isna() & at.map(is_committee).fillna(False).astype(bool)
        committee[hit_c[hit_c].index] = at[hit_c]
        hit_l = locality[live].isna() & at.map(is_commune).fillna(False).astype(bool)
        locality[hit_l[hit_l].index] = at[hit_l]
        cursor = cursor.map(parent).where(live, None)
    locality = locality.fillna(DISTRICT)
    return pd.DataFrame({"function": function, "kind": u["kind"], "name": u.get("name", pd.Series(u.index, index=u.index)),
                         "parent": parent.where(parent.notna() & (parent.astype(str) != ""), None),
                         "party_committee": committee, "locality": locality})


def annotate_holdings(h: pd.DataFrame, scopes: pd.DataFrame, organs: dict) -> pd.DataFrame:
    """Holdings (``cadre_id, position_id, title, unit_id``, optional ``proposal_id``) with their scope keys.

    Adds ``function``, ``same_party_committee``, ``same_locality``, ``same_unit``,
    ``organ`` (``vetting.title_organ`` of the title, :data:`OWN_UNIT` if absent)
    and a running ``_hid``.
    """
    h = h.reset_index(drop=True).copy()
    for c in _HOLDING:
        if c not in h.columns:
            h[c] = ""
    h["proposal_id"] = h["proposal_id"].fillna("").astype(str)
    info = scopes.reindex(h["unit_id"])
    h["function"] = info["function"].to_numpy()
    h["same_party_committee"] = info["party_committee"].to_numpy()
    h["same_locality"] = info["locality"].to_numpy()
    h["same_unit"] = h["unit_id"].to_numpy()
    h["organ"] = h["title"].map(organs).fillna(OWN_UNIT).to_numpy()
    h["_hid"] = np.arange(len(h))
    return h


def holdings_with_titles(h: pd.DataFrame, titles: list, unit_function: dict | None) -> pd.DataFrame:
    """The annotated holdings whose title is in ``titles`` (restricted by ``unit_function``)."""
    m = h["title"].isin(list(titles))
    for title, functions in (unit_function or {}).items():
        m &= (h["title"] != title) | h["function"].isin(list(functions or []))
    return h.loc[m]


def match_rule(a_holdings: pd.DataFrame, b_holdings: pd.DataFrame, pairs: pd.DataFrame, rule: dict) -> pd.DataFrame:
    """Pairs (holding of A, holding of A's relative B) that break one ``relatives.linked_posts`` rule.

    Parameters
    ----------
    a_holdings, b_holdings : DataFrame
        Annotated holdings (:func:`annotate_holdings`); A's side and the relatives' side.
    pairs : DataFrame
        Ordered pairs of relatives ``cadre_id, relative_id, relation, derived, via``.
    rule : dict
        One rule: ``titles``, optional ``with_titles``, ``unit_function``, ``scope``.

    Returns
    -------
    DataFrame
        The merged rows (columns of both holdings suffixed ``_a`` / ``_b`` and the
        link columns), in the same scope and, for ``same_unit``, the same organ.
        Without ``with_titles`` both orders of a pair may appear; with it, A holds
        a title of ``titles`` and B one of ``with_titles``.
    """
    scope = rule["scope"]
    a = holdings_with_titles(a_holdings, rule.get("titles", []), rule.get("unit_function"))
    b = holdings_with_titles(b_holdings, rule.get("with_titles") or rule.get("titles", []), rule.get("unit_function"))
    m = a.merge(pairs, on="cadre_id").merge(b, left_on="relative_id", right_on="cadre_id", suffixes=("_a", "_b"))
    m = m.loc[m[f"{scope}_a"].notna() & (m[f"{scope}_a"] == m[f"{scope}_b"])]
    if scope == "same_unit":
        oa, ob = m["organ_a"], m["organ_b"]
        m = m.loc[(oa == ob) | (oa == WHOLE_UNIT) | (ob == WHOLE_UNIT)]
    return m
