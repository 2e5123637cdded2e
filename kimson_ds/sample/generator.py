"""The bundled synthetic sample dataset ``data/kimson/`` and its generator.

Snapshot
--------
The sample holds the records of the district Party organisation board **as of
31-12-2019** (:data:`SNAPSHOT`): who holds which post, qualifications, the
planning lists of the terms 2015–2020 and 2020–2025, ratings 2015–2019,
training, rotations, discipline and family links as known on that day.
Later events are present only as *dated units*: the 1-1-2020 merger
(Xuân Thiện + Chính Tâm → Xuân Chính, Yên Mật split) and the 1-7-2025
reorganisation into 8 communes (the district level abolished), with their key
posts empty so that merger-staffing scenarios can fill them.

People are synthetic (random names from common Vietnamese family, middle and
given names, fixed seed); the geography is real (the 27 units of 2016 with
their official names, areas and populations). Distances, the make-up of seven
of the eight 2025 communes (:data:`MERGER_2025`) and course data are
ASSUMPTIONS, documented in ``data/README.md``.

Id conventions
--------------
* communes: ``XA_<NAME>`` / ``TT_<NAME>`` (ASCII, upper snake, no diacritics),
  2025 communes ``XA2025_<NAME>``; district bodies: ``HU``, ``UBND_HUYEN``,
  ``HU_*`` (Party organs), ``PHONG_*``/``THANH_TRA_HUYEN``/``VP_HDND_UBND``
  (departments), ``*_HUYEN``/``HUYEN_DOAN`` (mass organisations);
* positions: ``<UNIT_ID>-<TITLE>-<n>`` such as ``XA_KIM_HAI-BI_THU-1``;
* cadres: ``CB0001`` … in the order district bodies, communes, then
  non-holders.

The generator is deterministic: :func:`generate` with the same seed writes
byte-identical files.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from kimson_ds.data.codes import CODESETS, COMMUNE_KINDS, LADDERS, RATING_ORDER
from kimson_ds.data.schema import TABLES
from kimson_ds.rules.parameters import get_param
from kimson_ds.sample.procedures import build_procedure_records

#: The date the sample describes (records as of this day).
SNAPSHOT = date(2019, 12, 31)
#: Default random seed.
DEFAULT_SEED = 2016
#: Years with individual and organisation ratings.
RATING_YEARS = (2015, 2016, 2017, 2018, 2019)

# ----------------------------------------------------------------- geography
#: The 27 commune-level units of 2016: name, kind, area (km²), population
#: (2016) and the approximate road distance from Phát Diệm (km, ASSUMPTION).
COMMUNES_2016: tuple[tuple[str, str, float, int, float], ...] = (
    ("Phát Diệm", "thi_tran", 1.05, 8663, 0.0),
    ("Bình Minh", "thi_tran", 9.11, 3725, 15.0),
    ("Xuân Thiện", "xa", 3.79, 2735, 12.0),
    ("Chính Tâm", "xa", 3.16, 3102, 11.0),
    ("Chất Bình", "xa", 5.92, 5504, 10.0),
    ("Hồi Ninh", "xa", 5.74, 4890, 8.0),
    ("Kim Định", "xa", 4.90, 6071, 7.0),
    ("Ân Hòa", "xa", 7.35, 7260, 6.0),
    ("Hùng Tiến", "xa", 5.36, 6168, 5.0),
    ("Như Hòa", "xa", 5.19, 5292, 4.0),
    ("Quang Thiện", "xa", 8.09, 8901, 5.0),
    ("Đồng Hướng", "xa", 6.77, 8250, 6.0),
    ("Kim Chính", "xa", 7.23, 7258, 3.0),
    ("Yên Mật", "xa", 2.23, 2118, 4.0),
    ("Thượng Kiệm", "xa", 6.81, 6941, 2.0),
    ("Lưu Phương", "xa", 6.47, 6986, 2.5),
    ("Tân Thành", "xa", 4.45, 4787, 4.0),
    ("Yên Lộc", "xa", 7.13, 8109, 6.0),
    ("Lai Thành", "xa", 10.49, 11885, 8.0),
    ("Định Hóa", "xa", 6.64, 6925, 10.0),
    ("Văn Hải", "xa", 6.64, 8461, 9.0),
    ("Kim Tân", "xa", 8.16, 6968, 11.0),
    ("Kim Mỹ", "xa", 8.49, 11560, 13.0),
    ("Cồn Thoi", "xa", 8.31, 9106, 17.0),
    ("Kim Hải", "xa", 5.76, 3239, 20.0),
    ("Kim Trung", "xa", 4.47, 3467, 22.0),
    ("Kim Đông", "xa", 6.53, 3889, 24.0),
)

#: 1-1-2020: unit → successor (Yên Mật was split between Kim Chính and Như
#: Hòa; the successor recorded is Kim Chính, which took hamlets 1–3).
MERGER_2020: dict[str, str] = {
    "XA_XUAN_THIEN": "XA_XUAN_CHINH",
    "XA_CHINH_TAM": "XA_XUAN_CHINH",
    "XA_YEN_MAT": "XA_KIM_CHINH",
}

#: 1-7-2025: new commune → the 2020 units it was formed from. Chất Bình is
#: official (RULEBOOK §8); the other seven are an ASSUMPTION (geographically
#: plausible), reusable by scenario files.
MERGER_2025: dict[str, tuple[str, ...]] = {
    "XA2025_CHAT_BINH": ("XA_XUAN_CHINH", "XA_HOI_NINH", "XA_CHAT_BINH"),
    "XA2025_KIM_SON": ("XA_KIM_DINH", "XA_AN_HOA", "XA_HUNG_TIEN"),
    "XA2025_QUANG_THIEN": ("XA_QUANG_THIEN", "XA_DONG_HUONG", "XA_NHU_HOA"),
    "XA2025_PHAT_DIEM": ("TT_PHAT_DIEM", "XA_KIM_CHINH", "XA_THUONG_KIEM", "XA_LUU_PHUONG"),
    "XA2025_LAI_THANH": ("XA_LAI_THANH", "XA_YEN_LOC", "XA_TAN_THANH"),
    "XA2025_DINH_HOA": ("XA_DINH_HOA", "XA_VAN_HAI", "XA_KIM_TAN"),
    "XA2025_BINH_MINH": ("TT_BINH_MINH", "XA_KIM_MY", "XA_CON_THOI"),
    "XA2025_KIM_DONG": ("XA_KIM_DONG", "XA_KIM_HAI", "XA_KIM_TRUNG"),
}

#: Names and approximate distances (km) of the 2025 communes.
COMMUNES_2025: dict[str, tuple[str, float]] = {
    "XA2025_CHAT_BINH": ("Chất Bình", 10.0),
    "XA2025_KIM_SON": ("Kim Sơn", 6.0),
    "XA2025_QUANG_THIEN": ("Quang Thiện", 5.0),
    "XA2025_PHAT_DIEM": ("Phát Diệm", 0.0),
    "XA2025_LAI_THANH": ("Lai Thành", 8.0),
    "XA2025_DINH_HOA": ("Định Hóa", 10.0),
    "XA2025_BINH_MINH": ("Bình Minh", 15.0),
    "XA2025_KIM_DONG": ("Kim Đông", 24.0),
}

#: District Party organs: id, name, function, number of deputies.
PARTY_ORGANS = (
    ("HU_VAN_PHONG", "Văn phòng Huyện ủy", "van_phong", 1),
    ("HU_BAN_TO_CHUC", "Ban Tổ chức Huyện ủy", "to_chuc", 2),
    ("HU_UBKT", "Ủy ban Kiểm tra Huyện ủy", "kiem_tra", 2),
    ("HU_BAN_TUYEN_GIAO", "Ban Tuyên giáo Huyện ủy", "tuyen_giao", 1),
    ("HU_BAN_DAN_VAN", "Ban Dân vận Huyện ủy", "dan_van", 1),
    ("HU_TT_CHINH_TRI", "Trung tâm Chính trị huyện Kim Sơn", "chinh_tri", 1),
)

#: District departments: id, name, function, deputies, who is Party cell
#: secretary (``"truong"`` the head, ``"pho"`` the first deputy, None: no cell).
DEPARTMENTS = (
    ("PHONG_NOI_VU", "Phòng Nội vụ", "noi_vu", 2, "truong"),
    ("PHONG_TU_PHAP", "Phòng Tư pháp", "tu_phap", 1, None),
    ("PHONG_TAI_CHINH_KE_HOACH", "Phòng Tài chính – Kế hoạch", "tai_chinh", 2, "truong"),
    ("PHONG_TAI_NGUYEN_MOI_TRUONG", "Phòng Tài nguyên và Môi trường", "tai_nguyen", 2, "pho"),
    ("PHONG_LD_TB_XH", "Phòng Lao động – Thương binh và Xã hội", "lao_dong", 2, "truong"),
    ("PHONG_VAN_HOA_THONG_TIN", "Phòng Văn hóa và Thông tin", "van_hoa", 1, None),
    ("PHONG_GIAO_DUC_DAO_TAO", "Phòng Giáo dục và Đào tạo", "giao_duc", 2, "truong"),
    ("PHONG_Y_TE", "Phòng Y tế", "y_te", 1, None),
    ("THANH_TRA_HUYEN", "Thanh tra huyện", "thanh_tra", 2, "truong"),
    ("VP_HDND_UBND", "Văn phòng HĐND và UBND huyện", "van_phong", 2, "pho"),
    ("PHONG_NONG_NGHIEP_PTNT", "Phòng Nông nghiệp và Phát triển nông thôn", "nong_nghiep", 2, "truong"),
    ("PHONG_KINH_TE_HA_TANG", "Phòng Kinh tế và Hạ tầng", "kinh_te_ha_tang", 2, None),
)

#: District mass organisations: id, name, function, deputies.
MASS_ORGS = (
    ("MTTQ_HUYEN", "Ủy ban Mặt trận Tổ quốc Việt Nam huyện Kim Sơn", "mat_tran", 2),
    ("HUYEN_DOAN", "Huyện đoàn Kim Sơn", "doan_thanh_nien", 2),
    ("HOI_PHU_NU_HUYEN", "Hội Liên hiệp Phụ nữ huyện Kim Sơn", "phu_nu", 1),
    ("HOI_NONG_DAN_HUYEN", "Hội Nông dân huyện Kim Sơn", "nong_dan", 1),
    ("HOI_CCB_HUYEN", "Hội Cựu chiến binh huyện Kim Sơn", "cuu_chien_binh", 1),
    ("LDLD_HUYEN", "Liên đoàn Lao động huyện Kim Sơn", "cong_doan", 1),
)

#: The 2016–2017 rotation round of the seed: from unit, to commune, title, start.
ROTATIONS = (
    ("HU_BAN_TO_CHUC", "XA_KIM_DONG", "bi_thu", date(2016, 12, 20)),
    ("PHONG_NOI_VU", "XA_YEN_LOC", "bi_thu", date(2017, 3, 1)),
    ("HUYEN_DOAN", "XA_KIM_MY", "pho_bi_thu", date(2016, 12, 20)),
    ("HU_BAN_TUYEN_GIAO", "XA_VAN_HAI", "pho_bi_thu", date(2017, 1, 5)),
    ("PHONG_TAI_CHINH_KE_HOACH", "XA_DONG_HUONG", "pho_bi_thu", date(2017, 6, 1)),
    ("HU_VAN_PHONG", "XA_QUANG_THIEN", "pho_bi_thu", date(2017, 9, 1)),
)

#: Posts left vacant at the snapshot (units existing on 31-12-2019).
VACANT_POSTS = (
    "XA_LAI_THANH-PHO_BI_THU-2",
    "XA_CON_THOI-PHO_CHU_TICH_UBND-2",
    "XA_XUAN_THIEN-PHO_CHU_TICH_UBND-1",
    "XA_YEN_MAT-CHU_TICH_MTTQ-1",
    "PHONG_Y_TE-PHO_TRUONG_PHONG-1",
    "PHONG_TAI_NGUYEN_MOI_TRUONG-PHO_TRUONG_PHONG-2",
    "HU_BAN_TUYEN_GIAO-PHO_TRUONG_BAN-1",
)

#: Communes with an accountant post; district units with accountant or
#: personnel-officer posts.
COMMUNE_KE_TOAN = ("XA_DINH_HOA", "XA_KIM_DINH", "XA_VAN_HAI", "XA_CON_THOI")
DISTRICT_STAFF_POSTS = (
    ("PHONG_KINH_TE_HA_TANG", "ke_toan"),
    ("VP_HDND_UBND", "ke_toan"),
    ("PHONG_GIAO_DUC_DAO_TAO", "ke_toan"),
    ("PHONG_Y_TE", "can_bo_to_chuc"),
)

#: Titles whose holders are managed by the district standing committee when
#: held in a commune (commune key posts).
BTV_COMMUNE_TITLES = ("bi_thu", "pho_bi_thu", "chu_tich_ubnd", "chu_tich_hdnd")
#: Head and deputy titles of district departments, Party organs and mass organisations.
DISTRICT_HEAD_TITLES = ("truong_phong", "truong_ban", "chu_nhiem_ubkt", "truong_doan_the")
DISTRICT_DEPUTY_TITLES = ("pho_truong_phong", "pho_truong_ban", "pho_doan_the")

#: Planted cases for demos and tests (ids filled in by the generator).
PLANTED_DOC = {
    "single_slate": ("chu_tich_hdnd", "XA_KIM_TRUNG"),
    "four_slates_post": "HU_BAN_TO_CHUC-PHO_TRUONG_BAN-1",
    "too_old_post": "XA_CON_THOI-PHO_BI_THU-2",
    "removed_for_age_post": "XA_AN_HOA-PHO_BI_THU-2",
    "disciplined_planned_post": "PHONG_TAI_CHINH_KE_HOACH-PHO_TRUONG_PHONG-1",
    "disciplined_removed_post": "XA_HOI_NINH-PHO_CHU_TICH_UBND-1",
    "missing_org_rating": ("XA_KIM_TAN", 2017, "chinh_quyen"),
}

#: The planning terms of the sample: the day the term starts (party congresses
#: in mid-year, as in data/scenarios/quy-hoach-2020-2025.yaml) and the days the
#: commune and district slates were approved.
PLAN_TERMS: dict[str, dict[str, date]] = {
    "2015-2020": dict(start=date(2015, 7, 1), added_commune=date(2014, 4, 10), added_district=date(2014, 6, 20)),
    "2020-2025": dict(start=date(2020, 7, 1), added_commune=date(2017, 5, 18), added_district=date(2017, 8, 25)),
}
#: The 2018 supplement to the 2020–2025 list ("bổ sung quy hoạch").
PLAN_LATE_ADDED = date(2018, 12, 20)
#: Slate size the generator keeps to (2–4 people per post, every row of the term counted).
PLAN_SLATE_MIN, PLAN_SLATE_MAX = 2, 4
#: Standards the slates are built against (mirror of params/standards as of
#: 2015–2020: QĐ 04/2004/QĐ-BNV for commune posts, the district-head ASSUMPTION).
PLAN_STANDARDS: dict[str, dict[str, str]] = {
    "district_head": {"education": "dai_hoc", "political_theory": "cao_cap", "state_mgmt": "chuyen_vien_chinh"},
    "bi_thu": {"education": "trung_cap", "political_theory": "trung_cap", "state_mgmt": "chuyen_vien"},
    "chu_tich_ubnd": {"education": "trung_cap", "political_theory": "trung_cap"},
}
#: District titles under the district-head standards (params/standards/district_head_scope.yaml).
PLAN_DISTRICT_HEAD_SCOPE = ("truong_phong", "truong_ban", "truong_doan_the", "chu_tich_mttq", "chu_nhiem_ubkt",
                            "bi_thu", "pho_bi_thu", "chu_tich_ubnd", "pho_chu_tich_ubnd", "chu_tich_hdnd",
                            "pho_chu_tich_hdnd")
#: Lower-level basis of district posts (mirror of params/planning/lower_level_titles.yaml).
PLAN_BASIS: dict[str, tuple[str, ...]] = {
    "bi_thu": ("pho_bi_thu", "bi_thu", "chu_tich_ubnd", "chu_tich_hdnd"),
    "pho_bi_thu": ("bi_thu", "pho_bi_thu", "chu_tich_ubnd", "pho_chu_tich_ubnd", "chu_tich_hdnd", "truong_ban",
                   "chu_nhiem_ubkt", "truong_phong", "truong_doan_the", "chu_tich_mttq"),
    "chu_tich_ubnd": ("pho_chu_tich_ubnd", "chu_tich_ubnd", "bi_thu", "pho_bi_thu", "truong_phong"),
    "truong_ban": ("pho_truong_ban", "truong_ban", "bi_thu", "pho_bi_thu", "chu_tich_ubnd", "truong_phong"),
    "chu_nhiem_ubkt": ("pho_truong_ban", "truong_ban", "chu_nhiem_ubkt", "bi_thu", "pho_bi_thu", "truong_phong"),
    "truong_phong": ("pho_truong_phong", "truong_phong", "bi_thu", "pho_bi_thu", "chu_tich_ubnd",
                     "pho_chu_tich_ubnd", "chu_tich_hdnd"),
    "truong_doan_the": ("pho_doan_the", "truong_doan_the", "chu_tich_mttq", "bi_thu", "pho_bi_thu",
                        "chu_tich_ubnd"),
}
#: Deputy title of each kind of district unit.
DEPUTY_TITLE = {"phong_ban": "pho_truong_phong", "co_quan_dang": "pho_truong_ban", "doan_the": "pho_doan_the"}
#: 2020–2025 entries the sample proposal batch (data/scenarios/de-xuat-mau.csv)
#: relies on: (position of the cadre, target title, target unit).
PLAN_DEMO_ENTRIES = (
    ("XA_KIM_DINH-PHO_BI_THU-1", "bi_thu", "XA_KIM_DINH"),
    ("UBND_HUYEN-PHO_CHU_TICH_UBND-2", "chu_tich_ubnd", "UBND_HUYEN"),
    ("UBND_HUYEN-PHO_CHU_TICH_UBND-2", "bi_thu", "HU"),
    ("HUYEN_DOAN-PHO_DOAN_THE-2", "bi_thu", "TT_BINH_MINH"),
    ("HU_BAN_DAN_VAN-PHO_TRUONG_BAN-1", "chu_tich_hdnd", "TT_BINH_MINH"),
)
#: At most this many 2020–2025 slates for the holder of a position, so that a
#: proposal of the batch can add one more (DX09: a young woman for Xuân Chính;
#: the vetting counts the 2015–2020 rows still in force in 2020 too).
PLAN_DEMO_CAPS = (("XA_CHINH_TAM-CHU_NHIEM_UBKT-1", 1),)

# --------------------------------------------------------------------- names
_FAMILY = {
    "Nguyễn": 30, "Phạm": 12, "Trần": 9, "Lê": 8, "Vũ": 6, "Bùi": 6, "Đinh": 5, "Đỗ": 4, "Mai": 4,
    "Hoàng": 3, "Đặng": 3, "Trịnh": 3, "Phan": 2, "Ngô": 2, "Lương": 1, "Tạ": 1, "Hà": 1,
}
_MIDDLE = {
    "nam": {"Văn": 45, "Đức": 10, "Minh": 8, "Quang": 6, "Hữu": 6, "Thanh": 6, "Ngọc": 5, "Xuân": 5,
            "Hồng": 3, "Mạnh": 3, "Công": 3},
    "nu": {"Thị": 60, "Thu": 8, "Thanh": 7, "Ngọc": 6, "Hồng": 6, "Minh": 5, "Kim": 4, "Phương": 4},
}
_GIVEN = {
    "nam": ("Hùng", "Dũng", "Tuấn", "Hải", "Long", "Nam", "Thắng", "Sơn", "Cường", "Quân", "Trung", "Hiếu",
            "Khánh", "Tiến", "Thành", "Hưng", "Việt", "Bình", "An", "Duy", "Kiên", "Lâm", "Lợi", "Tùng",
            "Toàn", "Huy", "Đạt", "Chiến", "Quyết", "Thịnh", "Vinh", "Phong", "Hoàn", "Nghĩa", "Quý", "Tân",
            "Thuận", "Trường", "Điệp", "Khoa"),
    "nu": ("Lan", "Hương", "Hoa", "Mai", "Hằng", "Thủy", "Nga", "Hà", "Linh", "Huyền", "Trang", "Thảo",
           "Yến", "Loan", "Nhung", "Oanh", "Dung", "Liên", "Hạnh", "Phượng", "Tâm", "Vân", "Thúy", "Hiền",
           "Huệ", "Lý"),
}

# ------------------------------------------------------------------ profiles
#: Person profiles: age range at the snapshot, share of women, age at first
#: job, and distributions of education / political theory / state management.
PROFILES: dict[str, dict] = {
    "lanh_dao_huyen": dict(age=(45, 57), female=0.15, work=(22, 25),
                           edu={"dai_hoc": 0.4, "thac_si": 0.6},
                           llct={"cao_cap": 0.8, "cu_nhan": 0.2},
                           qlnn={"chuyen_vien_chinh": 0.7, "chuyen_vien_cao_cap": 0.3}),
    "truong_huyen": dict(age=(42, 58), female=0.2, work=(21, 25),
                         edu={"dai_hoc": 0.7, "thac_si": 0.3},
                         llct={"cao_cap": 0.7, "trung_cap": 0.22, "cu_nhan": 0.08},
                         qlnn={"chuyen_vien_chinh": 0.6, "chuyen_vien": 0.35, "chua_co": 0.05}),
    "pho_huyen": dict(age=(33, 56), female=0.3, work=(21, 25),
                      edu={"dai_hoc": 0.8, "thac_si": 0.15, "cao_dang": 0.05},
                      llct={"trung_cap": 0.55, "cao_cap": 0.35, "so_cap": 0.1},
                      qlnn={"chuyen_vien": 0.6, "chuyen_vien_chinh": 0.25, "chua_co": 0.15}),
    "bi_thu_xa": dict(age=(40, 57), female=0.08, work=(21, 28),
                      edu={"dai_hoc": 0.8, "thac_si": 0.05, "cao_dang": 0.1, "trung_cap": 0.05},
                      llct={"trung_cap": 0.57, "cao_cap": 0.38, "so_cap": 0.05},
                      qlnn={"chuyen_vien": 0.6, "chuyen_vien_chinh": 0.15, "chua_co": 0.25}),
    "chu_tich_xa": dict(age=(36, 55), female=0.1, work=(21, 28),
                        edu={"dai_hoc": 0.85, "cao_dang": 0.1, "trung_cap": 0.05},
                        llct={"trung_cap": 0.7, "cao_cap": 0.25, "so_cap": 0.05},
                        qlnn={"chuyen_vien": 0.65, "chuyen_vien_chinh": 0.1, "chua_co": 0.25}),
    "pho_bi_thu_xa": dict(age=(35, 56), female=0.25, work=(21, 28),
                          edu={"dai_hoc": 0.8, "cao_dang": 0.15, "trung_cap": 0.05},
                          llct={"trung_cap": 0.75, "cao_cap": 0.2, "so_cap": 0.05},
                          qlnn={"chuyen_vien": 0.6, "chua_co": 0.4}),
    "luan_chuyen_truong": dict(age=(44, 50), female=0.0, work=(21, 24),
                               edu={"dai_hoc": 0.6, "thac_si": 0.4},
                               llct={"cao_cap": 0.7, "trung_cap": 0.3},
                               qlnn={"chuyen_vien_chinh": 0.5, "chuyen_vien": 0.5}),
    "luan_chuyen_pho": dict(age=(34, 40), female=0.25, work=(21, 24),
                            edu={"dai_hoc": 0.6, "thac_si": 0.4},
                            llct={"trung_cap": 0.7, "cao_cap": 0.3},
                            qlnn={"chuyen_vien": 0.8, "chuyen_vien_chinh": 0.2}),
    "can_bo_xa": dict(age=(30, 57), female=0.3, work=(21, 30),
                      edu={"dai_hoc": 0.6, "cao_dang": 0.15, "trung_cap": 0.25},
                      llct={"trung_cap": 0.55, "so_cap": 0.35, "chua_co": 0.1},
                      qlnn={"chuyen_vien": 0.4, "chua_co": 0.6}),
    "ke_toan": dict(age=(28, 50), female=0.75, work=(21, 26),
                    edu={"dai_hoc": 0.5, "cao_dang": 0.3, "trung_cap": 0.2},
                    llct={"chua_co": 0.5, "so_cap": 0.5},
                    qlnn={"chua_co": 0.7, "chuyen_vien": 0.3}),
    "chuyen_vien": dict(age=(28, 45), female=0.45, work=(21, 26),
                        edu={"dai_hoc": 0.75, "thac_si": 0.12, "cao_dang": 0.08, "trung_cap": 0.05},
                        llct={"chua_co": 0.3, "so_cap": 0.4, "trung_cap": 0.3},
                        qlnn={"chua_co": 0.5, "chuyen_vien": 0.5}),
    "cong_chuc_xa": dict(age=(28, 45), female=0.45, work=(21, 28),
                         edu={"dai_hoc": 0.55, "cao_dang": 0.2, "trung_cap": 0.25},
                         llct={"chua_co": 0.3, "so_cap": 0.5, "trung_cap": 0.2},
                         qlnn={"chua_co": 0.7, "chuyen_vien": 0.3}),
}

#: Organisation rating thresholds on a latent quality (ASSUMPTION tuned so
#: that about 30 % are xuất sắc, 52 % tốt, 15 % hoàn thành, 3 % không hoàn thành).
_ORG_CUTS = (0.67, -1.17, -2.41)
#: Individual point thresholds (Kim Sơn 01-QĐ/HU, ASSUMPTION 90/70/50).
POINT_CUTS = (("xuat_sac", 90.0), ("tot", 70.0), ("hoan_thanh", 50.0))
#: Ceiling score of each level (best score still inside the level).
_LEVEL_CEILING = {"xuat_sac": 100.0, "tot": 89.9, "hoan_thanh": 69.9, "khong_hoan_thanh": 49.9}
#: Rating links of the Kim Sơn 2018 rule, in priority order: (title, unit kinds, scheme).
#: Read from the parameters the rating engine uses, so data and engine cannot drift apart.
RATING_LINKS = tuple(
    (r["title"], tuple(r["unit_kinds"]) if r.get("unit_kinds") else None, r["scheme"])
    for r in get_param("rating.org_links", "2018-12-31")
)
#: Groups of equivalent posts for the 2019 quota (params/rating/equivalent_post_groups.yaml).
_QUOTA_GROUPS = tuple(
    (g["group"], tuple(g["titles"]), tuple(g["unit_kinds"]) if g.get("unit_kinds") else None)
    for g in get_param("rating.equivalent_post_groups", "2019-12-31")
)

#: Courses (ASSUMPTION: lengths, seats and costs are plausible, not official).
COURSES = (
    ("LLCT_SO_CAP", "Sơ cấp lý luận chính trị", "political_theory", "so_cap", 3.0, 80, 3.0, "chua_co"),
    ("LLCT_TRUNG_CAP", "Trung cấp lý luận chính trị – hành chính", "political_theory", "trung_cap", 8.0, 60,
     12.0, "so_cap"),
    ("LLCT_CAO_CAP", "Cao cấp lý luận chính trị", "political_theory", "cao_cap", 18.0, 8, 35.0, "trung_cap"),
    ("DH_VLVH", "Đại học hệ vừa làm vừa học", "education", "dai_hoc", 30.0, 20, 40.0, "trung_cap"),
    ("QLNN_CV", "Bồi dưỡng quản lý nhà nước ngạch chuyên viên", "state_mgmt", "chuyen_vien", 2.0, 50, 4.5, None),
    ("QLNN_CVC", "Bồi dưỡng quản lý nhà nước ngạch chuyên viên chính", "state_mgmt", "chuyen_vien_chinh", 3.0,
     15, 8.0, "chuyen_vien"),
    ("CNKT_164", "Bồi dưỡng cập nhật kiến thức (Quy định 164-QĐ/TW)", "knowledge_update", "co", 0.25, 250, 1.5,
     None),
)


# ------------------------------------------------------------------ helpers
def ascii_id(text: str) -> str:
    """Return ``text`` as an ASCII upper-snake identifier (``Ân Hòa`` → ``AN_HOA``)."""
    text = text.replace("Đ", "D").replace("đ", "d")
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return "_".join(stripped.upper().replace("–", " ").split())


def commune_id(name: str, kind: str) -> str:
    """Return the unit id of a 2016 commune-level unit (``TT_`` for towns, ``XA_`` otherwise)."""
    return f"{'TT' if kind == 'thi_tran' else 'XA'}_{ascii_id(name)}"


def points_level(score: float) -> str:
    """Return the rating level that ``score`` earns by points alone (90/70/50)."""
    for level, cut in POINT_CUTS:
        if score >= cut:
            return level
    return "khong_hoan_thanh"


def cap_level(level: str, cap: str | None) -> str:
    """Return ``level`` capped so it is not better than ``cap`` (None: no cap)."""
    if cap is None:
        return level
    return RATING_ORDER[max(RATING_ORDER.index(level), RATING_ORDER.index(cap))]


def _add_years(d: date, years: int) -> date:
    """Return ``d`` plus whole ``years`` (29 February becomes 28 February)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def _ord(d: date) -> int:
    return d.toordinal()


