"""Rotation planner: brute-force optima, every rule respected and binding, diagnosis, pins, bans,
determinism, alternatives, baseline, merger staffing, CLI."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from kimson_ds.data.io import Dataset
from kimson_ds.errors import InfeasibleError, ScenarioError
from kimson_ds.rotation.model import RotationScenario, build, load_rotation_scenario, prepare, resolve, run

ROOT = Path(__file__).resolve().parents[2]

CADRES = [
    # id, name, gender, birth, unit, home, work start
    ("C1", "Nguyễn Văn An", "nam", "1970-03-01", "D1", "X1", "1995-01-01"),
    ("C2", "Trần Thị Bình", "nu", "1975-05-01", "D2", "X2", "1998-01-01"),
    ("C3", "Lê Văn Cường", "nam", "1984-07-01", "D1", "X3", "2008-01-01"),
    ("C4", "Phạm Thị Dung", "nu", "1983-02-01", "D2", "X3", "2006-01-01"),
    ("C5", "Hoàng Văn Em", "nam", "1972-09-01", "D3", "X2", "1996-01-01"),
]


def tiny(n_communes=3, cadres=CADRES, relatives=None, discipline=None, ratings=None, extra_positions=(),
         extra_cadres=(), org_ratings=None):
    units = [dict(unit_id="D1", name="Phòng Nội vụ", kind="phong_ban", function="noi_vu"),
             dict(unit_id="D2", name="Phòng Tư pháp", kind="phong_ban", function="tu_phap"),
             dict(unit_id="D3", name="Ban Dân vận", kind="co_quan_dang", function="dan_van")]
    pos = []
    for k in range(1, n_communes + 1):
        units.append(dict(unit_id=f"X{k}", name=f"Xã {k}", kind="xa", distance_km=float(k * 5)))
        pos.append(dict(position_id=f"X{k}_BT", unit_id=f"X{k}", title="bi_thu", is_key=True))
        pos.append(dict(position_id=f"X{k}_PBT", unit_id=f"X{k}", title="pho_bi_thu", is_key=True))
    pos += [dict(position_id="D1_TP", unit_id="D1", title="truong_phong", is_key=True, holder_id="C1"),
            dict(position_id="D2_TP", unit_id="D2", title="truong_phong", is_key=True, holder_id="C2"),
            dict(position_id="D1_PTP", unit_id="D1", title="pho_truong_phong", is_key=False, holder_id="C3"),
            dict(position_id="D2_PTP", unit_id="D2", title="pho_truong_phong", is_key=False, holder_id="C4"),
            dict(position_id="D3_TB", unit_id="D3", title="truong_ban", is_key=True, holder_id="C5")]
    pos += list(extra_positions)
    rows = [dict(cadre_id=c[0], full_name=c[1], gender=c[2], birth_date=c[3], unit_id=c[4], home_unit_id=c[5],
                 work_start_date=c[6], managed_by_btv=True) for c in cadres]
    rows += [dict(**c, managed_by_btv=True) for c in extra_cadres]
    frames = {"units": pd.DataFrame(units), "positions": pd.DataFrame(pos), "cadres": pd.DataFrame(rows),
              "planning": pd.DataFrame([dict(cadre_id=c[0], target_title="bi_thu", target_unit_id="X1",
                                             term="2015-2020") for c in cadres])}
    for name, val in (("relatives", relatives), ("discipline", discipline), ("ratings", ratings),
                      ("org_ratings", org_ratings)):
        if val is not None:
            frames[name] = pd.DataFrame(val)
    return Dataset.from_frames(frames, as_of="2017-12-31")


RATINGS = [dict(cadre_id=c, year=y, level=lv) for c, lv in
           (("C1", "tot"), ("C2", "xuat_sac"), ("C3", "tot"), ("C4", "xuat_sac"), ("C5", "hoan_thanh"))
           for y in (2014, 2015)]
ORG = [dict(unit_id="X2", year=2015, scheme="tccsd", level="hoan_thanh"),
       dict(unit_id="X3", year=2015, scheme="tccsd", level="khong_hoan_thanh")]


def scen(**kw) -> RotationScenario:
    data = {"as_of": "2016-11-30", "posts": {"counts": {"bi_thu": 1, "pho_bi_thu": 2}}, "rule_costs": False}
    data.update(kw)
    return RotationScenario.model_validate(data)


def plan(result) -> set[tuple[str, str]]:
    a = result.assignments
    return set(zip(a["cadre_id"], a["post_id"], strict=True))


def brute_force(pb, *, min_women=0, max_per_unit=None):
    """Best objective over every feasible assignment (counts mode), by enumeration."""
    pairs = pb.pairs
    counts = pb.scenario.posts.counts
    title = dict(zip(pb.posts["post_id"], pb.posts["title"], strict=True))
    gender = dict(zip(pb.cands["cadre_id"], pb.cands["gender"], strict=True))
    unit = dict(zip(pb.cands["cadre_id"], pb.cands["unit_id"], strict=True))
    rows = list(pairs[["cadre_id", "post_id", "score"]].itertuples(index=False, name=None))
    total = sum(counts.values())
    best = None
    for combo in itertools.combinations(rows, total):
        cs = [r[0] for r in combo]
        ps = [r[1] for r in combo]
        if len(set(cs)) < total or len(set(ps)) < total:
            continue
        if any(sum(title[p] == t for p in ps) != n for t, n in counts.items()):
            continue
        if sum(gender[c] == "nu" for c in cs) < min_women:
            continue
        if max_per_unit is not None and max(pd.Series([unit[c] for c in cs]).value_counts()) > max_per_unit:
            continue
        val = round(sum(r[2] for r in combo), 6)
        best = val if best is None else max(best, val)
    return best


# ----------------------------------------------------------------------------- optimum
@pytest.mark.parametrize("kw,min_women,cap", [
    ({}, 0, None),
    ({"rules": {"gender": {"min_women": 2}}}, 2, None),
    ({"rules": {"source_units": {"max_per_unit": 1}}}, 0, 1),
    ({"rules": {"seniority": {"enabled": False}, "young": {"enabled": False}, "gender": {"min_women": 1},
                "source_units": {"max_per_unit": 1}}}, 1, 1),
])
def test_optimum_matches_brute_force(kw, min_women, cap):
    ds = tiny(ratings=RATINGS, org_ratings=ORG)
    sc = scen(**kw)
    r = run(ds, sc)
    assert r.feasible
    expected = brute_force(r.problem, min_women=min_women, max_per_unit=cap)
    assert expected is not None
    assert r.solution.objective == pytest.approx(expected, abs=1e-6)
    assert len(r.assignments) == 3


def test_variables_only_over_eligible_pairs():
    ds = tiny()
    pb = prepare(ds, scen())
    m = build(pb)
    assert len(m.x) == int(pb.elig["eligible"].sum()) == len(pb.pairs)


# ----------------------------------------------------------------------------- eligibility rules
def _elig(r, cadre, post):
    e = r.problem.elig
    return e[(e["cadre_id"] == cadre) & (e["post_id"] == post)].iloc[0]


@pytest.mark.parametrize("rule,cadre,post,text,ds_kw", [
    ("home", "C1", "X1_PBT", "quê quán", {}),
    ("seniority", "C3", "X2_BT", "năm công tác", {}),
    ("young", "C3", "X2_BT", "cán bộ trẻ", {}),
    ("years_left", "C6", "X1_PBT", "năm công tác, cần ít nhất 10", {
        "extra_cadres": [dict(cadre_id="C6", full_name="Vũ Văn Già", gender="nam", birth_date="1960-01-01",
                              unit_id="D3", home_unit_id="X2", work_start_date="1985-01-01")]}),
    ("discipline", "C5", "X1_BT", "kỷ luật", {
        "discipline": [dict(cadre_id="C5", form="canh_cao", decided_on="2016-06-01")]}),
    ("relatives", "C2", "X3_BT", "người thân", {
        "extra_positions": [dict(position_id="X3_CT", unit_id="X3", title="chu_tich_ubnd", is_key=True,
                                 holder_id="R1")],
        "extra_cadres": [dict(cadre_id="R1", full_name="Trần Văn Rể", gender="nam", birth_date="1970-01-01",
                              unit_id="X3", home_unit_id="X3", work_start_date="1990-01-01")],
        "relatives": [dict(cadre_id="C2", relative_id="R1", relation="anh_chi_em")]}),
])
def test_each_eligibility_rule_excludes_and_can_be_switched_off(rule, cadre, post, text, ds_kw):
    ds = tiny(**ds_kw)
    kw = {"candidates": {"cadre_ids": ["C1", "C2", "C3", "C4", "C5", *(["C6"] if rule == "years_left" else [])]}}
    # the home commune and relatives outside the named pairs exclude only when the scenario makes them absolute
    strict = {"rules": {rule: {"absolute": True}}} if rule in ("home", "relatives") else {}
    r = run(ds, scen(**kw, **strict))
    row = _elig(r, cadre, post)
    assert not row["eligible"] and row[f"fail_{rule}"] and text in row["reasons"]
    assert (cadre, post) not in plan(r)
    if strict:  # by default: eligible, with a "cần xem xét" warning naming the same fact
        soft = _elig(run(ds, scen(**kw)), cadre, post)
        assert not soft[f"fail_{rule}"] and soft[f"warn_{rule}"] and text in soft["warnings"]
    off = run(ds, scen(**kw, rules={rule: {"enabled": False}}))
    assert not _elig(off, cadre, post)[f"fail_{rule}"]


def test_reasons_list_every_failed_rule():
    r = run(tiny(), scen())
    row = _elig(r, "C3", "X3_BT")  # young and junior; home commune only a warning
    assert row["n_reasons"] == 2
    for t in ("năm công tác", "cán bộ trẻ"):
        assert t in row["reasons"]
    assert "quê quán" in row["warnings"]


def test_discipline_without_expiry_uses_bar_months_parameter():
    ds = tiny(discipline=[dict(cadre_id="C5", form="khien_trach", decided_on="2015-06-01")])
    r = run(ds, scen())  # 12 months after 2015-06-01 → over by 2016-11-30
    assert not _elig(r, "C5", "X1_BT")["fail_discipline"]


def test_parameter_override_from_rule_is_recorded():
    r = run(tiny(), scen(rules={"years_left": {"min_years": 30}}))
    assert r.problem.params.used["rotation.min_years_left"] == 30
    assert "rotation.min_years_left" in r.problem.params.overrides
    assert not r.feasible


# ----------------------------------------------------------------------------- side rules
def test_gender_minimum_respected_and_binding():
    men_first = [dict(cadre_id=c, year=2015, level=lv) for c, lv in
                 (("C1", "xuat_sac"), ("C2", "hoan_thanh"), ("C3", "xuat_sac"), ("C4", "hoan_thanh"),
                  ("C5", "xuat_sac"))]
    ds = tiny(ratings=men_first)
    posts = {"counts": {"bi_thu": 1, "pho_bi_thu": 1}}
    free = run(ds, scen(posts=posts, rules={"gender": {"enabled": False}}))
    assert (free.assignments["gender"] == "Nữ").sum() == 0
    r = run(ds, scen(posts=posts, rules={"gender": {"min_women": 2}}))
    assert r.feasible and (r.assignments["gender"] == "Nữ").sum() == 2
    assert r.solution.objective < free.solution.objective
    assert "Số nữ tối thiểu" in set(r.tables["binding"]["rule"])


def test_gender_share_rounds_up():
    r = run(tiny(), scen(rules={"gender": {"min_women_share": 0.5}}))  # 0.5 × 3 → 2
    assert (r.assignments["gender"] == "Nữ").sum() >= 2


def test_source_unit_cap_respected_and_binding():
    ds = tiny(ratings=RATINGS)
    free = run(ds, scen(rules={"source_units": {"enabled": False}}))
    assert free.assignments["source_unit"].value_counts().max() == 2  # binds below
    r = run(ds, scen(rules={"source_units": {"max_per_unit": 1}}))
    assert r.assignments["source_unit"].value_counts().max() == 1
    assert r.solution.objective < free.solution.objective


def test_related_candidates_never_in_same_commune():
    rel = [dict(cadre_id="C2", relative_id="C4", relation="anh_chi_em")]
    sc = dict(posts={"position_ids": ["X1_BT", "X1_PBT"]}, candidates={"cadre_ids": ["C2", "C4"]},
              rules={"seniority": {"enabled": False}, "young": {"enabled": False}})
    free = run(tiny(), scen(**sc))
    assert {c for c, _ in plan(free)} == {"C2", "C4"}
    r = run(tiny(relatives=rel), scen(**sc))
    assert not r.feasible  # both posts cannot be filled by the two sisters
    assert any("Không bố trí được người" in d for d in r.diagnosis)


# ----------------------------------------------------------------------------- infeasible
def test_infeasible_women_per_title_gives_vietnamese_diagnosis():
    r = run(tiny(), scen(rules={"gender": {"per_title": {"bi_thu": 2}}}))
    assert not r.feasible and r.elastic
    text = "\n".join(r.diagnosis)
    assert "Cần 2 nữ cho chức danh Bí thư nhưng chỉ có 1 ứng viên nữ đủ điều kiện" in text
    assert "thiếu" in text
    assert "Thâm niên, bậc chức danh: 1 người (Phạm Thị Dung)" in text  # the rule that keeps the other woman out


def test_infeasible_count_diagnosis_and_raise():
    sc = scen(posts={"counts": {"bi_thu": 4}})
    with pytest.raises(InfeasibleError) as exc:
        run(tiny(), sc, raise_infeasible=True)
    assert "Cần 4 người cho chức danh Bí thư nhưng chỉ có 3 ứng viên đủ điều kiện" in str(exc.value)
    assert "Cán bộ trẻ chỉ làm cấp phó: 2 người (Lê Văn Cường, Phạm Thị Dung)" in str(exc.value)
    assert exc.value.result is not None and not exc.value.result.feasible


def test_strict_false_reports_slack_but_is_a_plan():
    r = run(tiny(), scen(strict=False, rules={"gender": {"min_women": 4}}))
    assert r.feasible and r.solution.optimal
    assert any("thiếu" in d for d in r.diagnosis)
    assert len(r.assignments) == 3


# ----------------------------------------------------------------------------- pins, bans
def test_pin_forces_pair_and_ban_forbids_it():
    ds = tiny(ratings=RATINGS)
    base = run(ds, scen())
    pair = sorted(base.problem.pairs[["cadre_id", "post_id"]].itertuples(index=False, name=None))
    other = next(p for p in pair if p not in plan(base))
    pinned = run(ds, scen(pins=[{"cadre_id": other[0], "post_id": other[1]}]))
    assert other in plan(pinned) and pinned.solution.objective <= base.solution.objective + 1e-9
    chosen = sorted(plan(base))[0]
    banned = run(ds, scen(bans=[{"cadre_id": chosen[0], "post_id": chosen[1]}]))
    assert chosen not in plan(banned)
    assert "cặp cấm" in _elig(banned, *chosen)["reasons"]


def test_ineligible_pin_is_diagnosed():
    r = run(tiny(), scen(pins=[{"cadre_id": "C1", "post_id": "X1_BT"}], rules={"home": {"absolute": True}}))
    assert not r.feasible
    assert any("Chỉ định C1 → X1_BT" in d and "quê quán" in d for d in r.diagnosis)


def test_unknown_ids_and_keys_are_scenario_errors(tmp_path):
    with pytest.raises(ScenarioError, match="C99"):
        run(tiny(), scen(candidates={"cadre_ids": ["C1", "C99"]}))
    with pytest.raises(ScenarioError, match="NOPE"):
        run(tiny(), scen(bans=[{"cadre_id": "C1", "post_id": "NOPE"}]))
    f = tmp_path / "s.yaml"
    f.write_text("as_of: 2016-11-30\nposts: {counts: {bi_thu: 1}}\nrules: {genderr: {}}\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="genderr"):
        load_rotation_scenario(f)


# ----------------------------------------------------------------------------- determinism, alternatives
def test_same_input_same_plan():
    ds = tiny(ratings=RATINGS, org_ratings=ORG)
    a, b = run(ds, scen(alternatives=3)), run(ds, scen(alternatives=3))
    pd.testing.assert_frame_equal(a.assignments, b.assignments)
    pd.testing.assert_frame_equal(a.alternatives, b.alternatives)


def test_alternatives_distinct_and_not_better():
    r = run(tiny(ratings=RATINGS, org_ratings=ORG), scen(alternatives=4))
    plans = [plan(r)] + [set(zip(p["cadre_id"], p["post_id"], strict=True)) for p in r.alternative_plans]
    assert len(plans) == 4 and len({frozenset(p) for p in plans}) == 4
    assert (r.alternatives["objective"] <= r.solution.objective + 1e-9).all()
    assert (r.alternatives["delta"].iloc[1:] <= 1e-9).all()
    assert all(r.alternatives["changes"].iloc[1:].str.len() > 0)


def test_baseline_keeps_unchanged_input_plan(tmp_path):
    ds = tiny(ratings=RATINGS, org_ratings=ORG)
    first = run(ds, scen())
    base = tmp_path / "base.csv"
    first.assignments[["cadre_id", "post_id"]].to_csv(base, index=False)
    # a pair score file that makes another plan better by a hair: the baseline penalty keeps the old plan
    alt = sorted(set(first.problem.pairs[["cadre_id", "post_id"]].itertuples(index=False, name=None))
                 - plan(first))
    bonus = pd.DataFrame([(c, p, 1e-3 + first.problem.pairs.set_index(["cadre_id", "post_id"]).loc[(c, p), "score"])
                          for c, p in alt[:3]], columns=["cadre_id", "post_id", "score"])
    bonus.to_csv(tmp_path / "scores.csv", index=False)
    sc = scen(baseline=str(base), baseline_penalty=1.0)
    again = run(ds, sc)
    assert plan(again) == plan(first)
    sc2 = scen(baseline=str(base), pair_scores=str(tmp_path / "scores.csv"))
    assert plan(run(ds, sc2)) == plan(first)


def test_pair_scores_replace_computed_scores(tmp_path):
    ds = tiny()
    first = run(ds, scen())
    target = sorted(set(first.problem.pairs[["cadre_id", "post_id"]].itertuples(index=False, name=None))
                    - plan(first))[0]
    pd.DataFrame([(*target, 50.0)], columns=["cadre_id", "post_id", "score"]).to_csv(tmp_path / "s.csv", index=False)
    r = run(ds, scen(pair_scores=str(tmp_path / "s.csv")))
    assert target in plan(r)
    row = r.assignments[r.assignments["post_id"] == target[1]].iloc[0]
    assert row["custom"] and row["score"] == 50.0


def test_resolve_applies_changes():
    ds = tiny()
    sc = scen()
    r = resolve(ds, sc, strict=False, posts={"counts": {"bi_thu": 1, "pho_bi_thu": 1}})
    assert len(r.assignments) == 2 and r.rule_costs.empty


# ----------------------------------------------------------------------------- merger
def test_merger_draws_on_every_predecessor_and_lists_surplus():
    ds_frames = tiny(n_communes=3).tables
    units = pd.concat([ds_frames["units"], pd.DataFrame([dict(unit_id="XN", name="Xã Mới", kind="xa",
                                                               valid_from=pd.Timestamp("2020-01-01"))])])
    units.loc[units["unit_id"].isin(["X1", "X2"]), "successor_unit_id"] = "XN"
    units.loc[units["unit_id"].isin(["X1", "X2"]), "valid_to"] = pd.Timestamp("2019-12-31")
    pos = ds_frames["positions"]
    pos = pos[~pos["unit_id"].isin(["X3"])].copy()
    holders = {"X1_BT": "C1", "X1_PBT": "C3", "X2_BT": "C5", "X2_PBT": "C2"}
    pos["holder_id"] = pos["position_id"].map(holders).fillna(pos["holder_id"])
    pos.loc[pos["position_id"].isin(["D1_TP", "D2_TP", "D1_PTP", "D3_TB"]), "holder_id"] = None
    pos = pd.concat([pos, pd.DataFrame([dict(position_id="XN_BT", unit_id="XN", title="bi_thu", is_key=True),
                                        dict(position_id="XN_PBT", unit_id="XN", title="pho_bi_thu", is_key=True)])])
    frames = dict(ds_frames, units=units.drop(columns=[]), positions=pos, ratings=pd.DataFrame(
        [dict(cadre_id="C1", year=2018, level="xuat_sac"), dict(cadre_id="C3", year=2018, level="xuat_sac"),
         dict(cadre_id="C5", year=2018, level="hoan_thanh"), dict(cadre_id="C2", year=2018, level="hoan_thanh")]))
    ds = Dataset.from_frames(frames, as_of="2019-12-31")
    sc = RotationScenario.model_validate({
        "as_of": "2019-12-31", "posts": {"units": ["XN"]}, "candidates": {"key_holders_of": ["X1", "X2"]},
        "merger": {"new_units": {"XN": ["X1", "X2"]}}, "strict": False, "rule_costs": False,
        "rules": {"home": {"enabled": False}, "years_left": {"enabled": False}, "young": {"enabled": False},
                  "seniority": {"enabled": False}, "gender": {"enabled": False}}})
    r = run(ds, sc)
    a = r.assignments
    assert len(a) == 2
    # both best-rated cadres come from X1; coverage makes one seat go to X2
    src = set(r.problem.cands.set_index("cadre_id").loc[a["cadre_id"], "source_commune"])
    assert src == {"X1", "X2"}
    assert len(r.tables["unused"]) == 2 and r.tables["unused"]["reason"].str.startswith("Dôi dư").all()
    data = sc.model_dump()
    data["rules"]["predecessors"] = {"enabled": False}
    off = run(ds, RotationScenario.model_validate(data))
    assert set(off.assignments["cadre_id"]) == {"C1", "C3"}


# ----------------------------------------------------------------------------- sample + CLI
def _cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "kimson_ds.cli", *args], capture_output=True, text=True,
                          cwd=cwd, env={"KIMSON_AUDIT_LOG": str(Path(cwd) / "audit.jsonl"), "PATH": ""})


@pytest.mark.slow
def test_cli_rotate_sample_2016(tmp_path):
    out = tmp_path / "out"
    p = _cli("rotate", str(ROOT / "data/kimson"), "--scenario", str(ROOT / "data/scenarios/luan-chuyen-2016.yaml"),
             "--out", str(out), cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    for name in ("assignments.csv", "eligibility.csv", "unfilled.csv", "unused.csv", "diagnosis.txt", "run.json"):
        assert (out / name).is_file()
    a = pd.read_csv(out / "assignments.csv", encoding="utf-8-sig")
    assert (a["Chức danh đến"] == "Bí thư").sum() == 2 and (a["Chức danh đến"] == "Phó Bí thư").sum() == 4
    rec = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert rec["solver"]["optimal"] and rec["data_fingerprint"] and "rotation.min_years_left" in rec["parameters"]
    assert "Traceback" not in p.stderr


@pytest.mark.slow
def test_cli_infeasible_exit_3_and_bad_input_exit_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("as_of: 2016-11-30\nposts: {counts: {bi_thu: 2}}\ncandidates: {source_kinds: [phong_ban]}\n"
                   "rules: {gender: {per_title: {bi_thu: 9}}}\n", encoding="utf-8")
    p = _cli("rotate", str(ROOT / "data/kimson"), "--scenario", str(bad), "--out", str(tmp_path / "o"), cwd=tmp_path)
    assert p.returncode == 3 and "Cần 9 nữ cho chức danh Bí thư" in p.stderr and "Traceback" not in p.stderr
    ids = tmp_path / "ids.yaml"
    ids.write_text("as_of: 2016-11-30\nposts: {position_ids: [KHONG_CO]}\n", encoding="utf-8")
    p = _cli("rotate", str(ROOT / "data/kimson"), "--scenario", str(ids), "--out", str(tmp_path / "o2"), cwd=tmp_path)
    assert p.returncode == 2 and "KHONG_CO" in p.stderr and "Traceback" not in p.stderr


@pytest.mark.slow
@pytest.mark.parametrize("name,n_posts", [("sap-xep-2020", 4), ("sap-xep-2025", 40)])
def test_merger_scenarios_on_sample(name, n_posts):
    from kimson_ds.data.io import load_dataset

    ds = load_dataset(ROOT / "data/kimson")
    r = run(ds, load_rotation_scenario(ROOT / f"data/scenarios/{name}.yaml"), rule_costs=False)
    assert r.solution.optimal and len(r.assignments) == n_posts
    assert len(r.tables["unfilled"]) == 0


@pytest.mark.slow
def test_notebook_renders_with_knobs(tmp_path):
    import nbformat

    nb = nbformat.read(ROOT / "notebooks/30-luan-chuyen.ipynb", as_version=4)
    assert "parameters" in nb.cells[2].metadata.get("tags", [])
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    assert not any("def " in c.source or "class " in c.source for c in nb.cells if c.cell_type == "code")
    p = subprocess.run([sys.executable, "-m", "kimson_ds.cli", "report", str(ROOT / "notebooks/30-luan-chuyen.ipynb"),
                        "-p", "n_pho_bi_thu", "3", "-p", "alternatives", "1", "--out", str(tmp_path)],
                       capture_output=True, text=True, cwd=ROOT,
                       env={"KIMSON_AUDIT_LOG": str(tmp_path / "audit.jsonl"), "PATH": str(Path(sys.executable).parent),
                            "HOME": str(tmp_path)})
    assert p.returncode == 0, p.stderr
    html = (tmp_path / "30-luan-chuyen.html").read_text(encoding="utf-8")
    assert "Phương án luân chuyển tối ưu" in html and "Căn cứ pháp lý" in html and "Traceback" not in html
