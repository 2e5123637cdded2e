"""Category codes and their Vietnamese labels (the project's glossary in code).

Every code column of the data contract takes one of the codes below. Users may
type either the code (``xuat_sac``) or its full Vietnamese label
("Hoàn thành xuất sắc nhiệm vụ"); :func:`code_lookup` maps both to the code.
Codes are ASCII Vietnamese without diacritics; labels are what users read.
"""

from __future__ import annotations

import unicodedata

UNIT_KIND = {
    "xa": "Xã",
    "thi_tran": "Thị trấn",
    "phong_ban": "Phòng, ban chuyên môn",
    "co_quan_dang": "Cơ quan Đảng",
    "doan_the": "Mặt trận, đoàn thể",
    "chinh_quyen_huyen": "Cơ quan lãnh đạo cấp huyện",
}

#: Kinds of unit that are commune-level localities.
COMMUNE_KINDS = ("xa", "thi_tran")

UNIT_FUNCTION = {
    "dang_uy": "Cấp ủy đảng",
    "chinh_quyen": "Chính quyền (HĐND, UBND)",
    "to_chuc": "Ban Tổ chức",
    "kiem_tra": "Ủy ban Kiểm tra",
    "tuyen_giao": "Ban Tuyên giáo",
    "dan_van": "Ban Dân vận",
    "van_phong": "Văn phòng",
    "chinh_tri": "Trung tâm Chính trị",
    "noi_vu": "Nội vụ",
    "tu_phap": "Tư pháp",
    "tai_chinh": "Tài chính – Kế hoạch",
    "tai_nguyen": "Tài nguyên và Môi trường",
    "lao_dong": "Lao động – Thương binh và Xã hội",
    "van_hoa": "Văn hóa và Thông tin",
    "giao_duc": "Giáo dục và Đào tạo",
    "y_te": "Y tế",
    "thanh_tra": "Thanh tra",
    "nong_nghiep": "Nông nghiệp và PTNT",
    "kinh_te_ha_tang": "Kinh tế và Hạ tầng",
    "mat_tran": "Mặt trận Tổ quốc",
    "doan_thanh_nien": "Đoàn Thanh niên",
    "phu_nu": "Hội Liên hiệp Phụ nữ",
    "nong_dan": "Hội Nông dân",
    "cuu_chien_binh": "Hội Cựu chiến binh",
    "cong_doan": "Liên đoàn Lao động",
    "dia_phuong": "Địa phương (xã, thị trấn)",
}

TITLE = {
    "bi_thu": "Bí thư",
    "pho_bi_thu": "Phó Bí thư",
    "chu_tich_ubnd": "Chủ tịch UBND",
    "pho_chu_tich_ubnd": "Phó Chủ tịch UBND",
    "chu_tich_hdnd": "Chủ tịch HĐND",
    "pho_chu_tich_hdnd": "Phó Chủ tịch HĐND",
    "chu_tich_mttq": "Chủ tịch Ủy ban MTTQ",
    "chu_nhiem_ubkt": "Chủ nhiệm Ủy ban Kiểm tra",
    "truong_ban": "Trưởng ban",
    "pho_truong_ban": "Phó Trưởng ban",
    "truong_phong": "Trưởng phòng",
    "pho_truong_phong": "Phó Trưởng phòng",
    "truong_doan_the": "Người đứng đầu đoàn thể",
    "pho_doan_the": "Cấp phó đoàn thể",
    "bi_thu_chi_bo": "Bí thư chi bộ",
    "can_bo_to_chuc": "Cán bộ phụ trách tổ chức, nhân sự",
    "ke_toan": "Kế toán",
    "thu_quy": "Thủ quỹ",
    "thu_kho": "Thủ kho",
    "chuyen_vien": "Chuyên viên",
    "cong_chuc_xa": "Công chức xã",
}

#: Head titles: one holder per unit (a second held post of the same head title is a contradiction).
SINGLE_HOLDER_TITLES = ("bi_thu", "chu_tich_ubnd", "chu_tich_hdnd", "chu_tich_mttq", "chu_nhiem_ubkt",
                        "truong_ban", "truong_phong", "truong_doan_the", "bi_thu_chi_bo")

GENDER = {"nam": "Nam", "nu": "Nữ"}

RATING_LEVEL = {
    "xuat_sac": "Hoàn thành xuất sắc nhiệm vụ",
    "tot": "Hoàn thành tốt nhiệm vụ",
    "hoan_thanh": "Hoàn thành nhiệm vụ",
    "khong_hoan_thanh": "Không hoàn thành nhiệm vụ",
}