def _months(start: date, end: date) -> float:
    """Months from ``start`` to ``end`` (30.4375 days each, as the compliance check counts them)."""
    return (_ord(end) - _ord(start)) / 30.4375


# -------------------------------------------------------------- data model
@dataclass
class _Post:
    position_id: str
    unit_id: str
    title: str
    is_key: bool
    holder: int | None = None
    since: date | None = None
    open_for_rotation: bool = False


@dataclass
class _Person:
    profile: str
    unit_id: str
    posts: list[str] = field(default_factory=list)
    cadre_id: str = ""
    gender: str = ""
    birth: date = SNAPSHOT
    family: str = ""
    middle: str = ""
    given: str = ""
    ethnicity: str = "Kinh"
    home_unit: str | None = None
    party_join: date | None = None
    work_start: date | None = None
    education: str = ""
    political_theory: str = ""
    state_mgmt: str = ""
    managed_by_btv: bool = False
    rotation: tuple | None = None  # (from_unit, to_unit, title, start)
    age_range: tuple[int, int] | None = None
    force_gender: str | None = None

    @property
    def full_name(self) -> str:
        return f"{self.family} {self.middle} {self.given}"

    def age_on(self, d: date) -> int:
        """Whole years of age on ``d``."""
        return d.year - self.birth.year - ((d.month, d.day) < (self.birth.month, self.birth.day))


