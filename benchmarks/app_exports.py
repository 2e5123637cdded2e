"""One-click exports of the explorers: "Xuất Tờ trình, Excel và PDF" for the scenario on screen.

Run: ``.venv/bin/python benchmarks/app_exports.py`` (prints the figures; not a timed test). Target: ≤ 5 s
for one analysis, from the click to the four files (scenario YAML, Word Tờ trình, workbook, PDF),
Chromium's start included (it runs while the other files are written).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kimson_ds.data.io import load_dataset  # noqa: E402
from kimson_ds.rotation import model as rotation  # noqa: E402
from kimson_ds.ui import common  # noqa: E402
from kimson_ds.ui.rating import RatingPanel  # noqa: E402
from kimson_ds.ui.rotation import RotationPanel  # noqa: E402
from kimson_ds.ui.succession import SuccessionPanel  # noqa: E402
from kimson_ds.ui.training import TrainingPanel  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TARGET = 5.0
REPEAT = 3


def main() -> int:
    ds = load_dataset(ROOT / "data" / "kimson")
    sample = ROOT / "data" / "kimson"
    panels = {
        "Xếp loại": RatingPanel(ds, dataset_path=sample),
        "Đào tạo": TrainingPanel(ds, "data/scenarios/dao-tao-2020-2025.yaml", dataset_path=sample),
        "Quy hoạch": SuccessionPanel(ds, "data/scenarios/quy-hoach-2020-2025.yaml", dataset_path=sample),
        "Luân chuyển": RotationPanel(ds, rotation.load_rotation_scenario(ROOT / "data/scenarios/luan-chuyen-2016.yaml"),
                                     dataset_path=sample),
        "Sắp xếp 2025": RotationPanel(ds, rotation.load_rotation_scenario(ROOT / "data/scenarios/sap-xep-2025.yaml"),
                                      dataset_path=sample),
    }
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        common.REPORT_ROOTS = (*common.REPORT_ROOTS, tmp)
        for name, panel in panels.items():
            times = []
            for i in range(REPEAT):
                files = panel.exporter.export(Path(tmp) / f"{len(times)}-{i}-{panel.exporter.stem}")
                if not files:
                    print(f"{name}: lỗi — {panel.exporter.out.value}")
                    return 1
                times.append(panel.exporter.seconds)
            med = statistics.median(times)
            worst = max(worst, med)
            print(f"{name}: trung vị {med:.2f} s, lớn nhất {max(times):.2f} s ({', '.join(f.name for f in files)})")
    print(f"Mục tiêu ≤ {TARGET:.0f} s một phân tích: {'đạt' if worst <= TARGET else 'CHƯA ĐẠT'} "
          f"(trung vị lớn nhất {worst:.2f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
