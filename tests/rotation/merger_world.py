"""A small merger world shared by the rotation tests: two old communes merged into one on a date."""

from __future__ import annotations

import pandas as pd

from kimson_ds.data.io import Dataset


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
    from kimson_ds.rotation.model import RotationScenario

    data = {"as_of": "2019-12-31", "posts": {"units": ["XN"]},
            "merger": {"effective": "2020-01-01", "new_units": {"XN": ["X1", "X2"]}},
            "strict": False, "rule_costs": False,
            "rules": {"home": {"enabled": False}, "years_left": {"enabled": False}, "young": {"enabled": False},
                      "seniority": {"enabled": False}, "gender": {"enabled": False},
                      "current_rotation": {"enabled": False}}}
    data.update(kw)
    return RotationScenario.model_validate(data)
