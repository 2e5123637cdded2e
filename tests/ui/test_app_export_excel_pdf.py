""""Xuất Tờ trình, Excel và PDF" in the explorers: the result on screen, its scenario, one click, offline;
the Word Tờ trình is the one ``kimson-ds to-trinh`` writes for the same analysis (header of a Party
document, proposal, Phụ lục of the result on screen)."""

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
    assert [f.name for f in files] == ["kich-ban.yaml", "luan-chuyen.docx", "luan-chuyen.xlsx", "luan-chuyen.pdf"], \
        panel.exporter.out.value
    assert rotation.load_rotation_scenario(files[0]).model_dump() == panel.scenario().model_dump()
    wb = openpyxl.load_workbook(files[2])
    assert wb.sheetnames[:2] == ["Chẩn đoán", "Phương án"]
    cells = {c for row in wb["Phương án"].iter_rows(values_only=True) for c in row}
    assert plan <= cells
    assert files[3].read_bytes()[:5] == b"%PDF-"
    print(f"\nXuất Tờ trình, Excel và PDF: {panel.exporter.seconds:.2f} giây".replace(".", ","))
    assert "Đã xuất trong" in panel.exporter.out.value


def _docx_texts(path: Path) -> tuple[list[str], str]:
    from docx import Document

    doc = Document(str(path))
    return [p.text for p in doc.paragraphs], "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)


def _panels(ds):
    from kimson_ds.ui.rating import RatingPanel
    from kimson_ds.ui.succession import SuccessionPanel
    from kimson_ds.ui.training import TrainingPanel

    yield "xep-loai", RatingPanel(ds, dataset_path=SAMPLE), lambda r: set(r[0].table["full_name"])
    yield "dao-tao", TrainingPanel(ds, "data/scenarios/dao-tao-2020-2025.yaml", dataset_path=SAMPLE), \
        lambda r: set(r[1].schedule["full_name"])
    yield "quy-hoach", SuccessionPanel(ds, "data/scenarios/quy-hoach-2020-2025.yaml", dataset_path=SAMPLE), \
        lambda r: set(r[2].slates["full_name"])
    yield "luan-chuyen", RotationPanel(ds, rotation.load_rotation_scenario(SCENARIO), dataset_path=SAMPLE), \
        lambda r: set(r.assignments["full_name"])


def test_each_explorer_exports_a_word_to_trinh_of_the_result_on_screen(tmp_path, monkeypatch):
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    monkeypatch.setattr(common, "REPORT_ROOTS", (*common.REPORT_ROOTS, str(tmp_path)))
    ds = load_dataset(SAMPLE)
    seconds = {}
    for stem, panel, people in _panels(ds):
        assert panel.error is None, (stem, panel.error)
        files = panel.exporter.export(tmp_path / stem)
        names = [f.name for f in files]
        assert names == ["kich-ban.yaml", f"{stem}.docx", f"{stem}.xlsx", f"{stem}.pdf"], panel.exporter.out.value
        paras, cells = _docx_texts(files[1])
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in cells and "HUYỆN ỦY KIM SƠN\nBAN TỔ CHỨC" in cells
        assert "-TTr/BTCHU" in cells and "Nơi nhận:" in cells
        assert "TỜ TRÌNH" in paras and any(p.startswith("Kính gửi: Ban Thường vụ Huyện ủy Kim Sơn") for p in paras)
        assert "Phụ lục 1" in paras
        shown = people(panel.result)
        assert shown and shown <= set(cells.split("\n")), stem  # the Phụ lục lists the people on screen
        assert files[3].read_bytes()[:5] == b"%PDF-"
        seconds[stem] = panel.exporter.seconds
    print("\nXuất Tờ trình, Excel và PDF (giây): " + "; ".join(f"{k} {v:.2f}" for k, v in seconds.items()))
