"""The data dictionary and ``data/README.md`` of the sample (generated from the schema and the tables)."""

from __future__ import annotations

import pandas as pd

from kimson_ds.data.codes import CODESETS
from kimson_ds.data.schema import TABLES
from kimson_ds.sample.base import commune_id
from kimson_ds.sample.constants import (
    COMMUNES_2016,
    MERGER_2025,
    PLAN_BASIS,
    PLAN_LATE_ADDED,
    PLAN_TERMS,
    PLANTED_DOC,
)


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
        from kimson_ds.sample.generator import build

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
    late = p20[(p20["added_on"] == pd.Timestamp(PLAN_LATE_ADDED)) & (p20["target_title"] == "chu_tich_ubnd")
               & (p20["target_unit_id"] == "UBND_HUYEN")]
    late = late[cadre.loc[late["cadre_id"], "political_theory"].eq("trung_cap").to_numpy()]
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

## Quá trình công tác (`work_history`, `unit_successions`)

Bảng `work_history` ghi mỗi lần giữ chức danh (đơn vị, chức danh, vị trí, từ ngày, đến
ngày, hình thức bầu / bổ nhiệm / chỉ định / luân chuyển / điều động, số và ngày quyết
định). Mọi phân tích chạy với một ngày (`as_of`) dựng lại đơn vị, người giữ chức danh và
cơ quan quản lý của ngày đó từ bảng này (`kimson_ds.history`). Nội dung, phần lớn là
**GIẢ ĐỊNH**:

- mỗi chức danh của ngày 31-12-2019 được giữ từ `holder_since`; người nhận chức danh
  muộn trong đời công tác có thêm một chức danh cấp phó (hoặc chuyên viên, công chức)
  cùng đơn vị trước đó, từ ngày bắt đầu công tác; số quyết định là số giả;
- đợt luân chuyển 2016–2017: sáu cán bộ giữ chức cấp phó ở đơn vị huyện đến ngày luân
  chuyển, giữ chức ở xã (`luan_chuyen`) đến 30-9-2020, rồi trở về làm cấp phó đơn vị cũ;
- 01-01-2020: người của Xuân Thiện giữ các chức danh chủ chốt của Xuân Chính, bí thư và
  chủ tịch Chính Tâm làm phó; Yên Mật chia 60 % cho Kim Chính, 40 % cho Như Hòa (tỷ lệ
  giả định, bảng `unit_successions`), người của Yên Mật về Kim Chính;
- 01-01-2025: Lưu Phương nhập vào thị trấn Phát Diệm (Nghị quyết 1318/NQ-UBTVQH15), bí
  thư, chủ tịch Lưu Phương làm phó ở Phát Diệm;
- 01-7-2025: 8 xã mới; bí thư (kiêm chủ tịch HĐND) là lãnh đạo, người đứng đầu cơ quan
  huyện, chủ tịch UBND là người đứng đầu cơ quan huyện, phó bí thư thứ hai là bí thư một
  xã cũ; những người còn lại về xã mới của đơn vị cũ, trừ người còn dưới 5 năm công tác
  (nghỉ theo Nghị định 178/2024, giả định); từ ngày này chức danh chủ chốt xã do Ban
  Thường vụ Tỉnh ủy quản lý (`management.competence`);
- quá trình kết thúc khi đến tuổi nghỉ hưu (Nghị định 135/2020); ngoài các thay đổi trên
  không bịa thêm: chức danh của người đã nghỉ để trống đến khi sắp xếp năm 2025.

Các đơn vị năm 2016 không ghi ngày bắt đầu hiệu lực (đã có từ trước khi có hồ sơ).

## Đơn vị

- 27 xã, thị trấn năm 2016 (tên, loại, diện tích, dân số 2016 theo
  `kimson-units-2016.csv`), mã dạng `TT_PHAT_DIEM`, `XA_XUAN_THIEN` (không dấu,
  chữ hoa). `distance_km` là **khoảng cách đường bộ ước lượng** đến Phát Diệm, không
  phải số đo chính thức.
- Từ 01-01-2020: Xuân Thiện và Chính Tâm nhập thành **Xuân Chính** (`XA_XUAN_CHINH`,
  diện tích và dân số là tổng); Yên Mật được chia (thôn 1–3 về Kim Chính, thôn 4–5
  về Như Hòa), bảng chỉ ghi một đơn vị kế thừa là `XA_KIM_CHINH`; diện tích, dân số
  của Kim Chính và Như Hòa vẫn là số liệu 2016. Từ 2020 còn 25 đơn vị.
- Từ 01-01-2025: Lưu Phương nhập vào thị trấn Phát Diệm (`successor_unit_id =
  TT_PHAT_DIEM`), còn 24 đơn vị.
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
- Xếp loại tổ chức năm 2015–2017 ghi theo thang cũ (trong sạch, vững mạnh / hoàn thành
  tốt nhiệm vụ / hoàn thành nhiệm vụ / yếu kém: mã `trong_sach_vung_manh`,
  `hoan_thanh_tot_cu`, `hoan_thanh_cu`, `yeu_kem`); từ năm 2018 theo thang bốn mức của
  Hướng dẫn 16-HD/BTCTW. Công cụ quy đổi thang cũ theo tham số
  `rating.org_scale_crosswalk` (quy đổi theo thứ bậc, GIẢ ĐỊNH).

## Các trường hợp cài sẵn để minh họa, kiểm thử

Quy hoạch nhiệm kỳ 2020–2025 (danh sách đang hiệu lực):

- một chức danh chỉ có 1 người: chủ tịch HĐND Kim Trung (`XA_KIM_TRUNG`);
- một người trong 4 chức danh: {four};
- người không đủ tuổi công tác trọn nhiệm kỳ: {old} (sinh 1961, quy hoạch bí thư
  Cồn Thoi); {aged} (sinh 1962) đã được đưa ra đúng quy định (`tuoi`, 20-12-2018);
- người đang bị kỷ luật (khiển trách 14-6-2019) vẫn trong quy hoạch: {disc};
  {drem} bị cảnh cáo 12-3-2018 và đã được đưa ra (`ky_luat`);
- chưa đạt tiêu chuẩn, không kịp bù bằng đào tạo trước khi nhiệm kỳ bắt đầu
  (01-7-2020): {late_gap} (trưởng phòng, ban, được bổ sung quy hoạch Chủ tịch UBND huyện
  `{late_gap_post}` ngày 20-12-2018 — chức danh lãnh đạo chủ chốt cấp huyện cần cao cấp
  lý luận chính trị, người này mới có trung cấp); {over_age}
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