# ------------------------------------------------------------------ builder
class _Builder:
    """Builds every table of the sample from one random generator."""

    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed)
        self.units: list[dict] = []
        self.unit_kind: dict[str, str] = {}
        self.posts: dict[str, _Post] = {}
        self.people: list[_Person] = []
        self.planted: dict[str, object] = {}

    # ............................................................. small tools
    def _choice(self, weights: dict[str, float]) -> str:
        keys = list(weights)
        p = np.array([weights[k] for k in keys], dtype=float)
        return keys[int(self.rng.choice(len(keys), p=p / p.sum()))]

    def _date_between(self, start: date, end: date) -> date:
        return date.fromordinal(int(self.rng.integers(_ord(start), _ord(end) + 1)))

    def _person(self, profile: str, unit_id: str, **kw) -> int:
        self.people.append(_Person(profile=profile, unit_id=unit_id, **kw))
        return len(self.people) - 1

    def _post(self, unit_id: str, title: str, n: int, holder: int | None, is_key: bool = False) -> str:
        pid = f"{unit_id}-{title.upper()}-{n}"
        assert holder is None or pid not in VACANT_POSTS, pid
        self.posts[pid] = _Post(pid, unit_id, title, is_key, holder)
        if holder is not None:
            self.people[holder].posts.append(pid)
        return pid

    def holders(self, unit_id: str, title: str) -> list[int]:
        """People holding ``title`` in ``unit_id`` (in post order)."""
        return [p.holder for p in self.posts.values()
                if p.unit_id == unit_id and p.title == title and p.holder is not None]

    def post_holder(self, position_id: str) -> int:
        holder = self.posts[position_id].holder
        assert holder is not None, position_id
        return holder

    # ................................................................. units
    def build_units(self) -> None:
        """Commune-level units of 2016, Xuân Chính (2020), the 2025 communes and district bodies."""
        start, end_district = date(2016, 1, 1), date(2025, 6, 30)
        new_of = {old: new for new, olds in MERGER_2025.items() for old in olds}
        for name, kind, area, pop, dist in COMMUNES_2016:
            uid = commune_id(name, kind)
            merged = uid in MERGER_2020
            self._unit(uid, name, kind, "dia_phuong", None, area, pop, dist, start,
                       date(2019, 12, 31) if merged else end_district,
                       MERGER_2020[uid] if merged else new_of[uid])
        area = {commune_id(n, k): a for n, k, a, _, _ in COMMUNES_2016}
        pop = {commune_id(n, k): p for n, k, _, p, _ in COMMUNES_2016}
        xc = ("XA_XUAN_THIEN", "XA_CHINH_TAM")
        area["XA_XUAN_CHINH"] = round(sum(area[u] for u in xc), 2)
        pop["XA_XUAN_CHINH"] = sum(pop[u] for u in xc)
        self._unit("XA_XUAN_CHINH", "Xuân Chính", "xa", "dia_phuong", None, area["XA_XUAN_CHINH"],
                   pop["XA_XUAN_CHINH"], 11.0, date(2020, 1, 1), end_district, new_of["XA_XUAN_CHINH"])
        for uid, olds in MERGER_2025.items():
            # Yên Mật (split in 2020) is counted with its recorded successor Kim Chính.
            parts = list(olds) + (["XA_YEN_MAT"] if "XA_KIM_CHINH" in olds else [])
            name, dist = COMMUNES_2025[uid]
            self._unit(uid, name, "xa", "dia_phuong", None, round(sum(area[u] for u in parts), 2),
                       sum(pop[u] for u in parts), dist, date(2025, 7, 1), None, None)
        self._unit("HU", "Huyện ủy Kim Sơn", "co_quan_dang", "dang_uy", None, None, None, None, start,
                   end_district, None)
        self._unit("UBND_HUYEN", "Ủy ban nhân dân huyện Kim Sơn", "chinh_quyen_huyen", "chinh_quyen", None,
                   None, None, None, start, end_district, None)
        for uid, name, func, _ in PARTY_ORGANS:
            self._unit(uid, name, "co_quan_dang", func, "HU", None, None, None, start, end_district, None)
        for uid, name, func, _, _ in DEPARTMENTS:
            self._unit(uid, name, "phong_ban", func, "UBND_HUYEN", None, None, None, start, end_district, None)
        for uid, name, func, _ in MASS_ORGS:
            self._unit(uid, name, "doan_the", func, None, None, None, None, start, end_district, None)

    def _unit(self, uid, name, kind, function, parent, area, pop, dist, vfrom, vto, successor) -> None:
        self.units.append(dict(unit_id=uid, name=name, kind=kind, function=function, parent_unit_id=parent,
                               area_km2=area, population=pop, distance_km=dist, valid_from=vfrom,
                               valid_to=vto, successor_unit_id=successor))
        self.unit_kind[uid] = kind

    @property
    def communes_2019(self) -> list[str]:
        """The 27 commune-level units existing on the snapshot date."""
        return [commune_id(n, k) for n, k, _, _, _ in COMMUNES_2016]

    # ......................................................... posts, people
    def build_posts(self) -> None:
        """Create posts and their (not yet described) holders, in cadre-id order."""
        bt = self._person("lanh_dao_huyen", "HU")
        pbt = self._person("lanh_dao_huyen", "HU")
        ct = self._person("lanh_dao_huyen", "UBND_HUYEN")
        self._post("HU", "bi_thu", 1, bt, True)
        self._post("HU", "pho_bi_thu", 1, pbt, True)
        self._post("UBND_HUYEN", "chu_tich_ubnd", 1, ct, True)
        self._post("HU", "pho_bi_thu", 2, ct, True)
        for n in (1, 2):
            self._post("UBND_HUYEN", "pho_chu_tich_ubnd", n, self._person("lanh_dao_huyen", "UBND_HUYEN"))

        age_rules = {"HUYEN_DOAN": (29, 38), "HOI_CCB_HUYEN": (50, 58)}
        gender_rules = {"HOI_PHU_NU_HUYEN": "nu", "HOI_CCB_HUYEN": "nam"}
        units = ([(u, "truong_ban" if u != "HU_UBKT" else "chu_nhiem_ubkt", "pho_truong_ban", n, None)
                  for u, _, _, n in PARTY_ORGANS]
                 + [(u, "truong_phong", "pho_truong_phong", n, cell) for u, _, _, n, cell in DEPARTMENTS]
                 + [(u, "truong_doan_the", "pho_doan_the", n, None) for u, _, _, n in MASS_ORGS])
        for uid, head_title, dep_title, n_dep, cell in units:
            kw = dict(force_gender=gender_rules.get(uid))
            head = self._person("truong_huyen", uid, **kw)
            if uid in age_rules:
                self.people[head].age_range = (age_rules[uid][0] + 4, age_rules[uid][1] + 1)
            self._post(uid, head_title, 1, head, True)
            deps = []
            for n in range(1, n_dep + 1):
                d = None if _vacant(uid, dep_title, n) else self._person("pho_huyen", uid,
                                                                          age_range=age_rules.get(uid), **kw)
                self._post(uid, dep_title, n, d)
                deps.append(d)
            if cell == "truong":
                self._post(uid, "bi_thu_chi_bo", 1, head)
            elif cell == "pho":
                self._post(uid, "bi_thu_chi_bo", 1, deps[0])
        for uid, title in DISTRICT_STAFF_POSTS:
            self._post(uid, title, 1, self._person("ke_toan", uid))

        rotated = {to: (frm, to, title, start) for frm, to, title, start in ROTATIONS}
        large = {commune_id(n, k) for n, k, _, p, _ in COMMUNES_2016 if p >= 7000}
        for uid in self.communes_2019:
            rot = rotated.get(uid)
            if rot and rot[2] == "bi_thu":
                bt = self._person("luan_chuyen_truong", uid, rotation=rot)
            else:
                bt = self._person("bi_thu_xa", uid)
            self._post(uid, "bi_thu", 1, bt, True)
            ct = self._person("chu_tich_xa", uid)
            self._post(uid, "pho_bi_thu", 1, ct, True)
            self._post(uid, "chu_tich_ubnd", 1, ct, True)
            hdnd = bt
            if uid in large:
                if _vacant(uid, "pho_bi_thu", 2):
                    pbt2 = None
                elif rot and rot[2] == "pho_bi_thu":
                    pbt2 = self._person("luan_chuyen_pho", uid, rotation=rot)
                else:
                    pbt2 = hdnd = self._person("pho_bi_thu_xa", uid)
                self._post(uid, "pho_bi_thu", 2, pbt2, True)
            self._post(uid, "chu_tich_hdnd", 1, hdnd, True)
            for n in (1, 2) if uid in large else (1,):
                self._vacancy_aware_post(uid, "pho_chu_tich_ubnd", n, "can_bo_xa")
            self._vacancy_aware_post(uid, "chu_tich_mttq", 1, "can_bo_xa")
            self._vacancy_aware_post(uid, "chu_nhiem_ubkt", 1, "can_bo_xa")
            if uid in COMMUNE_KE_TOAN:
                self._vacancy_aware_post(uid, "ke_toan", 1, "ke_toan")

        # Vacant key posts of units that do not exist yet at the snapshot.
        for title in BTV_COMMUNE_TITLES:
            self._post("XA_XUAN_CHINH", title, 1, None, True)
        for uid in MERGER_2025:
            for title, n in (("bi_thu", 1), ("pho_bi_thu", 1), ("pho_bi_thu", 2), ("chu_tich_ubnd", 1),
                             ("chu_tich_hdnd", 1)):
                self._post(uid, title, n, None, True)

        # Non-holders: the planted ones first (fixed units), then 50 district
        # specialists and 40 commune civil servants spread by weight.
        for key, uid, profile in (("vc_con_dau", "PHONG_GIAO_DUC_DAO_TAO", "chuyen_vien"),
                                  ("vc_y_te", "PHONG_Y_TE", "chuyen_vien"),
                                  ("vc_ldtbxh", "PHONG_LD_TB_XH", "chuyen_vien"),
                                  ("con_tu_phap", "XA_KIM_CHINH", "cong_chuc_xa"),
                                  ("disciplined_cv", "PHONG_TAI_NGUYEN_MOI_TRUONG", "chuyen_vien")):
            self.planted[key] = self._person(profile, uid)
        district = [u for u, *_ in PARTY_ORGANS] + [u for u, *_ in DEPARTMENTS] + [u for u, *_ in MASS_ORGS]
        w = np.array([2.0] * len(PARTY_ORGANS) + [3.0] * len(DEPARTMENTS) + [1.0] * len(MASS_ORGS))
        for i in self.rng.choice(len(district), size=45, p=w / w.sum()):
            self._person("chuyen_vien", district[int(i)])
        pops = np.array([p for _, _, _, p, _ in COMMUNES_2016], dtype=float)
        for i in self.rng.choice(len(pops), size=40, p=pops / pops.sum()):
            self._person("cong_chuc_xa", self.communes_2019[int(i)])

    def _vacancy_aware_post(self, uid: str, title: str, n: int, profile: str) -> None:
        holder = None if _vacant(uid, title, n) else self._person(profile, uid)
        self._post(uid, title, n, holder)

    # ............................................................ attributes
    def describe_people(self) -> None:
        """Sample gender, birth date and name of everybody (vectorised by profile)."""
        n = len(self.people)
        lo = np.array([(p.age_range or PROFILES[p.profile]["age"])[0] for p in self.people], dtype=float)
        hi = np.array([(p.age_range or PROFILES[p.profile]["age"])[1] for p in self.people], dtype=float)
        female_p = np.array([PROFILES[p.profile]["female"] for p in self.people])
        is_female = self.rng.random(n) < female_p
        ages = self.rng.uniform(lo, hi + 1.0)
        for i, p in enumerate(self.people):
            p.gender = p.force_gender or ("nu" if is_female[i] else "nam")
            age = float(ages[i])
            if p.gender == "nu":  # women retired at 55 before 2021
                age = min(age, 54.9)
            p.birth = date.fromordinal(_ord(SNAPSHOT) - int(round(age * 365.25)))
            p.family = self._choice(_FAMILY)
            self._name(p)

    def _name(self, p: _Person) -> None:
        p.middle = self._choice(_MIDDLE[p.gender])
        given = _GIVEN[p.gender]
        p.given = given[int(self.rng.integers(len(given)))]

    def plant_people(self) -> None:
        """Adjust the people behind planted cases (relatives, too-old candidate, …)."""
        P = self.people
        hp = self.post_holder
        rng = self.rng

        def near(i: int, j: int, lo_years: float, hi_years: float) -> None:
            offset = int(rng.uniform(lo_years, hi_years) * 365.25)
            born = min(max(_ord(P[j].birth) + offset, _ord(date(1960, 6, 1))), _ord(date(1991, 12, 31)))
            P[i].birth = date.fromordinal(born)

        def make(i: int, gender: str) -> None:
            if P[i].gender != gender:
                P[i].gender = gender
                self._name(P[i])

        # 1. siblings: bí thư and chủ nhiệm UBKT of Hùng Tiến.
        bt, kt = hp("XA_HUNG_TIEN-BI_THU-1"), hp("XA_HUNG_TIEN-CHU_NHIEM_UBKT-1")
        P[kt].family = P[bt].family
        near(kt, bt, 2, 9)
        self.planted["siblings"] = (bt, kt)
        # 2. spouses: trưởng and phó trưởng phòng Tài nguyên và Môi trường.
        tp, pp = hp("PHONG_TAI_NGUYEN_MOI_TRUONG-TRUONG_PHONG-1"), hp("PHONG_TAI_NGUYEN_MOI_TRUONG-PHO_TRUONG_PHONG-1")
        make(tp, "nam")
        make(pp, "nu")
        P[tp].birth = date(1968, 4, 12)
        near(pp, tp, 2, 5)
        self.planted["spouses"] = (tp, pp)
        # 3. accountant whose father heads Kinh tế và Hạ tầng.
        tp, kt = hp("PHONG_KINH_TE_HA_TANG-TRUONG_PHONG-1"), hp("PHONG_KINH_TE_HA_TANG-KE_TOAN-1")
        make(tp, "nam")
        P[tp].birth = date(1962, 9, 3)
        near(kt, tp, 27, 29)
        P[kt].family = P[tp].family
        self.planted["parent_accountant"] = (kt, tp)
        # 4. in-law: phó trưởng phòng Văn hóa – Thông tin married to the daughter of his head.
        tp, pp = hp("PHONG_VAN_HOA_THONG_TIN-TRUONG_PHONG-1"), hp("PHONG_VAN_HOA_THONG_TIN-PHO_TRUONG_PHONG-1")
        wife = self.planted["vc_con_dau"]
        make(tp, "nam")
        make(pp, "nam")
        make(wife, "nu")
        P[tp].birth = date(1961, 11, 20)
        P[pp].birth = date(1984, 2, 14)
        P[wife].birth = date(1986, 7, 8)
        P[wife].family = P[tp].family
        self.planted["in_law"] = (pp, wife, tp)
        # Non-conflicting links.
        pairs = []
        a, b = hp("XA_KIM_MY-PHO_CHU_TICH_UBND-1"), self.planted["vc_y_te"]
        make(b, "nu" if P[a].gender == "nam" else "nam")
        near(b, a, -4, 4)
        pairs.append((a, b, "vo_chong"))
        a, b = hp("XA_AN_HOA-BI_THU-1"), hp("XA_NHU_HOA-CHU_TICH_MTTQ-1")
        P[b].family = P[a].family
        near(b, a, -6, 6)
        pairs.append((a, b, "anh_chi_em"))
        a, b = hp("PHONG_TU_PHAP-TRUONG_PHONG-1"), self.planted["con_tu_phap"]
        make(a, "nam")
        P[a].birth = date(1963, 5, 30)
        P[b].family = P[a].family
        near(b, a, 26, 28)
        pairs.append((a, b, "con"))
        a, b = hp("HUYEN_DOAN-PHO_DOAN_THE-1"), hp("HOI_NONG_DAN_HUYEN-TRUONG_DOAN_THE-1")
        make(b, "nam")
        P[b].birth = date(1962, 1, 15)
        P[a].family = P[b].family
        near(a, b, 27, 29)
        pairs.append((a, b, "cha_me"))
        a, b = hp("XA_LUU_PHUONG-CHU_TICH_UBND-1"), hp("XA_TAN_THANH-PHO_CHU_TICH_UBND-1")
        P[b].family = P[a].family
        near(b, a, -5, 5)
        pairs.append((a, b, "anh_chi_em"))
        a, b = self.planted["vc_ldtbxh"], hp("XA_DINH_HOA-KE_TOAN-1")
        make(b, "nu" if P[a].gender == "nam" else "nam")
        near(b, a, -3, 3)
        pairs.append((a, b, "vo_chong"))
        a, b = hp("MTTQ_HUYEN-PHO_DOAN_THE-1"), hp("HU_BAN_DAN_VAN-PHO_TRUONG_BAN-1")
        make(b, "nu" if P[a].gender == "nam" else "nam")
        near(b, a, -4, 4)
        pairs.append((a, b, "vo_chong"))
        self.planted["other_links"] = pairs
        # Planning cases.
        old = hp(PLANTED_DOC["too_old_post"])
        make(old, "nam")
        P[old].birth = date(1961, 3, 17)
        aged = hp(PLANTED_DOC["removed_for_age_post"])
        make(aged, "nam")
        P[aged].birth = date(1962, 8, 2)
        four = hp(PLANTED_DOC["four_slates_post"])
        P[four].birth = date(1978, 10, 5)
        P[hp(PLANTED_DOC["disciplined_planned_post"])].birth = date(1976, 4, 22)
        # Women are younger than 55 at the snapshot.
        for p in P:
            if p.gender == "nu" and p.age_on(SNAPSHOT) >= 55:
                p.birth = date(1965, p.birth.month, min(p.birth.day, 28))
        # Unique full names.
        seen: set[str] = set()
        for p in P:
            while p.full_name in seen:
                self._name(p)
            seen.add(p.full_name)

    def describe_careers(self) -> None:
        """Holder-since dates, work start, Party membership, home unit, ethnicity."""
        rng = self.rng
        P = self.people
        for post in self.posts.values():
            if post.holder is None:
                continue
            p = P[post.holder]
            post.since = self._sample_since(post, p)
        for p in P:
            prof = PROFILES[p.profile]
            ws = _add_years(p.birth, int(rng.integers(prof["work"][0], prof["work"][1] + 1)))
            ws = date.fromordinal(_ord(ws) + int(rng.integers(0, 365)))
            sinces = [self.posts[pid].since for pid in p.posts]
            if p.rotation:
                sinces.append(_add_years(p.rotation[3], -4))
            first = min(sinces) if sinces else None
            if first is not None:
                latest_ws = _add_years(first, -3)
                ws = max(min(ws, latest_ws), _add_years(p.birth, 20) + timedelta(days=1))
            ws = min(ws, date(2019, 6, 30))
            p.work_start = ws
            member = bool(sinces) or rng.random() < 0.7
            if member:
                pj = date.fromordinal(_ord(ws) + int(rng.uniform(1, 6) * 365.25))
                if first is not None:
                    pj = min(pj, date.fromordinal(_ord(first) - int(rng.integers(200, 900))))
                pj = max(pj, _add_years(p.birth, 19))
                p.party_join = pj if pj <= date(2019, 6, 30) else None
            local = p.unit_id in self.unit_kind and self.unit_kind[p.unit_id] in COMMUNE_KINDS
            if p.rotation:
                choices = [u for u in self.communes_2019 if u != p.rotation[1]]
                p.home_unit = choices[int(rng.integers(len(choices)))]
            elif local and rng.random() < 0.8:
                p.home_unit = p.unit_id
            elif rng.random() < 0.93:
                p.home_unit = self.communes_2019[int(rng.integers(len(self.communes_2019)))]
        for key in ("siblings",):
            a, b = self.planted[key]
            P[b].home_unit = P[a].home_unit
        for i in rng.choice(len(P), size=4, replace=False):
            P[int(i)].ethnicity = "Mường"
            P[int(i)].home_unit = None

    def _sample_since(self, post: _Post, p: _Person) -> date:
        """When the holder took ``post`` (BTV posts no later than 1-1-2018)."""
        d = self._date_between
        rng = self.rng
        if p.rotation and post.title in ("bi_thu", "pho_bi_thu"):
            return p.rotation[3]
        if p.rotation:
            return p.rotation[3] + timedelta(days=45)
        commune = self.unit_kind[post.unit_id] in COMMUNE_KINDS
        u = rng.random()
        if post.unit_id in ("HU", "UBND_HUYEN"):
            since = d(date(2015, 8, 10), date(2015, 8, 30)) if post.unit_id == "HU" else d(
                date(2016, 6, 25), date(2016, 7, 10))
        elif commune and post.title in ("bi_thu", "pho_bi_thu"):
            since = (d(date(2015, 6, 1), date(2015, 8, 31)) if u < 0.6 else
                     d(date(2010, 6, 1), date(2010, 8, 31)) if u < 0.85 else d(date(2016, 3, 1), date(2017, 10, 20)))
        elif commune and post.title == "chu_tich_ubnd":
            since = (d(date(2016, 6, 20), date(2016, 7, 20)) if u < 0.55 else
                     d(date(2011, 6, 20), date(2011, 7, 20)) if u < 0.75 else d(date(2016, 9, 1), date(2017, 12, 20)))
        elif commune and post.title == "chu_tich_hdnd":
            since = d(date(2016, 6, 20), date(2016, 7, 20)) if u < 0.8 else d(date(2011, 6, 20), date(2011, 7, 20))
        elif post.title in DISTRICT_HEAD_TITLES:
            since = d(date(2010, 1, 1), date(2017, 12, 31))
        elif post.title in DISTRICT_DEPUTY_TITLES or post.title == "bi_thu_chi_bo":
            since = d(date(2011, 1, 1), date(2017, 12, 31))
        else:
            since = d(date(2010, 1, 1), date(2019, 10, 31))
        latest = date(2017, 12, 31) if self._is_btv_post(post) else date(2019, 10, 31)
        earliest = _add_years(p.birth, 24)
        if since < earliest:
            since = min(date.fromordinal(_ord(earliest) + int(rng.integers(0, 365))), latest)
        return since

    def describe_qualifications(self) -> None:
        """Education, political theory and state management by profile, plus planted gaps."""
        for p in self.people:
            prof = PROFILES[p.profile]
            p.education = self._choice(prof["edu"])
            p.political_theory = self._choice(prof["llct"])
            p.state_mgmt = self._choice(prof["qlnn"])
        hp = self.post_holder
        # Gaps for the standards check and the training planner.
        self.people[hp("XA_KIM_TRUNG-BI_THU-1")].political_theory = "so_cap"
        self.people[hp("XA_CHINH_TAM-BI_THU-1")].political_theory = "so_cap"
        self.people[hp("XA_KIM_HAI-CHU_TICH_UBND-1")].education = "trung_cap"
        self.people[hp("PHONG_Y_TE-TRUONG_PHONG-1")].political_theory = "trung_cap"
        self.people[hp("HU_BAN_DAN_VAN-TRUONG_BAN-1")].political_theory = "trung_cap"
        # The deputy planned for four head posts: gaps closable by training before 2020.
        four = self.people[hp(PLANTED_DOC["four_slates_post"])]
        four.education, four.political_theory, four.state_mgmt = "dai_hoc", "trung_cap", "chuyen_vien"
        for p in self.people:
            p.managed_by_btv = any(self._is_btv_post(self.posts[pid]) for pid in p.posts)

    def _is_btv_post(self, post: _Post) -> bool:
        kind = self.unit_kind[post.unit_id]
        if kind in COMMUNE_KINDS:
            return post.title in BTV_COMMUNE_TITLES
        if kind in ("phong_ban", "co_quan_dang", "doan_the"):
            return post.title in DISTRICT_HEAD_TITLES + DISTRICT_DEPUTY_TITLES
        return False  # Huyện ủy and UBND leaders: managed by the province

    def mark_rotation_posts(self) -> None:
        """Open 8 long-held commune secretary / deputy posts of local people for rotation."""
        cands = []
        for post in self.posts.values():
            if (post.holder is None or post.title not in ("bi_thu", "pho_bi_thu")
                    or self.unit_kind[post.unit_id] not in COMMUNE_KINDS or post.unit_id in MERGER_2020):
                continue
            p = self.people[post.holder]
            if p.rotation is None and p.home_unit == post.unit_id:
                cands.append((post.since, post.position_id))
        for _, pid in sorted(cands)[:8]:
            self.posts[pid].open_for_rotation = True

    def assign_ids(self) -> None:
        for i, p in enumerate(self.people):
            p.cadre_id = f"CB{i + 1:04d}"

    # ............................................................... ratings
    def build_org_ratings(self) -> list[dict]:
        """Ratings of communes (tccsd, chinh_quyen) and district bodies (co_quan, tccsd with a cell)."""
        schemes: list[tuple[str, str]] = []
        for uid in self.communes_2019:
            schemes += [(uid, "tccsd"), (uid, "chinh_quyen")]
        cells = {p.unit_id for p in self.posts.values() if p.title == "bi_thu_chi_bo"}
        for uid, *_ in PARTY_ORGANS + DEPARTMENTS + MASS_ORGS:
            schemes.append((uid, "co_quan"))
            if uid in cells:
                schemes.append((uid, "tccsd"))
        quality = self.rng.normal(0.0, 1.0, len(schemes))
        noise = self.rng.normal(0.0, 0.8, (len(RATING_YEARS), len(schemes)))
        z = quality[None, :] + noise
        idx = (z < _ORG_CUTS[0]).astype(int) + (z < _ORG_CUTS[1]) + (z < _ORG_CUTS[2])
        missing = PLANTED_DOC["missing_org_rating"]
        rows = []
        self.org_level: dict[tuple[str, int, str], str] = {}
        for y, year in enumerate(RATING_YEARS):
            for s, (uid, scheme) in enumerate(schemes):
                if (uid, year, scheme) == missing:
                    continue
                level = RATING_ORDER[int(idx[y, s])]
                self.org_level[(uid, year, scheme)] = level
                rows.append(dict(unit_id=uid, year=year, scheme=scheme, level=level))
        return rows

    def rating_link(self, person: _Person) -> tuple[str | None, tuple[str, str] | None]:
        """The post a rating refers to and the linked organisation rating (unit, scheme), if any."""
        for title, kinds, scheme in RATING_LINKS:
            for pid in person.posts:
                post = self.posts[pid]
                if post.title == title and (kinds is None or self.unit_kind[post.unit_id] in kinds):
                    return pid, (post.unit_id, scheme)
        return (person.posts[0] if person.posts else None), None

    def _quota_group(self, person: _Person) -> str:
        for group, titles, kinds in _QUOTA_GROUPS:
            for pid in person.posts:
                post = self.posts[pid]
                if post.title in titles and (kinds is None or self.unit_kind[post.unit_id] in kinds):
                    return group
        return "khac"

    def build_ratings(self) -> list[dict]:
        """Individual ratings 2015–2019 with stored levels.

        2015–2017 and 2019 scores never exceed the linked organisation's level
        (of the same and of the previous year), so that capping is a no-op
        whichever offset an engine uses; 2019 respects the 20 % quota in each
        group of equivalent posts. 2018 follows the Kim Sơn rule exactly:
        points, then capped by the 2017 organisation rating, with exactly
        36.4 % xuất sắc among BTV-managed cadres.
        """
        rng = self.rng
        P = self.people
        rated = [i for i, p in enumerate(P)
                 if p.managed_by_btv or (p.profile != "lanh_dao_huyen" and rng.random() < 0.85)]
        ability = rng.normal(80.0, 6.0, len(P))
        years = np.array(RATING_YEARS)
        raw = np.clip(ability[:, None] + rng.normal(0.0, 3.5, (len(P), len(years))), 45.0, 98.5)
        tasks = np.round(rng.uniform(0.0, 45.0, (len(P), len(years))), 1)
        tasks_missing = rng.random((len(P), len(years))) < 0.08
        score = {}
        for i in rated:
            for y, year in enumerate(RATING_YEARS):
                if P[i].work_start.year <= year:
                    score[(i, year)] = float(raw[i, y])

        def link_for(i: int, year: int):
            pid, link = self.rating_link(P[i])
            if pid is None or self.posts[pid].since.year > year:
                return None, None
            return pid, link

        # Years other than 2018: keep points inside the linked organisations' levels.
        for (i, year), s in score.items():
            if year == 2018:
                continue
            pid, link = link_for(i, year)
            if link:
                caps = [self.org_level.get((link[0], yy, link[1])) for yy in (year - 1, year)]
                for cap in caps:
                    if cap is not None:
                        s = min(s, _LEVEL_CEILING[cap])
            score[(i, year)] = s

        # 2018: exactly K xuất sắc among BTV cadres, some capped by their organisation.
        btv = [i for i in rated if P[i].managed_by_btv]
        k = _target_count(len(btv), 0.364)
        eligible, cappable = [], []
        for i in btv:
            _, link = link_for(i, 2018)
            org = self.org_level.get((link[0], 2017, link[1])) if link else None
            (eligible if org in (None, "xuat_sac") else cappable).append(i)
        w = np.exp(ability[eligible] / 4.0)
        stars = set(rng.choice(eligible, size=k, replace=False, p=w / w.sum()).tolist())
        capped = set(rng.choice(cappable, size=11, replace=False).tolist())
        for i in btv:
            if i in stars or i in capped:
                score[(i, 2018)] = float(rng.uniform(90.0, 98.0))
            elif score[(i, 2018)] >= 90.0:
                score[(i, 2018)] = float(rng.uniform(80.0, 89.9))
        self.planted["capped_2018"] = sorted(capped)
        self.planted["stars_2018"] = sorted(stars)

        score = {key: round(v, 1) for key, v in score.items()}
        level = {}
        for (i, year), s in score.items():
            pid, link = link_for(i, year)
            cap = None
            if year == 2018 and link:
                cap = self.org_level.get((link[0], 2017, link[1]))
            level[(i, year)] = cap_level(points_level(s), cap)

        # 2019: at most 20 % of "tốt" may be "xuất sắc" within each group.
        groups: dict[str, list[int]] = {}
        for (i, year) in score:
            if year == 2019:
                groups.setdefault(self._quota_group(P[i]), []).append(i)
        for members in groups.values():
            stars19 = sorted((score[(i, 2019)], P[i].cadre_id, i) for i in members
                             if level[(i, 2019)] == "xuat_sac")
            n_good = sum(level[(i, 2019)] == "tot" for i in members)
            while len(stars19) > int(0.2 * n_good):
                _, _, i = stars19.pop(0)  # lowest score first
                score[(i, 2019)] = round(float(rng.uniform(85.0, 89.9)), 1)
                level[(i, 2019)] = "tot"
                n_good += 1

        rows = []
        for i in rated:
            for y, year in enumerate(RATING_YEARS):
                if (i, year) not in score:
                    continue
                pid, _ = link_for(i, year)
                s = score[(i, year)]
                t = None if tasks_missing[i, y] else float(tasks[i, y])
                if t is not None and s >= 90.0:
                    t = round(30.0 + t / 1.5, 1)
                rows.append(dict(cadre_id=P[i].cadre_id, year=year, score=s, tasks_exceeded_pct=t,
                                 level=level[(i, year)], position_id=pid))
        return rows

    # .............................................................. planning
    def build_planning(self) -> list[dict]:
        """Planning slates of the terms 2015–2020 and 2020–2025 (planted violations included).

        Slates are filled in the order commune posts → district deputy posts →
        district head posts → district leaders, from candidates who meet the
        rules the sample is designed against (:data:`PLAN_TERMS`,
        :data:`PLAN_STANDARDS`, :data:`PLAN_BASIS`): able to serve the whole
        term, first-appointment age limits, qualification gaps closable by
        training before the term starts, and "lower-level planning is the
        basis" (holding, or already planned for, a post of the level below).
        Only the planted cases break them.
        """
        P = self.people
        hp = self.post_holder
        rows: list[dict] = []
        n_rows: dict[str, dict[int, int]] = {t: {} for t in PLAN_TERMS}
        planned: dict[str, dict[int, set]] = {t: {} for t in PLAN_TERMS}
        taken: set[tuple] = set()

        def add(i, title, uid, term, added, removed=None, reason=None):
            key = (i, title, uid, term)
            if key in taken:
                return False
            taken.add(key)
            rows.append(dict(cadre_id=P[i].cadre_id, target_title=title, target_unit_id=uid, term=term,
                             added_on=added, removed_on=removed, removal_reason=reason))
            n_rows[term][i] = n_rows[term].get(i, 0) + 1
            planned[term].setdefault(i, set()).add((title, uid))
            return True

        def slate_rows(term, title, uid, active_only=True):
            return [r for r in rows if r["term"] == term and r["target_title"] == title
                    and r["target_unit_id"] == uid and (r["removed_on"] is None or not active_only)]

        district_units = [u for u, *_ in PARTY_ORGANS] + [u for u, *_ in DEPARTMENTS] + [u for u, *_ in MASS_ORGS]
        head_title = {u: self.posts[next(pid for pid in self.posts if pid.startswith(u + "-"))].title
                      for u in district_units}

        def slates(term: str) -> list[tuple[str, str]]:
            communes = (self.communes_2019 if term == "2015-2020" else
                        [u for u in self.communes_2019 if u not in MERGER_2020] + ["XA_XUAN_CHINH"])
            out = [(t, u) for u in communes for t in BTV_COMMUNE_TITLES]
            out += [(DEPUTY_TITLE[self.unit_kind[u]], u) for u in district_units]
            out += [(head_title[u], u) for u in district_units]
            out += [("chu_tich_ubnd", "UBND_HUYEN"), ("pho_bi_thu", "HU"), ("bi_thu", "HU")]
            return out

        # Planted 2020–2025 entries.
        reg = PLAN_TERMS["2020-2025"]
        four = hp(PLANTED_DOC["four_slates_post"])
        for title, uid in (("truong_ban", "HU_BAN_TO_CHUC"), ("truong_phong", "PHONG_NOI_VU"),
                           ("truong_ban", "HU_BAN_DAN_VAN"), ("chu_nhiem_ubkt", "HU_UBKT")):
            add(four, title, uid, "2020-2025", reg["added_district"])
        for i, p in enumerate(P):
            if p.rotation:
                frm = p.rotation[0]
                add(i, head_title[frm], frm, "2020-2025", date(2016, 10, 20))
        old = hp(PLANTED_DOC["too_old_post"])
        add(old, "bi_thu", "XA_CON_THOI", "2020-2025", reg["added_commune"])
        aged = hp(PLANTED_DOC["removed_for_age_post"])
        add(aged, "bi_thu", "XA_AN_HOA", "2020-2025", reg["added_commune"], date(2018, 12, 20), "tuoi")
        disc = hp(PLANTED_DOC["disciplined_planned_post"])
        add(disc, "truong_phong", "PHONG_TAI_CHINH_KE_HOACH", "2020-2025", reg["added_district"])
        drem = hp(PLANTED_DOC["disciplined_removed_post"])
        add(drem, "chu_tich_ubnd", "XA_HOI_NINH", "2020-2025", reg["added_commune"], date(2018, 4, 10), "ky_luat")
        dcv = self.planted["disciplined_cv"]
        add(dcv, "truong_phong", "PHONG_TAI_NGUYEN_MOI_TRUONG", "2020-2025", reg["added_district"],
            date(2017, 12, 15), "ky_luat")
        # Entries the sample proposal batch (data/scenarios/de-xuat-mau.csv) relies on.
        for pid, title, uid in PLAN_DEMO_ENTRIES:
            i = hp(pid)
            commune = self.unit_kind[uid] in COMMUNE_KINDS
            add(i, title, uid, "2020-2025", reg["added_commune" if commune else "added_district"])
        no_fill = {four, old, aged, disc, drem, dcv}
        cap = {t: {} for t in PLAN_TERMS}
        cap["2020-2025"] = {hp(pid): n for pid, n in PLAN_DEMO_CAPS}

        for term, info in PLAN_TERMS.items():
            start = info["start"]
            for title, uid in slates(term):
                commune = self.unit_kind[uid] in COMMUNE_KINDS
                added = info["added_commune" if commune else "added_district"]
                if term == "2015-2020":
                    # Incumbents appointed after the 2014 planning were on the slate (when they fitted it).
                    for i in self.holders(uid, title):
                        since = self.posts[next(pid for pid in P[i].posts
                                                if self.posts[pid].unit_id == uid
                                                and self.posts[pid].title == title)].since
                        if (since > added and not P[i].rotation and n_rows[term].get(i, 0) < 3
                                and self._fits(i, title, uid, term, added, planned[term])):
                            add(i, title, uid, term, added, since, "bo_nhiem")
                current = slate_rows(term, title, uid)
                want = 1 if (title, uid) == PLANTED_DOC["single_slate"] and term == "2020-2025" else int(
                    self.rng.choice([2, 3]))
                need = min(want - len(current), PLAN_SLATE_MAX - len(slate_rows(term, title, uid, False)))
                if want > 1:
                    need = max(need, PLAN_SLATE_MIN - len(current))
                if need <= 0:
                    continue
                on_slate = {r["cadre_id"] for r in slate_rows(term, title, uid, False)}

                def ok(i, added=added, title=title, uid=uid, term=term, on_slate=on_slate):
                    return (i not in no_fill and n_rows[term].get(i, 0) < cap[term].get(i, 3)
                            and P[i].cadre_id not in on_slate
                            and self._fits(i, title, uid, term, added, planned[term]))

                pool = [(i, w) for i, w in self._pool(title, uid, term, planned[term]) if ok(i)]
                if len(pool) < need:
                    seen = {i for i, _ in pool}
                    pool += [(i, w) for i, w in self._wide_pool(title, uid) if i not in seen and ok(i)]
                need = min(need, len(pool))
                assert len(current) + need >= PLAN_SLATE_MIN or (title, uid) == PLANTED_DOC["single_slate"], (
                    term, title, uid)
                weights = np.array([w * (2.0 if P[i].gender == "nu" else 1.0)
                                    * (1.8 if P[i].age_on(start) < 40 else 1.0) for i, w in pool])
                chosen = self.rng.choice(len(pool), size=need, replace=False, p=weights / weights.sum())
                for c in sorted(int(x) for x in chosen):
                    i = pool[c][0]
                    late = term == "2020-2025" and self.rng.random() < 0.12
                    when = PLAN_LATE_ADDED if late and self._fits(i, title, uid, term, PLAN_LATE_ADDED,
                                                                  planned[term]) else added
                    add(i, title, uid, term, when)

        # Genuine gaps of the 2020–2025 list (each one a story for the compliance check).
        gaps = self._plant_planning_gaps(add, slate_rows, n_rows, planned["2020-2025"], no_fill)

        # A few more removals (open and dynamic planning), each slate kept ≥ 2.
        keep = set(gaps.values()) | {hp(pid) for pid, _, _ in PLAN_DEMO_ENTRIES}
        for term, when, reason, n in (("2015-2020", date(2017, 12, 15), "tuoi", 1),
                                      ("2020-2025", date(2019, 3, 15), "chuyen_cong_tac", 2)):
            done = 0
            for r in rows:
                if done == n:
                    break
                i = int(r["cadre_id"][2:]) - 1
                if (r["term"] != term or r["removed_on"] is not None or i in no_fill or i in keep
                        or (reason == "tuoi" and P[i].age_on(date(2015, 1, 1)) < 50)):
                    continue
                if reason == "chuyen_cong_tac" and self.unit_kind[r["target_unit_id"]] in COMMUNE_KINDS:
                    continue
                if len(slate_rows(term, r["target_title"], r["target_unit_id"])) < 3:
                    continue
                if self._basis_for_others(i, r, rows):
                    continue
                r["removed_on"], r["removal_reason"] = when, reason
                done += 1
        self.planted["planning_people"] = dict(four=four, old=old, aged=aged, disc=disc, drem=drem, dcv=dcv, **gaps)
        return rows

    def _basis_for_others(self, i: int, row: dict, rows: list[dict]) -> bool:
        """Whether ``row`` is the only lower-level basis of another row of the same person."""
        held = {self.posts[pid].title for pid in self.people[i].posts}
        mine = [r for r in rows if r["cadre_id"] == row["cadre_id"] and r["term"] == row["term"]
                and r["removed_on"] is None and r is not row]
        for r in mine:
            basis = PLAN_BASIS.get(r["target_title"])
            if basis is None or self.unit_kind[r["target_unit_id"]] in COMMUNE_KINDS:
                continue
            if row["target_title"] in basis and not (held & set(basis)) and not any(
                    q["target_title"] in basis for q in mine if q is not r):
                return True
        return False

    def _plant_planning_gaps(self, add, slate_rows, n_rows, planned, no_fill) -> dict[str, int]:
        """Genuine gaps of the planning lists (three in 2020–2025, one in 2015–2020), chosen deterministically.

        * ``late_gap``: a district deputy with trung cấp LLCT and a state management
          gap added to the head slate of the unit late (20-12-2018): the courses (at
          least 21 months) cannot end before the term starts (1-7-2020);
        * ``over_age``: a commune chairman aged over 45 planned for party secretary
          (first appointment, QĐ 04/2004/QĐ-BNV: at most 45);
        * ``no_basis``: a young specialist (of a mass organisation when possible)
          planned straight for the head of the unit, without being planned for a
          deputy post;
        * ``over_age_2015``: the same over-age story on the 2015–2020 list, where the
          2017 review took the chairman off the list (``tuoi``).
        """
        P = self.people
        term, reg = "2020-2025", PLAN_TERMS["2020-2025"]
        start = reg["start"]
        out: dict[str, int] = {}
        n20 = n_rows[term]

        def free(i, title, uid):
            return (i not in no_fill and n20.get(i, 0) < 3 and not P[i].rotation
                    and len(slate_rows(term, title, uid)) < PLAN_SLATE_MAX
                    and all(r["cadre_id"] != P[i].cadre_id for r in slate_rows(term, title, uid, False)))

        for post in self.posts.values():
            i = post.holder
            if (i is None or post.title not in DISTRICT_DEPUTY_TITLES or P[i].political_theory != "trung_cap"
                    or P[i].education not in ("dai_hoc", "thac_si")
                    or self._gap_months(P[i], PLAN_STANDARDS["district_head"]) <= _months(PLAN_LATE_ADDED, start)):
                continue
            uid = post.unit_id
            title = self.posts[next(q for q in self.posts if q.startswith(uid + "-"))].title
            if free(i, title, uid) and self._serves(P[i], start, 5):
                add(i, title, uid, term, PLAN_LATE_ADDED)
                out["late_gap"] = i
                break
        for uid in self.communes_2019:
            if uid in MERGER_2020 or uid == "XA_CON_THOI":
                continue
            i = self.holders(uid, "chu_tich_ubnd")[0]
            if 46 <= P[i].age_on(start) <= 50 and free(i, "bi_thu", uid) and self._serves(P[i], start, 5) and (
                    self._gap_months(P[i], PLAN_STANDARDS["bi_thu"]) <= _months(reg["added_commune"], start)):
                add(i, "bi_thu", uid, term, reg["added_commune"])
                out["over_age"] = i
                break
        mass = [u for u, *_ in MASS_ORGS]
        for i, p in sorted(enumerate(P), key=lambda x: (x[1].unit_id not in mass, x[0])):
            uid = p.unit_id
            if (p.profile != "chuyen_vien" or p.posts or self.unit_kind.get(uid) not in DEPUTY_TITLE
                    or p.age_on(start) >= 40 or p.work_start > reg["added_district"]):
                continue
            title = self.posts[next(q for q in self.posts if q.startswith(uid + "-"))].title
            if {t for t, _ in planned.get(i, ())} & set(PLAN_BASIS[title]):
                continue
            if free(i, title, uid) and self._gap_months(p, PLAN_STANDARDS["district_head"]) <= _months(
                    reg["added_district"], start):
                add(i, title, uid, term, reg["added_district"])
                out["no_basis"] = i
                break
        # 2015–2020: a chairman over 45 put on the 2014 slate for party secretary, taken off by the 2017 review.
        term, reg = "2015-2020", PLAN_TERMS["2015-2020"]
        n15 = n_rows["2015-2020"]
        for uid in self.communes_2019:
            i = self.holders(uid, "chu_tich_ubnd")[0]
            if (46 <= P[i].age_on(reg["start"]) <= 50 and i not in no_fill and n15.get(i, 0) < 3
                    and len(slate_rows(term, "bi_thu", uid, False)) < PLAN_SLATE_MAX
                    and all(r["cadre_id"] != P[i].cadre_id for r in slate_rows(term, "bi_thu", uid, False))
                    and self._serves(P[i], reg["start"], 5) and P[i].work_start <= reg["added_commune"]
                    and self._gap_months(P[i], PLAN_STANDARDS["bi_thu"]) <= _months(reg["added_commune"],
                                                                                   reg["start"])):
                add(i, "bi_thu", uid, term, reg["added_commune"], date(2017, 12, 15), "tuoi")
                out["over_age_2015"] = i
                break
        assert set(out) == {"late_gap", "over_age", "no_basis", "over_age_2015"}, out
        return out

    @staticmethod
    def _serves(p: _Person, start: date, years: int) -> bool:
        """Whether ``p`` works ``years`` from ``start`` before 60 (men) / 55 (women), the pre-2021 ages."""
        return _add_years(p.birth, 60 if p.gender == "nam" else 55) >= _add_years(start, years)

    @staticmethod
    def _gap_months(p: _Person, required: dict[str, str]) -> float:
        """Months of the courses of :data:`COURSES` that close ``p``'s gaps to ``required`` (inf: none)."""
        total = 0.0
        for fld, need in required.items():
            ladder = LADDERS[fld]
            have = ladder.index(getattr(p, fld) or ladder[0])
            while have < ladder.index(need):
                step = [c for c in COURSES if c[2] == fld and ladder.index(c[3]) > have
                        and (c[7] is None or ladder.index(c[7]) <= have)]
                if not step:
                    return float("inf")
                course = min(step, key=lambda c: (ladder.index(c[3]), c[4]))
                total += course[4]
                have = ladder.index(course[3])
        return total

    def _fits(self, i: int, title: str, uid: str, term: str, added: date, planned: dict[int, set]) -> bool:
        """Whether cadre ``i`` fits the slate of ``title`` in ``uid`` planned on ``added`` for ``term``."""
        p = self.people[i]
        start = PLAN_TERMS[term]["start"]
        if p.work_start > added or not self._serves(p, start, 5):
            return False
        held = {self.posts[pid].title for pid in p.posts}
        first = title not in held
        commune = self.unit_kind[uid] in COMMUNE_KINDS
        if commune and first and title == "bi_thu" and p.age_on(start) > 45:
            return False
        if commune and first and title == "chu_tich_ubnd" and not self._serves(p, start, 10):
            return False
        if commune:
            required = PLAN_STANDARDS.get(title)
        else:
            required = PLAN_STANDARDS["district_head"] if title in PLAN_DISTRICT_HEAD_SCOPE else None
        if required and self._gap_months(p, required) > _months(added, start):
            return False
        basis = PLAN_BASIS.get(title)
        if commune or basis is None:
            return True
        held_elsewhere = {self.posts[pid].title for pid in p.posts
                          if not (self.posts[pid].unit_id == uid and self.posts[pid].title == title)}
        planned_elsewhere = {t for t, u in planned.get(i, ()) if (t, u) != (title, uid)}
        return bool((held_elsewhere | planned_elsewhere) & set(basis))

    def _pool(self, title: str, uid: str, term: str, planned: dict[int, set]) -> list[tuple[int, float]]:
        """Natural candidates for ``title`` in ``uid`` with their weights (before the eligibility filter)."""
        P = self.people
        units = ("XA_XUAN_THIEN", "XA_CHINH_TAM") if uid == "XA_XUAN_CHINH" else (uid,)
        incumbents = set(self.holders(uid, title))
        by_title = {
            "bi_thu": ("pho_bi_thu", "chu_tich_ubnd", "chu_tich_hdnd", "pho_chu_tich_ubnd", "bi_thu"),
            "pho_bi_thu": ("pho_chu_tich_ubnd", "chu_nhiem_ubkt", "chu_tich_mttq", "pho_bi_thu"),
            "chu_tich_ubnd": ("pho_chu_tich_ubnd", "pho_bi_thu", "chu_tich_ubnd"),
            "chu_tich_hdnd": ("pho_bi_thu", "chu_tich_mttq", "chu_nhiem_ubkt", "pho_chu_tich_ubnd"),
        }
        kind = self.unit_kind[uid]
        out: list[tuple[int, float]] = []
        if uid == "HU":
            src = [("HU", "pho_bi_thu"), ("UBND_HUYEN", "chu_tich_ubnd"), ("HU_BAN_TO_CHUC", "truong_ban"),
                   ("HU_UBKT", "chu_nhiem_ubkt"), ("UBND_HUYEN", "pho_chu_tich_ubnd")]
            out = [(i, 1.0) for u, t in src for i in self.holders(u, t)]
            out += [(i, 1.0) for i, posts in planned.items() if ("pho_bi_thu", "HU") in posts]
        elif uid == "UBND_HUYEN":
            src = [("UBND_HUYEN", "pho_chu_tich_ubnd"), ("PHONG_TAI_CHINH_KE_HOACH", "truong_phong"),
                   ("VP_HDND_UBND", "truong_phong")]
            out = [(i, 1.0) for u, t in src for i in self.holders(u, t)]
        elif kind in COMMUNE_KINDS:
            out = [(i, 1.0) for u in units for t in by_title[title] for i in self.holders(u, t)]
            out += [(i, 1.0) for i, p in enumerate(P) if p.unit_id in units and not p.posts]
        elif title in DISTRICT_DEPUTY_TITLES:
            district = set(DEPUTY_TITLE) - set(COMMUNE_KINDS)
            out = [(i, 3.0 if p.unit_id == uid else 1.0) for i, p in enumerate(P)
                   if p.profile == "chuyen_vien" and not p.posts and self.unit_kind.get(p.unit_id) in district]
        else:
            dep = DEPUTY_TITLE[kind]
            out = [(i, 3.0) for i in self.holders(uid, dep)]
            out += [(i, 1.0) for i, posts in planned.items() if (dep, uid) in posts]
            out += [(i, 1.0) for q in self.posts.values() if q.title == dep and q.unit_id != uid
                    and q.holder is not None for i in (q.holder,)]
        seen, uniq = set(), []
        for i, w in out:
            if i not in seen and i not in incumbents:
                seen.add(i)
                uniq.append((i, w))
        return uniq

    def _wide_pool(self, title: str, uid: str) -> list[tuple[int, float]]:
        """Fallback candidates: district deputies and specialists, heads and commune leaders (district posts)."""
        out = [(i, 1.0) for i, p in enumerate(self.people)
               if p.unit_id != uid and p.profile in ("pho_huyen", "chuyen_vien") and not p.rotation]
        if self.unit_kind[uid] not in COMMUNE_KINDS:
            out += [(q.holder, 0.5) for q in self.posts.values() if q.holder is not None and q.unit_id != uid
                    and q.unit_id not in ("HU", "UBND_HUYEN") and q.title in PLAN_BASIS.get(title, ())
                    and not self.people[q.holder].rotation]
        seen: set[int] = set()
        return [(i, w) for i, w in out if not (i in seen or seen.add(i))]

    # .............................................................. training
    def build_courses(self) -> list[dict]:
        cols = ("course_id", "name", "field", "grants_level", "months", "seats_per_year", "cost_million_vnd",
                "prerequisite_level")
        return [dict(zip(cols, c, strict=True)) for c in COURSES]

    def build_trainings(self) -> list[dict]:
        """Completed courses matching each qualification, 2019 enrolments, knowledge updates."""
        rng = self.rng
        P = self.people
        rows = []
        enrol: dict[int, str] = {}
        # 2019 enrolments: people with a gap for their post (not the planted late gap, which stays open).
        hp = self.post_holder
        late_gap = self.planted["planning_people"]["late_gap"]
        for pid, course in (("XA_KIM_TRUNG-BI_THU-1", "LLCT_TRUNG_CAP"),
                            ("PHONG_Y_TE-TRUONG_PHONG-1", "LLCT_CAO_CAP"),
                            ("XA_KIM_HAI-CHU_TICH_UBND-1", "DH_VLVH")):
            enrol[hp(pid)] = course
        gaps = [i for i, p in enumerate(P) if p.managed_by_btv and i not in enrol and i != late_gap and (
            (p.profile == "truong_huyen" and p.political_theory == "trung_cap")
            or (p.profile in ("bi_thu_xa", "chu_tich_xa") and p.political_theory == "so_cap"))]
        for i in gaps[:4]:
            enrol[i] = "LLCT_CAO_CAP" if P[i].political_theory == "trung_cap" else "LLCT_TRUNG_CAP"
        cv = [i for i, p in enumerate(P) if p.profile == "pho_huyen" and p.state_mgmt == "chuyen_vien"
              and i != late_gap]
        for i in cv[:2]:
            enrol[i] = "QLNN_CVC"
        ladders = {"political_theory": ("LLCT_SO_CAP", "LLCT_TRUNG_CAP", "LLCT_CAO_CAP"),
                   "state_mgmt": ("QLNN_CV", "QLNN_CVC")}
        for i, p in enumerate(P):
            first_year = max(p.work_start.year, p.birth.year + 20)
            for fld, courses in ladders.items():
                rank = LADDERS[fld].index(getattr(p, fld))
                done = list(courses[:rank]) if rank <= len(courses) else []
                if not done:
                    continue
                end = 2018 if i in enrol else 2019
                yrs = sorted(int(y) for y in rng.integers(min(first_year, end), end + 1, len(done)))
                for k in range(1, len(yrs)):
                    yrs[k] = max(yrs[k], yrs[k - 1] + 1)
                shift = max(0, yrs[-1] - end)
                for course, y in zip(done, yrs, strict=True):
                    rows.append(dict(cadre_id=p.cadre_id, course_id=course, year=y - shift, status="completed",
                                     days=None))
            if p.education == "dai_hoc" and p.profile in ("bi_thu_xa", "chu_tich_xa", "pho_bi_thu_xa",
                                                          "can_bo_xa") and rng.random() < 0.35:
                y = int(rng.integers(min(first_year + 3, 2019), 2020))
                rows.append(dict(cadre_id=p.cadre_id, course_id="DH_VLVH", year=y, status="completed", days=None))
            if i in enrol:
                rows.append(dict(cadre_id=p.cadre_id, course_id=enrol[i], year=2019, status="enrolled", days=None))
        # Knowledge updates (164-QĐ/TW) for BTV-managed cadres; 10 are overdue (none in 2018–2019).
        btv = [i for i, p in enumerate(P) if p.managed_by_btv]
        overdue = set(rng.choice(btv, size=10, replace=False).tolist())
        attend = rng.random((len(btv), len(RATING_YEARS))) < 0.88
        days = np.where(rng.random((len(btv), len(RATING_YEARS))) < 0.85, 5.0, 4.0)
        for r, i in enumerate(btv):
            for y, year in enumerate(RATING_YEARS):
                if attend[r, y] and not (i in overdue and year >= 2018) and P[i].work_start.year <= year:
                    rows.append(dict(cadre_id=P[i].cadre_id, course_id="CNKT_164", year=year,
                                     status="completed", days=float(days[r, y])))
        self.planted["ku_overdue"] = sorted(overdue)
        self.planted["enrolled"] = sorted(enrol)
        return rows

    # ................................................ relatives, rotations, discipline
    def build_relatives(self) -> list[dict]:
        P = self.people
        rows = []
        bt, kt = self.planted["siblings"]
        rows.append((bt, kt, "anh_chi_em"))
        tp, pp = self.planted["spouses"]
        rows.append((tp, pp, "vo_chong"))
        kt, tp = self.planted["parent_accountant"]
        rows.append((kt, tp, "cha_me"))
        pp, wife, tp = self.planted["in_law"]
        rows.append((pp, wife, "vo_chong"))
        rows.append((wife, tp, "cha_me"))
        rows += self.planted["other_links"]
        return [dict(cadre_id=P[a].cadre_id, relative_id=P[b].cadre_id, relation=r) for a, b, r in rows]

    def build_rotations(self) -> list[dict]:
        return [dict(cadre_id=p.cadre_id, from_unit_id=p.rotation[0], to_unit_id=p.rotation[1],
                     title=p.rotation[2], start_date=p.rotation[3], end_date=_add_years(p.rotation[3], 3))
                for p in self.people if p.rotation]

    def build_discipline(self) -> list[dict]:
        P = self.people
        pp = self.planted["planning_people"]
        cases = [
            (pp["disc"], "khien_trach", date(2019, 6, 14)),
            (pp["drem"], "canh_cao", date(2018, 3, 12)),
            (pp["dcv"], "khien_trach", date(2017, 11, 20)),
            (self.post_holder("XA_KIM_TAN-CHU_TICH_MTTQ-1"), "khien_trach", date(2016, 9, 8)),
        ]
        return [dict(cadre_id=P[i].cadre_id, form=f, decided_on=d, expires_on=_add_years(d, 1))
                for i, f, d in cases]

    # ................................................................ tables
    def build(self) -> dict[str, pd.DataFrame]:
        self.build_units()
        self.build_posts()
        self.describe_people()
        self.plant_people()
        self.describe_careers()
        self.describe_qualifications()
        self.mark_rotation_posts()
        self.assign_ids()
        P = self.people
        cadres = [dict(cadre_id=p.cadre_id, full_name=p.full_name, gender=p.gender, birth_date=p.birth,
                       ethnicity=p.ethnicity, home_unit_id=p.home_unit, unit_id=p.unit_id,
                       party_join_date=p.party_join, work_start_date=p.work_start, education=p.education,
                       political_theory=p.political_theory, state_mgmt=p.state_mgmt,
                       managed_by_btv=p.managed_by_btv) for p in P]
        positions = [dict(position_id=q.position_id, unit_id=q.unit_id, title=q.title, is_key=q.is_key,
                          holder_id=P[q.holder].cadre_id if q.holder is not None else None,
                          holder_since=q.since, open_for_rotation=q.open_for_rotation)
                     for q in self.posts.values()]
        records = {
            "units": self.units,
            "positions": positions,
            "cadres": cadres,
        }
        records["org_ratings"] = self.build_org_ratings()
        records["ratings"] = self.build_ratings()
        records["planning"] = self.build_planning()
        records["courses"] = self.build_courses()
        records["trainings"] = self.build_trainings()
        records["relatives"] = self.build_relatives()
        records["rotations"] = self.build_rotations()
        records["discipline"] = self.build_discipline()
        return {name: _frame(name, records.get(name, [])) for name in TABLES}


