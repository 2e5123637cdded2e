"""Report presentation: shortened tables, human parameter values, number formats, print layout."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

from kimson_ds.papers import report
from kimson_ds.papers.pdf import PRINT_CSS, SMALL_TABLE_ROWS

REPO = Path(__file__).resolve().parents[2]


# --------------------------------------------------------------------- show_table(max_rows=...)
def test_table_html_max_rows_shows_first_rows_and_a_note():
    df = pd.DataFrame({"Mã": [f"CB{i:04d}" for i in range(30)], "Điểm": [90.5] * 30})
    text = report.table_html(df, "Danh sách", max_rows=10, full_source="kimson-ds train (tệp schedule.csv)")
    assert text.count("<tr>") == 11  # header + 10 rows
    assert "CB0009" in text and "CB0010" not in text
    assert "… và 20 dòng nữa — xem đầy đủ trong tệp kết quả của lệnh kimson-ds train (tệp schedule.csv)." in text


def test_table_html_max_rows_without_source_gives_the_total_and_no_note_when_short():
    df = pd.DataFrame({"x": range(12000)})
    text = report.table_html(df, max_rows=5)
    assert "… và 11.995 dòng nữa (bảng đầy đủ có 12.000 dòng)." in text
    short = report.table_html(df.head(3), max_rows=5)
    assert "dòng nữa" not in short and short.count("<tr>") == 4
    assert "dòng nữa" not in report.table_html(df.head(3))


def test_tables_scroll_sideways_on_screen_but_not_in_print():
    text = report.table_html(pd.DataFrame({"a": [1]}))
    assert text.startswith('<div class="kimson-scroll"><table class="kimson-table">')
    css = (REPO / "kimson_ds" / "papers" / "assets" / "report.css").read_text(encoding="utf-8")
    screen, _, printed = css.partition("@media print")
    assert re.search(r"\.kimson-scroll \{[^}]*overflow-x: auto", screen)
    assert re.search(r"\.kimson-scroll \{ overflow: visible; \}", printed)
    # Long tables may break across pages: no page-break-inside rule on whole tables.
    assert "table.kimson-table, img { page-break-inside" not in css


def test_print_css_sets_small_table_text_over_the_screen_style():
    # The screen style sizes .kimson-table in em; the print rule must be at least as specific.
    assert "html table.kimson-table { font-size: 8pt" in PRINT_CSS
    assert SMALL_TABLE_ROWS >= 5


# --------------------------------------------------------------------- show_figure closes pyplot figures
def test_show_figure_closes_a_pyplot_figure(monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, **_kw: shown.append(obj))
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    assert plt.fignum_exists(fig.number)
    report.show_figure(fig)
    assert len(shown) == 1 and not plt.fignum_exists(fig.number)


# --------------------------------------------------------------------- parameter values for people
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"khien_trach": 12, "canh_cao": 12}, "Khiển trách: 12\nCảnh cáo: 12"),
        ("khien_trach", "Khiển trách"),
        (0.15, "0,15"),
        (True, "Có"),
        ({"young_max": 40, "middle_max": 50}, "Ranh giới tuổi nhóm 1 – nhóm 2: 40\nRanh giới tuổi nhóm 2 – nhóm 3: 50"),
        ({"bi_thu": {"max_age_first": 45, "education": "trung_cap", "state_mgmt": "chua_co"}},
         "Bí thư — Tuổi tối đa khi giữ chức lần đầu: 45; Trình độ chuyên môn: Trung cấp; "
         "Quản lý nhà nước: Chưa qua bồi dưỡng"),
        ({"bi_thu": {"min_years_service": 10.0, "min_rank": 2}},
         "Bí thư — Số năm công tác tối thiểu: 10; Bậc chức danh hiện giữ tối thiểu: 2"),
        ([{"title": "bi_thu", "unit_kinds": ["xa", "thi_tran"], "scheme": "tccsd"}],
         "Bí thư (Loại đơn vị: Xã, Thị trấn; Hình thức xếp loại tổ chức: Tổ chức cơ sở đảng)"),
        ({"relations": ["vo_chong", "con"]}, "Quan hệ gia đình: Vợ, chồng; Con"),
        ([{"rule_id": "r1", "description_vi": "Người thân không cùng giữ chức.", "scope": "same_unit"}],
         "Người thân không cùng giữ chức."),
        ({"bo_nhiem": "cung_chuc_danh", "luan_chuyen": "bat_ky"},
         "Bổ nhiệm: Trong quy hoạch đúng chức danh, đúng đơn vị\n"
         "Luân chuyển: Trong quy hoạch một chức danh lãnh đạo bất kỳ"),
    ],
)
def test_param_value_text(value, expected):
    assert report.param_value_text(value) == expected


def test_param_value_text_groups_many_codes_sharing_values():
    rank = {"chuyen_vien": 0, "cong_chuc_xa": 0, "pho_truong_phong": 1, "truong_phong": 2, "bi_thu": 3}
    assert report.param_value_text(rank) == (
        "Chuyên viên, Công chức xã: 0\nPhó Trưởng phòng: 1\nTrưởng phòng: 2\nBí thư: 3")


def test_legal_basis_tables_show_labels_not_codes():
    refs = report.references_frame(pd.DataFrame([{
        "name": "rotation.discipline_bar_months",
        "description": "Thời gian (tháng) chưa được xem xét: theo hình thức kỷ luật. Chi tiết khác.",
        "value": {"khien_trach": 12, "cach_chuc": 24}, "since": "2020-07-01", "reference": "Quy định 105-QĐ/TW",
        "href": "", "assumption": True, "overridden": False}]))
    full = report.legal_basis_table(refs)
    assert full.loc[0, "Giá trị áp dụng"] == "Khiển trách: 12\nCách chức: 24"
    assert full.loc[0, "Áp dụng từ ngày"] == "01/07/2020" and full.loc[0, "Ghi chú"] == "GIẢ ĐỊNH"
    compact = report.legal_basis_table(refs, compact=True)
    assert "Căn cứ" not in compact.columns
    assert compact.loc[0, "Nội dung quy định"] == "Thời gian (tháng) chưa được xem xét"
    html = report.table_html(full, css_class="kimson-legal")
    assert '<table class="kimson-table kimson-legal">' in html and "khien_trach" not in html


def test_run_information_is_in_vietnamese():
    info = report._run_info_html(pd.Timestamp("2020-01-02 03:04"), "00-tong-quan.ipynb",
                                 pd.DataFrame({"Tham số": ["a"]}), None, None, "abc", report.references_frame(None))
    assert "Sổ tay phân tích" in info and "Notebook" not in info and "02/01/2020 03:04" in info


# --------------------------------------------------------------------- number formats
def test_vi_number_and_decimal_comma():
    assert report.vi_number(36.3636) == "36,4"
    assert report.vi_number(0.24, 1) == "0,2"
    assert report.vi_number(1234.5) == "1.234,5"
    assert report.decimal_comma("Điểm 96.7 → (ngưỡng 90/70/50; 21-HD/BTCTW), bản 0.1.0, 1.234 người") == (
        "Điểm 96,7 → (ngưỡng 90/70/50; 21-HD/BTCTW), bản 0.1.0, 1.234 người")
    s = report.decimal_comma(pd.Series(["Điểm 90.25", None]))
    assert s.iloc[0] == "Điểm 90,25" and pd.isna(s.iloc[1])


# --------------------------------------------------------------------- descriptions and notebooks
def test_parameter_descriptions_have_no_developer_text():
    for path in sorted((REPO / "kimson_ds" / "params").rglob("*.yaml")):
        text = yaml.safe_load(path.read_text(encoding="utf-8"))["description"]
        assert not re.search(r"LADDERS|codes\.py|codes\.[A-Z]|\{[a-z_]+:|\btrue\b", text), path
        assert not re.search(r"\b(?:max_age_first|young_max|min_rank|with_titles|description_vi)\b", text), path


def test_notebooks_show_dates_day_first_and_shorten_long_lists():
    for path in sorted((REPO / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert "%d-%m-%Y" not in code, path
    for name in ("10-xep-loai", "20-quy-hoach", "30-luan-chuyen", "40-dao-tao"):
        nb = nbformat.read(REPO / "notebooks" / f"{name}.ipynb", as_version=4)
        assert "max_rows=" in "\n".join(c.source for c in nb.cells), name


# --------------------------------------------------------------------- keys of a parameter named in words
def test_parameter_keys_in_values_and_descriptions_read_as_words():
    value = report.param_value_text({"max_rank_step": 0, "outstanding_years": 2, "outstanding_levels": ["xuat_sac"],
                                     "planned_counts": True, "levels": ["huyen"], "terms": 1})
    assert "Mức xếp loại coi là nổi trội: Hoàn thành xuất sắc nhiệm vụ" in value and "Cấp: cấp huyện" in value
    assert not re.search(r"[a-z]+_[a-z]+|huyen|True", value)
    text = report._keys_in_text("xếp loại thuộc outstanding_levels trong đủ outstanding_years năm; dua_ra; nêu trong terms "
                                "(theo term.length_years)")
    assert "«mức xếp loại coi là nổi trội»" in text and "«số nhiệm kỳ»" in text and "«đưa ra khỏi quy hoạch»" in text
    assert "term.length_years" in text  # a parameter's own name stays: it is its id in the appendix


def test_the_old_organisation_scale_crosswalk_reads_in_words():
    text = report.param_value_text({"trong_sach_vung_manh": "xuat_sac", "yeu_kem": "khong_hoan_thanh"})
    assert text == "Trong sạch, vững mạnh: Hoàn thành xuất sắc nhiệm vụ\nYếu kém: Không hoàn thành nhiệm vụ"
