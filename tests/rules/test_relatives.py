"""The relatives graph: symmetric links, in-laws and siblings derived by merges."""

import pandas as pd

from kimson_ds.rules.relatives import are_related, related_pairs, relatives_graph


def _rel(rows):
    return pd.DataFrame(rows, columns=["cadre_id", "relative_id", "relation"])


def _rows(g):
    return set(g[["cadre_id", "relative_id", "relation"]].itertuples(index=False, name=None))


def test_links_are_made_symmetric_with_inverse_relation():
    g = relatives_graph(_rel([("A", "P", "cha_me"), ("A", "S", "vo_chong"), ("A", "B", "anh_chi_em")]))
    rows = _rows(g[~g["derived"]])
    assert ("P", "A", "con") in rows and ("A", "P", "cha_me") in rows
    assert ("S", "A", "vo_chong") in rows
    assert ("B", "A", "anh_chi_em") in rows
    assert len(rows) == 6


def test_spouse_parents_are_derived_parents_via_spouse():
    g = relatives_graph(_rel([("A", "S", "vo_chong"), ("S", "Q", "cha_me")]))
    row = g[(g["cadre_id"] == "A") & (g["relative_id"] == "Q")]
    assert row["relation"].tolist() == ["cha_me"]
    assert row["derived"].tolist() == [True] and row["via"].tolist() == ["S"]
    back = g[(g["cadre_id"] == "Q") & (g["relative_id"] == "A")]
    assert back["relation"].tolist() == ["con"] and back["derived"].all()


def test_siblings_derived_from_shared_parent_both_ways():
    # X and Y are recorded only as children of P (from P's side)
    g = relatives_graph(_rel([("P", "X", "con"), ("P", "Y", "con")]))
    sib = g[g["relation"] == "anh_chi_em"]
    assert _rows(sib) == {("X", "Y", "anh_chi_em"), ("Y", "X", "anh_chi_em")}
    assert sib["derived"].all() and set(sib["via"]) == {"P"}


def test_recorded_link_wins_over_derived_and_no_self_links():
    g = relatives_graph(_rel([("X", "P", "cha_me"), ("Y", "P", "cha_me"), ("X", "Y", "anh_chi_em")]))
    xy = g[(g["cadre_id"] == "X") & (g["relative_id"] == "Y")]
    assert len(xy) == 1 and not bool(xy["derived"].iloc[0])
    assert not (g["cadre_id"] == g["relative_id"]).any()


def test_spouse_is_not_own_parent_in_law_and_siblings_not_from_in_laws():
    # A married to S; S's parent Q; A's sibling? none. In-law parent must not create siblings A–S.
    g = relatives_graph(_rel([("A", "S", "vo_chong"), ("S", "Q", "cha_me")]))
    assert not (g["relation"] == "anh_chi_em").any()


def test_related_pairs_filters_relations_and_derived():
    g = relatives_graph(_rel([("A", "S", "vo_chong"), ("S", "Q", "cha_me")]))
    all_pairs = related_pairs(g)
    assert ("A", "Q") in set(zip(all_pairs["cadre_id"], all_pairs["relative_id"], strict=True))
    direct = related_pairs(g, include_derived=False)
    assert ("A", "Q") not in set(zip(direct["cadre_id"], direct["relative_id"], strict=True))
    spouses = related_pairs(g, relations=["vo_chong"])
    assert set(spouses["relation"]) == {"vo_chong"}
    assert are_related(g, "Q", "A") and not are_related(g, "A", "Z")


def test_empty_table_gives_empty_graph():
    g = relatives_graph(_rel([]))
    assert list(g.columns) == ["cadre_id", "relative_id", "relation", "derived", "via"] and g.empty