def _vacant(unit_id: str, title: str, n: int) -> bool:
    """Whether post ``n`` of ``title`` in ``unit_id`` is left vacant at the snapshot."""
    return f"{unit_id}-{title.upper()}-{n}" in VACANT_POSTS


def _target_count(n: int, share: float) -> int:
    """The head count ``k`` with ``round(100 k / n, 1) == round(100 share, 1)``."""
    for k in range(n + 1):
        if round(100.0 * k / n, 1) == round(100.0 * share, 1):
            return k
    raise ValueError(f"no head count out of {n} gives {share:.1%}")


_SORT_KEYS = {
    "ratings": ["cadre_id", "year"],
    "org_ratings": ["year", "unit_id", "scheme"],
    "planning": ["term", "target_unit_id", "target_title", "cadre_id"],
    "trainings": ["cadre_id", "year", "course_id"],
    "relatives": ["cadre_id", "relative_id"],
    "rotations": ["start_date", "cadre_id"],
    "discipline": ["decided_on", "cadre_id"],
}


def _frame(name: str, records: list[dict]) -> pd.DataFrame:
    """Build the typed frame of table ``name`` in schema column order (stable sort)."""
    table = TABLES[name]
    data = {}
    for col in table.columns:
        values = [r.get(col.name) for r in records]
        if col.kind == "date":
            data[col.name] = pd.to_datetime(pd.Series(values, dtype=object))
        elif col.kind == "int":
            data[col.name] = pd.array(values, dtype="Int64")
        elif col.kind == "float":
            data[col.name] = pd.array([np.nan if v is None else float(v) for v in values], dtype="float64")
        elif col.kind == "bool":
            data[col.name] = pd.array(values, dtype="boolean")
        else:
            data[col.name] = pd.array(values, dtype="string")
    df = pd.DataFrame(data)
    if name in _SORT_KEYS:
        df = df.sort_values(_SORT_KEYS[name], kind="stable").reset_index(drop=True)
    return df


