"""Rotation planner benchmarks, side by side in one run (prints figures; not a timed test).

Run: ``.venv/bin/python benchmarks/rotation.py [province big district startup]``.

* ``province`` 1,000 candidates × 500 posts (50,000 eligible pairs) and ``big`` 2,000 × 1,000
  (100,000 pairs), side constraints on (per-title counts (3), a women minimum (4), a source-unit
  cap (6)): build + solve of a plain PuLP+CBC model (the textbook formulation with ``lpSum``)
  against the project's matrix model solved through HiGHS, equal objectives checked; then a
  panel change (Bí thư count and women minimum) answered by a warm-started re-solve of the
  live model, and the pure assignment case against ``scipy.optimize.linear_sum_assignment``.
* ``district``: the Kim Sơn sample 2016 scenario end to end and the panel re-solve.
* ``startup``: ``kimson-ds --help`` wall time (best of 5 fresh processes).

Scores are integers so that every objective must match exactly.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pulp
from scipy.optimize import linear_sum_assignment

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kimson_ds.rotation.matrix import build_fast, set_demand  # noqa: E402
from kimson_ds.rotation.model import Problem, RotationScenario, solve_fast  # noqa: E402

SIZES = {"province": (1000, 500, 0.1), "big": (2000, 1000, 0.05)}


def synthetic(n_c: int, n_p: int, density: float, side: bool = True, seed: int = 0) -> Problem:
    """A random instance: eligible pairs with integer scores 1..1000."""
    rng = np.random.default_rng(seed)
    cands = pd.DataFrame({"cadre_id": [f"C{i:05d}" for i in range(n_c)],
                          "gender": np.where(rng.random(n_c) < 0.3, "nu", "nam"),
                          "unit_id": [f"U{i % max(1, n_c // 6):04d}" for i in range(n_c)],
                          "source_commune": None, "years_service": rng.integers(5, 30, n_c).astype(float),
                          "years_left": rng.integers(5, 30, n_c).astype(float)})
    titles = np.where(np.arange(n_p) % 3 == 0, "bi_thu", "pho_bi_thu")
    posts = pd.DataFrame({"post_id": [f"P{j:05d}" for j in range(n_p)], "title": titles,
                          "commune_id": [f"X{j // 2:05d}" for j in range(n_p)]})
    mask = rng.random((n_c, n_p)) < density
    ci, pi = np.nonzero(mask)
    score = rng.integers(1, 1001, len(ci)).astype(float)
    pairs = pd.DataFrame({"row": np.arange(len(ci)), "ci": ci, "pi": pi, "merit": 0.0, "need": 0.0,
                          "development": 0.0, "distance_km": 0.0, "score": score,
                          "cadre_id": cands["cadre_id"].to_numpy()[ci], "post_id": posts["post_id"].to_numpy()[pi],
                          "custom": False})
    if side:
        n_bt = int((titles == "bi_thu").sum() * 0.6)
        n_pbt = int((titles == "pho_bi_thu").sum() * 0.6)
        women = int(0.2 * (n_bt + n_pbt))
        data = {"as_of": "2020-01-01", "posts": {"counts": {"bi_thu": n_bt, "pho_bi_thu": n_pbt}},
                "rules": {"gender": {"min_women": women}, "source_units": {"max_per_unit": 4},
                          "relatives": {"enabled": False}}}
        demands = pd.DataFrame([("count", "bi_thu", "Bí thư", n_bt), ("count", "pho_bi_thu", "Phó Bí thư", n_pbt),
                                ("women", "", "nữ", women)], columns=["kind", "key", "label", "need"])
    else:
        data = {"as_of": "2020-01-01", "posts": {"position_ids": []}, "rules": {"gender": {"enabled": False}}}
        demands = pd.DataFrame(columns=["kind", "key", "label", "need"])
    sc = RotationScenario.model_validate(data)
    empty = pd.DataFrame(columns=["cadre_id", "post_id"])
    return Problem(sc, None, cands, posts, pd.DataFrame(), pairs, pairs, empty, pd.DataFrame(columns=["a", "b"]),
                   demands, [])


def plain_pulp(pb: Problem) -> tuple[float, float]:
    """The textbook PuLP+CBC model of the same problem (dict of variables, lpSum per constraint)."""
    t0 = time.perf_counter()
    pairs = pb.pairs
    prob = pulp.LpProblem("plain", pulp.LpMaximize)
    keys = list(zip(pairs["cadre_id"], pairs["post_id"], strict=True))
    x = {k: pulp.LpVariable(f"x_{i}", cat=pulp.LpBinary) for i, k in enumerate(keys)}
    score = dict(zip(keys, pairs["score"], strict=True))
    prob += pulp.lpSum(score[k] * x[k] for k in keys)
    by_c, by_p = {}, {}
    for c, p in keys:
        by_c.setdefault(c, []).append(x[c, p])
        by_p.setdefault(p, []).append(x[c, p])
    for c, v in by_c.items():
        prob += pulp.lpSum(v) <= 1, f"c_{c}"
    for p, v in by_p.items():
        prob += pulp.lpSum(v) <= 1, f"p_{p}"
    title = dict(zip(pb.posts["post_id"], pb.posts["title"], strict=True))
    gender = dict(zip(pb.cands["cadre_id"], pb.cands["gender"], strict=True))
    unit = dict(zip(pb.cands["cadre_id"], pb.cands["unit_id"], strict=True))
    for t, n in pb.scenario.posts.counts.items():
        prob += pulp.lpSum(x[c, p] for c, p in keys if title[p] == t) == n, f"n_{t}"
    prob += pulp.lpSum(x[c, p] for c, p in keys if gender[c] == "nu") >= pb.scenario.rules.gender.min_women, "women"
    cap = pb.scenario.rules.source_units.max_per_unit
    by_u = {}
    for c, p in keys:
        by_u.setdefault(unit[c], []).append(x[c, p])
    for u, v in by_u.items():
        prob += pulp.lpSum(v) <= cap, f"u_{u}"
    prob.solve(pulp.PULP_CBC_CMD(msg=False, threads=1))
    assert prob.status == pulp.LpStatusOptimal
    return float(pulp.value(prob.objective)), time.perf_counter() - t0


def matrix_highs(pb: Problem):
    t0 = time.perf_counter()
    fm = build_fast(pb)
    sol = solve_fast(fm, ties=False)
    return fm, sol, time.perf_counter() - t0


def bench(name: str, n_c: int, n_p: int, density: float) -> None:
    pb = synthetic(n_c, n_p, density)
    obj_plain, t_plain = plain_pulp(pb)
    fm, sol, t_fast = matrix_highs(pb)
    same = "BẰNG NHAU" if abs(obj_plain - sol.objective) < 1e-6 else "KHÁC NHAU"
    print(f"{name:9s} {n_c}×{n_p}, {len(pb.pairs)} cặp đủ điều kiện, có ràng buộc phụ")
    print(f"   PuLP+CBC thuần       : dựng + giải {t_plain:7.3f} s   mục tiêu {obj_plain:.0f}")
    print(f"   ma trận + HiGHS      : dựng + giải {t_fast:7.3f} s   mục tiêu {sol.objective:.0f} "
          f"(dựng {fm.build_seconds:.3f} s)   → nhanh hơn {t_plain / t_fast:.1f} lần; mục tiêu {same}")
    n_bt = pb.scenario.posts.counts["bi_thu"]
    women = pb.scenario.rules.gender.min_women
    for label, change in (("số Bí thư − 1", ("count", "bi_thu", n_bt - 1)),
                          ("số nữ tối thiểu + 5", ("women", "", women + 5))):
        set_demand(fm, *change)
        t0 = time.perf_counter()
        s2 = solve_fast(fm, ties=False)
        print(f"   thay đổi trên bảng điều khiển ({label}), giải lại mô hình đang mở (khởi động ấm): "
              f"{time.perf_counter() - t0:.3f} s ({s2.status_text}, mục tiêu {s2.objective:.0f})")
    t0 = time.perf_counter()
    sol_t = solve_fast(fm)
    print(f"   + phân định các phương án bằng điểm theo 3 tiêu chí phụ: {time.perf_counter() - t0:.3f} s "
          f"(mục tiêu {sol_t.objective:.0f}; số lần phải giải MILP đầy đủ: {fm.mm.mip_solves})")
    set_demand(fm, "count", "bi_thu", n_bt - 2)
    t0 = time.perf_counter()
    s3 = solve_fast(fm)
    print(f"   thay đổi (số Bí thư − 2) kèm phân định phương án bằng điểm: {time.perf_counter() - t0:.3f} s "
          f"({s3.status_text})")
    bare = synthetic(n_c, n_p, density, side=False)
    _, sol_b, t_b = matrix_highs(bare)
    w = np.zeros((n_c, n_p))
    w[bare.pairs["ci"].to_numpy(), bare.pairs["pi"].to_numpy()] = bare.pairs["score"].to_numpy()
    t0 = time.perf_counter()
    r, c = linear_sum_assignment(w, maximize=True)
    t_lsa = time.perf_counter() - t0
    obj_lsa = float(w[r, c][w[r, c] > 0].sum())
    print(f"   không ràng buộc phụ: ma trận + HiGHS {t_b:.3f} s (mục tiêu {sol_b.objective:.0f}); "
          f"linear_sum_assignment {t_lsa:.3f} s (mục tiêu {obj_lsa:.0f}, "
          f"{'khớp' if abs(obj_lsa - sol_b.objective) < 1e-6 else 'khác'})")


def district() -> None:
    from kimson_ds.data.io import load_dataset
    from kimson_ds.rotation.model import load_rotation_scenario, resolve, run

    ds = load_dataset(ROOT / "data/kimson")
    sc = load_rotation_scenario(ROOT / "data/scenarios/luan-chuyen-2016.yaml")
    t0 = time.perf_counter()
    r = run(ds, sc, rule_costs=False)
    t = time.perf_counter() - t0
    print(f"mẫu Kim Sơn 2016: {len(r.problem.cands)} ứng viên × {len(r.problem.posts)} vị trí, "
          f"{len(r.problem.pairs)} cặp, {sc.alternatives} phương án, hòa điểm, độ vững, độ nhạy: {t:.3f} s "
          f"(chuẩn bị {r.timings['prepare']:.3f}, dựng {r.timings['build']:.3f}, giải {r.timings['solve']:.3f}, "
          f"phân tích {r.timings['analyses']:.3f})")
    best = None
    for _ in range(3):
        t0 = time.perf_counter()
        resolve(ds, sc, alternatives=1, rules={**sc.rules.model_dump(), "gender": {"min_women": 2}})
        best = min(best or 1e9, time.perf_counter() - t0)
    print(f"bảng điều khiển cấp huyện (đổi số nữ tối thiểu, giải lại, tốt nhất 3 lần): {best:.3f} s")


def startup() -> None:
    best = 1e9
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kimson_ds.cli", "--help"], cwd=ROOT, capture_output=True, check=True)
        best = min(best, time.perf_counter() - t0)
    print(f"khởi động `kimson-ds --help` (tốt nhất 5 lần): {best:.3f} s")


if __name__ == "__main__":
    which = sys.argv[1:] or [*SIZES, "district", "startup"]
    for key in which:
        if key in SIZES:
            bench(key, *SIZES[key])
        elif key == "district":
            district()
        elif key == "startup":
            startup()
