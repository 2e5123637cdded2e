"""Benchmark: rate 100,000 cadre-year rows with kimson_ds.rating.engine.rate (target < 1 s).

Run: ``.venv/bin/python benchmarks/rating.py``. Synthetic data: 100,000 cadres in
5,000 units (communes and departments), every cadre holding one post, one in ten
a concurrent bí thư chi bộ, organisation ratings for every unit and scheme,
2% disciplined. Prints the best and median wall time of seven runs and the best
CPU time (process time: less sensitive to other jobs on a shared machine).

Measured (2 vCPU, idle machine): 0.66–0.69 s best, 0.70–0.75 s median before the
review fixes; 0.32–0.33 s best, 0.34–0.35 s median after (reasons built once per
distinct score / per distinct organisation combination, posts handled as numpy
arrays instead of merges, counts by ``np.bincount``). Profile with
``python -m cProfile -s cumtime benchmarks/rating.py``.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from kimson_ds.rating.engine import rate

N = 100_000
N_UNITS = 5_000
YEAR = 2024


def build(n: int = N, seed: int = 0):
    rng = np.random.default_rng(seed)
    ids = np.char.add("C", np.arange(n).astype(str))
    unit_ids = np.char.add("U", np.arange(N_UNITS).astype(str))
    kinds = np.where(np.arange(N_UNITS) % 2 == 0, "xa", "phong_ban")
    units = pd.DataFrame({"unit_id": unit_ids, "name": unit_ids, "kind": kinds})
    unit_of = rng.integers(0, N_UNITS, n)
    commune_titles = np.array(["bi_thu", "chu_tich_ubnd", "pho_bi_thu", "pho_chu_tich_ubnd"])
    dept_titles = np.array(["truong_phong", "pho_truong_phong", "chuyen_vien"])
    title = np.where(kinds[unit_of] == "xa", commune_titles[rng.integers(0, 4, n)],
                     dept_titles[rng.integers(0, 3, n)])
    positions = pd.DataFrame({"position_id": np.char.add("P", np.arange(n).astype(str)),
                              "unit_id": unit_ids[unit_of], "title": title, "holder_id": ids})
    extra = rng.choice(n, n // 10, replace=False)
    positions = pd.concat([positions, pd.DataFrame({
        "position_id": np.char.add("Q", np.arange(len(extra)).astype(str)),
        "unit_id": unit_ids[unit_of[extra]], "title": "bi_thu_chi_bo", "holder_id": ids[extra]})])
    levels = np.array(["xuat_sac", "tot", "hoan_thanh", "khong_hoan_thanh"])
    org = pd.concat([pd.DataFrame({"unit_id": unit_ids, "year": y, "scheme": s,
                                   "level": levels[rng.choice(4, N_UNITS, p=[0.3, 0.5, 0.15, 0.05])]})
                     for y in (YEAR - 1, YEAR) for s in ("tccsd", "chinh_quyen", "co_quan")])
    ratings = pd.DataFrame({"cadre_id": ids, "year": YEAR, "score": rng.normal(82, 8, n).clip(0, 100).round(1),
                            "tasks_exceeded_pct": np.where(rng.random(n) < 0.1, np.nan, rng.uniform(0, 60, n)),
                            "level": None, "position_id": None})
    cadres = pd.DataFrame({"cadre_id": ids, "full_name": ids, "managed_by_btv": True})
    dis = rng.choice(n, n // 50, replace=False)
    discipline = pd.DataFrame({"cadre_id": ids[dis], "form": "khien_trach",
                               "decided_on": pd.Timestamp(f"{YEAR}-05-01")})
    return ratings, cadres, positions, org, discipline, units


def main() -> None:
    frames = build()
    print(f"Số dòng xếp loại: {len(frames[0]):,}; chức danh: {len(frames[2]):,}; "
          f"xếp loại tổ chức: {len(frames[3]):,}")
    for as_of, name in (("2018-12-31", "Kim Sơn 2018"), ("2020-12-31", "HD 21 (2019)"),
                        ("2024-12-31", "NĐ 48/2023"), ("2025-12-31", "QĐ 366 (2025)")):
        times, cpu = [], []
        for _ in range(7):
            t0, c0 = time.perf_counter(), time.process_time()
            res = rate(*frames, year=YEAR, as_of=as_of)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        s = res.summary.iloc[0]
        print(f"{name:14s} as_of={as_of}: tốt nhất {min(times):.3f} s, trung vị {np.median(times):.3f} s, "
              f"CPU tốt nhất {min(cpu):.3f} s "
              f"(xuất sắc {s['xs_share']:.1%}, hạ theo tổ chức {int(s['capped']):,}, "
              f"hạ do tỷ lệ {int(s['quota_moved']):,})")


if __name__ == "__main__":
    main()
