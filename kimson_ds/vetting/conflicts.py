"""Relatives conflicts (xung đột người thân) under Quy định 205-QĐ/TW and the anti-corruption law.

The rules are data: every pair of posts that relatives may not hold together
is a row of the dated parameter ``relatives.linked_posts`` (a list of rules
``{rule_id, description_vi, titles, with_titles?, unit_function?, scope,
reference}``, see its file). A new regulation is an edit to that file, never
to this module. Who counts as a relative is ``relatives.definition``; the
family graph (symmetric links, in-laws, siblings from shared parents) comes
from :func:`kimson_ds.rules.relatives.relatives_graph`.

Holdings and scopes
-------------------
A *holding* is one person in one post: ``cadre_id, position_id, title,
unit_id``. Each holding gets three scope keys from the units table:

``same_unit``
    the unit itself, refined by the organ of the title inside the unit
    (``vetting.title_organ``, which gives every title an organ): in a commune
    the Party committee, its inspection committee, the People's Council, the
    People's Committee and the Fatherland Front are different organs of one
    unit, so a secretary and a People's Committee vice-chair are not "head and
    deputy of the same unit", nor is the inspection committee's chair the head
    of every organ. Two holdings share an organ when their organ codes are
    equal; the organ ``toan_don_vi`` (staff serving the whole unit:
    accountant, cashier, personnel officer, …) shares every organ of its
    unit. A title missing from the table is its own organ ``don_vi``.
``same_party_committee``
    the nearest unit up the ``parent_unit_id`` chain (itself included) that
    is a commune or township or has ``function == "dang_uy"``: a commune's
    Party committee is the commune unit; the district's Party organs have
    the parent ``HU``. Units outside every Party committee have no key and
    never match.
``same_locality``
    the commune or township up the chain, else the district as a whole
    (``"__huyen__"``): the district People's Committee chair and the head of
    the district's home-affairs office share the district.

Rule semantics
--------------
Without ``with_titles`` two relatives conflict when both hold a title of
``titles`` in the same scope; with ``with_titles`` when one holds a title of
``titles`` and the other one of ``with_titles``. ``unit_function`` restricts a
title to units of the listed functions (``truong_ban`` counts only in the
organisation board). Each conflict is reported once per rule and pair of
holdings; a pair that breaks two rules appears under both.

Everything is computed with merges per rule (a handful of rules), never a
loop over people.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from kimson_ds.data.codes import RELATION, TITLE
from kimson_ds.rules.linked_posts import DISTRICT, annotate_holdings, match_rule, unit_scopes
from kimson_ds.rules.parameters import ParameterSet, parameters
from kimson_ds.rules.relatives import related_pairs, relatives_graph

__all__ = [
    "CONFLICT_COLUMNS",
    "DISTRICT",
    "KIND_LABEL",
    "SCOPE_LABEL",
    "current_holdings",
    "current_conflicts",
    "find_conflicts",
    "proposal_conflicts",
    "relation_text",
    "relatives_links",
    "rules_in_force",
    "unit_scopes",
]

#: Vietnamese name of each scope of ``relatives.linked_posts``.
SCOPE_LABEL = {
    "same_party_committee": "cùng cấp ủy",
    "same_locality": "cùng địa phương, cùng cấp",
    "same_unit": "cùng cơ quan, đơn vị",
}

#: Where a conflict was found.
KIND_LABEL = {
    "hien_tai": "Giữa những người đang giữ chức vụ",
    "de_xuat_nguoi_dang_giu": "Đề xuất trùng với người thân đang giữ chức vụ",
    "trong_dot": "Giữa các đề xuất trong cùng đợt",
}

#: Columns of every conflicts table.
CONFLICT_COLUMNS = [
    "as_of", "kind", "kind_vi", "rule_id", "rule_vi", "reference", "scope", "scope_vi", "scope_id", "scope_name",
    "cadre_a", "name_a", "position_a", "title_a", "unit_a", "post_a", "proposal_a",
    "cadre_b", "name_b", "position_b", "title_b", "unit_b", "post_b", "proposal_b",
    "relation", "derived", "via", "relation_vi", "reason",
]

_LINKED = "relatives.linked_posts"
_DEFINITION = "relatives.definition"
_ORGAN = "vetting.title_organ"


# --------------------------------------------------------------------------- units


# --------------------------------------------------------------------------- holdings


def current_holdings(positions: pd.DataFrame, as_of: Any, units: pd.DataFrame | None = None) -> pd.DataFrame:
    """Who holds which post on ``as_of`` (holder set and ``holder_since`` not after it).

    With ``units``, posts of units that do not exist on ``as_of`` (``valid_from``
    / ``valid_to``) are left out: after a merger the old communes' posts end.

    Returns
    -------
    DataFrame
        ``cadre_id, position_id, title, unit_id, proposal_id`` (``proposal_id`` empty).
    """
    when = pd.Timestamp(as_of).normalize()
    p = positions.loc[positions["holder_id"].notna()]
    if "holder_since" in p.columns:
        p = p.loc[p["holder_since"].isna() | (pd.to_datetime(p["holder_since"]) <= when)]
    if units is not None and len(p):
        u = units.set_index("unit_id")
        vf = p["unit_id"].map(u["valid_from"]) if "valid_from" in u.columns else None
        vt = p["unit_id"].map(u["valid_to"]) if "valid_to" in u.columns else None
        ok = pd.Series(True, index=p.index)
        if vf is not None:
            ok &= vf.isna() | (pd.to_datetime(vf) <= when)
        if vt is not None:
            ok &= vt.isna() | (pd.to_datetime(vt) >= when)
        p = p.loc[ok]
    return pd.DataFrame({"cadre_id": p["holder_id"].astype(str).to_numpy(), "position_id": p["position_id"].to_numpy(),
                         "title": p["title"].to_numpy(), "unit_id": p["unit_id"].to_numpy(),
                         "proposal_id": ""})


# --------------------------------------------------------------------------- relatives


def relatives_links(relatives: pd.DataFrame | None, params: ParameterSet) -> pd.DataFrame:
    """Ordered pairs of relatives under ``relatives.definition`` in force on ``params.as_of``.

    Recorded links count when their relation is listed in ``relations``;
    derived parents-in-law (and the inverse) count when a ``derived`` entry
    has the path ``[vo_chong, cha_me]``; siblings derived from a shared
    parent count when ``anh_chi_em`` is a listed relation.

    Returns
    -------
    DataFrame
        ``cadre_id, relative_id, relation, derived, via`` (one row per ordered pair).
    """
    graph = relatives_graph(relatives if relatives is not None else pd.DataFrame())
    definition = params.get(_DEFINITION)
    relations = list(definition.get("relations", []))
    in_law = any(list(d.get("path", [])) == ["vo_chong", "cha_me"] for d in definition.get("derived", []) or [])
    g = graph.loc[graph["relation"].isin(relations)]
    derived_inlaw = g["derived"] & g["relation"].isin(["cha_me", "con"])
    if not in_law:
        g = g.loc[~derived_inlaw]
    return related_pairs(g)


def relation_text(links: pd.DataFrame, names: pd.Series | None = None,
                  genders: pd.Series | None = None) -> pd.Series:
    """Vietnamese description of each link: what ``relative_id`` is to ``cadre_id``.

    With ``genders`` (``nam``/``nu`` by cadre id) a spouse reads "vợ" or
    "chồng", a parent "cha" or "mẹ"; derived links name the person they go
    through.
    """
    if links.empty:
        return pd.Series(dtype=object, index=links.index)
    names = names if names is not None else pd.Series(dtype=object)
    genders = genders if genders is not None else pd.Series(dtype=object)
    via_name = links["via"].map(names).astype(object).fillna(links["via"]).astype(str)
    base = links["relation"].map(RELATION).fillna(links["relation"]).astype(str).str.lower()
    derived = links["derived"].astype(bool)
    rel = links["relation"]
    g = links["relative_id"].map(genders)
    male, female = (g == "nam").to_numpy(), (g == "nu").to_numpy()
    return pd.Series(np.select(
        [derived & (rel == "cha_me") & male, derived & (rel == "cha_me") & female, derived & (rel == "cha_me"),
         derived & (rel == "con") & male, derived & (rel == "con") & female, derived & (rel == "con"),
         derived & (rel == "anh_chi_em"),
         (rel == "vo_chong") & male, (rel == "vo_chong") & female,
         (rel == "cha_me") & male, (rel == "cha_me") & female],
        ["bố vợ/bố chồng (cha của " + via_name + ")", "mẹ vợ/mẹ chồng (mẹ của " + via_name + ")",
         "cha, mẹ của vợ/chồng (" + via_name + ")",
         "con rể (chồng của " + via_name + ")", "con dâu (vợ của " + via_name + ")",
         "con rể, con dâu (vợ/chồng của " + via_name + ")",
         "anh, chị, em ruột (cùng cha/mẹ " + via_name + ")",
         "chồng", "vợ", "cha", "mẹ"],
        default=base,
    ), index=links.index, dtype=object)


# --------------------------------------------------------------------------- engine


def find_conflicts(holdings: pd.DataFrame, links: pd.DataFrame, units: pd.DataFrame, params: ParameterSet,
                   *, cadres: pd.DataFrame | None = None, only_proposals: bool = False) -> pd.DataFrame:
    """Pairs of relatives holding linked posts, under the rules in force on ``params.as_of``.

    Parameters
    ----------
    holdings : DataFrame
        ``cadre_id, position_id, title, unit_id`` and optionally ``proposal_id``
        (non-empty for a proposed holding).
    links : DataFrame
        Ordered pairs of relatives (:func:`relatives_links`).
    units : DataFrame
        The units table (for the scope keys).
    params : ParameterSet
        Reads ``relatives.linked_posts`` and ``vetting.title_organ``.
    cadres : DataFrame, optional
        For names in the report.
    only_proposals : bool
        Keep only conflicts where at least one side is a proposed holding.

    Returns
    -------
    DataFrame
        :data:`CONFLICT_COLUMNS`, sorted by rule and holders. ``kind`` is
        ``hien_tai`` (both current), ``de_xuat_nguoi_dang_giu`` (one side
        proposed) or ``trong_dot`` (both proposed).
    """
    rules = params.get(_LINKED) or []
    organs = params.get(_ORGAN) or {}
    scopes = unit_scopes(units)
    h = annotate_holdings(holdings, scopes, organs)
    pairs = links[["cadre_id", "relative_id", "relation", "derived", "via"]]
    parts = []
    for rule in rules:  # a handful of rules; each is a pair of merges
        scope = rule["scope"]
        m = match_rule(h, h, pairs, rule)
        if not rule.get("with_titles"):
            m = m.loc[m["_hid_a"] < m["_hid_b"]]
        if m.empty:
            continue
        lo = np.minimum(m["_hid_a"], m["_hid_b"])
        hi = np.maximum(m["_hid_a"], m["_hid_b"])
        m = m.assign(_lo=lo.to_numpy(), _hi=hi.to_numpy()).drop_duplicates(["_lo", "_hi"])
        m = m.assign(rule_id=rule["rule_id"], rule_vi=" ".join(str(rule.get("description_vi", "")).split()),
                     reference=str(rule.get("reference", "")), scope=scope, scope_id=m[f"{scope}_a"].to_numpy())
        parts.append(m)
    if not parts:
        return pd.DataFrame(columns=CONFLICT_COLUMNS)
    c = pd.concat(parts, ignore_index=True)
    c = c.rename(columns={"cadre_id_a": "cadre_a", "cadre_id_b": "cadre_b", "position_id_a": "position_a",
                          "position_id_b": "position_b", "unit_id_a": "unit_a", "unit_id_b": "unit_b",
                          "proposal_id_a": "proposal_a", "proposal_id_b": "proposal_b"})
    prop_a, prop_b = c["proposal_a"] != "", c["proposal_b"] != ""
    if only_proposals:
        c = c.loc[prop_a | prop_b]
        prop_a, prop_b = c["proposal_a"] != "", c["proposal_b"] != ""
    c["kind"] = np.select([prop_a & prop_b, prop_a | prop_b], ["trong_dot", "de_xuat_nguoi_dang_giu"], "hien_tai")
    # a proposed side is always shown first
    swap = (~prop_a & prop_b).to_numpy()
    for left, right in (("cadre_a", "cadre_b"), ("position_a", "position_b"), ("title_a", "title_b"),
                        ("unit_a", "unit_b"), ("proposal_a", "proposal_b")):
        la, rb = c[left].to_numpy(copy=True), c[right].to_numpy(copy=True)
        c[left], c[right] = np.where(swap, rb, la), np.where(swap, la, rb)
    if swap.any():  # the link now reads from the other side: take the inverse relation from the links
        inv = links.set_index(["cadre_id", "relative_id"])
        key = pd.MultiIndex.from_arrays([c["cadre_a"], c["cadre_b"]])
        found = inv.reindex(key)
        for col in ("relation", "derived", "via"):
            c[col] = np.where(swap, found[col].to_numpy(), c[col].to_numpy())
    return _finish(c, scopes, cadres, params)


def _finish(c: pd.DataFrame, scopes: pd.DataFrame, cadres: pd.DataFrame | None, params: ParameterSet) -> pd.DataFrame:
    names = cadres.set_index("cadre_id")["full_name"] if cadres is not None else pd.Series(dtype=object)
    genders = cadres.set_index("cadre_id")["gender"] if cadres is not None else pd.Series(dtype=object)
    unit_names = scopes["name"]
    c = c.reset_index(drop=True)
    c["derived"] = c["derived"].astype(bool)
    c["as_of"] = params.as_of.isoformat()
    c["kind_vi"] = c["kind"].map(KIND_LABEL)
    c["scope_vi"] = c["scope"].map(SCOPE_LABEL).fillna(c["scope"])
    c["scope_name"] = (c["scope_id"].map(unit_names).astype(object).fillna("toàn huyện")
                       .where(c["scope_id"] != DISTRICT, "toàn huyện"))
    for side in ("a", "b"):
        c[f"name_{side}"] = c[f"cadre_{side}"].map(names).astype(object).fillna(c[f"cadre_{side}"])
        c[f"post_{side}"] = (c[f"title_{side}"].map(TITLE).astype(object).fillna(c[f"title_{side}"]) + " – "
                             + c[f"unit_{side}"].map(unit_names).astype(object).fillna(c[f"unit_{side}"]))
    view = pd.DataFrame({"cadre_id": c["cadre_a"], "relative_id": c["cadre_b"], "relation": c["relation"],
                         "derived": c["derived"], "via": c["via"]})
    c["relation_vi"] = relation_text(view, names, genders)
    proposed_a = np.where(c["proposal_a"] != "", " (đề xuất " + c["proposal_a"] + ")", "")
    proposed_b = np.where(c["proposal_b"] != "", " (đề xuất " + c["proposal_b"] + ")", "")
    c["reason"] = (c["name_a"] + ", " + c["post_a"] + proposed_a + ", và " + c["name_b"] + ", " + c["post_b"]
                   + proposed_b + ": " + c["name_b"] + " là " + c["relation_vi"] + " của " + c["name_a"]
                   + " — " + c["scope_vi"] + " (" + c["scope_name"] + "); vi phạm: " + c["rule_vi"])
    c = c.sort_values(["kind", "rule_id", "cadre_a", "cadre_b", "position_a", "position_b"], kind="mergesort")
    return c[CONFLICT_COLUMNS].reset_index(drop=True)


# --------------------------------------------------------------------------- entry points


def rules_in_force(params: ParameterSet) -> bool:
    """Whether both ``relatives.linked_posts`` and ``relatives.definition`` have a value on ``params.as_of``.

    Before that no relatives rule can be applied; callers report it (the
    vetting checklist says "không áp dụng" and names the parameter).
    """
    return _LINKED in params and _DEFINITION in params


def _relatives(tables) -> pd.DataFrame | None:
    try:
        return tables["relatives"]
    except KeyError:
        return None


def current_conflicts(tables, as_of: Any, *, overrides: dict | None = None,
                      params: ParameterSet | None = None) -> pd.DataFrame:
    """Relatives conflicts among the people holding posts on ``as_of``.

    Parameters
    ----------
    tables : Dataset or dict of DataFrame
        ``positions``, ``units``, ``cadres``, ``relatives``.
    as_of : date-like
        The rules in force and the holders on this day.
    overrides : dict, optional
        Scenario overrides of parameters (e.g. a new ``relatives.linked_posts``).
    params : ParameterSet, optional
        Use this set (and record what is read in it) instead of a new one.

    Returns
    -------
    DataFrame
        :data:`CONFLICT_COLUMNS` with ``kind == "hien_tai"``; empty when
        the rules are not in force on ``as_of`` (:func:`rules_in_force`).
    """
    P = params if params is not None else parameters(as_of, overrides)
    if not rules_in_force(P):
        return pd.DataFrame(columns=CONFLICT_COLUMNS)
    links = relatives_links(_relatives(tables), P)
    holdings = current_holdings(tables["positions"], as_of, tables["units"])
    return find_conflicts(holdings, links, tables["units"], P, cadres=tables["cadres"])


def proposal_conflicts(tables, proposals: pd.DataFrame, *, overrides: dict | None = None,
                       used_params: list | None = None) -> pd.DataFrame:
    """Relatives conflicts created by a batch of proposals.

    Each proposal (``proposal_id, cadre_id, action, position_id,
    target_title, target_unit_id, effective_date``) is a holding of its
    target post from its ``effective_date``. Modelling convention: an
    appointment, nomination or rotation moves the proposed person out of the
    posts held now, and the current holder of a targeted ``position_id``
    leaves it. A planning proposal (``quy_hoach``) moves nobody and is not a
    holding for the other proposals; it is checked as the post it plans for:
    its current holder (the person it would succeed) is not a relative
    holding it "together" with him.

    The batch is evaluated on **every** batch date, with every holding in
    force on that date (current holders whose ``holder_since`` has come, and
    every proposal already effective), under the rules in force that day; a
    conflict is reported once, on the first date it exists (so one that
    starts when a relative takes office, or a rule comes into force, between
    two batch dates is reported on the later date). Only conflicts involving
    a proposal are returned.

    Parameters
    ----------
    tables : Dataset or dict of DataFrame
    proposals : DataFrame
        As returned by :func:`kimson_ds.vetting.checklist.parse_proposals`.
    overrides : dict, optional
    used_params : list, optional
        Receives the :class:`ParameterSet` of every date evaluated.

    Returns
    -------
    DataFrame
        :data:`CONFLICT_COLUMNS` (``kind`` ``de_xuat_nguoi_dang_giu`` or ``trong_dot``).
    """
    if proposals.empty:
        return pd.DataFrame(columns=CONFLICT_COLUMNS)
    props = proposals.copy()
    props["effective_date"] = pd.to_datetime(props["effective_date"]).dt.normalize()
    props["proposal_id"] = props["proposal_id"].astype(str)
    parts = []
    for when in sorted(props["effective_date"].unique()):  # a few distinct dates, not rows
        when = pd.Timestamp(when)
        P = parameters(when.date(), overrides)
        if used_params is not None:
            used_params.append(P)
        if not rules_in_force(P):
            continue
        live = props.loc[props["effective_date"] <= when]
        plan = live["action"] == "quy_hoach"
        real = live.loc[~plan]
        moving = set(real["cadre_id"])
        taken = set(real["position_id"].dropna())
        held = current_holdings(tables["positions"], when, tables["units"])
        held = held.loc[~held["cadre_id"].isin(moving) & ~held["position_id"].isin(taken)]
        proposed = pd.DataFrame({"cadre_id": live["cadre_id"].to_numpy(),
                                 "position_id": live["position_id"].fillna("").to_numpy(),
                                 "title": live["target_title"].to_numpy(), "unit_id": live["target_unit_id"].to_numpy(),
                                 "proposal_id": live["proposal_id"].to_numpy()})
        links = relatives_links(_relatives(tables), P)
        found = find_conflicts(pd.concat([held, proposed], ignore_index=True), links, tables["units"], P,
                               cadres=tables["cadres"], only_proposals=True)
        found = _drop_plan_artefacts(found, live)
        parts.append(found.assign(_when=when))
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=CONFLICT_COLUMNS)
    out = pd.concat(parts, ignore_index=True).sort_values("_when", kind="mergesort")
    # each conflict once, on the first batch date it exists
    out = out.drop_duplicates(["rule_id", "cadre_a", "position_a", "proposal_a", "cadre_b", "position_b",
                               "proposal_b"]).drop(columns="_when")
    return out.sort_values(["kind", "rule_id", "proposal_a", "proposal_b", "cadre_a", "cadre_b"],
                           kind="mergesort").reset_index(drop=True)


def _drop_plan_artefacts(found: pd.DataFrame, live: pd.DataFrame) -> pd.DataFrame:
    """Conflicts that only exist because a plan was read as a holding.

    The person a planning proposal would succeed (the current holder of its
    position) does not hold the post together with him. (A plan is not a
    holding for the other proposals either: the checklist counts a conflict
    between a plan and another proposal against the plan only.)
    """
    if found.empty:
        return found
    plan = live.loc[live["action"] == "quy_hoach"]
    if plan.empty:
        return found
    target = plan.set_index("proposal_id")["position_id"]
    plan_ids = set(plan["proposal_id"])
    drop = np.zeros(len(found), dtype=bool)
    for me, other_prop, other_pos in (("proposal_a", "proposal_b", "position_b"),
                                      ("proposal_b", "proposal_a", "position_a")):  # both sides
        mine = found[me].isin(plan_ids)
        succeeded = (found[other_prop] == "") & found[me].map(target).eq(found[other_pos]) & found[other_pos].ne("")
        drop |= (mine & succeeded).to_numpy()
    return found.loc[~drop]
