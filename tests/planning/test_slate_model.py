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
                          "is_young": rng.random(n_c) < 0.4})
    return pairs, posts, cands


def _brute(pairs, posts, cands, cfg, basis=None):
    level = posts.set_index("post_id")["level"]
    woman = cands.set_index("cadre_id")["is_woman"]
    young = cands.set_index("cadre_id")["is_young"]
    keys = list(zip(pairs["cadre_id"], pairs["post_id"], strict=True))
    score = dict(zip(keys, pairs["score"], strict=True))
    links = {} if basis is None else basis.groupby(["cadre_id", "post_id"])["basis_post_id"].agg(set).to_dict()
    best = -np.inf
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
            obj = sum(score[k] for k in S)
            obj -= cfg.penalty_slate_min * sum(max(0, mn - per_post.get(p, 0))
                                               for p, mn in zip(posts["post_id"], posts["slate_min"], strict=True))
            if cfg.women_share is not None:
                obj -= cfg.penalty_women * max(0.0, cfg.women_share * len(people) - sum(woman[c] for c in people))
            if cfg.young_share is not None:
                obj -= cfg.penalty_young * max(0.0, cfg.young_share * len(people) - sum(young[c] for c in people))
            best = max(best, obj)
    return best


@pytest.mark.parametrize("seed", range(8))
def test_optimum_matches_brute_force(seed):
    pairs, posts, cands = _instance(seed)
    cfg = sm.SlateConfig(max_posts_per_person=1 + seed % 2, women_share=0.5, young_share=0.25 if seed % 3 else None,
                         penalty_women=3.0, penalty_young=2.0, penalty_slate_min=4.0)
    model = sm.solve(sm.build(pairs, posts, cands, cfg))
    got = sm.explain(model).objective
    assert got == pytest.approx(_brute(pairs, posts, cands, cfg), abs=1e-6)


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
    assert res.objective == pytest.approx(_brute(pairs.drop(columns="needs_basis"), posts, cands, cfg, basis))


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


def test_women_target_soft_with_reason():
    posts = pd.DataFrame({"post_id": ["P"], "level": ["xa"], "slate_min": [2], "slate_max": [2]})
    pairs = pd.DataFrame([("M1", "P", 5.0), ("M2", "P", 5.0), ("W", "P", 1.0)], columns=["cadre_id", "post_id",
                                                                                         "score"])
    cands = pd.DataFrame({"cadre_id": ["M1", "M2", "W"], "is_woman": [False, False, True], "is_young": False})
    cheap = sm.SlateConfig(max_posts_per_person=3, women_share=0.5, penalty_women=1.0)
    res = sm.explain(sm.solve(sm.build(pairs, posts, cands, cheap)))
    assert set(res.slates["cadre_id"]) == {"M1", "M2"}
    assert res.unmet["target"].tolist() == ["Tỷ lệ nữ"] and "tăng trọng số phạt" in res.unmet["reason"].iloc[0]
    assert res.shares.set_index("indicator").loc["Tỷ lệ nữ", "shortfall"] == pytest.approx(1.0)
    dear = sm.SlateConfig(max_posts_per_person=3, women_share=0.5, penalty_women=10.0)
    model = sm.solve(sm.build(pairs, posts, cands, dear))
    res = sm.explain(model)
    assert "W" in set(res.slates["cadre_id"]) and res.unmet.empty
    assert model.stages == "relaxation+full"   # the relaxation (no shares) picks M1, M2 and misses the target
    low = sm.solve(sm.build(pairs, posts, cands, sm.SlateConfig(max_posts_per_person=3, women_share=0.0)))
    assert low.stages == "relaxation" and sm.explain(low).objective == pytest.approx(10.0)
    none = sm.SlateConfig(max_posts_per_person=3, women_share=0.5, penalty_women=10.0)
    res = sm.explain(sm.solve(sm.build(pairs.iloc[:2], posts, cands, none)))
    assert "chỉ có 0 ứng viên nữ" in res.unmet["reason"].iloc[0]


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
