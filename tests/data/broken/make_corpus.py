"""Rebuild the corpus of broken datasets from tests/data/minimal.

Each case is a folder (or an .xlsx) holding the minimal dataset with one
defect, plus ``expected.yaml``: the exit code of ``kimson-ds validate`` and
substrings its message must contain (file, row, column, value, expectation).
Run ``python tests/data/broken/make_corpus.py`` after changing a case.
"""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import yaml

HERE = Path(__file__).parent
MINIMAL = HERE.parent / "minimal"


def edit(case: str, table: str, old: str, new: str) -> Path:
    folder = HERE / case
    path = folder / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text, (case, old)
    path.write_bytes(text.replace(old, new, 1).encode("utf-8"))
    return folder


def fresh(case: str) -> Path:
    folder = HERE / case
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(MINIMAL, folder)
    return folder


CASES: dict[str, dict] = {}


def case(name: str, exit_code: int, contains: list[str], absent: list[str] | None = None):
    CASES[name] = {"exit": exit_code, "contains": contains, "absent": absent or []}


def build() -> None:
    fresh("missing-column")
    edit("missing-column", "cadres", "cadre_id,full_name,gender,", "cadre_id,full_name,")
    p = HERE / "missing-column" / "cadres.csv"
    rows = [r.split(",") for r in p.read_text(encoding="utf-8").splitlines()]
    p.write_text("\n".join(",".join(r[:2] + r[3:]) if i else ",".join(r) for i, r in enumerate(rows)) + "\n", encoding="utf-8")
    case("missing-column", 2, ["cadres.csv", "dòng 1", "gender", "thiếu cột bắt buộc"])

    fresh("unknown-code")
    edit("unknown-code", "cadres", "trung_cap,chuyen_vien,true", "trung cap,chuyen_vien,true")
    case("unknown-code", 2, ["cadres.csv", "dòng 2", "political_theory", "'trung cap'", "so_cap"])

    fresh("duplicate-id")
    edit("duplicate-id", "cadres", "CB0004,Phạm Thị Dung", "CB0003,Phạm Thị Dung")
    case("duplicate-id", 2, ["cadres.csv", "dòng 5", "cadre_id", "'CB0003'", "mã trùng"])

    fresh("dangling-reference")
    edit("dangling-reference", "positions", "XA_KIM_HAI,chu_tich_ubnd,true,CB0002", "XA_KIM_HAI,chu_tich_ubnd,true,CB0099")
    case("dangling-reference", 2, ["positions.csv", "dòng 3", "holder_id", "'CB0099'", "không tồn tại trong bảng cadres"])

    fresh("malformed-date")
    edit("malformed-date", "cadres", "1978-11-02", "31/02/1978")
    case("malformed-date", 2, ["cadres.csv", "dòng 3", "birth_date", "'31/02/1978'", "dd/mm/yyyy"])

    fresh("future-date")
    edit("future-date", "discipline", "2019-04-10,2020-04-10", "2099-04-10,2100-04-10")
    case("future-date", 2, ["discipline.csv", "dòng 2", "decided_on", "'2099-04-10'", "tương lai"])

    fresh("nfd-text")
    p = HERE / "nfd-text" / "cadres.csv"
    p.write_bytes(unicodedata.normalize("NFD", p.read_text(encoding="utf-8")).encode("utf-8"))
    case("nfd-text", 0, ["hợp lệ"])

    fresh("empty-file")
    (HERE / "empty-file" / "positions.csv").write_bytes(b"")
    case("empty-file", 2, ["positions.csv", "tệp rỗng", "position_id"])

    fresh("comma-decimal")
    edit("comma-decimal", "units", "5.76,3239", '"5,76",3239')
    case("comma-decimal", 2, ["units.csv", "dòng 4", "area_km2", "'5,76'", "dấu chấm"])

    fresh("extra-column")
    p = HERE / "extra-column" / "units.csv"
    lines = p.read_text(encoding="utf-8").splitlines()
    p.write_text("\n".join([lines[0] + ",ghi_chu"] + [ln + ",x" for ln in lines[1:]]) + "\n", encoding="utf-8")
    case("extra-column", 0, ["CẢNH BÁO", "units.csv", "ghi_chu", "bỏ qua"])

    fresh("missing-table")
    (HERE / "missing-table" / "units.csv").unlink()
    case("missing-table", 2, ["thiếu bảng bắt buộc 'units'", "units.csv"])

    fresh("bad-boolean")
    edit("bad-boolean", "cadres", "chuyen_vien_chinh,true", "chuyen_vien_chinh,maybe")
    case("bad-boolean", 2, ["cadres.csv", "dòng 4", "managed_by_btv", "'maybe'", "có/không"])

    fresh("unknown-planning-title")
    edit("unknown-planning-title", "planning", "CB0002,bi_thu,XA_KIM_HAI", "CB0002,truong_phong,XA_KIM_HAI")
    case("unknown-planning-title", 2, ["planning.csv", "dòng 3", "target_title", "không có chức danh này"])

    fresh("birth-after-work-start")
    edit("birth-after-work-start", "cadres", "1986-01-15,Mường,XA_KIM_HAI,PB_NOI_VU,2010-03-08,2008-09-01",
         "1986-01-15,Mường,XA_KIM_HAI,PB_NOI_VU,2010-03-08,1985-09-01")
    case("birth-after-work-start", 2, ["cadres.csv", "dòng 5", "work_start_date", "trước ngày sinh"])

    fresh("score-out-of-range")
    edit("score-out-of-range", "ratings", "CB0002,2018,81,", "CB0002,2018,810,")
    case("score-out-of-range", 2, ["ratings.csv", "dòng 3", "score", "'810'", "≤ 100"])

    fresh("not-utf8")
    p = HERE / "not-utf8" / "cadres.csv"
    p.write_bytes(p.read_text(encoding="utf-8").encode("cp1258", errors="replace"))
    case("not-utf8", 2, ["cadres.csv", "UTF-8"])

    fresh("bad-term")
    edit("bad-term", "planning", "CB0004,bi_thu,XA_KIM_TRUNG,2020-2025", "CB0004,bi_thu,XA_KIM_TRUNG,2020/25")
    case("bad-term", 2, ["planning.csv", "dòng 2", "term", "'2020/25'", "2020-2025"])

    # Wrong sheet name: an .xlsx whose cadres sheet is called "Canbo".
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for csv in sorted(MINIMAL.glob("*.csv")):
        name = "Canbo" if csv.stem == "cadres" else csv.stem
        ws = wb.create_sheet(name)
        for line in csv.read_text(encoding="utf-8").splitlines():
            ws.append(line.split(","))
    target = HERE / "wrong-sheet-name.xlsx"
    wb.save(target)
    case("wrong-sheet-name.xlsx", 2, ["Canbo", "thiếu bảng bắt buộc 'cadres'", "Cán bộ"])

    (HERE / "expected.yaml").write_text(yaml.safe_dump(CASES, allow_unicode=True, sort_keys=True), encoding="utf-8")


if __name__ == "__main__":
    build()
