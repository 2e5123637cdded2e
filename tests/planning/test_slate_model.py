"""Slate optimiser: optimum checked by brute force on tiny instances, rules, pins, run()."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from kimson_ds.data.io import Dataset
from kimson_ds.errors import InfeasibleError, ScenarioError
from kimson_ds.planning import slate_model as sm


def _instance(seed: int, n_c: int = 4, n_p: int = 3, density: float = 0.6):
    rng = np.random.default_rng(seed)
    posts = pd.DataFrame({"post_id": [f"P{j}" for j in range(n_p)],
                          "level": ["xa"] * (n_p - 1) + ["huyen"],
                          "slate_min": rng.integers(1, 3, n_p), "slate_max": rng.integers(1, 3, n_p)})
    pairs = [(f"C{i}", f"P{j}", float(rng.integers(1, 10))) for i in range(n_c) for j in range(n_p)
             if rng.random() < density]
    pairs = pd.DataFrame(pairs[:12], columns=["cadre_id", "post_id", "score"])
    cands = pd.DataFrame({"cadre_id": [f"C{i}" for i in range(n_c)], "is_woman": rng.random(n_c) < 0.4,
                          "is_young": rng.random(n_c) < 0.4, "cohort": rng.integers(1, 4, n_c)})
    return pairs, posts, cands


def _brute(pairs, posts, cands, cfg, basis=None):
    """Lexicographic optimum by enumeration: fewest (weighted) broken targets, then the best score."""
    level = posts.set_index("post_id")["level"]
    woman = cands.set_index("cadre_id")["is_woman"]
    young = cands.set_index("cadre_id")["is_young"]
    cohort = cands.set_index("cadre_id")["cohort"] if "cohort" in cands and cfg.cohorts else None
    keys = list(zip(pairs["cadre_id"], pairs["post_id"], strict=True))
    score = dict(zip(keys, pairs["score"], strict=True))
    links = {} if basis is None else basis.groupby(["cadre_id", "post_id"])["basis_post_id"].agg(set).to_dict()
    best = (np.inf, np.inf)
    for r in range(len(keys) + 1):
        for S in itertools.combinations(keys, r):
            s = set(S)
            if any((c, p) not in s for c, p in cfg.pins):
                continue
            per_post = pd.Series([p for _, p in S], dtype=object).value_counts()
            if any(per_post.get(p, 0) > m for p, m in zip(posts["post_id"], posts["slate_max"], strict=True)):
                continue
            per_cl = pd.Series([(c, level[p]) for c, p in S], dtype=object).value_counts()
            if len(per_cl) and per_cl.max() > cfg.max_posts_per_person:
                continue
            if any(not any((c, q) in s for q in links[(c, p)]) for c, p in S if (c, p) in links):
                continue
            people = {c for c, _ in S}
            broken = cfg.penalty_slate_min * sum(per_post.get(p, 0) < mn
                                                 for p, mn in zip(posts["post_id"], posts["slate_min"], strict=True))
            if cfg.women_share:  # as in the check: an empty list does not meet a positive minimum
                broken += cfg.penalty_women * (not people or sum(woman[c] for c in people)
                                               < cfg.women_share * len(people) - 1e-9)
            if cfg.young_share:
                broken += cfg.penalty_young * (not people or sum(young[c] for c in people)
                                               < cfg.young_share * len(people) - 1e-9)
            if cohort is not None and people:
                broken += cfg.penalty_cohorts * (len({cohort[c] for c in people}) < 3)
            best = min(best, (broken, -sum(score[k] for k in S)))
    return -best[1], best[0]


@pytest.mark.parametrize("seed", range(10))
def test_optimum_matches_brute_force(seed):
    pairs, posts, cands = _instance(seed)
    cfg = sm.SlateConfig(max_posts_per_person=1 + seed % 2, women_share=0.5, young_share=0.25 if seed % 3 else None,
                         penalty_women=3.0, penalty_young=2.0, penalty_slate_min=4.0, penalty_cohorts=1.0,
                         cohorts=seed % 2 == 0)
    model = sm.solve(sm.build(pairs, posts, cands, cfg))
    got = sm.explain(model).objective
    score, broken = _brute(pairs, posts, cands, cfg)
    assert model.broken == pytest.approx(broken, abs=1e-6)
    assert got == pytest.approx(score, abs=1e-6)


def test_lower_level_basis_constraint_matches_brute_force():
    posts = pd.DataFrame({"post_id": ["D", "L1", "L2"], "level": ["huyen", "xa", "xa"],
                          "slate_min": [0, 0, 0], "slate_max": [1, 1, 1]})
    pairs = pd.DataFrame([("A", "D", 10.0), ("A", "L1", 1.0), ("B", "L1", 5.0), ("B", "D", 3.0), ("A", "L2", 0.5)],
                         columns=["cadre_id", "post_id", "score"])
    pairs["needs_basis"] = pairs["post_id"].eq("D") & pairs["cadre_id"].eq("A")
    basis = pd.DataFrame([("A", "D", "L1"), ("A", "D", "L2")], columns=["cadre_id", "post_id", "basis_post_id"])
    cands = pd.DataFrame({"cadre_id": ["A", "B"], "is_woman": [False, True], "is_young": [False, False]})
    cfg = sm.SlateConfig(max_posts_per_person=3)
    res = sm.explain(sm.solve(sm.build(pairs, posts, cands, cfg, basis)))
    chosen = set(zip(res.slates["cadre_id"], res.slates["post_id"], strict=True))
    # A on D needs A on L1 or L2: best is A–D (10) + A–L2 (0.5) + B–L1 (5) = 15.5
    assert chosen == {("A", "D"), ("A", "L2"), ("B", "L1")}
    assert res.objective == pytest.approx(_brute(pairs.drop(columns="needs_basis"), posts, cands, cfg, basis)[0])


def test_slate_max_and_posts_per_person_bind():
    posts = pd.DataFrame({"post_id": ["P", "Q"], "level": ["xa", "xa"], "slate_min": [0, 0], "slate_max": [2, 3]})
    pairs = pd.DataFrame([(c, p, s) for c, s in (("A", 5.0), ("B", 4.0), ("C", 3.0)) for p in ("P", "Q")],
                         columns=["cadre_id", "post_id", "score"])
    cands = pd.DataFrame({"cadre_id": list("ABC"), "is_woman": False, "is_young": False})
    res = sm.explain(sm.solve(sm.build(pairs, posts, cands, sm.SlateConfig(max_posts_per_person=1))))
    sizes = res.slates.groupby("post_id").size()
    assert sizes.get("P", 0) <= 2 and len(res.slates) == 3            # everybody placed once
    assert res.slates.groupby("cadre_id").size().max() == 1         # K = 1 binds (6 pairs, 3 chosen)
    assert res.objective == pytest.approx(5 + 4 + 3)


def test_women_target_comes_before_the_score_whatever_the_weight():
    posts = pd.DataFrame({"post_id": ["P"], "level": ["xa"], "slate_min": [2], "slate_max": [2]})
    pairs = pd.DataFrame([("M1", "P", 5.0), ("M2", "P", 5.0), ("W", "P", 1.0)], columns=["cadre_id", "post_id",
                                                                                         "score"])
    cands = pd.DataFrame({"cadre_id": ["M1", "M2", "W"], "is_woman": [False, False, True], "is_young": False})
    for weight in (0.01, 1.0, 100.0):  # the weight only ranks targets against each other
        cfg = sm.SlateConfig(max_posts_per_person=3, women_share=0.5, penalty_women=weight)
        res = sm.explain(sm.solve(sm.build(pairs, posts, cands, cfg)))
        assert "W" in set(res.slates["cadre_id"]) and res.unmet.empty
    # no woman to choose: the target is reported with the reason, the slate is still the best one
    res = sm.explain(sm.solve(sm.build(pairs.iloc[:2], posts, cands, cfg)))
    assert set(res.slates["cadre_id"]) == {"M1", "M2"}
    assert res.unmet["target"].tolist() == ["Tỷ lệ nữ"] and "chỉ có 0 ứng viên nữ" in res.unmet["reason"].iloc[0]


def test_one_woman_in_six_is_not_chosen_when_one_in_four_is_possible():
    # three posts of two; men score 9, women 2: the best score takes one woman in six people (16,7 %)
    posts = pd.DataFrame({"post_id": ["P1", "P2", "P3"], "level": ["xa"] * 3, "slate_min": [1] * 3,
                          "slate_max": [2] * 3})
    men = [f"M{i}" for i in range(6)]
    pairs = pd.DataFrame([(m, f"P{1 + i // 2}", 9.0) for i, m in enumerate(men)]
                         + [("W1", "P1", 2.0), ("W2", "P2", 2.0)], columns=["cadre_id", "post_id", "score"])
    cands = pd.DataFrame({"cadre_id": men + ["W1", "W2"], "is_woman": [False] * 6 + [True] * 2, "is_young": False})
    cfg = sm.SlateConfig(max_posts_per_person=3, women_share=0.25)
    res = sm.explain(sm.solve(sm.build(pairs, posts, cands, cfg)))
    share = res.shares.set_index("indicator").loc["Tỷ lệ nữ"]
    assert share["achieved"] >= 0.25 and res.unmet.empty
    assert res.objective == pytest.approx(9.0 * 4 + 2.0 * 2)  # the best compliant slate (two women in six)


def test_age_cohorts_are_enforced_and_the_compliant_slate_wins():
    # a slate of cohorts 2 and 3 scores 18,0; the compliant one needs the young candidate (17,83)
    posts = pd.DataFrame({"post_id": ["P", "Q"], "level": ["xa", "xa"], "slate_min": [1, 1], "slate_max": [1, 1]})
    pairs = pd.DataFrame([("A", "P", 9.0), ("B", "Q", 9.0), ("Y", "Q", 8.83)], columns=["cadre_id", "post_id",
                                                                                         "score"])
    cands = pd.DataFrame({"cadre_id": ["A", "B", "Y"], "is_woman": False, "is_young": False, "cohort": [3, 2, 1]})
    posts2 = pd.concat([posts, pd.DataFrame({"post_id": ["R"], "level": ["xa"], "slate_min": [1],
                                             "slate_max": [1]})], ignore_index=True)
    pairs2 = pd.concat([pairs, pd.DataFrame([("B", "R", 0.5)], columns=["cadre_id", "post_id", "score"])])
    res = sm.explain(sm.solve(sm.build(pairs2, posts2, cands, sm.SlateConfig(max_posts_per_person=3))))
    assert set(res.slates["cadre_id"]) == {"A", "B", "Y"} and res.unmet.empty
    assert res.objective == pytest.approx(9.0 + 8.83 + 0.5)
    # without any candidate of cohort 1 the rule is reported as unmet, with the reason
    res = sm.explain(sm.solve(sm.build(pairs.iloc[:2], posts, cands, sm.SlateConfig(max_posts_per_person=3))))
    assert res.unmet["target"].tolist() == ["Đủ ba độ tuổi"]
    assert "không có ứng viên đủ điều kiện thuộc độ tuổi 1" in res.unmet["reason"].iloc[0]


def test_zero_minimum_on_an_empty_list_is_met():
    from kimson_ds.planning import succession as su
    from kimson_ds.rules.parameters import parameters

    P = parameters("2023-01-01", {"planning.women_share_min": 0.0, "planning.young_share_min": 0.0})
    empty = pd.DataFrame({"is_woman": pd.Series(dtype=bool), "is_young": pd.Series(dtype=bool),
                          "is_minority": pd.Series(dtype=bool), "cohort": pd.Series(dtype=int)})
    sh = su.share_summary(empty, P).set_index("param")
    assert bool(sh.loc["planning.women_share_min", "met"]) and bool(sh.loc["planning.young_share_min", "met"])
    P = parameters("2023-01-01")
    sh = su.share_summary(empty, P).set_index("param")
    assert not bool(sh.loc["planning.women_share_min", "met"])  # 25 % of nobody is not met
    posts = pd.DataFrame({"post_id": ["P"], "level": ["xa"], "slate_min": [0], "slate_max": [1]})
    pairs = pd.DataFrame(columns=["cadre_id", "post_id", "score"])
    cands = pd.DataFrame(columns=["cadre_id", "is_woman", "is_young"])
    res = sm.explain(sm.solve(sm.build(pairs, posts, cands, sm.SlateConfig(3, women_share=0.0, young_share=0.0))))
    assert res.slates.empty and res.unmet.empty


def test_ties_on_slates_are_detected_broken_by_pair_order_and_reported():
    # two equal people for two posts of one seat: two optimal slates
    posts = pd.DataFrame({"post_id": ["P", "Q"], "level": ["xa", "xa"], "slate_min": [1, 1], "slate_max": [1, 1],
                          "post_vi": ["Chức danh P", "Chức danh Q"]})
    pairs = pd.DataFrame([(c, p, 5.0) for c in ("A", "B") for p in ("P", "Q")], columns=["cadre_id", "post_id",
                                                                                          "base_score"])
    pairs["score"] = pairs["base_score"] + sm.tie_breaks(pairs)
    cands = pd.DataFrame({"cadre_id": ["A", "B"], "is_woman": False, "is_young": False})
    cfg = sm.SlateConfig(max_posts_per_person=1)
    res = sm.explain(sm.solve(sm.build(pairs, posts, cands, cfg)))
    chosen = set(zip(res.slates["cadre_id"], res.slates["post_id"], strict=True))
    assert chosen == {("A", "P"), ("B", "Q")}  # earlier (cadre, post) pairs first
    assert set(res.ties["post_id"]) == {"P", "Q"}
    assert (res.ties["criterion"].str.contains("mã cán bộ nhỏ hơn")).all()
    assert res.ties.set_index("post_id").loc["P", "alternative"] == "B"
    # a unique optimum reports no tie
    pairs.loc[0, ["base_score", "score"]] += 1.0
    res = sm.explain(sm.solve(sm.build(pairs, posts, cands, cfg)))
    assert res.ties.empty


def test_pins_force_and_conflicting_pins_are_infeasible():
    posts = pd.DataFrame({"post_id": ["P"], "level": ["xa"], "slate_min": [1], "slate_max": [1]})
    pairs = pd.DataFrame([("A", "P", 5.0), ("B", "P", 1.0)], columns=["cadre_id", "post_id", "score"])
    cands = pd.DataFrame({"cadre_id": ["A", "B"], "is_woman": False, "is_young": False})
    res = sm.explain(sm.solve(sm.build(pairs, posts, cands, sm.SlateConfig(3, pins=[("B", "P")]))))
    assert res.slates["cadre_id"].tolist() == ["B"]
    with pytest.raises(InfeasibleError, match="tối đa 1 người"):
        sm.solve(sm.build(pairs, posts, cands, sm.SlateConfig(3, pins=[("A", "P"), ("B", "P")])))


# --------------------------------------------------------------------------- run() on an inline dataset
def _dataset():
    units = pd.DataFrame([dict(unit_id="X1", name="Xã Một", kind="xa"), dict(unit_id="X2", name="Xã Hai", kind="xa")])
    pos = pd.DataFrame([
        dict(position_id="X1_BT", unit_id="X1", title="bi_thu", is_key=True, holder_id="H"),
        dict(position_id="X1_PBT", unit_id="X1", title="pho_bi_thu", is_key=True, holder_id="A"),
        dict(position_id="X1_CT", unit_id="X1", title="chu_tich_ubnd", is_key=True, holder_id="B"),
    ])

    def c(i, g="nam", b="1975-01-01"):
        return dict(cadre_id=i, full_name=f"Người {i}", gender=g, birth_date=b, unit_id="X1", education="dai_hoc",
                    political_theory="cao_cap", state_mgmt="chuyen_vien_chinh", managed_by_btv=True)

    cadres = pd.DataFrame([c("H", b="1961-01-01"), c("A"), c("B", g="nu"), c("OLD", b="1962-01-01")])
    pos = pd.concat([pos, pd.DataFrame([dict(position_id="X1_HD", unit_id="X1", title="chu_tich_hdnd", is_key=True,
                                             holder_id="OLD")])])
    ratings = pd.DataFrame([dict(cadre_id="A", year=2018, level="xuat_sac"), dict(cadre_id="B", year=2018,
                                                                                    level="tot")])
    plan = pd.DataFrame([dict(cadre_id="OLD", target_title="bi_thu", target_unit_id="X1", term="2020-2025",
                              added_on="2017-06-01")])
    return Dataset.from_frames({"units": units, "positions": pos, "cadres": cadres, "ratings": ratings,
                                "planning": plan}, as_of="2030-01-01")


def test_run_builds_slates_explains_and_diffs():
    ds = _dataset()
    res = sm.run(ds, sm.PlanScenario(as_of="2018-12-31"))
    bt = res.slates.loc[res.slates["post_id"] == "bi_thu@X1"]
    assert bt["cadre_id"].tolist() == ["A", "B"]                      # xuất sắc before tốt; OLD too old
    diff = res.diff.set_index(["cadre_id", "post_id"])
    assert diff.loc[("OLD", "bi_thu@X1"), "change"] == "bo"
    assert "tuổi" in diff.loc[("OLD", "bi_thu@X1"), "reason"]
    assert diff.loc[("A", "bi_thu@X1"), "change"] == "them"
    again = sm.run(ds, sm.PlanScenario(as_of="2018-12-31"))
    pd.testing.assert_frame_equal(res.slates, again.slates)           # deterministic


def test_run_excludes_pins_and_errors():
    ds = _dataset()
    res = sm.run(ds, sm.PlanScenario(as_of="2018-12-31", excludes=[{"cadre_id": "A"}]))
    assert "A" not in set(res.slates["cadre_id"])
    with pytest.raises(InfeasibleError, match="không đủ tuổi"):
        sm.run(ds, sm.PlanScenario(as_of="2018-12-31", pins=[
            {"cadre_id": "OLD", "target_title": "bi_thu", "target_unit_id": "X1"}]))
    with pytest.raises(ScenarioError, match="NOBODY"):
        sm.run(ds, sm.PlanScenario(as_of="2018-12-31", pins=[
            {"cadre_id": "NOBODY", "target_title": "bi_thu", "target_unit_id": "X1"}]))


def test_scenario_rejects_unknown_keys():
    from kimson_ds.config import parse_scenario

    with pytest.raises(ScenarioError, match="không được hỗ trợ"):
        parse_scenario({"term": "2020-2025", "slates": 3}, sm.PlanScenario)


@pytest.mark.slow
def test_cli_plan_modes_on_sample(tmp_path, monkeypatch):
    from pathlib import Path

    from kimson_ds.cli import main

    root = Path(__file__).resolve().parents[2]
    data = root / "data" / "kimson"
    if not data.is_dir():
        pytest.skip("sample dataset not generated")
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    sc = str(root / "data" / "scenarios" / "quy-hoach-2020-2025.yaml")
    assert main(["plan", str(data), "--scenario", sc, "--out", str(tmp_path / "c")]) == 0
    v = pd.read_csv(tmp_path / "c" / "violations.csv", encoding="utf-8-sig")
    assert {"AGE", "POSTS_PER_PERSON", "SLATE_MIN"} <= set(v["Mã quy tắc"])
    assert main(["plan", str(data), "--scenario", sc, "--optimise", "--out", str(tmp_path / "o")]) == 0
    assert (tmp_path / "o" / "slates.csv").is_file() and (tmp_path / "o" / "run.json").is_file()
    assert main(["plan", str(data), "--scenario", sc, "--review", "--out", str(tmp_path / "r")]) == 0
    r = pd.read_csv(tmp_path / "r" / "review.csv", encoding="utf-8-sig")
    assert {"Giữ lại", "Bổ sung", "Đưa ra"} <= set(r["Kết quả rà soát"])
    bad = tmp_path / "bad.yaml"
    bad.write_text("term: '2020-2025'\npins: [{cadre_id: XX, target_title: bi_thu, target_unit_id: HU}]\n",
                   encoding="utf-8")
    assert main(["plan", str(data), "--scenario", str(bad), "--optimise", "--out", str(tmp_path / "b")]) == 2


@pytest.mark.parametrize("as_of, term_start", [("2018-12-31", "2020-07-01"), ("2023-06-30", None)])
def test_sample_proposals_pass_their_own_check_or_name_the_unmet_target(as_of, term_start):
    from pathlib import Path

    from kimson_ds.data.io import load_dataset
    from kimson_ds.planning import succession as su

    data = Path(__file__).resolve().parents[2] / "data" / "kimson"
    ds = load_dataset(data)
    sc = sm.PlanScenario(term="2020-2025", as_of=as_of, term_start=term_start, slate_size=3)
    res = sm.run(ds, sc)
    s = res.slates
    added = res.pairs.set_index(["cadre_id", "post_id"])["added_on"]
    keys = pd.Series(list(zip(s["cadre_id"], s["post_id"], strict=True)), index=s.index)
    plan = pd.DataFrame({"cadre_id": s["cadre_id"], "target_title": s["post_id"].str.split("@").str[0],
                         "target_unit_id": s["post_id"].str.split("@").str[1], "term": "2020-2025",
                         "added_on": pd.to_datetime(keys.map(added)).fillna(pd.Timestamp(as_of)),
                         "removed_on": pd.NaT, "removal_reason": None})
    comp = su.check_compliance(ds, "2020-2025", as_of, planning=plan, params=res.params, term_start=term_start)
    rule_of = {"Tỷ lệ nữ": "WOMEN_SHARE", "Tỷ lệ cán bộ trẻ": "YOUNG_SHARE", "Đủ ba độ tuổi": "COHORTS"}
    named = {rule_of.get(t, "SLATE_MIN") for t in res.unmet["target"]}
    # RELATIVES is a review note of the check ("cần xem xét"), not yet a rule of the optimiser
    assert set(comp.violations["rule"]) - {"RELATIVES"} <= named, comp.violations[["rule", "detail"]].to_string()
    assert (res.unmet["reason"] != "").all()
