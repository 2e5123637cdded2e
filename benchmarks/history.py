"""Benchmark: reconstruct the state on a date from a province-size work history.

Run: python benchmarks/history.py [N_CADRES] [HOLDINGS_PER_CADRE]   (default 20000 × 10)
Prints the seconds to reconstruct the state (units, holders, managing bodies) and the
dataset view (with each holder's run in post and title, appointment date) for three dates;
the target is < 0.5 s per date. Then the history rules: the QĐ 65 list and the rotation
model's named cadres.
"""

import sys
import time

import numpy as np
import pandas as pd

from kimson_ds.data.io import Dataset
from kimson_ds.history.careers import two_terms_candidates
from kimson_ds.history.state import dataset_on, state_on
from kimson_ds.rotation.tenure import flags
from kimson_ds.rules.parameters import parameters

n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
k = int(sys.argv[2]) if len(sys.argv) > 2 else 10
rng = np.random.default_rng(0)
n_units = 1_500
units = pd.DataFrame({
    "unit_id": [f"U{i:04d}" for i in range(n_units)], "name": [f"Đơn vị {i}" for i in range(n_units)],
    "kind": rng.choice(["xa", "thi_tran", "phong_ban", "co_quan_dang"], n_units, p=[0.6, 0.1, 0.2, 0.1]),
    "valid_from": pd.NaT, "valid_to": pd.NaT, "successor_unit_id": None})
units.loc[:400, "valid_to"] = pd.Timestamp("2019-12-31")
units.loc[1200:, "valid_from"] = pd.Timestamp("2025-07-01")
titles = np.array(["bi_thu", "pho_bi_thu", "chu_tich_ubnd", "truong_phong", "pho_truong_phong", "chuyen_vien"])
n_pos = 30_000
positions = pd.DataFrame({
    "position_id": [f"P{i:05d}" for i in range(n_pos)], "unit_id": rng.choice(units["unit_id"], n_pos),
    "title": rng.choice(titles, n_pos), "is_key": rng.random(n_pos) < 0.3,
    "holder_id": pd.array([None] * n_pos, dtype="string"), "holder_since": pd.NaT, "open_for_rotation": False})
ids = np.array([f"CB{i:05d}" for i in range(n)])
cadres = pd.DataFrame({"cadre_id": ids, "unit_id": rng.choice(units["unit_id"], n),
                       "work_start_date": pd.Timestamp("1985-01-01")
                       + pd.to_timedelta(rng.integers(0, 9000, n), unit="D"),
                       "managed_by_btv": False})
# k consecutive holdings per cadre from the start of work, 1-3 years each
lengths = rng.integers(365, 3 * 365, (n, k))
starts = cadres["work_start_date"].to_numpy()[:, None] + pd.to_timedelta(
    np.concatenate([np.zeros((n, 1), dtype=int), lengths[:, :-1].cumsum(axis=1)], axis=1).ravel(), unit="D"
).to_numpy().reshape(n, k)
ends = starts + pd.to_timedelta((lengths - 1).ravel(), unit="D").to_numpy().reshape(n, k)
pos_pick = rng.integers(0, n_pos, n * k)
history = pd.DataFrame({
    "cadre_id": np.repeat(ids, k), "unit_id": positions["unit_id"].to_numpy()[pos_pick],
    "title": positions["title"].to_numpy()[pos_pick], "position_id": positions["position_id"].to_numpy()[pos_pick],
    "start_date": starts.ravel(), "end_date": ends.ravel(), "filled_by": "bo_nhiem"})
history.loc[history.groupby("cadre_id").tail(1).index, "end_date"] = pd.NaT
ds = Dataset(None, {"units": units, "positions": positions, "cadres": cadres, "work_history": history})
print(f"Lịch sử: {n:,} cán bộ × {k} lần giữ chức danh = {len(history):,} dòng; {n_units:,} đơn vị, {n_pos:,} vị trí")
for day in ("2016-11-30", "2020-01-01", "2026-06-30"):
    t0 = time.perf_counter()
    st = state_on(ds, day)
    t1 = time.perf_counter()
    held = int(st.positions["holder_id"].notna().sum())
    print(f"  state_on {day}: {t1 - t0:.3f} s ({len(st.units):,} đơn vị, {held:,} vị trí có người giữ)")
    t0 = time.perf_counter()
    dataset_on(ds, day)
    print(f"  dataset_on {day}: {time.perf_counter() - t0:.3f} s (bảng chức danh, cán bộ của ngày đó)")
t0 = time.perf_counter()
two_terms_candidates(history, "2020-01-01")
print(f"  two_terms_candidates (Quy định 65): {time.perf_counter() - t0:.3f} s")
on = dataset_on(ds, "2020-01-01")
t0 = time.perf_counter()
named = flags(on, "2020-01-01", parameters("2020-01-01"), two_terms=True, reappointment_months=12)
print(f"  rotation.tenure.flags (Quy định 65 + bổ nhiệm lại, cho mô hình luân chuyển): "
      f"{time.perf_counter() - t0:.3f} s ({len(named):,} người được nêu)")
