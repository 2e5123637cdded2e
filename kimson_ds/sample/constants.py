"""Fixed facts and assumptions of the synthetic sample: geography, posts, profiles, planted cases."""

from __future__ import annotations

from datetime import date

from kimson_ds.rules.parameters import get_param

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

#: First year whose organisation ratings use the four-level scale of Hướng dẫn
#: 16-HD/BTCTW (24-9-2018); earlier years are written on the old scale (review E5).
ORG_NEW_SCALE_FROM_YEAR = 2018

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
#: Standards of 2015–2020 (mirror of params/standards: QĐ 04/2004/QĐ-BNV for
#: commune posts, the district-head and district-leader ASSUMPTIONs).
#: ``slates_district`` is the sample committee's own bar when it drew the
#: district slates in 2014 and 2017 (cao cấp LLCT, chuyên viên chính for every
#: district post, stricter than the department-head standard): a choice of
#: the synthetic history, so the slates stay those of the published sample.
PLAN_STANDARDS: dict[str, dict[str, str]] = {
    "district_head": {"education": "dai_hoc", "political_theory": "trung_cap", "state_mgmt": "chuyen_vien"},
    "district_leader": {"education": "dai_hoc", "political_theory": "cao_cap", "state_mgmt": "chuyen_vien_chinh"},
    "slates_district": {"education": "dai_hoc", "political_theory": "cao_cap", "state_mgmt": "chuyen_vien_chinh"},
    "bi_thu": {"education": "trung_cap", "political_theory": "trung_cap", "state_mgmt": "chuyen_vien"},
    "chu_tich_ubnd": {"education": "trung_cap", "political_theory": "trung_cap"},
}
#: District titles under the district-head standards (params/standards/district_head_scope.yaml).
PLAN_DISTRICT_HEAD_SCOPE = ("truong_phong", "truong_ban", "truong_doan_the", "chu_tich_mttq", "chu_nhiem_ubkt")
#: District titles under the district-leader standards (params/standards/district_leader_scope.yaml).
PLAN_DISTRICT_LEADER_SCOPE = ("bi_thu", "pho_bi_thu", "chu_tich_ubnd", "pho_chu_tich_ubnd", "chu_tich_hdnd",
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
