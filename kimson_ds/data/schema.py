"""The data contract: tables, columns, types, codes and Vietnamese headers.

This module is the single source of truth for what a dataset holds. The
loader, the validator, the Excel template and the data dictionary in
``data/README.md`` are all generated from :data:`TABLES`.

Column kinds
------------
``id``      non-empty text identifier (ASCII recommended)
``text``    free text (normalised to Unicode NFC)
``int``     whole number
``float``   decimal number written with a dot (``5.92``)
``date``    ISO ``yyyy-mm-dd``, ``dd/mm/yyyy`` or a real Excel date
``bool``    ``true``/``false``, ``1``/``0``, ``có``/``không``, ``x``/empty
``code``    one code of :data:`kimson_ds.data.codes.CODESETS` (or its label)
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    """One column of a table in the data contract."""

    name: str
    kind: str
    header_vi: str
    description: str
    required: bool = True
    codeset: str | None = None
    references: str | None = None  # "table.column"
    unit: str = ""
    min_value: float | None = None
    #: Every number column has a plausible upper bound (a typo such as 1e19 is an error).
    max_value: float | None = None
    #: Event dates must not lie after the validation date.
    not_future: bool = False


@dataclass(frozen=True)
class Table:
    """One table of the data contract."""

    name: str
    title_vi: str
    description: str
    columns: tuple[Column, ...]
    required: bool = False
    key: tuple[str, ...] = field(default_factory=tuple)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


C = Column

TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        Table(
            "units",
            "Đơn vị",
            "Xã, thị trấn, phòng ban, cơ quan Đảng, đoàn thể và cơ quan lãnh đạo cấp huyện.",
            (
                C("unit_id", "id", "Mã đơn vị", "Mã duy nhất của đơn vị"),
                C("name", "text", "Tên đơn vị", "Tên tiếng Việt có dấu"),
                C("kind", "code", "Loại đơn vị", "Loại đơn vị", codeset="unit_kind"),
                C("function", "code", "Chức năng", "Lĩnh vực, chức năng của đơn vị", required=False, codeset="unit_function"),
                C("parent_unit_id", "id", "Mã đơn vị cấp trên", "Cấp ủy, địa phương mà đơn vị trực thuộc (trống nếu là cấp huyện)", required=False, references="units.unit_id"),
                C("area_km2", "float", "Diện tích (km²)", "Diện tích tự nhiên", required=False, unit="km²", min_value=0, max_value=10_000),
                C("population", "int", "Dân số", "Dân số", required=False, unit="người", min_value=0, max_value=10_000_000),
                C("distance_km", "float", "Khoảng cách đến trung tâm huyện (km)", "Khoảng cách từ trung tâm huyện (Phát Diệm)", required=False, unit="km", min_value=0, max_value=2_000),
                C("valid_from", "date", "Hiệu lực từ ngày", "Ngày đơn vị bắt đầu tồn tại", required=False),
                C("valid_to", "date", "Hiệu lực đến ngày", "Ngày cuối cùng đơn vị tồn tại (trống nếu còn)", required=False),
                C("successor_unit_id", "id", "Mã đơn vị kế thừa", "Đơn vị mới sau sáp nhập", required=False, references="units.unit_id"),
            ),
            required=True,
            key=("unit_id",),
        ),
        Table(
            "positions",
            "Chức danh",
            "Các vị trí chức danh; một cán bộ có thể giữ nhiều chức danh (kiêm nhiệm).",
            (
                C("position_id", "id", "Mã chức danh", "Mã duy nhất của vị trí"),
                C("unit_id", "id", "Mã đơn vị", "Đơn vị của vị trí", references="units.unit_id"),
                C("title", "code", "Chức danh", "Mã chức danh theo bảng thuật ngữ", codeset="title"),
                C("is_key", "bool", "Chủ chốt", "Là chức danh chủ chốt"),
                C("holder_id", "id", "Mã cán bộ đang giữ", "Trống nếu vị trí đang khuyết", required=False, references="cadres.cadre_id"),
                C("holder_since", "date", "Giữ chức từ ngày", "Ngày người hiện tại bắt đầu giữ chức", required=False, not_future=True),
                C("open_for_rotation", "bool", "Dự kiến luân chuyển", "Vị trí được đưa vào kế hoạch luân chuyển", required=False),
            ),
            required=True,
            key=("position_id",),
        ),
        Table(
            "cadres",
            "Cán bộ",
            "Hồ sơ cán bộ (người giả lập trong bộ dữ liệu mẫu).",
            (
                C("cadre_id", "id", "Mã cán bộ", "Mã duy nhất của cán bộ"),
                C("full_name", "text", "Họ và tên", "Họ và tên, có dấu"),
                C("gender", "code", "Giới tính", "Giới tính", codeset="gender"),
                C("birth_date", "date", "Ngày sinh", "Ngày sinh", not_future=True),
                C("ethnicity", "text", "Dân tộc", "Dân tộc (Kinh, Mường, …)", required=False),
                C("home_unit_id", "id", "Mã đơn vị quê quán", "Xã, thị trấn quê quán", required=False, references="units.unit_id"),
                C("unit_id", "id", "Mã đơn vị công tác", "Đơn vị công tác hiện nay", references="units.unit_id"),
                C("party_join_date", "date", "Ngày vào Đảng", "Ngày vào Đảng", required=False, not_future=True),
                C("work_start_date", "date", "Ngày bắt đầu công tác", "Ngày bắt đầu công tác", required=False, not_future=True),
                C("education", "code", "Trình độ chuyên môn", "Trình độ chuyên môn cao nhất", required=False, codeset="education"),
                C("political_theory", "code", "Lý luận chính trị", "Trình độ lý luận chính trị", required=False, codeset="political_theory"),
                C("state_mgmt", "code", "Quản lý nhà nước", "Ngạch bồi dưỡng quản lý nhà nước", required=False, codeset="state_mgmt"),
                C("managed_by_btv", "bool", "Diện BTV quản lý", "Thuộc diện Ban Thường vụ Huyện ủy quản lý"),
            ),
            required=True,
            key=("cadre_id",),
        ),
        Table(
            "ratings",
            "Xếp loại cán bộ",
            "Kết quả đánh giá, xếp loại cán bộ hằng năm.",
            (
                C("cadre_id", "id", "Mã cán bộ", "Cán bộ được đánh giá", references="cadres.cadre_id"),
                C("year", "int", "Năm", "Năm đánh giá", min_value=1990, max_value=2100),
                C("score", "float", "Điểm", "Tổng điểm (0–100)", required=False, unit="điểm", min_value=0, max_value=100),
                C("tasks_exceeded_pct", "float", "Tỷ lệ nhiệm vụ vượt (%)", "Tỷ lệ chỉ tiêu, nhiệm vụ hoàn thành vượt mức", required=False, unit="%", min_value=0, max_value=100),
                C("level", "code", "Mức xếp loại", "Trống thì được tính", required=False, codeset="rating_level"),
                C("position_id", "id", "Mã chức danh khi đánh giá", "Vị trí giữ trong năm đánh giá (trống: dùng chức danh hiện tại)", required=False, references="positions.position_id"),
            ),
            key=("cadre_id", "year"),
        ),
        Table(
            "org_ratings",
            "Xếp loại tổ chức",
            "Xếp loại tổ chức cơ sở đảng, chính quyền, cơ quan.",
            (
                C("unit_id", "id", "Mã đơn vị", "Đơn vị được xếp loại", references="units.unit_id"),
                C("year", "int", "Năm", "Năm xếp loại", min_value=1990, max_value=2100),
                C("scheme", "code", "Hình thức xếp loại", "Loại xếp loại tổ chức", codeset="org_scheme"),
                C("level", "code", "Mức xếp loại", "Mức xếp loại (thang mới, hoặc thang cũ trước năm 2018)",
                  codeset="org_level"),
            ),
            key=("unit_id", "year", "scheme"),
        ),
        Table(
            "planning",
            "Quy hoạch",
            "Danh sách quy hoạch cán bộ theo nhiệm kỳ.",
            (
                C("cadre_id", "id", "Mã cán bộ", "Cán bộ trong quy hoạch", references="cadres.cadre_id"),
                C("target_title", "code", "Chức danh quy hoạch", "Chức danh được quy hoạch", codeset="title"),
                C("target_unit_id", "id", "Mã đơn vị quy hoạch", "Đơn vị của chức danh quy hoạch", references="units.unit_id"),
                C("term", "text", "Nhiệm kỳ", "Nhiệm kỳ, ví dụ 2020-2025"),
                C("added_on", "date", "Ngày đưa vào", "Ngày phê duyệt đưa vào quy hoạch", required=False, not_future=True),
                C("removed_on", "date", "Ngày đưa ra", "Ngày đưa ra khỏi quy hoạch (trống nếu còn)", required=False, not_future=True),
                C("removal_reason", "code", "Lý do đưa ra", "Lý do đưa ra khỏi quy hoạch", required=False, codeset="removal_reason"),
            ),
            key=("cadre_id", "target_title", "target_unit_id", "term"),
        ),
        Table(
            "courses",
            "Khóa học",
            "Các khóa đào tạo, bồi dưỡng.",
            (
                C("course_id", "id", "Mã khóa học", "Mã duy nhất của khóa học"),
                C("name", "text", "Tên khóa học", "Tên khóa học"),
                C("field", "code", "Lĩnh vực", "Lĩnh vực đào tạo", codeset="course_field"),
                C("grants_level", "code", "Trình độ đạt được", "Trình độ cấp khi hoàn thành", required=False, codeset="qualification_level"),
                C("months", "float", "Thời gian (tháng)", "Độ dài khóa học", unit="tháng", min_value=0, max_value=120),
                C("seats_per_year", "int", "Chỉ tiêu mỗi năm", "Số chỗ học mỗi năm", unit="người", min_value=0, max_value=100_000),
                C("cost_million_vnd", "float", "Kinh phí (triệu đồng)", "Kinh phí cho một học viên", unit="triệu đồng", min_value=0, max_value=1_000_000),
                C("prerequisite_level", "code", "Trình độ yêu cầu", "Trình độ phải có trước khi học", required=False, codeset="qualification_level"),
            ),
            key=("course_id",),
        ),
        Table(
            "trainings",
            "Quá trình đào tạo",
            "Cán bộ đã học, đang học các khóa.",
            (
                C("cadre_id", "id", "Mã cán bộ", "Học viên", references="cadres.cadre_id"),
                C("course_id", "id", "Mã khóa học", "Khóa học", references="courses.course_id"),
                C("year", "int", "Năm", "Năm học", min_value=1970, max_value=2100),
                C("status", "code", "Tình trạng", "Tình trạng", codeset="training_status"),
                C("days", "float", "Số ngày", "Số ngày học", required=False, unit="ngày", min_value=0, max_value=3_660),
            ),
            key=("cadre_id", "course_id", "year"),
        ),
        Table(
            "relatives",
            "Quan hệ gia đình",
            "Quan hệ gia đình: relative_id là người thân của cadre_id theo quan hệ relation.",
            (
                C("cadre_id", "id", "Mã cán bộ", "Cán bộ", references="cadres.cadre_id"),
                C("relative_id", "id", "Mã người thân", "Người thân (mã cán bộ nếu là cán bộ)"),
                C("relation", "code", "Quan hệ", "Người thân là … của cán bộ", codeset="relation"),
            ),
            key=("cadre_id", "relative_id"),
        ),
        Table(
            "rotations",
            "Luân chuyển",
            "Quá trình luân chuyển cán bộ.",
            (
                C("cadre_id", "id", "Mã cán bộ", "Cán bộ luân chuyển", references="cadres.cadre_id"),
                C("from_unit_id", "id", "Mã đơn vị đi", "Đơn vị trước luân chuyển", references="units.unit_id"),
                C("to_unit_id", "id", "Mã đơn vị đến", "Đơn vị nhận luân chuyển", references="units.unit_id"),
                C("title", "code", "Chức danh luân chuyển", "Chức danh tại nơi đến", codeset="title"),
                C("start_date", "date", "Ngày bắt đầu", "Ngày bắt đầu", not_future=True),
                C("end_date", "date", "Ngày kết thúc", "Ngày kết thúc (dự kiến)", required=False),
            ),
            key=("cadre_id", "start_date"),
        ),
        Table(
            "discipline",
            "Kỷ luật",
            "Các quyết định kỷ luật.",
            (
                C("cadre_id", "id", "Mã cán bộ", "Cán bộ bị kỷ luật", references="cadres.cadre_id"),
                C("form", "code", "Hình thức kỷ luật", "Hình thức kỷ luật", codeset="discipline_form"),
                C("decided_on", "date", "Ngày quyết định", "Ngày quyết định kỷ luật", not_future=True),
                C("expires_on", "date", "Ngày hết hiệu lực", "Ngày hết thời hạn kỷ luật", required=False),
                C("rating_exception", "code", "Ngoại lệ khi xếp loại",
                  "Trường hợp kỷ luật không tính khi xếp loại (nếu có)", codeset="discipline_rating_exception",
                  required=False),
            ),
            key=("cadre_id", "decided_on", "form"),
        ),
        Table(
            "work_history",
            "Quá trình công tác",
            "Mỗi dòng là một lần giữ chức danh (lý lịch mẫu 2C): ai, ở đơn vị nào, chức danh gì, từ ngày, "
            "đến ngày, hình thức và quyết định. Khi có bảng này, người giữ chức danh ở bất kỳ ngày nào được "
            "dựng lại từ lịch sử; không có thì dùng ảnh chụp trong bảng positions.",
            (
                C("cadre_id", "id", "Mã cán bộ", "Cán bộ giữ chức danh", references="cadres.cadre_id"),
                C("unit_id", "id", "Mã đơn vị", "Đơn vị nơi giữ chức danh", references="units.unit_id"),
                C("title", "code", "Chức danh", "Chức danh đã giữ", codeset="title"),
                C("position_id", "id", "Mã vị trí", "Vị trí trong bảng positions (trống nếu không rõ)", required=False, references="positions.position_id"),
                C("start_date", "date", "Từ ngày", "Ngày bắt đầu giữ chức danh (không muộn hơn hôm nay; có thể sau ngày phân tích)"),
                C("end_date", "date", "Đến ngày", "Ngày cuối cùng giữ chức danh (trống nếu đang giữ)", required=False),
                C("filled_by", "code", "Hình thức", "Bầu, bổ nhiệm, chỉ định, luân chuyển, điều động, biệt phái", required=False, codeset="fill_mode"),
                C("decision_no", "text", "Số quyết định", "Số quyết định, nghị quyết (ví dụ 125-QĐ/HU)", required=False),
                C("decision_date", "date", "Ngày quyết định", "Ngày ký quyết định", required=False),
            ),
            key=("cadre_id", "unit_id", "title", "start_date"),
        ),
        Table(
            "unit_successions",
            "Kế thừa đơn vị",
            "Đơn vị cũ chuyển sang đơn vị mới từ một ngày, có thể chia cho nhiều đơn vị kế thừa theo tỷ lệ "
            "(ví dụ Yên Mật năm 2020 chia cho Kim Chính và Như Hòa).",
            (
                C("unit_id", "id", "Mã đơn vị cũ", "Đơn vị hết hiệu lực", references="units.unit_id"),
                C("successor_unit_id", "id", "Mã đơn vị kế thừa", "Đơn vị nhận một phần hay toàn bộ", references="units.unit_id"),
                C("effective_date", "date", "Từ ngày", "Ngày đơn vị kế thừa tiếp nhận"),
                C("share", "float", "Tỷ lệ", "Phần (0–1) dân số, địa bàn chuyển sang đơn vị kế thừa", required=False, min_value=0, max_value=1),
            ),
            key=("unit_id", "successor_unit_id"),
        ),
        Table(
            "procedures",
            "Quy trình nhân sự",
            "Mỗi dòng một quy trình bổ nhiệm hoặc giới thiệu ứng cử một chức danh (Quy định 80-QĐ/TW, 377-QĐ/TW).",
            (
                C("procedure_id", "id", "Mã quy trình", "Mã duy nhất của quy trình"),
                C("title", "code", "Chức danh", "Chức danh cần bổ nhiệm, giới thiệu", codeset="title"),
                C("unit_id", "id", "Mã đơn vị", "Đơn vị của chức danh", references="units.unit_id"),
                C("action", "code", "Hình thức", "Bổ nhiệm hoặc giới thiệu ứng cử", codeset="procedure_action"),
                C("source", "code", "Nguồn nhân sự", "Nguồn tại chỗ (năm bước) hoặc từ nơi khác (hai bước)", codeset="procedure_source"),
                C("started_on", "date", "Ngày bắt đầu", "Ngày hội nghị bước 1", not_future=True),
                C("head_choice_id", "id", "Người đứng đầu lựa chọn", "Cán bộ người đứng đầu chọn khi có số phiếu bằng nhau ở vị trí cuối (nếu có)", required=False, references="cadres.cadre_id"),
                C("note", "text", "Ghi chú", "Ghi chú", required=False),
            ),
            key=("procedure_id",),
        ),
        Table(
            "ballot_rounds",
            "Kiểm phiếu - hội nghị",
            "Mỗi dòng một hội nghị có bỏ phiếu của một quy trình: số người được triệu tập, có mặt, số phiếu phát ra, thu về, hợp lệ.",
            (
                C("procedure_id", "id", "Mã quy trình", "Quy trình", references="procedures.procedure_id"),
                C("step", "int", "Bước", "Số thứ tự bước trong quy trình", min_value=1, max_value=5),
                C("held_on", "date", "Ngày họp", "Ngày hội nghị", not_future=True),
                C("members", "int", "Số người được triệu tập", "Tổng số thành viên của tập thể được triệu tập", min_value=1, max_value=100_000, unit="người"),
                C("present", "int", "Số người có mặt", "Số người có mặt", min_value=0, max_value=100_000, unit="người"),
                C("issued", "int", "Số phiếu phát ra", "Số phiếu phát ra", min_value=0, max_value=100_000, unit="phiếu"),
                C("returned", "int", "Số phiếu thu về", "Số phiếu thu về", min_value=0, max_value=100_000, unit="phiếu"),
                C("valid", "int", "Số phiếu hợp lệ", "Số phiếu hợp lệ", min_value=0, max_value=100_000, unit="phiếu"),
            ),
            key=("procedure_id", "step"),
        ),
        Table(
            "ballot_votes",
            "Kiểm phiếu - số phiếu",
            "Số phiếu giới thiệu (hoặc đồng ý) của từng người ở từng bước.",
            (
                C("procedure_id", "id", "Mã quy trình", "Quy trình", references="procedures.procedure_id"),
                C("step", "int", "Bước", "Số thứ tự bước", min_value=1, max_value=5),
                C("cadre_id", "id", "Mã cán bộ", "Người được giới thiệu", references="cadres.cadre_id"),
                C("votes", "int", "Số phiếu", "Số phiếu giới thiệu hoặc đồng ý", min_value=0, max_value=100_000, unit="phiếu"),
            ),
            key=("procedure_id", "step", "cadre_id"),
        ),
        Table(
            "confidence_votes",
            "Lấy phiếu tín nhiệm",
            "Kết quả lấy phiếu tín nhiệm đối với người giữ chức vụ (Quy định 262-QĐ/TW, 96-QĐ/TW).",
            (
                C("cadre_id", "id", "Mã cán bộ", "Người được lấy phiếu", references="cadres.cadre_id"),
                C("held_on", "date", "Ngày lấy phiếu", "Ngày hội nghị lấy phiếu", not_future=True),
                C("title", "code", "Chức danh", "Chức vụ được lấy phiếu", codeset="title"),
                C("unit_id", "id", "Mã đơn vị", "Đơn vị của chức vụ", required=False, references="units.unit_id"),
                C("members", "int", "Số người được triệu tập", "Số người được triệu tập tham gia lấy phiếu", min_value=1, max_value=100_000, unit="người"),
                C("present", "int", "Số người có mặt", "Số người có mặt", min_value=0, max_value=100_000, unit="người"),
                C("valid", "int", "Số phiếu hợp lệ", "Số phiếu hợp lệ", min_value=0, max_value=100_000, unit="phiếu"),
                C("high", "int", "Tín nhiệm cao", "Số phiếu tín nhiệm cao", min_value=0, max_value=100_000, unit="phiếu"),
                C("medium", "int", "Tín nhiệm", "Số phiếu tín nhiệm", min_value=0, max_value=100_000, unit="phiếu"),
                C("low", "int", "Tín nhiệm thấp", "Số phiếu tín nhiệm thấp", min_value=0, max_value=100_000, unit="phiếu"),
            ),
            key=("cadre_id", "held_on", "title"),
        ),
    ]
}

REQUIRED_TABLES = tuple(n for n, t in TABLES.items() if t.required)
OPTIONAL_TABLES = tuple(n for n, t in TABLES.items() if not t.required)
