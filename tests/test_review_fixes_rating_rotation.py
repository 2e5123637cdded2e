"""Review fixes: rating CLI comparison CSV and year check, rating speed, Vietnamese eligibility
export, vectorised rotation reasons, merger candidates (surplus) and the 2025 what-if."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kimson_ds.errors import DataError
from kimson_ds.io import Dataset

ROOT = Path(__file__).resolve().parents[1]
MINIMAL = Path(__file__).parent / "data" / "minimal"
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
    a, b = "Quy định ngày 31-12-2018", "Quy định ngày 18-10-2019"
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
    from kimson_ds.rating import check_year, rating_years

    ratings = pd.DataFrame({"cadre_id": ["A", "B", "C"], "year": [2016, 2015, 2016]})
    assert rating_years(ratings) == [2015, 2016]
    check_year(ratings, 2016)  # no error
    with pytest.raises(DataError, match=r"năm 2030 \(các năm có trong dữ liệu: 2015, 2016\)"):
        check_year(ratings, 2030)
    with pytest.raises(DataError, match="không có dòng nào"):
        check_year(ratings.iloc[:0], 2018)


def _rate_tiny(as_of="2020-12-31"):
    from kimson_ds.rating import rate

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
    # C: disciplined in the year (2020 rules: no downgrade yet, but said) and moved by the quota
    assert "Có kỷ luật trong năm (Khiển trách, ngày 02-04-2020)" in r["C"]
    assert f"Xếp loại {org1.replace('Một', 'Hai')}: Hoàn thành xuất sắc nhiệm vụ (không phải hạ)" in r["C"]
    assert "Xã Một" not in r["C"] and "xếp thứ 1 theo điểm" in r["C"]
    assert r["D"].startswith("Điểm 80 → Hoàn thành tốt nhiệm vụ")
    assert "Chưa có xếp loại tổ chức (Chính quyền xã, thị trấn của Xã Một năm 2020)" in r["D"]
    assert r["E"].startswith("Không có điểm và mức xếp loại") and "Chức danh không liên kết" in r["E"]
    assert "Kết quả" not in r["E"]
    assert "Chức danh không liên kết" in r["F"] and "xếp thứ 2 theo điểm" in r["F"]
    assert r["F"].startswith("Điểm 92 → Hoàn thành xuất sắc nhiệm vụ")


# =========================================================================== eligibility export
def _merger_dataset(effective="2020-01-01"):
    units = pd.DataFrame([
        dict(unit_id="X1", name="Xã Một", kind="xa", valid_to="2019-12-31", successor_unit_id="XN"),
        dict(unit_id="X2", name="Xã Hai", kind="xa", valid_to="2019-12-31", successor_unit_id="XN"),
        dict(unit_id="XN", name="Xã Mới", kind="xa", valid_from=effective),
        dict(unit_id="D1", name="Phòng Nội vụ", kind="phong_ban", function="noi_vu")])
    pos = pd.DataFrame([
        dict(position_id="X1_BT", unit_id="X1", title="bi_thu", is_key=True, holder_id="A1"),
        dict(position_id="X1_CT", unit_id="X1", title="chu_tich_ubnd", is_key=True, holder_id="A1"),
        dict(position_id="X1_MT", unit_id="X1", title="chu_tich_mttq", is_key=False, holder_id="A2"),
        dict(position_id="X2_BT", unit_id="X2", title="bi_thu", is_key=True, holder_id="B1"),
        dict(position_id="X2_CT", unit_id="X2", title="chu_tich_ubnd", is_key=True, holder_id="B1"),
        dict(position_id="XN_BT", unit_id="XN", title="bi_thu", is_key=True),
        dict(position_id="XN_CT", unit_id="XN", title="chu_tich_ubnd", is_key=True),
        dict(position_id="D1_TP", unit_id="D1", title="truong_phong", is_key=True, holder_id="Z")])
    people = [("A1", "Nguyễn Văn An", "nam", "X1"), ("A2", "Trần Thị Bình", "nu", "X1"),
              ("A3", "Lê Văn Cường", "nam", "X1"), ("B1", "Phạm Văn Dũng", "nam", "X2"),
              ("B2", "Hoàng Thị Em", "nu", "X2"), ("Z", "Đỗ Văn Giang", "nam", "D1")]
    cadres = pd.DataFrame([dict(cadre_id=i, full_name=n, gender=g, birth_date="1975-01-01", unit_id=u,
                                home_unit_id=u, work_start_date="2000-01-01", managed_by_btv=True)
                           for i, n, g, u in people])
    ratings = pd.DataFrame([dict(cadre_id=i, year=2018, level=lv) for i, lv in
                            (("A1", "xuat_sac"), ("A2", "tot"), ("A3", "tot"), ("B1", "tot"), ("B2", "xuat_sac"))])
    relatives = pd.DataFrame([dict(cadre_id="A3", relative_id="A1", relation="anh_chi_em")])
    return Dataset.from_frames({"units": units, "positions": pos, "cadres": cadres, "ratings": ratings,
                                "relatives": relatives}, as_of="2019-12-31")


def _merger_scenario(**kw):
    from kimson_ds.rotation import RotationScenario

    data = {"as_of": "2019-12-31", "posts": {"units": ["XN"]},
            "merger": {"effective": "2020-01-01", "new_units": {"XN": ["X1", "X2"]}},
            "strict": False, "rule_costs": False,
            "rules": {"home": {"enabled": False}, "years_left": {"enabled": False}, "young": {"enabled": False},
                      "seniority": {"enabled": False}, "gender": {"enabled": False},
                      "current_rotation": {"enabled": False}}}
    data.update(kw)
    return RotationScenario.model_validate(data)


def test_eligibility_export_has_vietnamese_headers_and_labels():
    from kimson_ds.eligibility import DESCRIBE_COLUMNS, describe
    from kimson_ds.rotation import prepare, vietnamese

    pb = prepare(_merger_dataset(), _merger_scenario())
    out = vietnamese(describe(pb.elig, pb.cands, pb.posts))
    assert list(out.columns) == ["Mã cán bộ", "Họ và tên", "Giới tính", "Mã vị trí", "Mã đơn vị", "Xã, thị trấn",
                                 "Mã chức danh", "Chức danh", "Đủ điều kiện", "Lý do không đủ điều kiện"]
    assert list(out.columns) == list(DESCRIBE_COLUMNS.values())
    assert set(out["Giới tính"]) == {"Nam", "Nữ"}
    assert set(out["Chức danh"]) == {"Bí thư", "Chủ tịch UBND"} and set(out["Mã chức danh"]) == {"bi_thu",
                                                                                                 "chu_tich_ubnd"}
    assert set(out["Xã, thị trấn"]) == {"Xã Mới"} and set(out["Đủ điều kiện"]) <= {"có", "không"}


# =========================================================================== rotation: vectorised reasons
def test_top_reasons_is_vectorised_and_orders_by_count(monkeypatch):
    from kimson_ds import rotation
    from kimson_ds.eligibility import RULES

    elig = pd.DataFrame({"cadre_id": ["A", "A", "A", "B", "B", "C"], "post_id": list("pqrpqp"),
                         "eligible": [False, False, False, False, True, True]})
    for r in RULES:
        elig[f"fail_{r}"] = False
    elig.loc[[0, 1], "fail_seniority"] = True
    elig.loc[[1, 2, 3], "fail_discipline"] = True
    elig.loc[[0, 3], "fail_home"] = True

    def no_apply(*_a, **_k):
        raise AssertionError("DataFrame.apply (vòng lặp theo dòng) không được dùng")

    monkeypatch.setattr(pd.DataFrame, "apply", no_apply)
    out = rotation._top_reasons(elig, "cadre_id", ["A", "B", "C"])
    # A: seniority 2, discipline 2, home 1 → the tie keeps the order of RULES (discipline before seniority)
    assert out["A"] == "kỷ luật (2), thâm niên, bậc chức danh (2), quê quán, nơi đang công tác (1)"
    assert out["B"] == "kỷ luật (1), quê quán, nơi đang công tác (1)"
    assert "C" not in out.index  # no excluded pair


# =========================================================================== merger: surplus
def test_merger_candidates_default_to_every_cadre_of_the_old_communes():
    from kimson_ds.rotation import run

    ds = _merger_dataset()
    r = run(ds, _merger_scenario())
    # A2 (chủ tịch MTTQ, non-key post), A3, B2 (no post) count too; Z (district) does not
    assert set(r.problem.cands["cadre_id"]) == {"A1", "A2", "A3", "B1", "B2"}
    assert len(r.assignments) == 2
    unused = r.tables["unused"]
    assert len(unused) == 3 and unused["reason"].str.startswith("Dôi dư sau sắp xếp").all()
    assert any(line.startswith("Sáp nhập: 5 cán bộ") and "3 người dôi dư" in line for line in r.diagnosis)
    assert not any(line.startswith("GIẢ ĐỊNH") for line in r.diagnosis)  # merger the day after the data
    # key_holders_of still narrows the pool to the key-post holders
    narrow = run(ds, _merger_scenario(candidates={"key_holders_of": ["X1", "X2"]}))
    assert set(narrow.problem.cands["cadre_id"]) == {"A1", "B1"} and len(narrow.tables["unused"]) == 0
    explicit = run(ds, _merger_scenario(candidates={"cadres_of": ["X2"]}))
    assert set(explicit.problem.cands["cadre_id"]) == {"B1", "B2"}


def test_merger_long_after_the_data_is_flagged_as_an_assumption():
    from kimson_ds.rotation import run

    sc = _merger_scenario(merger={"effective": "2025-07-01", "new_units": {"XN": ["X1", "X2"]},
                                  "note": "Thành phần xã mới là giả định."})
    r = run(_merger_dataset(effective="2025-07-01"), sc)
    lines = [x for x in r.diagnosis if x.startswith("GIẢ ĐỊNH")]
    assert len(lines) == 1 and "what-if" in lines[0] and "31-12-2019" in lines[0] and "01-07-2025" in lines[0]
    assert "Ghi chú kịch bản: Thành phần xã mới là giả định." in r.diagnosis


@needs_sample
@pytest.mark.slow
def test_sample_merger_2020_has_surplus_cadres(tmp_path):
    from kimson_ds.io import load_dataset
    from kimson_ds.rotation import load_rotation_scenario, run

    ds = load_dataset(SAMPLE)
    r = run(ds, load_rotation_scenario(ROOT / "data/scenarios/sap-xep-2020.yaml"))
    assert r.solution.optimal and len(r.assignments) == 4
    olds = ds["cadres"].loc[ds["cadres"]["unit_id"].isin(["XA_XUAN_THIEN", "XA_CHINH_TAM"]), "cadre_id"]
    assert set(olds) <= set(r.problem.cands["cadre_id"])
    assert len(r.tables["unused"]) == len(r.problem.cands) - 4 > 0
    assert r.tables["unused"]["reason"].str.startswith("Dôi dư").all()


@needs_sample
@pytest.mark.slow
def test_sample_merger_2025_is_a_flagged_what_if(tmp_path, monkeypatch):
    from kimson_ds.cli import main

    text = (ROOT / "data/scenarios/sap-xep-2025.yaml").read_text(encoding="utf-8")
    assert "what-if" in text and "ảnh chụp ngày 31-12-2019" in text
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    out = tmp_path / "o"
    assert main(["rotate", str(SAMPLE), "--scenario", str(ROOT / "data/scenarios/sap-xep-2025.yaml"),
                 "--out", str(out)]) == 0
    diag = (out / "diagnosis.txt").read_text(encoding="utf-8")
    assert "GIẢ ĐỊNH: đây là phương án giả định (what-if)" in diag
    unused = pd.read_csv(out / "unused.csv", encoding="utf-8-sig")
    assert len(unused) > 0
    elig = pd.read_csv(out / "eligibility.csv", encoding="utf-8-sig", nrows=5)
    assert "unit_name" not in elig.columns and "Chức danh" in elig.columns
