"""Party-committee (BCH/BTV) planning checks (review P13), on both sides of their dates."""

from __future__ import annotations

import pandas as pd
import pytest

from kimson_ds.errors import DataError
from kimson_ds.planning.committee import committee_check


def _cadres(n=30, women=8, young=4):
    rows = []
    for i in range(n):
        birth = "1990-01-01" if i < young else ("1975-01-01" if i < young + 14 else "1965-01-01")
        rows.append(dict(cadre_id=f"P{i:02d}", birth_date=birth, gender="nu" if i < women else "nam"))
    return pd.DataFrame(rows)


def _members(bch, btv):
    return pd.DataFrame([dict(cadre_id=c, body="bch") for c in bch] + [dict(cadre_id=c, body="btv") for c in btv])


def _check(as_of, *, level="huyen", bch_seats=33, btv_seats=11, n_bch=30, btv=None, **kw):
    c = _cadres()
    ids = list(c["cadre_id"])[:n_bch]
    t = committee_check(c, _members(ids, btv if btv is not None else ids[:11]), as_of, level=level,
                        bch_seats=bch_seats, btv_seats=btv_seats, term_start=as_of, **kw)
    return t


def test_standing_committee_at_most_a_third_from_qd_29():
    ok = _check("2020-06-30", btv_seats=11).set_index("check").loc["BTV_SHARE"]
    assert ok["met"] and ok["target"] == "≤ 11" and "29-QĐ/TW" in ok["reference"]
    bad = _check("2020-06-30", btv_seats=12).set_index("check").loc["BTV_SHARE"]
    assert not bad["met"] and "tối đa 11 (một phần ba của 33)" in bad["reason"]
    before = _check("2016-07-24", btv_seats=12).set_index("check").loc["BTV_SHARE"]
    assert before["met"] and "Chưa có quy định" in before["reason"]
    assert "24-QĐ/TW" in _check("2021-07-30").set_index("check").loc["BTV_SHARE", "reference"]


def test_commune_seats_from_chi_thi_45():
    after = _check("2025-04-14", level="xa", bch_seats=35, btv_seats=11)
    seats = after[after["check"] == "SEATS"].set_index("check_vi")
    assert not seats.loc["Số lượng Ban Chấp hành cấp ủy cấp xã", "met"]
    assert seats.loc["Số lượng Ban Thường vụ cấp ủy cấp xã", "met"]
    assert "45-CT/TW" in seats["reference"].iloc[0]
    before = _check("2025-04-13", level="xa", bch_seats=35, btv_seats=11)
    assert "SEATS" not in set(before["check"])
    assert "SEATS" not in set(_check("2025-06-30", level="huyen")["check"])  # district: seats set by the province


def test_standing_committee_members_must_be_on_the_committee_list():
    c = _cadres()
    t = committee_check(c, _members(list(c["cadre_id"])[:20], ["P00", "P25"]), "2020-06-30", level="huyen",
                        bch_seats=20, btv_seats=2).set_index("check")
    assert not t.loc["BTV_IN_BCH", "met"] and "P25" in t.loc["BTV_IN_BCH", "reason"]
    assert t.loc["SLATE"].set_index("check_vi").loc["Số người quy hoạch Ban Chấp hành không ít hơn số suất", "met"]


def test_fewer_people_than_seats_is_reported():
    t = _check("2020-06-30", bch_seats=33, n_bch=30)
    slate = t[t["check"] == "SLATE"].set_index("check_vi")
    assert not slate.loc["Số người quy hoạch Ban Chấp hành không ít hơn số suất", "met"]
    assert slate.loc["Số người quy hoạch Ban Chấp hành không ít hơn số suất", "reason"] == "30 người quy hoạch cho 33 suất"


def test_age_bands_are_targets_from_chi_thi_35():
    after = _check("2019-05-30").set_index("check_vi")
    young = after.loc["Độ tuổi 1: dưới 40 tuổi"]
    assert young["kind"] == "muc_tieu" and young["met"] and young["actual"] == "13,3%"  # 4 of 30 under 40
    middle = after.loc["Độ tuổi 2: từ 40 đến 50 tuổi"]
    assert middle["met"] and middle["actual"] == "46,7%"  # 14 of 30
    assert "Độ tuổi 1: dưới 40 tuổi" not in set(_check("2019-05-29")["check_vi"])
    assert after.loc["Tỷ lệ nữ", "actual"] == "26,7%"


def test_bad_input_is_a_clear_vietnamese_error():
    c = _cadres()
    with pytest.raises(DataError, match="chỉ nhận bch hoặc btv"):
        committee_check(c, pd.DataFrame([dict(cadre_id="P00", body="ubkt")]), "2020-06-30", level="huyen",
                        bch_seats=33, btv_seats=11)
    with pytest.raises(DataError, match="không có trong bảng cán bộ: X9"):
        committee_check(c, _members(["X9"], []), "2020-06-30", level="huyen", bch_seats=33, btv_seats=11)
