"""The rate command: comparison CSV, clear error for a year without ratings, reasons per row."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kimson_ds.errors import DataError

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "minimal"
SAMPLE = ROOT / "data" / "kimson"
needs_sample = pytest.mark.skipif(not (SAMPLE / "cadres.csv").is_file(), reason="chưa có bộ dữ liệu mẫu")


# =========================================================================== rating: CLI
@pytest.mark.slow
def test_cli_rate_csv_with_compare_writes_comparison_file(tmp_path, monkeypatch, capsys):
    from kimson_ds.audit import read_log
    from kimson_ds.cli import main

    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    out = tmp_path / "kq.csv"
    rc = main(["rate", str(MINIMAL), "--year", "2018", "--as-of", "2018-12-31", "--compare-as-of", "2019-10-18",
               "--out", str(out)])
    assert rc == 0
    cmp_file = tmp_path / "kq-so-sanh.csv"
    assert cmp_file.is_file()
    assert cmp_file.read_bytes().startswith(b"\xef\xbb\xbf")  # utf-8-sig like the main CSV
    cmp = pd.read_csv(cmp_file, encoding="utf-8-sig")
    a, b = "Quy định ngày 31/12/2018", "Quy định ngày 18/10/2019"
    assert list(cmp.columns[:6]) == ["Mã cán bộ", "Họ và tên", "Nhóm chức danh", "Điểm", a, b]
    assert "Mức khác nhau" in cmp.columns and f"Lý do ({b})" in cmp.columns
    assert len(cmp) == 3  # every cadre, side by side
    # CB0001 is xuất sắc under the 2018 rules, moved down by the HD 21 quota: listed first, flagged
    first = cmp.iloc[0]
    assert first["Mã cán bộ"] == "CB0001" and first["Mức khác nhau"] == "có"
    assert first[a] == "Hoàn thành xuất sắc nhiệm vụ" and first[b] == "Hoàn thành tốt nhiệm vụ"
    assert (cmp["Mức khác nhau"] == "có").sum() == 1
    printed = capsys.readouterr().out
    assert "1 người có mức khác" in printed and str(cmp_file) in printed
    assert str(cmp_file) in read_log(tmp_path / "audit.jsonl")[-1]["outputs"]  # path → sha256


@pytest.mark.slow
def test_cli_rate_without_compare_writes_no_comparison_file(tmp_path, monkeypatch):
    from kimson_ds.cli import main

    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    assert main(["rate", str(MINIMAL), "--year", "2018", "--out", str(tmp_path / "kq.csv")]) == 0
    assert not (tmp_path / "kq-so-sanh.csv").exists()


@pytest.mark.slow
def test_cli_rate_year_without_data_is_a_clear_error(tmp_path, monkeypatch, capsys):
    from kimson_ds.cli import main

    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    out = tmp_path / "kq.csv"
    assert main(["rate", str(MINIMAL), "--year", "2030", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "năm 2030" in err and "các năm có trong dữ liệu: 2018" in err and "Traceback" not in err
    assert not out.exists()


def test_check_year_names_the_available_years():
    from kimson_ds.rating.engine import check_year, rating_years

    ratings = pd.DataFrame({"cadre_id": ["A", "B", "C"], "year": [2016, 2015, 2016]})
    assert rating_years(ratings) == [2015, 2016]
    check_year(ratings, 2016)  # no error
    with pytest.raises(DataError, match=r"năm 2030 \(các năm có trong dữ liệu: 2015, 2016\)"):
        check_year(ratings, 2030)
    with pytest.raises(DataError, match="không có dòng nào"):
        check_year(ratings.iloc[:0], 2018)


def _rate_tiny(as_of="2020-06-30"):
    from kimson_ds.rating.engine import rate

    ratings = pd.DataFrame({
        "cadre_id": ["A", "B", "C", "D", "E", "F"], "year": 2020,
        "score": [95, 95, 95, 80, np.nan, 92],
        "tasks_exceeded_pct": np.nan,
        "level": [None, "xuat_sac", None, None, None, None], "position_id": None})
    cadres = pd.DataFrame({"cadre_id": list("ABCDEF"), "full_name": list("abcdef"), "managed_by_btv": True})
    positions = pd.DataFrame({
        "position_id": ["PA", "PB", "PC", "PD", "PF"], "unit_id": ["X1", "X1", "X2", "X1", "X9"],
        "title": ["bi_thu", "bi_thu", "bi_thu", "chu_tich_ubnd", "bi_thu"],
        "holder_id": ["A", "B", "C", "D", "F"]})
    units = pd.DataFrame({"unit_id": ["X1", "X2"], "name": ["Xã Một", "Xã Hai"], "kind": "xa"})
    org = pd.DataFrame({"unit_id": ["X1", "X2"], "year": 2020, "scheme": "tccsd", "level": ["tot", "xuat_sac"]})
    discipline = pd.DataFrame({"cadre_id": ["C"], "form": ["khien_trach"], "decided_on": ["2020-04-02"]})
    return rate(ratings, cadres, positions, org, discipline, units, year=2020, as_of=as_of,
                group_by="all").table.set_index("cadre_id")["reason"]


def test_reasons_built_per_distinct_value_stay_per_row():
    """The reason tails are built once per distinct combination: rows sharing a unit must still get
    their own score, recorded-level mismatch, discipline and missing-organisation text."""
    r = _rate_tiny()
    org1 = "Tổ chức cơ sở đảng của Xã Một năm 2020"
    assert r["A"].startswith("Điểm 95 → Hoàn thành xuất sắc nhiệm vụ")
    assert f"Không cao hơn xếp loại {org1} (Hoàn thành tốt nhiệm vụ" in r["A"]
    assert "Khác mức đã ghi nhận" not in r["A"]
    # same unit, score and levels as A, but a recorded level that differs: same text plus the mismatch
    assert r["B"] == r["A"] + " Khác mức đã ghi nhận (Hoàn thành xuất sắc nhiệm vụ)."
    # C: disciplined in the year (HD 21: không hoàn thành), so not counted by the quota
    assert ("Bị kỷ luật (Khiển trách, ngày 02/04/2020) trong năm 2020 → Không hoàn thành nhiệm vụ "
            "(Hướng dẫn 21-HD/BTCTW") in r["C"]
    assert f"Xếp loại {org1.replace('Một', 'Hai')}: Hoàn thành xuất sắc nhiệm vụ (không phải hạ)" in r["C"]
    assert "Xã Một" not in r["C"] and "theo điểm (điểm thấp" not in r["C"]
    assert r["C"].endswith("Kết quả: Không hoàn thành nhiệm vụ.")
    assert r["D"].startswith("Điểm 80 → Hoàn thành tốt nhiệm vụ")
    assert "Chưa có xếp loại tổ chức (Chính quyền xã, thị trấn của Xã Một năm 2020)" in r["D"]
    assert r["E"].startswith("Không có điểm và mức xếp loại") and "Chức danh không liên kết" in r["E"]
    assert "Kết quả" not in r["E"]
    assert "Chức danh không liên kết" in r["F"] and "xếp thứ 1 theo điểm" in r["F"]
    assert r["F"].startswith("Điểm 92 → Hoàn thành xuất sắc nhiệm vụ")