# ------------------------------------------------------------------ writing
def _cell(value, kind: str) -> str:
    """Format one value for the canonical CSV form."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return ""
    if kind == "date":
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if kind == "bool":
        return "true" if bool(value) else "false"
    if kind == "int":
        return str(int(value))
    if kind == "float":
        return np.format_float_positional(float(value), trim="-")
    return str(value)


def write_csv(frame: pd.DataFrame, name: str, path: Path) -> None:
    """Write ``frame`` as table ``name`` (UTF-8 without BOM, ``\\n``, schema header)."""
    table = TABLES[name]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(table.column_names)
        kinds = [c.kind for c in table.columns]
        for row in frame[table.column_names].itertuples(index=False, name=None):
            writer.writerow([_cell(v, k) for v, k in zip(row, kinds, strict=True)])


def build(seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """Build every table of the sample in memory.

    Parameters
    ----------
    seed : int
        Seed of :func:`numpy.random.default_rng`.

    Returns
    -------
    dict of str to pandas.DataFrame
        One frame per table of :data:`kimson_ds.data.schema.TABLES`, columns in
        schema order.
    """
    tables = _Builder(seed).build()
    for name, records in build_procedure_records(tables).items():
        tables[name] = _frame(name, records)
    return tables


def generate(out_dir: Path, seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """Build the sample and write ``out_dir/<table>.csv`` for every table.

    Parameters
    ----------
    out_dir : pathlib.Path
        Folder to write into (created if needed).
    seed : int
        Random seed; the same seed gives byte-identical files.

    Returns
    -------
    dict of str to pandas.DataFrame
        The tables written.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = build(seed)
    for name, frame in tables.items():
        write_csv(frame, name, out_dir / f"{name}.csv")
    return tables


