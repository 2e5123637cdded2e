"""Latency of the explorer panels: control change → updated table, at district size.

Run: ``.venv/bin/python benchmarks/ui_latency.py`` (prints the figures; not a timed test).

The panels are built headless (ipywidgets without a front end), so a change
runs its callback synchronously: the time measured is from setting the
control's value to the moment the plan table's HTML has been replaced, i.e.
the whole re-solve (:func:`kimson_ds.rotation.model.resolve`: prepare, build, CBC,
explain, alternatives) plus rendering. The browser adds a round trip of
about 0.1–0.3 s (see ``tests/test_browser_app.py``, which logs it into
``test-artifacts/ui-latency-browser.txt``).

Cases
-----
* ``sample 2016``: the 2016–2017 round of the sample (66 candidates, 9 open posts, 3 alternatives).
* ``all commune posts``: the same candidates against every Bí thư / Phó Bí thư post of the
  communes valid on the date (explicit list; most posts cannot be filled, so every change
  also runs the elastic re-solve and the diagnosis).
* ``overview``: the overview panel, changing the date.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kimson_ds import rotation  # noqa: E402
from kimson_ds.data.codes import COMMUNE_KINDS  # noqa: E402
from kimson_ds.data.io import load_dataset  # noqa: E402
from kimson_ds.ui.overview import OverviewPanel  # noqa: E402
from kimson_ds.ui.rotation import RotationPanel  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.0


def _changes(panel: RotationPanel, n: int) -> list[float]:
    """Apply ``n`` control changes in turn; return the seconds each took until the table was new."""
    c = panel.controls
    steps = [("min_women", [2, 3, 1]), ("n_bi_thu", [1, 2]), ("seniority_bi_thu", [8.0, 10.0]),
             ("rule_young", [False, True]), ("weight_distance", [1.0, 0.2]), ("n_pho_bi_thu", [3, 4])]
    out = []
    for i in range(n):
        name, values = steps[i % len(steps)]
        value = values[(i // len(steps)) % len(values)]
        if c[name].value == value:
            value = values[(i // len(steps) + 1) % len(values)]
        runs = panel.runs
        t0 = time.perf_counter()
        c[name].value = value
        dt = time.perf_counter() - t0
        assert panel.runs == runs + 1 and panel.error is None, panel.error
        out.append(dt)
    return out


def _report(name: str, secs: list[float], extra: str = "") -> None:
    s = sorted(secs)
    p95 = s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]
    verdict = "đạt" if s[-1] < TARGET else "KHÔNG đạt"
    print(f"{name:<22} n={len(s):3d}  trung vị {statistics.median(s):.3f} s  p95 {p95:.3f} s  "
          f"lớn nhất {s[-1]:.3f} s  → {verdict} mục tiêu < {TARGET:.0f} s {extra}")


def main() -> int:
    ds = load_dataset(ROOT / "data" / "kimson")
    base = rotation.load_rotation_scenario(ROOT / "data" / "scenarios" / "luan-chuyen-2016.yaml")

    t0 = time.perf_counter()
    panel = RotationPanel(ds, base)
    build = time.perf_counter() - t0
    pb = panel.result.problem
    print(f"Bảng điều khiển luân chuyển dựng trong {build:.2f} s "
          f"({len(pb.cands)} ứng viên × {len(pb.posts)} vị trí, {len(pb.pairs)} cặp đủ điều kiện)")
    secs = _changes(panel, 36)
    _report("sample 2016", secs, f"(lần giải CBC cuối {panel.result.timings['solve']:.3f} s)")

    units = ds.units.set_index("unit_id")
    t = pd.Timestamp(base.as_of)
    valid = (units["valid_from"].isna() | (units["valid_from"] <= t)) & (units["valid_to"].isna() | (units["valid_to"] >= t))
    pos = ds.positions
    sel = pos["title"].isin(["bi_thu", "pho_bi_thu"]) & pos["unit_id"].map(units["kind"]).isin(COMMUNE_KINDS) \
        & pos["unit_id"].map(valid).fillna(False).astype(bool)
    big = base.model_copy(deep=True, update={"posts": rotation.PostsSpec(position_ids=sorted(pos.loc[sel, "position_id"]))})
    big._base_dir = base._base_dir
    t0 = time.perf_counter()
    panel2 = RotationPanel(ds, big)
    build2 = time.perf_counter() - t0
    pb2 = panel2.result.problem
    print(f"Trường hợp mọi vị trí Bí thư, Phó Bí thư xã: dựng trong {build2:.2f} s "
          f"({len(pb2.cands)} ứng viên × {len(pb2.posts)} vị trí, {len(pb2.pairs)} cặp đủ điều kiện)")
    secs2 = _changes(panel2, 24)
    _report("all commune posts", secs2)

    ov = OverviewPanel(ds, pd.Timestamp("2019-12-31").date())
    dates = [v for _, v in ov.controls["as_of"].options]
    secs3 = []
    for i in range(20):
        d = dates[i % len(dates)]
        if ov.controls["as_of"].value == d:
            d = dates[(i + 1) % len(dates)]
        t0 = time.perf_counter()
        ov.controls["as_of"].value = d
        secs3.append(time.perf_counter() - t0)
    _report("overview", secs3)
    worst = max(max(secs), max(secs2), max(secs3))
    return 0 if worst < TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
