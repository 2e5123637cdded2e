"""Vetting checklist of personnel proposals: every item dated by the proposal, verdicts, the ``vet`` command."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from kimson_ds import audit
from kimson_ds.cli import main
from kimson_ds.data.io import Dataset, write_csv_folder
from kimson_ds.errors import DataError
from kimson_ds.vetting.checklist import parse_proposals, read_proposals, vet

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "kimson"
SAMPLE_BATCH = ROOT / "data" / "scenarios" / "de-xuat-mau.csv"

UNITS = pd.DataFrame(
    [("XA_A", "Xã A", "xa", "dia_phuong", None), ("XA_B", "Xã B", "xa", "dia_phuong", None),
     ("HU", "Huyện ủy", "co_quan_dang", "dang_uy", None),
     ("UBND_H", "UBND huyện", "chinh_quyen_huyen", "chinh_quyen", None),
     ("P_TC", "Phòng Tài chính", "phong_ban", "tai_chinh", "UBND_H")],
    columns=["unit_id", "name", "kind", "function", "parent_unit_id"],
)
POSITIONS = pd.DataFrame(
    [("XA_A-BT", "XA_A", "bi_thu", "C01"), ("XA_A-PCT", "XA_A", "pho_chu_tich_ubnd", None),
     ("XA_B-BT", "XA_B", "bi_thu", None), ("XA_B-PBT", "XA_B", "pho_bi_thu", "C02"),
     ("P_TC-TP", "P_TC", "truong_phong", None), ("HU-BT", "HU", "bi_thu", "C09")],
    columns=["position_id", "unit_id", "title", "holder_id"],
).assign(is_key=True)

#: cadre: (gender, birth, home, unit, education, political theory, state management)
PEOPLE = {
    "C01": ("nam", "1970-01-01", "XA_A", "XA_A", "dai_hoc", "trung_cap", "chuyen_vien"),
    "C02": ("nu", "1975-01-01", "XA_B", "XA_B", "dai_hoc", "trung_cap", "chuyen_vien"),
    "C09": ("nam", "1965-01-01", None, "HU", "thac_si", "cao_cap", "chuyen_vien_chinh"),
    "C10": ("nam", "1980-05-01", "XA_A", "XA_A", "dai_hoc", "trung_cap", "chuyen_vien"),     # good
    "C11": ("nam", "1985-05-01", "XA_A", "XA_A", "cao_dang", "trung_cap", "chuyen_vien"),    # college only
    "C12": ("nam", "1963-03-01", "XA_A", "XA_A", "dai_hoc", "trung_cap", "chuyen_vien"),     # near retirement
    "C13": ("nu", "1982-01-01", "XA_A", "XA_A", "dai_hoc", "trung_cap", "chuyen_vien"),      # disciplined
    "C14": ("nam", "1981-01-01", "XA_A", "XA_A", "dai_hoc", "trung_cap", "chuyen_vien"),     # no ratings
    "C15": ("nam", "1981-01-01", "XA_A", "XA_A", "dai_hoc", "trung_cap", "chuyen_vien"),     # scored 60 in 2019
    "C16": ("nam", "1981-01-01", "XA_A", "XA_A", "dai_hoc", "trung_cap", "chuyen_vien"),     # not planned
    "C17": ("nam", "1981-01-01", "XA_A", "XA_A", "dai_hoc", "trung_cap", "chuyen_vien"),     # planned elsewhere
    "C18": ("nam", "1985-01-01", "XA_B", "P_TC", "dai_hoc", "trung_cap", "chuyen_vien"),     # district, home XA_B
    "C19": ("nam", "1972-01-01", "XA_A", "HU", "thac_si", "cao_cap", "chuyen_vien_chinh"),   # local, for HU
    "C20": ("nam", "1973-01-01", None, "HU", "thac_si", "cao_cap", "chuyen_vien_chinh"),     # home unknown
    "C21": ("nu", "1984-01-01", "XA_B", "XA_B", "dai_hoc", "trung_cap", "chuyen_vien"),      # C02's sister
}


def make_dataset(extra_relatives=()):
    cadres = pd.DataFrame(
        [(cid, f"Người {cid}", g, b, h, u, e, p, s, True) for cid, (g, b, h, u, e, p, s) in PEOPLE.items()],
        columns=["cadre_id", "full_name", "gender", "birth_date", "home_unit_id", "unit_id", "education",
                 "political_theory", "state_mgmt", "managed_by_btv"])
    planning = pd.DataFrame(
        [(c, "bi_thu", "XA_B", "2020-2025") for c in ("C10", "C11", "C12", "C13", "C14", "C15")]
        + [("C17", "pho_bi_thu", "XA_B", "2020-2025"), ("C18", "pho_bi_thu", "XA_B", "2020-2025"),
           ("C19", "bi_thu", "HU", "2020-2025"), ("C20", "bi_thu", "HU", "2020-2025"),
           ("C21", "bi_thu", "XA_B", "2020-2025")],
        columns=["cadre_id", "target_title", "target_unit_id", "term"])
    good = [c for c in PEOPLE if c not in ("C14", "C15")]
    ratings = pd.DataFrame(
        [(c, y, None, "tot") for c in good for y in (2018, 2019, 2021, 2022)]
        + [("C15", 2018, 75.0, None), ("C15", 2019, 60.0, None)],
        columns=["cadre_id", "year", "score", "level"])
    discipline = pd.DataFrame([("C13", "khien_trach", "2020-01-10", None)],
                              columns=["cadre_id", "form", "decided_on", "expires_on"])
    relatives = pd.DataFrame([("C02", "C21", "anh_chi_em"), *extra_relatives],
                             columns=["cadre_id", "relative_id", "relation"])
    return Dataset.from_frames({"units": UNITS, "positions": POSITIONS, "cadres": cadres, "planning": planning,
                                "ratings": ratings, "discipline": discipline, "relatives": relatives})


COLUMNS = ["proposal_id", "cadre_id", "action", "position_id", "target_title", "target_unit_id", "effective_date"]


def proposals(ds, rows):
    return parse_proposals(pd.DataFrame(rows, columns=COLUMNS).astype(object), ds)


def statuses(result):
    c = result.checklist
    return {(p, i): s for p, i, s in zip(c["proposal_id"], c["item"], c["status"], strict=True)}


@pytest.fixture(scope="module")
def ds():
    return make_dataset()


# ----------------------------------------------------------------------------- proposals file


def test_parse_accepts_vietnamese_headers_labels_and_dates(ds):
    raw = pd.DataFrame({"Mã đề xuất": ["D1", "D2"], "Mã cán bộ": ["C10", "C18"],
                        "Hình thức đề xuất": ["Bổ nhiệm", "luan_chuyen"], "Mã chức danh": ["XA_B-BT", ""],
                        "Chức danh": ["", "Phó Bí thư"], "Mã đơn vị": ["", "XA_A"],
                        "Ngày hiệu lực": ["01/06/2020", "2020-06-01"]})
    p = parse_proposals(raw, ds)
    assert list(p["action"]) == ["bo_nhiem", "luan_chuyen"]
    assert list(p["target_title"]) == ["bi_thu", "pho_bi_thu"]
    assert list(p["target_unit_id"]) == ["XA_B", "XA_A"]
    assert p["effective_date"].tolist() == [pd.Timestamp("2020-06-01")] * 2


def test_title_and_unit_resolve_a_unique_position(ds):
    p = proposals(ds, [("D1", "C10", "bo_nhiem", None, "bi_thu", "XA_B", "2020-06-01")])
    assert p["position_id"].iloc[0] == "XA_B-BT"


@pytest.mark.parametrize("change, column, words", [
    ({"action": "thang_chuc"}, "action", "hình thức đề xuất không hợp lệ"),
    ({"cadre_id": "C99"}, "cadre_id", "không có cán bộ"),
    ({"position_id": "XA_Z-BT"}, "position_id", "không có vị trí"),
    ({"effective_date": "31/02/2020"}, "effective_date", "ngày không hợp lệ"),
    ({"target_title": "chu_tich_ubnd"}, "target_title", "không khớp"),
])
def test_malformed_rows_name_row_column_and_expectation(ds, change, column, words):
    row = {"proposal_id": "D1", "cadre_id": "C10", "action": "bo_nhiem", "position_id": "XA_B-BT",
           "target_title": None, "target_unit_id": None, "effective_date": "2020-06-01"}
    good = dict(row, proposal_id="D0")
    row.update(change)
    with pytest.raises(DataError) as exc:
        parse_proposals(pd.DataFrame([good, row]).astype(object), ds, source="dx.csv")
    issues = exc.value.issues
    assert [(i.row, i.column) for i in issues] == [(3, column)]
    assert words in issues[0].message and issues[0].expected
    assert "dx.csv" in str(exc.value) and "dòng 3" in str(exc.value)


def test_missing_column_and_duplicate_ids(ds):
    with pytest.raises(DataError, match="thiếu cột bắt buộc 'effective_date'"):
        parse_proposals(pd.DataFrame({"proposal_id": ["D1"], "cadre_id": ["C10"], "action": ["bo_nhiem"],
                                      "position_id": ["XA_B-BT"]}), ds)
    rows = [("D1", "C10", "gioi_thieu_ung_cu", "XA_B-BT", None, None, "2020-06-01")] * 2
    with pytest.raises(DataError, match="mã đề xuất bị trùng"):
        proposals(ds, rows)


# ----------------------------------------------------------------------------- checklist items


def test_good_appointment_is_dat_with_reasons_and_references(ds):
    r = vet(ds, proposals(ds, [("D1", "C10", "gioi_thieu_ung_cu", "XA_B-BT", None, None, "2020-06-01")]))
    c = r.checklist
    assert list(c["item"]) == ["vi_tri", "tuoi", "tieu_chuan", "quy_hoach", "xep_loai", "ky_luat", "khong_dia_phuong",
                               "nguoi_than", "tham_quyen"]
    assert set(c["status"]) <= {"dat", "khong_ap_dung"}
    assert (c["reason"] != "").all()
    assert (c.loc[c["status"] == "dat", "reference"] != "").all()
    assert r.verdicts["verdict"].tolist() == ["dat"] and r.exit_code == 0


def test_dated_standards_on_both_sides_of_1_8_2023(ds):
    # a college degree meets the commune secretary standard before Nghị định 33/2023, not after
    rows = [("D1", "C11", "gioi_thieu_ung_cu", "XA_B-BT", None, None, "2023-07-31"),
            ("D2", "C11", "gioi_thieu_ung_cu", "XA_B-BT", None, None, "2023-08-01")]
    r = vet(ds, proposals(ds, rows))
    s = statuses(r)
    assert s[("D1", "tieu_chuan")] == "dat"
    assert s[("D2", "tieu_chuan")] == "khong_dat"
    reason = r.checklist.set_index(["proposal_id", "item"]).loc[("D2", "tieu_chuan")]
    assert "đại học" in reason["reason"] and "33/2023" in reason["reference"]


def test_years_left_by_action(ds):
    rows = [("D1", "C12", "gioi_thieu_ung_cu", "XA_B-BT", None, None, "2020-06-01"),     # ~3 years left
            ("D2", "C10", "gioi_thieu_ung_cu", "XA_B-BT", None, None, "2020-06-01"),
            ("D3", "C12", "luan_chuyen", None, "pho_bi_thu", "XA_B", "2020-06-01"),   # < 10 years
            ("D4", "C10", "luan_chuyen", None, "pho_bi_thu", "XA_B", "2020-06-01")]
    r = vet(ds, proposals(ds, rows))
    s = statuses(r)
    assert [s[(p, "tuoi")] for p in ("D1", "D2", "D3", "D4")] == ["khong_dat", "dat", "khong_dat", "dat"]
    reason = r.checklist.set_index(["proposal_id", "item"]).loc[("D3", "tuoi"), "reason"]
    assert "ít nhất 10 năm" in reason and "Nghị định 135/2020" in reason


def test_ratings_missing_low_and_from_scores(ds):
    rows = [("D1", "C14", "gioi_thieu_ung_cu", "XA_B-BT", None, None, "2020-06-01"),
            ("D2", "C15", "gioi_thieu_ung_cu", "XA_B-BT", None, None, "2020-06-01"),
            ("D3", "C15", "gioi_thieu_ung_cu", "XA_B-BT", None, None, "2019-06-01")]
    r = vet(ds, proposals(ds, rows))
    s = statuses(r)
    assert s[("D1", "xep_loai")] == "can_xem_xet"
    assert s[("D2", "xep_loai")] == "khong_dat"   # 2019: 60 points → hoàn thành
    assert s[("D3", "xep_loai")] == "can_xem_xet"  # 2017 missing, 2018: 75 points → tốt
    assert "2019: hoàn thành nhiệm vụ" in r.checklist.set_index(["proposal_id", "item"]).loc[
        ("D2", "xep_loai"), "reason"]


def test_rating_years_is_an_overridable_assumption(ds):
    p = proposals(ds, [("D1", "C10", "gioi_thieu_ung_cu", "XA_B-BT", None, None, "2020-06-01")])
    assert statuses(vet(ds, p))[("D1", "xep_loai")] == "dat"
    r = vet(ds, p, overrides={"vetting.min_rating_years": 3})  # 2017 has no rating
    assert statuses(r)[("D1", "xep_loai")] == "can_xem_xet"
    assert "GIẢ ĐỊNH" in r.checklist.set_index("item").loc["xep_loai", "reference"]


def test_discipline_in_force_then_expired(ds):
    # khiển trách on 10-1-2020 without an end date: barred for rotation.discipline_bar_months (12)
    rows = [("D1", "C13", "gioi_thieu_ung_cu", "XA_B-BT", None, None, "2020-06-01"),
            ("D2", "C13", "gioi_thieu_ung_cu", "XA_B-BT", None, None, "2021-01-11")]
    s = statuses(vet(ds, proposals(ds, rows)))
    assert (s[("D1", "ky_luat")], s[("D2", "ky_luat")]) == ("khong_dat", "dat")


def test_planning_requirements(ds):
    rows = [("D1", "C16", "gioi_thieu_ung_cu", "XA_B-BT", None, None, "2020-06-01"),          # not planned
            ("D2", "C17", "gioi_thieu_ung_cu", "XA_B-BT", None, None, "2020-06-01"),          # planned for another post
            ("D3", "C17", "luan_chuyen", None, "bi_thu", "XA_A", "2020-06-01"),      # any planning is enough
            ("D4", "C16", "quy_hoach", None, "pho_bi_thu", "XA_B", "2020-06-01"),
            ("D5", "C17", "quy_hoach", None, "pho_bi_thu", "XA_B", "2020-06-01")]    # already planned
    s = statuses(vet(ds, proposals(ds, rows)))
    assert [s[(p, "quy_hoach")] for p in ("D1", "D2", "D3", "D4", "D5")] == [
        "khong_dat", "can_xem_xet", "dat", "dat", "can_xem_xet"]


def test_non_local_rules(ds):
    rows = [("D1", "C18", "luan_chuyen", None, "pho_bi_thu", "XA_B", "2020-06-01"),  # home commune
            ("D2", "C18", "luan_chuyen", None, "pho_bi_thu", "XA_A", "2020-06-01"),
            ("D3", "C19", "gioi_thieu_ung_cu", "HU-BT", None, None, "2020-08-01"),    # local district secretary
            ("D4", "C20", "gioi_thieu_ung_cu", "HU-BT", None, None, "2020-08-01"),    # home unknown
            ("D5", "C19", "gioi_thieu_ung_cu", "HU-BT", None, None, "2018-01-01")]    # before Nghị quyết 26
    r = vet(ds, proposals(ds, rows))
    s = statuses(r)
    assert [s[(p, "khong_dia_phuong")] for p in ("D1", "D2", "D3", "D4", "D5")] == [
        "can_xem_xet", "dat", "can_xem_xet", "can_xem_xet", "khong_ap_dung"]
    v = r.verdicts.set_index("proposal_id")["verdict"]
    # rotation to the home commune is a policy to review (no regulation makes it absolute)
    assert v["D3"] == "can_xem_xet" and v["D1"] == "can_xem_xet"


def test_relatives_with_current_holder_and_inside_the_batch(ds):
    rows = [("D1", "C21", "gioi_thieu_ung_cu", "XA_B-BT", None, None, "2020-06-01"),   # sister of the deputy C02
            ("D2", "C10", "gioi_thieu_ung_cu", "XA_B-BT", None, None, "2020-06-01")]
    s = statuses(vet(ds, proposals(ds, rows)))
    assert (s[("D1", "nguoi_than")], s[("D2", "nguoi_than")]) == ("khong_dat", "dat")
    ds2 = make_dataset(extra_relatives=[("C10", "C18", "anh_chi_em")])
    rows = [("D1", "C10", "gioi_thieu_ung_cu", "XA_B-BT", None, None, "2020-06-01"),
            ("D2", "C18", "luan_chuyen", None, "pho_bi_thu", "XA_B", "2020-06-01")]
    r = vet(ds2, proposals(ds2, rows))
    s = statuses(r)
    assert (s[("D1", "nguoi_than")], s[("D2", "nguoi_than")]) == ("khong_dat", "khong_dat")
    assert "trong_dot" in set(r.conflicts["kind"])
    # a planning proposal only asks for review
    rows = [("D1", "C21", "quy_hoach", None, "bi_thu", "XA_B", "2020-06-01")]
    assert statuses(vet(ds, proposals(ds, rows)))[("D1", "nguoi_than")] == "can_xem_xet"
    # planned to succeed her brother in his own seat: the plan is not a holding beside his
    rows = [("D1", "C21", "quy_hoach", None, "pho_bi_thu", "XA_B", "2020-06-01")]
    assert statuses(vet(ds, proposals(ds, rows)))[("D1", "nguoi_than")] == "dat"


def test_relatives_item_before_the_rules_exist(ds):
    r = vet(ds, proposals(ds, [("D1", "C21", "gioi_thieu_ung_cu", "XA_B-BT", None, None, "2019-01-01")]))
    row = r.checklist.set_index("item").loc["nguoi_than"]
    assert row["status"] == "khong_ap_dung" and "relatives." in row["reason"]


def test_verdicts_and_parameters_used(ds):
    rows = [("D1", "C10", "gioi_thieu_ung_cu", "XA_B-BT", None, None, "2020-06-01"),
            ("D2", "C14", "gioi_thieu_ung_cu", "XA_B-BT", None, None, "2020-06-01"),
            ("D3", "C12", "gioi_thieu_ung_cu", "XA_B-BT", None, None, "2020-06-01")]
    r = vet(ds, proposals(ds, rows))
    assert r.verdicts["verdict"].tolist() == ["dat", "can_xem_xet", "khong_dat"]
    assert "Thời gian công tác còn lại" in r.verdicts.loc[2, "failed_items"]
    assert "Xếp loại" in r.verdicts.loc[1, "review_items"]
    assert r.exit_code == 1
    used = r.parameters_used()["2020-06-01"]
    assert used["vetting.min_rating_years"] == 2 and "relatives.linked_posts" in used


# ----------------------------------------------------------------------------- command line


@pytest.fixture
def folder(tmp_path, ds, monkeypatch):
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    write_csv_folder(ds.tables, tmp_path / "data")
    return tmp_path


HEADER = ",".join(COLUMNS)


def _write(path, rows, header=HEADER):
    path.write_text(header + "\n" + "\n".join(",".join("" if v is None else v for v in r) for r in rows) + "\n",
                    encoding="utf-8")
    return path


def test_cli_exit_codes_outputs_and_audit(folder, capsys):
    ok = _write(folder / "ok.csv", [("D1", "C10", "gioi_thieu_ung_cu", "XA_B-BT", None, None, "2020-06-01")])
    bad = _write(folder / "bad.csv", [("D1", "C10", "gioi_thieu_ung_cu", "XA_B-BT", None, None, "2020-06-01"),
                                      ("D2", "C12", "gioi_thieu_ung_cu", "XA_B-BT", None, None, "2020-06-01")])
    review = _write(folder / "review.csv", [("D1", "C14", "gioi_thieu_ung_cu", "XA_B-BT", None, None, "2020-06-01")])
    data = str(folder / "data")
    assert main(["vet", data, "--proposals", str(ok), "--out", str(folder / "o1")]) == 0
    assert main(["vet", data, "--proposals", str(bad), "--out", str(folder / "o2")]) == 1
    assert main(["vet", data, "--proposals", str(review), "--out", str(folder / "o3")]) == 0
    out = capsys.readouterr().out
    assert "1 đạt, 1 không đạt" in out and "D2" in out
    for name in ("checklist.csv", "verdicts.csv", "conflicts.csv", "run.json"):
        assert (folder / "o2" / name).is_file()
    verdicts = pd.read_csv(folder / "o2" / "verdicts.csv")
    assert verdicts["Mã kết luận"].tolist() == ["dat", "khong_dat"]
    info = json.loads((folder / "o2" / "run.json").read_text(encoding="utf-8"))
    assert info["verdicts"] == {"dat": 1, "khong_dat": 1, "can_xem_xet": 0} and info["exit_code"] == 1
    records = audit.read_log(folder / "audit.jsonl")
    assert [r["command"].split()[0] for r in records] == ["vet"] * 3
    assert records[1]["outputs"] and records[1]["data_fingerprint"]
    assert audit.verify(folder / "audit.jsonl").ok


def test_cli_malformed_proposals_exit_2_with_vietnamese_message(folder, capsys):
    bad = _write(folder / "de-xuat.csv", [("D1", "C10", "gioi_thieu_ung_cu", "XA_B-BT", None, None, "2020-06-01"),
                                          ("D2", "C10", "thang_chuc", "XA_B-BT", None, None, "2020-06-01")])
    code = main(["vet", str(folder / "data"), "--proposals", str(bad), "--out", str(folder / "o")])
    err = capsys.readouterr().err
    assert code == 2
    assert "de-xuat.csv" in err and "dòng 3" in err and "action" in err and "bo_nhiem" in err
    assert "Traceback" not in err
    assert not (folder / "o").exists() and not (folder / "audit.jsonl").exists()
    missing = _write(folder / "thieu.csv", [("D1", "C10", "bo_nhiem")], header="proposal_id,cadre_id,action")
    assert main(["vet", str(folder / "data"), "--proposals", str(missing), "--out", str(folder / "o")]) == 2
    assert "thiếu cột bắt buộc 'effective_date'" in capsys.readouterr().err
    assert main(["vet", str(folder / "data"), "--proposals", str(folder / "khong-co.csv"),
                 "--out", str(folder / "o")]) == 2


def test_xlsx_proposals(folder, ds):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Đề xuất"
    ws.append(["Mã đề xuất", "Mã cán bộ", "Hình thức đề xuất", "Mã chức danh", "Ngày hiệu lực"])
    ws.append(["D1", "C10", "Bổ nhiệm", "XA_B-BT", pd.Timestamp("2020-06-01").to_pydatetime()])
    wb.save(folder / "dx.xlsx")
    p = read_proposals(folder / "dx.xlsx", ds)
    assert p[["proposal_id", "action", "target_title"]].values.tolist() == [["D1", "bo_nhiem", "bi_thu"]]


# ----------------------------------------------------------------------------- the sample batch


@pytest.mark.slow
@pytest.mark.skipif(not SAMPLE.is_dir(), reason="sample dataset not generated")
def test_sample_batch_end_to_end(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    code = main(["vet", str(SAMPLE), "--proposals", str(SAMPLE_BATCH), "--out", str(tmp_path / "out")])
    assert code == 1
    v = pd.read_csv(tmp_path / "out" / "verdicts.csv").set_index("Mã đề xuất")["Mã kết luận"]
    assert (v == "dat").sum() >= 2 and (v == "khong_dat").sum() >= 2 and (v == "can_xem_xet").sum() == 2
    # the district secretary is decided by the province: a district-level vetting of it is flagged (issue 12)
    assert v["DX05"] == "can_xem_xet"
    c = pd.read_csv(tmp_path / "out" / "conflicts.csv", keep_default_na=False)
    batch = c[c["Mã loại"] == "trong_dot"]
    assert len(batch) == 1 and {batch["Đề xuất A"].iloc[0], batch["Đề xuất B"].iloc[0]} == {"DX06", "DX07"}
    assert (c["Mã loại"] == "hien_tai").sum() == 4
    assert v["DX06"] == v["DX07"] == "khong_dat"
    assert audit.verify(tmp_path / "audit.jsonl").ok


# ----------------------------------------------------------------------------- notebook

NOTEBOOK = ROOT / "notebooks" / "50-kiem-tra.ipynb"


def test_notebook_is_thin_and_parameterised():
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    assert not any(line.lstrip().startswith(("def ", "class ")) for c in code for line in c.source.splitlines())
    headings = [c.source.splitlines()[0] for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## ")]
    assert headings == ["## Mục tiêu", "## Bài toán", "## Mô hình", "## Dữ liệu", "## Kết quả", "## Phân tích",
                        "## Căn cứ pháp lý"]
    assert "legal_basis(" in code[-1].source


@pytest.mark.slow
@pytest.mark.skipif(not SAMPLE.is_dir(), reason="sample dataset not generated")
def test_notebook_report_renders(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KIMSON_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    code = main(["report", str(NOTEBOOK), "-p", "min_rating_years", "3", "--out", str(tmp_path / "r")])
    assert code == 0, capsys.readouterr().err
    html = (tmp_path / "r" / "50-kiem-tra.html").read_text(encoding="utf-8")
    assert "Kết luận thẩm định" in html and "Giữa các đề xuất trong cùng đợt" in html
    assert "GIẢ ĐỊNH" in html and "Traceback" not in html


# ----------------------------------------------------------------------------- 2023–2025 rules


def _with(ds, cadres=(), planning=()):
    t = {k: v.copy() for k, v in ds.tables.items() if v is not None}
    if cadres:
        t["cadres"] = pd.concat([t["cadres"], pd.DataFrame(list(cadres))], ignore_index=True)
    if planning:
        t["planning"] = pd.concat([t["planning"], pd.DataFrame(list(planning))], ignore_index=True)
    return Dataset.from_frames(t)


def test_planning_years_left_count_from_the_start_of_the_planned_term(ds):
    # a man born 1-1967 retires in 2029: 5.6 years after 1-6-2023, but only 4 from 1-1-2025 (term 2025–2030)
    old = dict(cadre_id="C30", full_name="Người C30", gender="nam", birth_date="1967-01-01", home_unit_id="XA_A",
               unit_id="XA_A", education="dai_hoc", political_theory="trung_cap", state_mgmt="chuyen_vien",
               managed_by_btv=True)
    d = _with(ds, [old], [dict(cadre_id="C10", target_title="bi_thu", target_unit_id="XA_B", term="2025-2030")])
    r = vet(d, proposals(d, [("D1", "C30", "quy_hoach", None, "pho_bi_thu", "XA_B", "2023-06-01")]))
    row = r.checklist.set_index("item").loc["tuoi"]
    assert row["status"] == "khong_dat"
    assert "01/01/2025" in row["reason"]


@pytest.mark.parametrize(("day", "expected"), [("2025-10-07", "dat"), ("2025-10-08", "khong_dat")])
def test_no_planning_together_with_appointment_from_qd377(ds, day, expected):
    rows = [("D1", "C17", "gioi_thieu_ung_cu", "XA_B-BT", None, None, day),
            ("D2", "C17", "quy_hoach", None, "pho_chu_tich_ubnd", "XA_A", day)]
    r = vet(ds, proposals(ds, rows))
    plan = r.checklist.query("proposal_id == 'D2' and item == 'quy_hoach'")
    assert ("khong_dat" in set(plan["status"])) is (expected == "khong_dat")
    if expected == "khong_dat":
        assert plan["reference"].str.contains("377-QĐ/TW").any()


def test_competence_and_mode_of_filling_the_post(ds):
    rows = [("D1", "C10", "bo_nhiem", "XA_B-BT", None, None, "2020-06-01"),            # commune secretary: elected
            ("D2", "C19", "gioi_thieu_ung_cu", "HU-BT", None, None, "2020-06-01"),     # district secretary: province
            ("D3", "C18", "bo_nhiem", "P_TC-TP", None, None, "2020-06-01")]             # department head: appointed
    s = statuses(vet(ds, proposals(ds, rows)))
    assert (s[("D1", "tham_quyen")], s[("D2", "tham_quyen")], s[("D3", "tham_quyen")]) == (
        "khong_dat", "can_xem_xet", "dat")


def test_vet_in_2026_cites_qd377_and_qd114(ds):
    rows = [("D1", "C10", "gioi_thieu_ung_cu", "XA_B-BT", None, None, "2026-03-01")]
    r = vet(ds, proposals(ds, rows))
    refs = " ".join(r.checklist["reference"].astype(str))
    assert "377-QĐ/TW" in refs and "114-QĐ/TW" in refs
