"""Benchmark: relatives conflicts and proposal vetting at district-to-province scale.

Run: ``.venv/bin/python benchmarks/vetting.py``. Two measurements, each the best
and median wall time of five runs:

1. :func:`kimson_ds.vetting.conflicts.current_conflicts` on synthetic data: 2,000
   communes and 400 district offices, 16,000 posts all held, 20,000 drawn
   family links (spouses, parents, siblings) among holders and outsiders;
2. :func:`kimson_ds.vetting.checklist.vet` on the sample dataset ``data/kimson`` with one
   appointment proposal for every row of the 2020–2025 planning list, spread
   over three effective dates.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import numpy as np
import pandas as pd

from kimson_ds.data.io import load_dataset
from kimson_ds.vetting.checklist import vet
from kimson_ds.vetting.conflicts import current_conflicts

ROOT = Path(__file__).resolve().parents[1]
N_COMMUNES, N_OFFICES, N_LINKS = 2_000, 400, 20_000
COMMUNE_TITLES = ["bi_thu", "pho_bi_thu", "chu_tich_ubnd", "pho_chu_tich_ubnd", "chu_tich_hdnd",
                  "chu_nhiem_ubkt", "ke_toan"]
OFFICE_TITLES = ["truong_phong", "pho_truong_phong", "pho_truong_phong", "ke_toan", "chuyen_vien"]


def synthetic(seed: int = 0) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    communes = pd.DataFrame({"unit_id": [f"X{i}" for i in range(N_COMMUNES)], "kind": "xa", "function": "dia_phuong",
                             "parent_unit_id": None})
    functions = np.array(["noi_vu", "thanh_tra", "tai_chinh", "y_te", "to_chuc", "kiem_tra"])
    offices = pd.DataFrame({"unit_id": [f"O{i}" for i in range(N_OFFICES)], "kind": "phong_ban",
                            "function": functions[np.arange(N_OFFICES) % len(functions)],
                            "parent_unit_id": [f"H{i // 20}" for i in range(N_OFFICES)]})
    hq = pd.DataFrame({"unit_id": [f"H{i}" for i in range(N_OFFICES // 20)], "kind": "chinh_quyen_huyen",
                       "function": "chinh_quyen", "parent_unit_id": None})
    units = pd.concat([communes, offices, hq], ignore_index=True)
    units["name"] = units["unit_id"]
    c_units = np.repeat(communes["unit_id"].to_numpy(), len(COMMUNE_TITLES))
    c_titles = np.tile(COMMUNE_TITLES, N_COMMUNES)
    o_units = np.repeat(offices["unit_id"].to_numpy(), len(OFFICE_TITLES))
    o_titles = np.tile(OFFICE_TITLES, N_OFFICES)
    positions = pd.DataFrame({"unit_id": np.concatenate([c_units, o_units]),
                              "title": np.concatenate([c_titles, o_titles])})
    positions["position_id"] = positions["unit_id"] + "-" + positions["title"] + "-" + positions.index.astype(str)
    positions["holder_id"] = "P" + pd.Series(np.arange(len(positions))).astype(str)
    positions["holder_since"] = pd.Timestamp("2016-01-01")
    n_people = len(positions) * 2  # holders and as many outsiders
    a = rng.integers(0, n_people, N_LINKS)
    near = np.clip(a + rng.integers(-12, 13, N_LINKS), 0, n_people - 1)  # relatives often work nearby
    relatives = pd.DataFrame({"cadre_id": "P" + pd.Series(a).astype(str),
                              "relative_id": "P" + pd.Series(near).astype(str),
                              "relation": rng.choice(["vo_chong", "cha_me", "con", "anh_chi_em"], N_LINKS)})
    relatives = relatives[relatives["cadre_id"] != relatives["relative_id"]].drop_duplicates(
        ["cadre_id", "relative_id"])
    cadres = pd.DataFrame({"cadre_id": "P" + pd.Series(np.arange(n_people)).astype(str)})
    cadres["full_name"] = cadres["cadre_id"]
    cadres["gender"] = np.where(np.arange(n_people) % 2 == 0, "nam", "nu")
    return {"units": units, "positions": positions, "relatives": relatives, "cadres": cadres}


def timed(fn, runs: int = 5) -> tuple[float, float, object]:
    times, out = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times), out


def main() -> None:
    tables = synthetic()
    best, med, found = timed(lambda: current_conflicts(tables, "2020-06-01"))
    print(f"Xung đột người thân: {len(tables['positions']):,} vị trí, {len(tables['relatives']):,} quan hệ ghi nhận "
          f"→ {len(found):,} xung đột; tốt nhất {best:.3f} s, trung vị {med:.3f} s")
    print("  theo quy tắc:", found["rule_id"].value_counts().to_dict())

    ds = load_dataset(ROOT / "data" / "kimson")
    pl = ds.planning[ds.planning["term"] == "2020-2025"].reset_index(drop=True)
    dates = pd.to_datetime(["2020-03-01", "2020-06-01", "2020-08-01"])
    props = pd.DataFrame({"proposal_id": [f"P{i:04d}" for i in range(len(pl))], "cadre_id": pl["cadre_id"],
                          "action": "bo_nhiem", "position_id": None, "target_title": pl["target_title"],
                          "target_unit_id": pl["target_unit_id"], "effective_date": dates[np.arange(len(pl)) % 3],
                          "note": ""})
    best, med, res = timed(lambda: vet(ds, props))
    counts = res.verdicts["verdict"].value_counts().to_dict()
    print(f"Thẩm định {len(props)} đề xuất trên data/kimson ({len(res.checklist)} dòng phiếu): "
          f"tốt nhất {best:.3f} s, trung vị {med:.3f} s; kết luận {counts}")


if __name__ == "__main__":
    main()
