"""Benchmark of the slate optimiser: 500 key posts × 2,000 candidates (target ≤ 10 s build + solve).

Run: ``python benchmarks/succession.py``. Prints model size, build and solve time,
peak Python memory, and the time of the compliance check and vacancy chains on
the sample dataset when it is present.

The synthetic instance: 2,000 candidates, 500 posts (400 commune, 100 district),
each candidate considered for 15 posts (30,000 pairs); scores from readiness
(1–3) and merit (0–3); women and young share targets active (25% / 15%);
slates 1–3 per post; ≤ 3 posts per person per level; 10 pins.
"""

from __future__ import annotations

import resource
import time
from pathlib import Path

import numpy as np
import pandas as pd

from kimson_ds.planning import slate_model as sm


def instance(n_posts: int = 500, n_cands: int = 2000, per_cand: int = 15, seed: int = 7):
    rng = np.random.default_rng(seed)
    posts = pd.DataFrame({"post_id": [f"P{j:04d}" for j in range(n_posts)],
                          "level": np.where(np.arange(n_posts) < int(0.8 * n_posts), "xa", "huyen"),
                          "slate_min": 1, "slate_max": 3})
    cid = np.repeat(np.arange(n_cands), per_cand)
    pid = rng.integers(0, n_posts, size=len(cid))
    pairs = pd.DataFrame({"cadre_id": [f"C{i:05d}" for i in cid], "post_id": posts["post_id"].to_numpy()[pid]})
    pairs = pairs.drop_duplicates().reset_index(drop=True)
    pairs["readiness"] = rng.choice(["ngay", "1_2_nam", "3_nam"], size=len(pairs), p=[0.3, 0.4, 0.3])
    pairs["merit"] = rng.integers(0, 4, size=len(pairs)).astype(float)
    pairs["score"] = sm.score_pairs(pairs)
    cands = pd.DataFrame({"cadre_id": [f"C{i:05d}" for i in range(n_cands)],
                          "is_woman": rng.random(n_cands) < 0.22, "is_young": rng.random(n_cands) < 0.12})
    pins = list(pairs.drop_duplicates("post_id").drop_duplicates("cadre_id").head(10)[["cadre_id", "post_id"]]
                .itertuples(index=False, name=None))
    return pairs, posts, cands, pins


def main() -> None:
    pairs, posts, cands, pins = instance()
    cfg = sm.SlateConfig(max_posts_per_person=3, women_share=0.25, young_share=0.15, pins=pins)
    t0 = time.perf_counter()
    model = sm.build(pairs, posts, cands, cfg)
    t1 = time.perf_counter()
    sm.solve(model)
    t2 = time.perf_counter()
    res = sm.explain(model)
    t3 = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    n_vars = len(model.prob.variables())
    n_cons = len(model.prob.constraints())
    print(f"Slate optimiser: {len(posts)} posts × {len(cands)} candidates, {len(pairs)} pairs, "
          f"{n_vars} variables, {n_cons} constraints")
    print(f"  build {t1 - t0:.2f} s, solve {t2 - t1:.2f} s, explain {t3 - t2:.2f} s, "
          f"total {t3 - t0:.2f} s (target ≤ 10 s) — status {res.status}, solved as: {model.stages}")
    print(f"  chosen {len(res.slates)} slate places, {res.slates['cadre_id'].nunique()} people; "
          f"shares: " + ", ".join(f"{r.indicator} {r.achieved:.1%}" for r in res.shares.itertuples()))
    print(f"  peak resident memory {peak:.0f} MiB")
    easy = sm.SlateConfig(max_posts_per_person=3, women_share=0.15, young_share=0.05, pins=pins)
    t0 = time.perf_counter()
    m2 = sm.solve(sm.build(pairs, posts, cands, easy))
    print(f"  same instance, shares not binding (15% / 5%): build + solve {time.perf_counter() - t0:.2f} s, "
          f"solved as: {m2.stages}")

    data = Path(__file__).resolve().parents[1] / "data" / "kimson"
    if data.is_dir():
        import warnings

        from kimson_ds.data.io import load_dataset
        from kimson_ds.planning import succession as su

        warnings.simplefilter("ignore")
        ds = load_dataset(data)
        t0 = time.perf_counter()
        comp = su.check_compliance(ds, "2020-2025", "2018-12-31", term_start="2020-07-01")
        t1 = time.perf_counter()
        steps, chains = su.chains_for(comp, ds, start="all")
        t2 = time.perf_counter()
        res = sm.run(ds, sm.PlanScenario(as_of="2018-12-31", term_start="2020-07-01"))
        t3 = time.perf_counter()
        print(f"Sample data: compliance {len(comp.rows)} rows in {t1 - t0:.2f} s; {len(chains)} vacancy chains "
              f"in {t2 - t1:.2f} s; optimiser end to end {t3 - t2:.2f} s "
              f"(build {res.build_seconds:.2f} s, solve {res.solve_seconds:.2f} s)")


if __name__ == "__main__":
    main()