#: Rating levels from best to worst; the index is the rank (0 = best).
RATING_ORDER = ("xuat_sac", "tot", "hoan_thanh", "khong_hoan_thanh")

#: Organisation rating levels of the scale used before 2018 (Hướng dẫn 16-HD/BTCTW introduced
#: the four levels of RATING_LEVEL); translated by the parameter ``rating.org_scale_crosswalk``.
ORG_LEVEL_OLD_SCALE = {
    "trong_sach_vung_manh": "Trong sạch, vững mạnh",
    "hoan_thanh_tot_cu": "Hoàn thành tốt nhiệm vụ (thang cũ)",
    "hoan_thanh_cu": "Hoàn thành nhiệm vụ (thang cũ)",
    "yeu_kem": "Yếu kém",
}

#: Organisation rating levels accepted in org_ratings: the current four and the old scale.
ORG_LEVEL = {**RATING_LEVEL, **ORG_LEVEL_OLD_SCALE}

#: Cases in which a discipline decision of the rated year does not make the rating
#: "không hoàn thành nhiệm vụ" (recorded by the user; in force per ``rating.discipline_exceptions``).
DISCIPLINE_RATING_EXCEPTION = {
    "da_tinh_mot_lan": "vi phạm đã được tính khi xếp loại một năm khác (một vi phạm chỉ tính một lần)",
    "mot_nam_dang_chinh_quyen": (
        "kỷ luật đảng và kỷ luật hành chính cho cùng một vi phạm ở hai năm khác nhau, chỉ tính ở một năm"),
    "tu_phat_hien_khac_phuc": "tự phát hiện và đã khắc phục xong hậu quả",
}

ORG_SCHEME = {
    "tccsd": "Tổ chức cơ sở đảng",
    "chinh_quyen": "Chính quyền xã, thị trấn",
    "co_quan": "Cơ quan, đơn vị cấp huyện",
}

COURSE_FIELD = {
    "political_theory": "Lý luận chính trị",
    "education": "Chuyên môn",
    "state_mgmt": "Quản lý nhà nước",
    "knowledge_update": "Cập nhật kiến thức",
}

POLITICAL_THEORY = {
    "chua_co": "Chưa qua đào tạo",
    "so_cap": "Sơ cấp",
    "trung_cap": "Trung cấp",
    "cao_cap": "Cao cấp",
    "cu_nhan": "Cử nhân",
}

EDUCATION = {
    "chua_co": "Chưa qua đào tạo",
    "trung_cap": "Trung cấp",
    "cao_dang": "Cao đẳng",
    "dai_hoc": "Đại học",
    "thac_si": "Thạc sĩ",
    "tien_si": "Tiến sĩ",
}

STATE_MGMT = {
    "chua_co": "Chưa qua bồi dưỡng",
    "chuyen_vien": "Chuyên viên",
    "chuyen_vien_chinh": "Chuyên viên chính",
    "chuyen_vien_cao_cap": "Chuyên viên cao cấp",
}

#: Ordered ladders (lowest first) of each qualification field.
LADDERS = {
    "political_theory": ("chua_co", "so_cap", "trung_cap", "cao_cap", "cu_nhan"),
    "education": ("chua_co", "trung_cap", "cao_dang", "dai_hoc", "thac_si", "tien_si"),
    "state_mgmt": ("chua_co", "chuyen_vien", "chuyen_vien_chinh", "chuyen_vien_cao_cap"),
}

#: Every level a course may grant or require (the union of the ladders,
#: plus ``co`` for a knowledge-update course that grants no level).
QUALIFICATION_LEVEL = {
    **{k: v for k, v in POLITICAL_THEORY.items()},
    **{k: v for k, v in EDUCATION.items() if k not in POLITICAL_THEORY},
    **{k: v for k, v in STATE_MGMT.items() if k != "chua_co"},
    "co": "Có chứng nhận",
}

TRAINING_STATUS = {"completed": "Đã hoàn thành", "enrolled": "Đang học"}

RELATION = {
    "vo_chong": "Vợ, chồng",
    "cha_me": "Cha, mẹ",
    "con": "Con",
    "anh_chi_em": "Anh, chị, em ruột",
}

#: The relation seen from the other side: if B is A's ``cha_me`` then A is B's ``con``.
RELATION_INVERSE = {"cha_me": "con", "con": "cha_me", "vo_chong": "vo_chong", "anh_chi_em": "anh_chi_em"}

