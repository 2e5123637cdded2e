""""Xuất Excel và PDF" in the rotation explorer: the plan on screen, its scenario, one click, offline."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from kimson_ds.data.io import load_dataset
from kimson_ds.rotation import model as rotation
from kimson_ds.ui import common
from kimson_ds.ui.rotation import RotationPanel

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "kimson"
SCENARIO = REPO / "data" / "scenarios" / "luan-chuyen-2016.yaml"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian chromium is not installed"),
    pytest.mark.skipif(not SAMPLE.is_dir(), reason="data/kimson is not generated"),
]


def test_export_writes_the_plan_on_screen_as_excel_pdf_and_scenario(tmp_path, monkeypatch):
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    monkeypatch.setattr(common, "REPORT_ROOTS", (*common.REPORT_ROOTS, str(tmp_path)))
    ds = load_dataset(SAMPLE)
    panel = RotationPanel(ds, rotation.load_rotation_scenario(SCENARIO), dataset_path=SAMPLE)
    with panel.holding():
        panel.controls["min_women"].value = 2
    plan = set(panel.result.assignments["cadre_id"])
    files = panel.exporter.export(tmp_path / "xuat")
    assert [f.name for f in files] == ["kich-ban.yaml", "luan-chuyen.xlsx", "luan-chuyen.pdf"], panel.exporter.out.value
    assert rotation.load_rotation_scenario(files[0]).model_dump() == panel.scenario().model_dump()
    wb = openpyxl.load_workbook(files[1])
    assert wb.sheetnames[:2] == ["Chẩn đoán", "Phương án"]
    cells = {c for row in wb["Phương án"].iter_rows(values_only=True) for c in row}
    assert plan <= cells
    assert files[2].read_bytes()[:5] == b"%PDF-"
    print(f"\nXuất Excel và PDF: {panel.exporter.seconds:.2f} giây".replace(".", ","))
    assert "Đã xuất trong" in panel.exporter.out.value
