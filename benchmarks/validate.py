"""Benchmark: validating a dataset 10× the sample's size (about 3,000 cadres).

Target (Foundation issue): under 2 s. Run: ``python benchmarks/validate.py [factor]``.
The scaled dataset copies every people-related table ``factor`` times with
suffixed ids (units, courses stay shared), writes it as CSV to a temp folder
and times ``kimson_ds.data.io.read_dataset`` (parse + full validation) on it.
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import pandas as pd

from kimson_ds.data.codes import SINGLE_HOLDER_TITLES
from kimson_ds.data.io import load_dataset, read_dataset, write_csv_folder

ROOT = Path(__file__).resolve().parents[1]
ID_COLUMNS = {"cadre_id", "holder_id", "relative_id", "position_id", "procedure_id"}


def scaled_tables(factor: int) -> dict[str, pd.DataFrame]:
    ds = load_dataset(ROOT / "data" / "kimson")
    out = {}
    for name, df in ds.tables.items():
        if name in ("units", "courses", "org_ratings", "unit_successions"):
            out[name] = df
            continue
        copies = []
        for k in range(factor):
            part = df.copy()
            for col in ID_COLUMNS & set(part.columns):
                part[col] = part[col].where(part[col].isna(), part[col].astype(str) + f"_{k}")
            if name == "positions" and k:  # one head per unit: copies of head posts stay vacant
                part["holder_id"] = part["holder_id"].where(~part["title"].isin(SINGLE_HOLDER_TITLES), None)
                part["holder_since"] = part["holder_since"].where(part["holder_id"].notna())
            if name == "work_history" and k and "title" in part.columns:  # copies never head a unit twice
                part = part.loc[~part["title"].isin(SINGLE_HOLDER_TITLES)]
            copies.append(part)
        out[name] = pd.concat(copies, ignore_index=True)
    return out


def main(factor: int = 10, repeats: int = 3) -> None:
    tables = scaled_tables(factor)
    with tempfile.TemporaryDirectory() as tmp:
        write_csv_folder(tables, tmp)
        rows = sum(len(t) for t in tables.values())
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            ds = read_dataset(tmp)
            times.append(time.perf_counter() - t0)
        tracemalloc.start()
        read_dataset(tmp)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    print(f"validate ×{factor}: {len(ds.cadres)} cán bộ, {rows} dòng, {len(ds.errors)} lỗi, {len(ds.warnings)} cảnh báo")
    print(f"  thời gian: tốt nhất {min(times):.3f} s, trung vị {sorted(times)[len(times) // 2]:.3f} s "
          f"(mục tiêu < 2 s); bộ nhớ đỉnh (Python) {peak:.0f} MiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
