"""Tests of the descriptive overview (kimson_ds.overview.figures) on hand-checkable data."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from matplotlib.figure import Figure

from kimson_ds.data.io import Dataset
from kimson_ds.overview import figures as overview
from kimson_ds.rules.parameters import parameters

AS_OF = "2019-12-31"


@pytest.fixture(scope="module")
def ds() -> Dataset:
    """Four units (one merged away on 31-12-2019, one created 1-1-2020), six posts, eight people.

    Ages on 31-12-2019: C1 39, C2 40 (birthday that day), C3 50 (birthday
    that day), C4 51; C5 reached retirement on 1-6-2019; C6 works in a unit
    that does not exist yet; C7/C8 retire on 1-12-2025 / 1-4-2026 (either
    side of the end of the 2020–2025 term, 31-12-2025).
    """
    units = pd.DataFrame(
        {
            "unit_id": ["XA_A", "XA_OLD", "XA_NEW", "PHONG_NV"],
            "name": ["Xã A", "Xã Cũ", "Xã Mới", "Phòng Nội vụ"],
            "kind": ["xa", "xa", "xa", "phong_ban"],
            "valid_from": pd.to_datetime([None, None, "2020-01-01", None]),
            "valid_to": pd.to_datetime([None, "2019-12-31", None, None]),
        }
    )
    cadres = pd.DataFrame(
        {
            "cadre_id": ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8"],
            "full_name": ["Một", "Hai", "Ba", "Bốn", "Năm", "Sáu", "Bảy", "Tám"],
            "gender": ["nam", "nu", "nam", "nu", "nam", "nu", "nam", "nam"],
            "birth_date": pd.to_datetime(
                ["1980-06-15", "1979-12-31", "1969-12-31", "1968-06-01", "1959-06-01", "1990-01-01",
                 "1964-09-01", "1964-10-01"]
            ),
            "unit_id": ["XA_A", "XA_A", "PHONG_NV", "XA_OLD", "PHONG_NV", "XA_NEW", "PHONG_NV", "PHONG_NV"],
            "managed_by_btv": [True, False, True, False, False, False, False, False],
            "education": ["dai_hoc", "dai_hoc", None, "trung_cap", "dai_hoc", "dai_hoc", "dai_hoc", "dai_hoc"],
        }
    )
    positions = pd.DataFrame(
        {
            "position_id": ["P1", "P2", "P3", "P4", "P5", "P6"],
            "unit_id": ["XA_A", "XA_A", "XA_OLD", "XA_NEW", "PHONG_NV", "PHONG_NV"],
            "title": ["bi_thu", "chu_tich_ubnd", "bi_thu", "bi_thu", "truong_phong", "pho_truong_phong"],
            "is_key": [True, True, True, True, True, False],
            "holder_id": ["C1", None, None, None, "C3", "C5"],
        }
    )
    return Dataset.from_frames({"units": units, "cadres": cadres, "positions": positions}, as_of=AS_OF)


def test_valid_units_bounds_are_inclusive(ds):
    assert set(overview.valid_units(ds.units, "2019-12-31")["unit_id"]) == {"XA_A", "XA_OLD", "PHONG_NV"}
    assert set(overview.valid_units(ds.units, "2020-01-01")["unit_id"]) == {"XA_A", "XA_NEW", "PHONG_NV"}


def test_age_in_completed_years_counts_the_birthday():
    births = pd.Series(pd.to_datetime(["1979-12-31", "1980-01-01", "2000-02-29"]))
    assert overview.age_years(births, "2019-12-31").tolist() == [40, 39, 19]
    assert overview.age_years(births, "2020-02-28").tolist() == [40, 40, 19]


def test_active_cadres_exclude_retired_and_units_out_of_validity(ds):
    active = overview.active_cadres(ds.cadres, ds.units, AS_OF)
    assert sorted(active["cadre_id"]) == ["C1", "C2", "C3", "C4", "C7", "C8"]
    assert dict(zip(active["cadre_id"], active["age"], strict=True))["C2"] == 40
    later = overview.active_cadres(ds.cadres, ds.units, "2020-01-01")
    assert "C4" not in set(later["cadre_id"])  # Xã Cũ no longer exists
    assert "C6" in set(later["cadre_id"])  # Xã Mới exists


def test_age_pyramid_bands_and_genders(ds):
    people = ds.cadres[ds.cadres["cadre_id"].isin(["C1", "C2", "C3"])]
    pyr = overview.age_pyramid(people, AS_OF)
    assert pyr["Nhóm tuổi"].tolist() == ["35–39", "40–44", "45–49", "50–54"]
    assert pyr["Nam"].tolist() == [1, 0, 0, 1]
    assert pyr["Nữ"].tolist() == [0, 1, 0, 0]
    assert pyr["Tổng"].sum() == 3


def test_age_cohorts_with_parameter_and_explicit_bounds(ds):
    people = ds.cadres[ds.cadres["cadre_id"].isin(["C1", "C2", "C3", "C4"])]  # 39, 40, 50, 51
    P = parameters(AS_OF)
    got = overview.age_cohorts(people, AS_OF, P)
    assert got["Số người"].tolist() == [1, 2, 1]
    assert got["Tỷ lệ (%)"].tolist() == [25.0, 50.0, 25.0]
    assert got["Độ tuổi"].tolist() == ["Dưới 40 tuổi", "Từ 40 đến 50 tuổi", "Trên 50 tuổi"]
    assert "planning.age_cohort_bounds" in P.used
    other = overview.age_cohorts(people, AS_OF, bounds={"young_max": 35, "middle_max": 45})
    assert other["Số người"].tolist() == [0, 2, 2]
    overridden = parameters(AS_OF, {"planning.age_cohort_bounds": {"young_max": 41, "middle_max": 49}})
    assert overview.age_cohorts(people, AS_OF, overridden)["Số người"].tolist() == [2, 0, 2]


def test_women_share_by_group(ds):
    active = overview.active_cadres(ds.cadres, ds.units, AS_OF)
    got = overview.women_share(active, ds.positions).set_index("Nhóm")
    assert got.loc["Toàn bộ cán bộ", "Tổng số"] == 6
    assert got.loc["Toàn bộ cán bộ", "Nữ"] == 2
    assert got.loc["Toàn bộ cán bộ", "Tỷ lệ nữ (%)"] == pytest.approx(33.3)
    assert got.loc["Cán bộ diện Ban Thường vụ quản lý", "Tỷ lệ nữ (%)"] == 0.0
    assert got.loc["Cán bộ giữ chức danh chủ chốt", "Tổng số"] == 2  # C1 and C3


def test_qualification_in_ladder_order_with_missing(ds):
    active = overview.active_cadres(ds.cadres, ds.units, AS_OF)
    got = overview.qualification_distribution(active, "education")
    assert got["Trình độ"].tolist() == ["Chưa qua đào tạo", "Trung cấp", "Cao đẳng", "Đại học", "Thạc sĩ",
                                        "Tiến sĩ", "Chưa có thông tin"]
    assert got["Số người"].tolist() == [0, 1, 0, 4, 0, 0, 1]
    assert got["Tỷ lệ (%)"].sum() == pytest.approx(100.0, abs=0.2)


def test_vacancies_on_both_sides_of_a_merger(ds):
    before = overview.vacancies(ds.units, ds.positions, ds.cadres, AS_OF)
    assert before["Mã chức danh"].tolist() == ["P2", "P3", "P6"]  # Xã A, Xã Cũ, then the department
    reasons = dict(zip(before["Mã chức danh"], before["Lý do"], strict=True))
    assert reasons["P6"] == "Người giữ chức đã đến tuổi nghỉ hưu"
    assert reasons["P2"] == "Chưa có người giữ"
    assert before.loc[before["Mã chức danh"] == "P2", "Chức danh"].item() == "Chủ tịch UBND"
    assert before.loc[before["Mã chức danh"] == "P2", "Đơn vị"].item() == "Xã A"
    after = overview.vacancies(ds.units, ds.positions, ds.cadres, "2020-01-01")
    assert set(after["Mã chức danh"]) == {"P2", "P4", "P6"}


def test_position_counts_and_unit_summary(ds):
    counts = overview.position_counts(ds.units, ds.positions, AS_OF)
    row = counts[(counts["Loại đơn vị"] == "Xã") & (counts["Chức danh"] == "Bí thư")].iloc[0]
    assert (row["Số vị trí"], row["Có người giữ"], row["Khuyết"]) == (2, 1, 1)  # P1, P3 (not P4)
    summary = overview.unit_summary(ds.units, ds.positions, ds.cadres, AS_OF).set_index("Loại đơn vị")
    assert summary.loc["Xã", "Số đơn vị"] == 2
    assert summary.loc["Xã", "Số cán bộ"] == 3  # C1, C2, C4
    assert summary.loc["Tổng cộng", "Số vị trí chức danh"] == 5


def test_terms_align_on_2020():
    assert overview.term_of("2019-12-31").label == "2015–2020"
    assert overview.term_of("2020-01-01").label == "2020–2025"
    nxt = overview.term_of("2019-12-31", offset=1)
    assert (nxt.label, nxt.end) == ("2020–2025", pd.Timestamp("2025-12-31"))
    P = parameters("2019-12-31", {"term.length_years": 4})
    assert overview.term_of("2019-12-31", P).label == "2016–2020"


def test_retirement_before_end_of_next_term_boundary(ds):
    P = parameters(AS_OF)
    got = overview.retiring_before_next_term_end(ds.cadres, ds.units, ds.positions, AS_OF, P)
    ids = got["Mã cán bộ"].tolist()
    assert "C7" in ids  # retires 01-12-2025 <= 31-12-2025
    assert "C8" not in ids  # retires 01-04-2026
    assert ids == ["C5", "C4", "C7"]  # sorted by retirement date
    when = dict(zip(got["Mã cán bộ"], got["Thời điểm"], strict=True))
    assert when["C5"] == "Đã đến tuổi nghỉ hưu"
    assert when["C4"] == "Trong nhiệm kỳ 2020–2025"  # woman born 1968-06, retires 2024-10-01
    assert got.loc[got["Mã cán bộ"] == "C7", "Ngày nghỉ hưu"].item() == dt.date(2025, 12, 1)
    assert got.loc[got["Mã cán bộ"] == "C5", "Chức danh đang giữ"].item() == "Phó Trưởng phòng"
    assert {"retirement.age_men_months", "term.length_years"} <= set(P.used)
    # One year later the next term is 2025–2030: C8 is listed, C4 (unit merged away) is not.
    later = overview.retiring_before_next_term_end(ds.cadres, ds.units, ds.positions, "2020-06-30")
    assert "C8" in set(later["Mã cán bộ"]) and "C4" not in set(later["Mã cán bộ"])


def test_highlights_and_charts(ds):
    P = parameters(AS_OF)
    active = overview.active_cadres(ds.cadres, ds.units, AS_OF, P)
    cohorts = overview.age_cohorts(active, AS_OF, P)
    women = overview.women_share(active, ds.positions)
    vacant = overview.vacancies(ds.units, ds.positions, ds.cadres, AS_OF, P)
    retiring = overview.retiring_before_next_term_end(ds.cadres, ds.units, ds.positions, AS_OF, P)
    lines = overview.highlights(active, cohorts, women, vacant, retiring, AS_OF, P)
    text = "\n".join(lines)
    assert "**6** cán bộ" in text and "**3** vị trí khuyết" in text and "2 vị trí chủ chốt" in text
    assert "33,3%" in text and "15,0%" in text  # women's share vs the 2012 planning target
    fig = overview.plot_age_pyramid(overview.age_pyramid(active, AS_OF))
    assert isinstance(fig, Figure) and fig.axes[0].get_xlabel() == "Số cán bộ"
    bars = overview.plot_bars(cohorts, "Độ tuổi", "Tỷ lệ (%)", title="Cơ cấu ba độ tuổi")
    assert [t.get_text() for t in bars.axes[0].get_xticklabels()] == cohorts["Độ tuổi"].tolist()


def test_overview_notebook_is_thin_and_stripped():
    import nbformat

    from kimson_ds.papers.report import REPO_ROOT

    nb = nbformat.read(REPO_ROOT / "notebooks" / "00-tong-quan.ipynb", as_version=4)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code_cells[0].metadata.get("tags", [])
    assert 'dataset: str = "data/kimson"' in code_cells[0].source
    assert 'as_of: str = "2019-12-31"' in code_cells[0].source
    for cell in code_cells:
        assert not cell.outputs and cell.execution_count is None
        assert not any(line.lstrip().startswith(("def ", "class ")) for line in cell.source.splitlines())
    headings = [line for c in nb.cells if c.cell_type == "markdown" for line in c.source.splitlines()
                if line.startswith("## ")]
    assert headings == ["## Mục tiêu", "## Bài toán", "## Mô hình", "## Dữ liệu", "## Kết quả", "## Phân tích",
                        "## Căn cứ pháp lý"]
    assert code_cells[-1].source.strip() == "legal_basis(P)"