DISCIPLINE_FORM = {
    "khien_trach": "Khiển trách",
    "canh_cao": "Cảnh cáo",
    "giang_chuc": "Giáng chức",
    "cach_chuc": "Cách chức",
    "buoc_thoi_viec": "Buộc thôi việc",
    "khai_tru": "Khai trừ",
}

#: Discipline forms from lightest to heaviest.
DISCIPLINE_ORDER = tuple(DISCIPLINE_FORM)

REMOVAL_REASON = {
    "tuoi": "Quá tuổi quy hoạch",
    "ky_luat": "Bị kỷ luật",
    "tieu_chuan": "Không còn đủ tiêu chuẩn",
    "xep_loai": "Không hoàn thành nhiệm vụ / xếp loại thấp",
    "bo_nhiem": "Đã được bổ nhiệm, bầu giữ chức vụ",
    "chuyen_cong_tac": "Chuyển công tác",
    "khac": "Lý do khác",
}

#: How a holding in the work history was filled (quá trình công tác).
FILL_MODE = {
    "bau": "Bầu",
    "bo_nhiem": "Bổ nhiệm",
    "chi_dinh": "Chỉ định",
    "luan_chuyen": "Luân chuyển",
    "dieu_dong": "Điều động",
    "biet_phai": "Biệt phái",
}

#: Who decides a post (phân cấp quản lý cán bộ); see ``management.competence``.
MANAGING_BODY = {
    "btv_huyen_uy": "Ban Thường vụ Huyện ủy",
    "btv_tinh_uy": "Ban Thường vụ Tỉnh ủy",
    "co_quan": "Cơ quan, đơn vị sử dụng (không thuộc diện cấp ủy quản lý)",
}

#: How a post is filled.
FILLING_MODE = {
    "bo_nhiem": "Bổ nhiệm",
    "bau": "Bầu (giới thiệu ứng cử)",
    "chi_dinh": "Chỉ định",
    "hiep_thuong": "Hiệp thương, bầu",
}

#: Appointment and nomination procedures (quy trình bổ nhiệm, giới thiệu ứng cử).
PROCEDURE_ACTION = {"bo_nhiem": "Bổ nhiệm", "gioi_thieu_ung_cu": "Giới thiệu ứng cử"}
PROCEDURE_SOURCE = {"tai_cho": "Nguồn nhân sự tại chỗ", "ben_ngoai": "Nguồn nhân sự từ nơi khác"}
COLLECTIVE = {
    "tap_the_lanh_dao": "Tập thể lãnh đạo",
    "hoi_nghi_mo_rong": "Hội nghị tập thể lãnh đạo mở rộng",
    "can_bo_chu_chot": "Hội nghị cán bộ chủ chốt",
}

#: All code sets by name, as referenced by the table schemas.
CODESETS: dict[str, dict[str, str]] = {
    "unit_kind": UNIT_KIND,
    "unit_function": UNIT_FUNCTION,
    "title": TITLE,
    "gender": GENDER,
    "rating_level": RATING_LEVEL,
    "org_scheme": ORG_SCHEME,
    "org_level": ORG_LEVEL,
    "discipline_rating_exception": DISCIPLINE_RATING_EXCEPTION,
    "course_field": COURSE_FIELD,
    "political_theory": POLITICAL_THEORY,
    "education": EDUCATION,
    "state_mgmt": STATE_MGMT,
    "qualification_level": QUALIFICATION_LEVEL,
    "training_status": TRAINING_STATUS,
    "relation": RELATION,
    "discipline_form": DISCIPLINE_FORM,
    "removal_reason": REMOVAL_REASON,
    "managing_body": MANAGING_BODY,
    "filling_mode": FILLING_MODE,
    "procedure_action": PROCEDURE_ACTION,
    "procedure_source": PROCEDURE_SOURCE,
    "collective": COLLECTIVE,
    "fill_mode": FILL_MODE,
}


def _key(text: str) -> str:
    """Normalise a label for lookup: NFC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def code_lookup(codeset: str) -> dict[str, str]:
    """Map every accepted spelling of a code set to its code.

    Parameters
    ----------
    codeset : str
        Name of a code set in :data:`CODESETS`.

    Returns
    -------
    dict
        Keys are normalised spellings (the code itself and its Vietnamese
        label, case-folded, NFC); values are codes.
    """
    table = CODESETS[codeset]
    out = {_key(code): code for code in table}
    out.update({_key(label): code for code, label in table.items()})
    return out


def label(codeset: str, code: str | None) -> str:
    """Return the Vietnamese label of ``code`` (the code itself if unknown)."""
    if code is None or code != code:  # None or NaN
        return ""
    return CODESETS[codeset].get(code, str(code))
