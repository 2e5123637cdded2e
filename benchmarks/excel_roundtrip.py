"""Benchmark: export a dataset to the data-entry workbook and load it back.

Run: python benchmarks/excel_roundtrip.py [N_CADRES]   (default 5000)
Prints export / load seconds, file size and whether the CSV round trip is byte-identical.
"""

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from kimson_ds.data import excel
from kimson_ds.data.io import Dataset, load_dataset, write_csv_folder

n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
rng = np.random.default_rng(0)
units = pd.DataFrame({"unit_id": [f"U{i:03d}" for i in range(40)], "name": [f"Xã số {i}" for i in range(40)],
                      "kind": "xa", "area_km2": rng.random(40) * 30, "population": rng.integers(1000, 20000, 40)})
ids = [f"CB{i:05d}" for i in range(n)]
cadres = pd.DataFrame({
    "cadre_id": ids, "full_name": [f"Nguyễn Văn Ấn {i}" for i in range(n)],
    "gender": rng.choice(["nam", "nu"], n), "unit_id": rng.choice(units.unit_id, n),
    "birth_date": pd.Timestamp("1960-01-01") + pd.to_timedelta(rng.integers(0, 12000, n), unit="D"),
    "education": rng.choice(["dai_hoc", "thac_si", "trung_cap"], n), "managed_by_btv": rng.random(n) < 0.3,
})
positions = pd.DataFrame({"position_id": [f"P{i}" for i in range(200)], "unit_id": rng.choice(units.unit_id, 200),
                          "title": "chuyen_vien", "is_key": False})
years = np.repeat(np.arange(2015, 2020), n)
ratings = pd.DataFrame({"cadre_id": np.tile(ids, 5), "year": years, "score": np.round(rng.random(5 * n) * 100, 2),
                        "tasks_exceeded_pct": rng.random(5 * n) * 100,
                        "level": rng.choice(["xuat_sac", "tot", "hoan_thanh"], 5 * n)})
ds = Dataset.from_frames({"units": units, "positions": positions, "cadres": cadres, "ratings": ratings},
                         as_of="2019-12-31")
rows = sum(len(t) for t in ds.tables.values())
cells = sum(t.size for t in ds.tables.values())
with tempfile.TemporaryDirectory() as d:
    d = Path(d)
    t0 = time.perf_counter()
    xlsx = excel.write_dataset(ds, d / "x.xlsx")
    t1 = time.perf_counter()
    back = load_dataset(xlsx, as_of="2019-12-31")
    t2 = time.perf_counter()
    write_csv_folder(ds.tables, d / "a")
    write_csv_folder(back.tables, d / "b")
    same = all((d / "a" / p.name).read_bytes() == p.read_bytes() for p in (d / "b").glob("*.csv"))
    t3 = time.perf_counter()
    excel.write_template(d / "t.xlsx")
    t4 = time.perf_counter()
    print(f"rows={rows} cells={cells} size={xlsx.stat().st_size / 1e6:.2f} MB")
    print(f"export {t1 - t0:.2f} s ({cells / (t1 - t0):,.0f} cells/s); load {t2 - t1:.2f} s; "
          f"template {t4 - t3:.2f} s; csv round trip identical: {same}")
