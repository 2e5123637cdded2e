"""Benchmark: training schedule for 1,000 planned cadres × 10 courses × 66 months, half-yearly intakes (target ≤ 10 s).

Run: ``.venv/bin/python benchmarks/training.py [N_CADRES]``. A synthetic, seeded
instance: 40 communes and 20 district departments, three ladders, seats and a
budget that bind. Prints the size of the model and the time of each step.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

from kimson_ds.training.schedule import TrainingScenario, run

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
rng = np.random.default_rng(20170831)

communes = [f"XA{i:02d}" for i in range(40)]
depts = [f"PB{i:02d}" for i in range(20)]
units = pd.DataFrame({"unit_id": communes + depts, "name": [f"Đơn vị {u}" for u in communes + depts],
                      "kind": ["xa"] * 40 + ["phong_ban"] * 20})
posts = [(u, t) for u in communes for t in ("bi_thu", "chu_tich_ubnd", "pho_bi_thu")] + [(u, "truong_phong")
                                                                                         for u in depts]
positions = pd.DataFrame({"position_id": [f"{u}-{t}" for u, t in posts], "unit_id": [u for u, _ in posts],
                          "title": [t for _, t in posts], "is_key": True, "holder_id": None, "holder_since": pd.NaT})
ids = [f"CB{i:05d}" for i in range(N)]
cadres = pd.DataFrame({
    "cadre_id": ids, "full_name": [f"Cán bộ {i}" for i in range(N)],
    "gender": rng.choice(["nam", "nu"], N, p=[0.7, 0.3]),
    "birth_date": pd.to_datetime("1968-01-01") + pd.to_timedelta(rng.integers(0, 16 * 365, N), unit="D"),
    "unit_id": rng.choice(communes + depts, N),
    "education": rng.choice(["chua_co", "trung_cap", "cao_dang", "dai_hoc"], N, p=[0.1, 0.3, 0.2, 0.4]),
    "political_theory": rng.choice(["chua_co", "so_cap", "trung_cap", "cao_cap"], N, p=[0.2, 0.4, 0.3, 0.1]),
    "state_mgmt": rng.choice(["chua_co", "chuyen_vien", "chuyen_vien_chinh"], N, p=[0.4, 0.45, 0.15]),
    "managed_by_btv": True})
pick = rng.integers(0, len(posts), N)
planning = pd.DataFrame({"cadre_id": ids, "target_title": [posts[i][1] for i in pick],
                         "target_unit_id": [posts[i][0] for i in pick], "term": "2020-2025",
                         "added_on": pd.Timestamp("2014-06-01"), "removed_on": pd.NaT})
courses = pd.DataFrame([
    ("SC", "Sơ cấp LLCT", "political_theory", "so_cap", 3, 150, 3.0, None),
    ("TC", "Trung cấp LLCT", "political_theory", "trung_cap", 8, 80, 12.0, "so_cap"),
    ("CC", "Cao cấp LLCT", "political_theory", "cao_cap", 18, 25, 35.0, "trung_cap"),
    ("CN", "Cử nhân chính trị", "political_theory", "cu_nhan", 30, 5, 50.0, "trung_cap"),
    ("CM_TC", "Trung cấp chuyên môn", "education", "trung_cap", 18, 60, 15.0, None),
    ("CM_CD", "Cao đẳng", "education", "cao_dang", 24, 30, 25.0, "trung_cap"),
    ("CM_DH", "Đại học vừa làm vừa học", "education", "dai_hoc", 30, 40, 40.0, "trung_cap"),
    ("CV", "QLNN chuyên viên", "state_mgmt", "chuyen_vien", 2, 120, 4.5, None),
    ("CVC", "QLNN chuyên viên chính", "state_mgmt", "chuyen_vien_chinh", 3, 40, 8.0, "chuyen_vien"),
    ("CVCC", "QLNN chuyên viên cao cấp", "state_mgmt", "chuyen_vien_cao_cap", 4, 10, 15.0, "chuyen_vien_chinh"),
], columns=["course_id", "name", "field", "grants_level", "months", "seats_per_year", "cost_million_vnd",
            "prerequisite_level"])
tables = {"cadres": cadres, "units": units, "positions": positions, "planning": planning, "courses": courses,
          "trainings": pd.DataFrame(columns=["cadre_id", "course_id", "year", "status", "days"]),
          "discipline": pd.DataFrame(columns=["cadre_id", "form", "decided_on", "expires_on"])}
sc = TrainingScenario(as_of="2015-01-01", term="2020-2025", term_start="2020-07-01", first_year=2015,
                      intake_months=[1, 7],  # half-yearly intakes: 11 start months over 5½ years
                      budget_million_vnd=1500.0, time_limit_seconds=60, mip_gap_rel=0.01)

t0 = time.perf_counter()
res = run(tables, sc)
total = time.perf_counter() - t0
s = res.seconds
r = res.readiness
print(f"cadres={N} planning_entries={len(r)} courses={len(courses)} years={len(res.instance.years)}")
print(f"variables={s['variables']} constraints={s['constraints']} status={res.status}")
print(f"prepare={s['prepare']:.2f}s build={s['build']:.2f}s solve={s['solve']:.2f}s explain={s['explain']:.2f}s "
      f"total={total:.2f}s")
print("readiness:", r["status"].value_counts().to_dict())
print(f"courses scheduled={len(res.schedule)} spend={res.usage.loc[res.usage['resource'] == 'budget', 'used'].sum():.1f}")
print("OK (≤ 10 s)" if total <= 10 else "SLOWER THAN 10 s")
