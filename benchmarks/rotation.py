"""Rotation planner benchmarks: model build and solve times, peak memory, and the pure
assignment case against scipy.optimize.linear_sum_assignment.

Run: ``.venv/bin/python benchmarks/rotation.py`` (prints the figures; not a timed test).

Sizes: district 60 candidates × 30 posts, province 1,000 × 500, stress 3,000 × 1,500 with
sparse eligibility. Scores are integers so that the MILP and the Hungarian-algorithm
objectives must match exactly. "Side constraints on" adds the per-title counts (3), a
women minimum (4) and a source-unit cap (6); "off" keeps only (1) and (2).
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kimson_ds.rotation.model import Problem, RotationScenario, build, solve  # noqa: E402

SIZES = {"district": (60, 30, 0.6), "province": (1000, 500, 0.1), "stress": (3000, 1500, 0.01)}


def synthetic(n_c: int, n_p: int, density: float, side: bool, seed: int = 0) -> Problem:
    """A random instance: eligible pairs with integer scores 1..1000."""
    rng = np.random.default_rng(seed)
    cands = pd.DataFrame({"cadre_id": [f"C{i:05d}" for i in range(n_c)],
                          "gender": np.where(rng.random(n_c) < 0.3, "nu", "nam"),
                          "unit_id": [f"U{i % max(1, n_c // 6):04d}" for i in range(n_c)],
                          "source_commune": None})
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
        counts = {"bi_thu": n_bt, "pho_bi_thu": n_pbt}
        data = {"as_of": "2020-01-01", "posts": {"counts": counts},
                "rules": {"gender": {"min_women": int(0.2 * (n_bt + n_pbt))},
                          "source_units": {"max_per_unit": 4}, "relatives": {"enabled": False}}}
        demands = pd.DataFrame([("count", "bi_thu", "Bí thư", n_bt), ("count", "pho_bi_thu", "Phó Bí thư", n_pbt),
                                ("women", "", "nữ", int(0.2 * (n_bt + n_pbt)))],
                               columns=["kind", "key", "label", "need"])
    else:
        data = {"as_of": "2020-01-01", "posts": {"position_ids": []}, "rules": {"gender": {"enabled": False}}}
        demands = pd.DataFrame(columns=["kind", "key", "label", "need"])
    sc = RotationScenario.model_validate(data)
    empty = pd.DataFrame(columns=["cadre_id", "post_id"])
    return Problem(sc, None, cands, posts, pd.DataFrame(), pairs, pairs, empty, pd.DataFrame(columns=["a", "b"]),
                   demands, [])


def lsa_objective(pb: Problem) -> tuple[float, float]:
    t0 = time.perf_counter()
    w = np.zeros((len(pb.cands), len(pb.posts)))
    w[pb.pairs["ci"].to_numpy(), pb.pairs["pi"].to_numpy()] = pb.pairs["score"].to_numpy()
    r, c = linear_sum_assignment(w, maximize=True)
    return float(w[r, c].sum()), time.perf_counter() - t0


def bench(name: str, n_c: int, n_p: int, density: float) -> None:
    for side in (True, False):
        pb = synthetic(n_c, n_p, density, side)
        t0 = time.perf_counter()
        model = build(pb)
        t_build = time.perf_counter() - t0
        sol = solve(model)
        total = time.perf_counter() - t0
        label = "có ràng buộc phụ" if side else "không ràng buộc phụ"
        print(f"{name:9s} {n_c:5d}×{n_p:<5d} {label:20s} cặp={len(pb.pairs):7d}  dựng={t_build:6.3f}s  "
              f"giải={sol.solve_seconds:6.3f}s  tổng={total:6.3f}s  trạng thái={sol.status_text}  "
              f"mục tiêu={sol.objective}")
        if not side:
            obj, t_lsa = lsa_objective(pb)
            same = "KHỚP" if obj == sol.objective else "KHÁC"
            print(f"{'':9s} linear_sum_assignment: mục tiêu={obj} ({same}), thời gian={t_lsa:.3f}s, "
                  f"tỷ lệ thời gian MILP/LSA = {total / t_lsa:.1f}")


def end_to_end_sample() -> None:
    from kimson_ds.data.io import load_dataset
    from kimson_ds.rotation.model import load_rotation_scenario, resolve, run

    root = Path(__file__).resolve().parents[1]
    ds = load_dataset(root / "data/kimson")
    sc = load_rotation_scenario(root / "data/scenarios/luan-chuyen-2016.yaml")
    t0 = time.perf_counter()
    r = run(ds, sc, rule_costs=False)
    t = time.perf_counter() - t0
    print(f"mẫu Kim Sơn 2016: {len(r.problem.cands)} ứng viên × {len(r.problem.posts)} vị trí, "
          f"{len(r.problem.pairs)} cặp đủ điều kiện, {sc.alternatives} phương án: {t:.3f}s "
          f"(chuẩn bị {r.timings['prepare']:.3f}s, dựng {r.timings['build']:.3f}s, giải {r.timings['solve']:.3f}s)")
    t0 = time.perf_counter()
    resolve(ds, sc, alternatives=1)
    print(f"resolve (bảng điều khiển, 1 phương án): {time.perf_counter() - t0:.3f}s")


if __name__ == "__main__":
    which = sys.argv[1:] or list(SIZES)
    for key in which:
        bench(key, *SIZES[key])
    end_to_end_sample()
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"bộ nhớ đỉnh: tiến trình Python {me:.0f} MB, bộ giải CBC {kids:.0f} MB")