# ---------------------------------------------------------------- README
def _md_escape(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def data_dictionary_markdown() -> str:
    """Return the data dictionary (every table, column and code set) as Markdown.

    Returns
    -------
    str
        Generated from :data:`kimson_ds.data.schema.TABLES` and
        :data:`kimson_ds.data.codes.CODESETS`, in Vietnamese.
    """
    kind_vi = {"id": "mã", "text": "văn bản", "int": "số nguyên", "float": "số thập phân", "date": "ngày",
               "bool": "đúng/sai", "code": "mã danh mục"}
    out = ["## Từ điển dữ liệu (data dictionary)", "",
           "Phần này được sinh tự động từ `kimson_ds.data.schema.TABLES` và `kimson_ds.data.codes.CODESETS`.", ""]
    for t in TABLES.values():
        out.append(f"### `{t.name}` — {t.title_vi}")
        out.append("")
        out.append(t.description)
        out.append("")
        out.append(f"Bảng bắt buộc: {'có' if t.required else 'không'}. "
                   f"Khóa: {', '.join(f'`{k}`' for k in t.key) or '—'}.")
        out.append("")
        out.append("| Cột | Tiêu đề tiếng Việt | Kiểu | Bắt buộc | Bộ mã | Đơn vị | Mô tả |")
        out.append("|---|---|---|---|---|---|---|")
        for c in t.columns:
            desc = c.description
            if c.references:
                desc += f" (tham chiếu `{c.references}`)"
            out.append(f"| `{c.name}` | {_md_escape(c.header_vi)} | {c.kind} ({kind_vi[c.kind]}) | "
                       f"{'có' if c.required else 'không'} | {f'`{c.codeset}`' if c.codeset else ''} | "
                       f"{_md_escape(c.unit)} | {_md_escape(desc)} |")
        out.append("")
    out.append("## Bộ mã (code sets)")
    out.append("")
    for name, codes in CODESETS.items():
        out.append(f"### `{name}`")
        out.append("")
        out.append("| Mã | Nhãn |")
        out.append("|---|---|")
        out += [f"| `{code}` | {_md_escape(label)} |" for code, label in codes.items()]
        out.append("")
    return "\n".join(out)


def readme_markdown(tables: dict[str, pd.DataFrame] | None = None) -> str:
    """Return ``data/README.md``: the hand-written introduction plus the data dictionary.

    Parameters
    ----------
    tables : dict, optional
        The generated tables (built with the default seed when omitted);
        counts and planted ids in the introduction come from them.
    """
    if tables is None:
        tables = build()
    facts = sample_facts(tables)
    unit_name = tables["units"].set_index("unit_id")["name"]
    merger = "\n".join(
        f"| `{new}` | {unit_name[new]} | {', '.join(f'{unit_name[o]} (`{o}`)' for o in olds)} |"
        for new, olds in MERGER_2025.items())
    counts = "\n".join(f"| `{n}` | {len(f)} |" for n, f in tables.items())
    courses = "\n".join(
        f"| `{r.course_id}` | {r.name} | {r.months:g} | {r.seats_per_year} | {r.cost_million_vnd:g} |"
        for r in tables["courses"].itertuples())
    intro = _README_INTRO.format(merger=merger, counts=counts, courses=courses, **facts)
    return intro + "\n" + data_dictionary_markdown()


def sample_facts(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Ids and counts of the planted cases, for the README and the final report."""
    cad = tables["cadres"]
    pos = tables["positions"].set_index("position_id")
    btv = cad[cad["managed_by_btv"]]
    r18 = tables["ratings"][(tables["ratings"]["year"] == 2018)]
    r18b = r18[r18["cadre_id"].isin(btv["cadre_id"])]
    xs = int((r18b["level"] == "xuat_sac").sum())
    capped = int(((r18b["score"] >= 90) & (r18b["level"] != "xuat_sac")).sum())
    plan = tables["planning"]
    act = plan[(plan["term"] == "2020-2025") & plan["removed_on"].isna()]
    per = act.groupby("cadre_id").size()
    disc = tables["discipline"]
    holder = pos["holder_id"]
    rel = tables["relatives"]
    ku = tables["trainings"][tables["trainings"]["course_id"] == "CNKT_164"]
    cadre = cad.set_index("cadre_id")
    held = tables["positions"].dropna(subset=["holder_id"])
    title_of = held.groupby("holder_id")["title"].agg(set)
    heads = ("truong_phong", "truong_ban", "chu_nhiem_ubkt", "truong_doan_the")
    p20 = plan[plan["term"] == "2020-2025"]
    late = p20[(p20["added_on"] == pd.Timestamp(PLAN_LATE_ADDED)) & p20["target_title"].isin(heads)]
    late = late[cadre.loc[late["cadre_id"], "political_theory"].eq("trung_cap").to_numpy()
                & cadre.loc[late["cadre_id"], "state_mgmt"].isin(["chua_co", "chuyen_vien"]).to_numpy()]
    chairs = set(held.loc[held["title"] == "chu_tich_ubnd", "holder_id"])
    birth = pd.to_datetime(cadre["birth_date"])
    over = p20[(p20["target_title"] == "bi_thu") & p20["cadre_id"].isin(chairs)
               & p20["target_unit_id"].isin(list(_COMMUNE_IDS))]
    over = over[(birth[over["cadre_id"]] < pd.Timestamp(PLAN_TERMS["2020-2025"]["start"])
                 - pd.DateOffset(years=46)).to_numpy()]
    planned_posts = {c: set(zip(g["target_title"], g["target_unit_id"], strict=True))
                     for c, g in p20[p20["removed_on"].isna()].groupby("cadre_id")}
    nob = p20[p20["target_title"].isin(heads) & ~p20["cadre_id"].isin(title_of.index) & p20["removed_on"].isna()]
    nob = nob[[not ({pt for pt, pu in planned_posts.get(c, set()) if (pt, pu) != (t, u)} & set(PLAN_BASIS[t]))
               for c, t, u in zip(nob["cadre_id"], nob["target_title"], nob["target_unit_id"], strict=True)]]
    p15 = plan[(plan["term"] == "2015-2020") & (plan["removal_reason"] == "tuoi") & (plan["target_title"] == "bi_thu")
               & plan["cadre_id"].isin(chairs)]
    return dict(
        late_gap=", ".join(late["cadre_id"]), over_age=", ".join(over["cadre_id"]),
        no_basis=", ".join(nob["cadre_id"]), over_age_2015=", ".join(p15["cadre_id"]),
        late_gap_post=", ".join(late["target_unit_id"]), over_age_post=", ".join(over["target_unit_id"]),
        no_basis_post=", ".join(nob["target_unit_id"]), over_age_2015_post=", ".join(p15["target_unit_id"]),
        n_cadres=str(len(cad)), n_btv=str(len(btv)), n_xs=str(xs), pct_xs=f"{100 * xs / len(btv):.1f}",
        n_capped=str(capped),
        four=str(per[per >= 4].index[0]),
        old=str(holder[PLANTED_DOC["too_old_post"]]),
        aged=str(holder[PLANTED_DOC["removed_for_age_post"]]),
        disc=str(holder[PLANTED_DOC["disciplined_planned_post"]]),
        drem=str(holder[PLANTED_DOC["disciplined_removed_post"]]),
        n_disc=str(len(disc)),
        bt_ht=str(holder["XA_HUNG_TIEN-BI_THU-1"]), kt_ht=str(holder["XA_HUNG_TIEN-CHU_NHIEM_UBKT-1"]),
        tp_tn=str(holder["PHONG_TAI_NGUYEN_MOI_TRUONG-TRUONG_PHONG-1"]),
        pp_tn=str(holder["PHONG_TAI_NGUYEN_MOI_TRUONG-PHO_TRUONG_PHONG-1"]),
        tp_kt=str(holder["PHONG_KINH_TE_HA_TANG-TRUONG_PHONG-1"]),
        kt_kt=str(holder["PHONG_KINH_TE_HA_TANG-KE_TOAN-1"]),
        tp_vh=str(holder["PHONG_VAN_HOA_THONG_TIN-TRUONG_PHONG-1"]),
        pp_vh=str(holder["PHONG_VAN_HOA_THONG_TIN-PHO_TRUONG_PHONG-1"]),
        wife=str(rel.loc[(rel["cadre_id"] == holder["PHONG_VAN_HOA_THONG_TIN-PHO_TRUONG_PHONG-1"])
                         & (rel["relation"] == "vo_chong"), "relative_id"].iloc[0]),
        kt_chu_tich=str(holder["XA_KIM_TAN-CHU_TICH_UBND-1"]),
        n_ku_overdue=str(int((~btv["cadre_id"].isin(ku[ku["year"] >= 2018]["cadre_id"])).sum())),
    )


_COMMUNE_IDS = tuple(commune_id(n, k) for n, k, *_ in COMMUNES_2016) + ("XA_XUAN_CHINH",)

_README_INTRO = """\
# Bộ dữ liệu mẫu Kim Sơn (`data/kimson/`)

Bộ dữ liệu **giả lập** dùng để chạy thử các sổ tay (notebook) và lệnh `kimson-ds`:
người là giả, địa giới là thật. Bộ dữ liệu được sinh bởi
`python data/generate_kimson.py` (gọi `kimson_ds.sample.generator.generate`, hạt giống
ngẫu nhiên cố định 2016): chạy lại cho ra các tệp giống hệt từng byte. Không sửa
tay các tệp CSV và tệp README này; hãy sửa bộ sinh rồi chạy lại.

*Synthetic sample: fake people, real geography. Regenerate with
`python data/generate_kimson.py`; do not edit the files by hand.*

## Thời điểm dữ liệu

Hồ sơ **tính đến ngày 31-12-2019**: ai đang giữ chức danh nào, trình độ, quy hoạch
nhiệm kỳ 2015–2020 và 2020–2025, xếp loại 2015–2019, đào tạo, luân chuyển, kỷ luật
và quan hệ gia đình đã biết vào ngày đó. Các thay đổi sau đó chỉ có ở dạng **đơn vị
có thời hạn hiệu lực** (`valid_from`, `valid_to`, `successor_unit_id`), với các
chức danh chủ chốt để trống để chạy kịch bản kiện toàn sau sáp nhập.

## Đơn vị

- 27 xã, thị trấn năm 2016 (tên, loại, diện tích, dân số 2016 theo
  `kimson-units-2016.csv`), mã dạng `TT_PHAT_DIEM`, `XA_XUAN_THIEN` (không dấu,
  chữ hoa). `distance_km` là **khoảng cách đường bộ ước lượng** đến Phát Diệm, không
  phải số đo chính thức.
- Từ 01-01-2020: Xuân Thiện và Chính Tâm nhập thành **Xuân Chính** (`XA_XUAN_CHINH`,
  diện tích và dân số là tổng); Yên Mật được chia (thôn 1–3 về Kim Chính, thôn 4–5
  về Như Hòa), bảng chỉ ghi một đơn vị kế thừa là `XA_KIM_CHINH`; diện tích, dân số
  của Kim Chính và Như Hòa vẫn là số liệu 2016. Từ 2020 còn 25 đơn vị.
- Từ 01-7-2025 cấp huyện không còn; vùng Kim Sơn thành 8 xã `XA2025_*`. Thành phần
  của xã Chất Bình theo nghị quyết; bảy xã còn lại là **GIẢ ĐỊNH** (dùng lại trong
  kịch bản qua `kimson_ds.sample.generator.MERGER_2025`). Diện tích, dân số là tổng số liệu
  2016 của các đơn vị hợp thành (Yên Mật tính vào xã có Kim Chính).

| Mã xã mới | Tên | Hình thành từ (giả định, trừ Chất Bình) |
|---|---|---|
{merger}

- Cơ quan cấp huyện (hết hiệu lực 30-6-2025): `HU` (Huyện ủy), `UBND_HUYEN`; các cơ
  quan Đảng `HU_*` có `parent_unit_id = HU`; 12 phòng, ban chuyên môn có
  `parent_unit_id = UBND_HUYEN`; 6 tổ chức Mặt trận, đoàn thể và các xã, thị trấn để
  trống `parent_unit_id`.

## Cán bộ, chức danh

- Mã chức danh dạng `<mã đơn vị>-<CHỨC DANH>-<số thứ tự>`, ví dụ `XA_KIM_HAI-BI_THU-1`;
  mã cán bộ `CB0001`… Một người có thể giữ nhiều chức danh (bí thư kiêm chủ tịch HĐND,
  phó bí thư kiêm chủ tịch UBND, trưởng phòng kiêm bí thư chi bộ).
- {n_cadres} cán bộ; họ tên ghép ngẫu nhiên từ họ, tên đệm, tên phổ biến — mọi trùng
  hợp với người thật là ngẫu nhiên.
- **Diện BTV Huyện ủy quản lý** (`managed_by_btv`): bí thư, phó bí thư, chủ tịch
  UBND, chủ tịch HĐND xã, thị trấn và cấp trưởng, cấp phó các phòng, ban, ngành,
  đoàn thể huyện — {n_btv} người. Bí thư, phó bí thư Huyện ủy, chủ tịch, phó chủ tịch
  UBND huyện thuộc diện Tỉnh ủy quản lý (`false`) và không có bản ghi xếp loại.
- Chức danh chủ chốt (`is_key`): bí thư, phó bí thư, chủ tịch UBND, chủ tịch HĐND
  (xã và huyện) và người đứng đầu các phòng, ban, ngành, đoàn thể huyện.
- Các chức danh chủ chốt của Xuân Chính (từ 2020) và của 8 xã năm 2025 đều trống.
- Đợt luân chuyển 2016–2017 (Kế hoạch 57-KH/HU): 6 cán bộ huyện về xã, 2 làm bí thư
  (`XA_KIM_DONG`, `XA_YEN_LOC`), 4 làm phó bí thư (`XA_KIM_MY`, `XA_VAN_HAI`,
  `XA_DONG_HUONG`, `XA_QUANG_THIEN`); thời hạn 3 năm (hai người bắt đầu tháng
  12-2016 đã hết hạn dự kiến trước ngày chốt số liệu nhưng vẫn giữ chức, chờ bố trí).

## Xếp loại

- Năm 2018 theo cách làm của Kim Sơn: xếp theo điểm (ngưỡng 90/70/50, giả định) rồi
  không cao hơn xếp loại năm 2017 của tổ chức gắn với chức danh (bí thư xã → TCCSĐ;
  chủ tịch UBND xã → chính quyền; trưởng phòng, ban, đoàn thể → cơ quan; bí thư chi
  bộ, kể cả trưởng phòng kiêm bí thư chi bộ → TCCSĐ). Kết quả: **{n_xs}/{n_btv} =
  {pct_xs}%** cán bộ diện BTV quản lý hoàn thành xuất sắc; {n_capped} người đủ điểm
  xuất sắc nhưng bị giới hạn bởi xếp loại tổ chức.
- Cố ý **thiếu** xếp loại chính quyền năm 2017 của Kim Tân (`XA_KIM_TAN`,
  `chinh_quyen`): chủ tịch UBND Kim Tân ({kt_chu_tich}) được xếp theo điểm năm 2018;
  công cụ phải báo "chưa có xếp loại tổ chức".
- Năm 2015–2017 và 2019: điểm không vượt mức của tổ chức gắn với chức danh (cùng năm
  và năm trước), nên giới hạn không làm đổi kết quả; năm 2019 số xuất sắc không quá
  20% số hoàn thành tốt trong từng nhóm chức danh tương đương (Hướng dẫn 21-HD/BTCTW).

## Các trường hợp cài sẵn để minh họa, kiểm thử

Quy hoạch nhiệm kỳ 2020–2025 (danh sách đang hiệu lực):

- một chức danh chỉ có 1 người: chủ tịch HĐND Kim Trung (`XA_KIM_TRUNG`);
- một người trong 4 chức danh: {four};
- người không đủ tuổi công tác trọn nhiệm kỳ: {old} (sinh 1961, quy hoạch bí thư
  Cồn Thoi); {aged} (sinh 1962) đã được đưa ra đúng quy định (`tuoi`, 20-12-2018);
- người đang bị kỷ luật (khiển trách 14-6-2019) vẫn trong quy hoạch: {disc};
  {drem} bị cảnh cáo 12-3-2018 và đã được đưa ra (`ky_luat`);
- chưa đạt tiêu chuẩn, không kịp bù bằng đào tạo trước khi nhiệm kỳ bắt đầu
  (01-7-2020): {late_gap} (phó, được bổ sung quy hoạch người đứng đầu `{late_gap_post}`
  ngày 20-12-2018, trung cấp lý luận chính trị, chưa có chuyên viên chính); {over_age}
  (chủ tịch UBND, trên 45 tuổi, quy hoạch bí thư `{over_age_post}` — quá tuổi giữ chức
  lần đầu);
- thiếu cơ sở quy hoạch cấp dưới: {four} (phó ban Tổ chức, quy hoạch trưởng phòng Nội
  vụ) và {no_basis} (chuyên viên quy hoạch thẳng người đứng đầu `{no_basis_post}`, không
  qua quy hoạch cấp phó).

Ngoài các trường hợp trên, danh sách được sinh theo đúng quy định (kiểm tra bằng
`kimson-ds plan data/kimson --scenario data/scenarios/quy-hoach-2020-2025.yaml`): người
được quy hoạch đủ tuổi công tác trọn nhiệm kỳ, đạt tiêu chuẩn hoặc bù được bằng đào
tạo trước khi nhiệm kỳ bắt đầu, người đứng đầu phòng, ban, đoàn thể huyện được chọn
từ cấp phó hoặc người đã được quy hoạch cấp phó (có danh sách quy hoạch cấp phó
phòng, ban, đoàn thể huyện). Nhiệm kỳ 2015–2020 có một trường hợp: {over_age_2015}
(chủ tịch UBND trên 45 tuổi quy hoạch bí thư `{over_age_2015_post}` năm 2014), được
đưa ra khi rà soát ngày 15-12-2017 (`tuoi`).

Quan hệ gia đình (Quy định 205-QĐ/TW, Luật PCTN 2018 Điều 20):

- bí thư {bt_ht} và chủ nhiệm UBKT {kt_ht} của Hùng Tiến là anh chị em ruột;
- trưởng phòng {tp_tn} và phó trưởng phòng {pp_tn} phòng Tài nguyên và Môi trường là vợ
  chồng (ghi một lần);
- kế toán {kt_kt} có cha là trưởng phòng Kinh tế và Hạ tầng {tp_kt};
- phó trưởng phòng Văn hóa và Thông tin {pp_vh} có vợ {wife}, mà cha của vợ là trưởng
  phòng {tp_vh} (quan hệ suy ra: cha mẹ vợ);
- các quan hệ còn lại không vi phạm (khác đơn vị).

Kỷ luật: {n_disc} quyết định (khiển trách, cảnh cáo) 2016–2019, thời hạn một năm.
Đào tạo: một số người học chưa đủ chuẩn (bí thư Kim Trung sơ cấp lý luận chính trị,
đang học trung cấp năm 2019; …); {n_ku_overdue} cán bộ diện BTV không dự lớp cập nhật
kiến thức năm 2018 và 2019 (quá hạn).

## Khóa học (GIẢ ĐỊNH)

Độ dài, chỉ tiêu và kinh phí là số liệu giả định hợp lý, không phải số chính thức.

| Mã | Khóa học | Tháng | Chỉ tiêu/năm | Kinh phí (triệu đồng/người) |
|---|---|---|---|---|
{courses}

## Số dòng của từng bảng

| Bảng | Số dòng |
|---|---|
{counts}
"""
