"""``kimson-ds rate DATASET --year 2018 [--out FILE]``: evaluate and classify cadres (đánh giá, xếp loại).

An ``.xlsx`` output (the default, ``reports/xep-loai-<year>.xlsx``) is printable
like every decision command's ``ket-qua.xlsx`` (:mod:`kimson_ds.papers.workbook`):
Vietnamese sheet and column names, labels instead of codes, percentages,
decimals and dates formatted, landscape A4, repeated header row, frozen panes;
a ``.csv`` output is for machines (codes kept).

With ``--compare-as-of DATE`` the same year is also rated under the rules of
that date: an ``.xlsx`` output gets a "So sánh" sheet, a ``.csv`` output gets a
second file ``<name>-so-sanh.csv`` beside it (side-by-side levels of every
cadre, the people whose level differs first).
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pandas as pd

from kimson_ds import audit
from kimson_ds.config import load_overrides
from kimson_ds.data.codes import RATING_LEVEL, RATING_ORDER
from kimson_ds.data.io import load_dataset
from kimson_ds.outputs import OutputSet, write_csv
from kimson_ds.rating.engine import check_year, compare, rate_dataset


def register(sub) -> None:
    p = sub.add_parser(
        "rate", help="Đánh giá, xếp loại cán bộ theo quy định áp dụng tại một ngày.",
        description="Xếp loại cán bộ một năm theo điểm, giới hạn theo xếp loại tổ chức, tỷ lệ xuất sắc "
                    "và kỷ luật, theo quy định có hiệu lực vào ngày --as-of; ghi kết quả kèm lý do.")
    p.add_argument("dataset", help="thư mục tệp CSV hoặc tệp .xlsx")
    p.add_argument("--scenario", default=None,
                   help="tệp kịch bản xếp loại YAML (năm, ngày áp dụng, so sánh, cách chia nhóm, ghi đè tham số) "
                        "do ứng dụng lưu; các tùy chọn ghi trên dòng lệnh được ưu tiên")
    p.add_argument("--year", type=int, default=None, help="năm đánh giá, ví dụ 2018 (bắt buộc nếu không có --scenario)")
    p.add_argument("--as-of", default=None,
                   help="ngày áp dụng quy định (yyyy-mm-dd); mặc định 31-12 của năm đánh giá")
    p.add_argument("--compare-as-of", default=None,
                   help="ngày áp dụng của bộ quy định thứ hai để so sánh (ví dụ 2019-10-18)")
    p.add_argument("--group", default=None,
                   help="cột chia nhóm chức danh tương đương khi tính tỷ lệ: group (mặc định), title, "
                        "post_unit_id, cap_unit_id hoặc all")
    p.add_argument("--all-cadres", action="store_true",
                   help="xếp loại cả cán bộ không thuộc diện Ban Thường vụ quản lý")
    p.add_argument("--params", default=None,
                   help="tệp YAML ghi đè tham số {tên: giá trị}, ví dụ rating.point_thresholds")
    p.add_argument("--out", default=None,
                   help="tệp kết quả .xlsx (để in) hoặc .csv (cho máy đọc); mặc định reports/xep-loai-NĂM.xlsx")
    p.set_defaults(func=run)


#: Folder of the default output (git-ignored; never the project root).
DEFAULT_FOLDER = Path("reports")

#: Columns of :meth:`RatingResult.vietnamese` left out of the printable sheet (codes whose labels are beside them)
#: and the labels renamed to the plain column name.
_CODE_COLUMNS = ["Mã chức danh", "Đơn vị", "Các chức danh (kiêm nhiệm)", "Nhóm chức danh", "Nhóm tính tỷ lệ",
                 "Chức danh liên kết", "Đơn vị liên kết"]
_LABELS = {"Tên đơn vị": "Đơn vị", "Tên nhóm chức danh": "Nhóm chức danh", "Tên đơn vị liên kết": "Đơn vị liên kết",
           "Mức xếp loại (tên)": "Mức xếp loại đề xuất"}


def printable_results(res) -> pd.DataFrame:
    """The result of every cadre for people: labels instead of codes, Vietnamese numbers in the reasons."""
    from kimson_ds.papers import vi

    v = res.vietnamese()
    v = v.drop(columns=[c for c in _CODE_COLUMNS if c in v.columns]).rename(columns=_LABELS)
    if "Lý do" in v:
        v["Lý do"] = vi.text(v["Lý do"])
    return v


def printable_references(res) -> pd.DataFrame:
    """The regulations the rating applied, for people (values in words, dates as dates)."""
    from kimson_ds.papers.report import legal_basis_table, references_frame

    refs = references_frame(res.params)
    table = legal_basis_table(refs).drop(columns=["Mã tham số"])
    table["Áp dụng từ ngày"] = pd.to_datetime(refs["since"].replace("", None), errors="coerce").to_numpy()
    return table


def _summary_vi(res, name: str) -> pd.DataFrame:
    g = res.by_group
    out = pd.DataFrame({
        "Bộ quy định": name,
        "Nhóm": g["group_label"].fillna(g["quota_group"]),
        "Số người": g["n"],
        **{RATING_LEVEL[c]: g[c] for c in RATING_ORDER},
        "Số xuất sắc tối đa": g["quota_allowed"],
        "Đề xuất hạ do tỷ lệ": g["quota_moved"],
        "Hạ theo tổ chức": g["capped"],
        "Tỷ lệ xuất sắc": g["xs_share"].round(4),
    })
    s = res.summary.iloc[0]
    total = {"Bộ quy định": name, "Nhóm": "Tổng cộng", "Số người": s["n"],
             **{RATING_LEVEL[c]: s[c] for c in RATING_ORDER},
             "Số xuất sắc tối đa": pd.NA, "Đề xuất hạ do tỷ lệ": s["quota_moved"],
             "Hạ theo tổ chức": s["capped"], "Tỷ lệ xuất sắc": round(float(s["xs_share"]), 4)}
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)


def _comparison_vi(cmp: pd.DataFrame, name_a: str, name_b: str, only_differing: bool) -> pd.DataFrame:
    """:func:`kimson_ds.rating.engine.compare` with Vietnamese headers; differing people first."""
    cmp = cmp.sort_values(["differs", "cadre_id"], ascending=[False, True], kind="stable")
    if only_differing:
        cmp = cmp[cmp["differs"]]
    out = pd.DataFrame({
        "Mã cán bộ": cmp["cadre_id"],
        "Họ và tên": cmp["full_name"],
        "Nhóm chức danh": cmp["group_label"],
        "Điểm": cmp["score"],
        name_a: cmp["level_a_vi"],
        name_b: cmp["level_b_vi"],
    })
    if not only_differing:
        out["Mức khác nhau"] = cmp["differs"].map({True: "có", False: "không"})
        out[f"Lý do ({name_a})"] = cmp["reason_a"]
    out[f"Lý do ({name_b})"] = cmp["reason_b"]
    return out.reset_index(drop=True)


def comparison_path(out: Path) -> Path:
    """File of the comparison written beside a ``.csv`` result: ``X.csv`` → ``X-so-sanh.csv``."""
    return out.with_name(f"{out.stem}-so-sanh{out.suffix}")


def _share(x: float) -> str:
    from kimson_ds.papers import vi

    return "không xác định" if x != x else vi.percent(x)


def _apply_scenario(args) -> str | None:
    """Fill the options not given on the command line from ``--scenario``; return an error text or None."""
    from kimson_ds.config import load_scenario
    from kimson_ds.rating.scenario import RatingScenario

    sc = load_scenario(args.scenario, RatingScenario) if args.scenario else None
    if sc is not None:
        args.year = args.year if args.year is not None else sc.year
        args.as_of = args.as_of or (sc.as_of.isoformat() if sc.as_of else None)
        args.compare_as_of = args.compare_as_of or (sc.compare_as_of.isoformat() if sc.compare_as_of else None)
        args.group = args.group or sc.group
        args.all_cadres = args.all_cadres or sc.all_cadres
    args.group = args.group or "group"
    args.scenario_overrides = dict(sc.parameters) if sc is not None else {}
    if args.year is None:
        return "Lỗi: cần --year NĂM hoặc --scenario TỆP có năm đánh giá."
    return None


def run(args) -> int:
    problem = _apply_scenario(args)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else DEFAULT_FOLDER / f"xep-loai-{args.year}.xlsx"
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        print(f"Lỗi: tệp kết quả '{out}' phải có đuôi .csv hoặc .xlsx.", file=sys.stderr)
        return 2
    as_of = args.as_of or f"{args.year}-12-31"
    cmp_target = comparison_path(out)
    outs = OutputSet(out, inputs=[args.dataset, args.params, args.scenario], files=[out, cmp_target] if suffix == ".csv" else [out],
                     stale=[cmp_target] if suffix == ".csv" else [])
    with outs:
        return _run(args, out, suffix, as_of, outs)


def _state_of_year(ds, year: int, as_of: str):
    """The dataset as it stood in the rated year: on ``as_of`` if it falls in or before that year, else on
    31-12 of the year (people are rated in the post they held that year, whatever the rules' date)."""
    from kimson_ds.history.state import dataset_on

    return dataset_on(ds, min(pd.Timestamp(as_of), pd.Timestamp(year, 12, 31)))


def _run(args, out: Path, suffix: str, as_of: str, outs: OutputSet) -> int:
    from kimson_ds.papers import vi

    overrides = {**args.scenario_overrides, **(load_overrides(args.params) or {})} or None
    ds = _state_of_year(load_dataset(args.dataset), args.year, as_of)
    check_year(ds["ratings"], args.year, source=str(args.dataset))  # DataError → exit 2
    kw = dict(year=args.year, group_by=args.group, btv_only=not args.all_cadres, overrides=overrides)
    res = rate_dataset(ds, as_of=as_of, **kw)
    other = rate_dataset(ds, as_of=args.compare_as_of, **kw) if args.compare_as_of else None
    name_a = f"Quy định ngày {vi.date(res.as_of)}"
    name_b = f"Quy định ngày {vi.date(other.as_of)}" if other is not None else ""
    if other is not None and name_b == name_a:
        name_b += " (so sánh)"
    cmp_full = compare(res, other) if other is not None else None
    outputs = [out]
    if suffix == ".csv":
        write_csv(res.vietnamese(), outs / out)
        if cmp_full is not None:
            cmp_out = comparison_path(out)
            write_csv(_comparison_vi(cmp_full, name_a, name_b, only_differing=False), outs / cmp_out)
            outputs.append(cmp_out)
    else:
        from kimson_ds.papers.workbook import write_result_workbook

        summary = _summary_vi(res, name_a)
        if other is not None:
            summary = pd.concat([summary, _summary_vi(other, name_b)], ignore_index=True)
            cmp = _comparison_vi(cmp_full, name_a, name_b, only_differing=True)
        else:
            cmp = pd.DataFrame({"Ghi chú": ["Không yêu cầu so sánh (dùng --compare-as-of NGÀY)."]})
        if "Lý do" in cmp:
            cmp["Lý do"] = vi.text(cmp["Lý do"])
        for col in [c for c in cmp.columns if str(c).startswith("Lý do (")]:
            cmp[col] = vi.text(cmp[col])
        write_result_workbook(outs / out, {"Kết quả": printable_results(res), "Tổng hợp": summary, "So sánh": cmp,
                                           "Căn cứ pháp lý": printable_references(res)},
                              title=f"KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CÁN BỘ NĂM {args.year}",
                              subtitle=f"{name_a}. {ds.history_state.note_vi}")
    cmd = " ".join(shlex.quote(a) for a in ["rate", str(args.dataset), "--year", str(args.year), "--as-of", as_of]
                   + (["--compare-as-of", args.compare_as_of] if args.compare_as_of else [])
                   + ["--group", args.group] + (["--all-cadres"] if args.all_cadres else [])
                   + (["--params", args.params] if args.params else [])
                   + (["--scenario", args.scenario] if args.scenario else []) + ["--out", str(out)])
    used = res.params.used
    if other is not None:
        used = {"as_of": used, "compare_as_of": other.params.used}
    outs.commit(lambda files: audit.record_run(
        cmd, dataset=ds, scenario={"year": args.year, "as_of": as_of, "compare_as_of": args.compare_as_of,
                                   "group": args.group, "btv_only": not args.all_cadres, "overrides": overrides,
                                   "structure": ds.history_state.record()},
        parameters=used, outputs=files))
    print(ds.history_state.note_vi)
    s = res.summary.iloc[0]
    scope = "cán bộ" if args.all_cadres else "cán bộ diện Ban Thường vụ quản lý"
    print(f"Xếp loại năm {args.year} theo {name_a.lower()}: {int(s['n'])} {scope}.")
    print("  " + "; ".join(f"{RATING_LEVEL[c]}: {int(s[c])}" for c in RATING_ORDER))
    print(f"  Tỷ lệ hoàn thành xuất sắc nhiệm vụ: {_share(float(s['xs_share']))} "
          f"({int(s['xuat_sac'])}/{int(s['rated'])}).")
    print(f"  Hạ theo xếp loại tổ chức: {int(s['capped'])}; đề xuất hạ do tỷ lệ: {int(s['quota_moved'])}; "
          f"hạ do kỷ luật: {int(s['discipline_applied'])}.")
    if s["org_missing"]:
        print(f"  Cảnh báo: {int(s['org_missing'])} người chưa có xếp loại tổ chức liên kết "
              "(xem cột 'Chưa có xếp loại tổ chức').")
    if s["unrated"]:
        print(f"  Cảnh báo: {int(s['unrated'])} người không có điểm và mức xếp loại.")
    if int(s["n"]) == 0:
        print(f"  Cảnh báo: năm {args.year} có kết quả đánh giá trong dữ liệu nhưng không có ai thuộc phạm vi "
              "xếp loại" + ("" if args.all_cadres else " (thêm --all-cadres để xếp loại mọi cán bộ)") + ".")
    if other is not None:
        o = other.summary.iloc[0]
        n_diff = int(cmp_full["differs"].sum())
        print(f"So sánh với quy định ngày {vi.date(other.as_of)}: tỷ lệ xuất sắc "
              f"{_share(float(o['xs_share']))} ({int(o['xuat_sac'])}/{int(o['rated'])}); "
              f"{n_diff} người có mức khác.")
    print(f"Đã ghi kết quả ra {out}.")
    if suffix == ".csv" and other is not None:
        print(f"Đã ghi bảng so sánh hai bộ quy định ({n_diff} người có mức khác, xếp lên đầu) ra {outputs[1]}.")
    elif other is not None:
        print("Bảng so sánh hai bộ quy định ở trang tính 'So sánh'.")
    return 0
