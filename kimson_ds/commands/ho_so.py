"""``kimson-ds ho-so DATASET --id MÃ [--id MÃ …] [--as-of NGÀY] --out THƯ_MỤC``: profile cards.

Writes the profile card (phiếu hồ sơ cán bộ, mẫu 2C style: identity, work
history, ratings by year, planning, training and standards gaps, discipline,
relatives, retirement date) of each person as ``phieu-ho-so.docx`` (a page
per person) and ``phieu-ho-so.html`` (printable). Exit codes: 0 done, 2 bad
input (unknown id, bad date, unreadable data).
"""

from __future__ import annotations

import shlex


def register(sub) -> None:
    p = sub.add_parser(
        "ho-so",
        help="Lập phiếu hồ sơ cán bộ (mỗi người một trang, Word và HTML).",
        description=(
            "Lập phiếu hồ sơ của từng cán bộ: lý lịch, chức vụ, quá trình công tác, xếp loại các năm, quy hoạch, "
            "đào tạo và tiêu chuẩn còn thiếu, kỷ luật, người thân, ngày nghỉ hưu. Mã thoát: 0 hoàn tất, "
            "2 đầu vào sai."
        ),
    )
    p.add_argument("dataset", help="thư mục tệp CSV hoặc tệp .xlsx")
    p.add_argument("--id", dest="ids", action="append", required=True, metavar="MÃ_CÁN_BỘ",
                   help="mã cán bộ (cột cadre_id); lặp lại để lập nhiều phiếu")
    p.add_argument("--as-of", default=None, metavar="YYYY-MM-DD", help="ngày lấy số liệu (mặc định hôm nay)")
    p.add_argument("--out", required=True, metavar="THƯ_MỤC", help="thư mục ghi phiếu hồ sơ")
    p.set_defaults(func=run)


def run(args) -> int:
    import datetime as dt
    import sys

    from kimson_ds.audit import record_run
    from kimson_ds.data.io import load_dataset
    from kimson_ds.papers import vi
    from kimson_ds.papers.profile import write_profile_cards

    as_of = dt.date.today()
    if args.as_of:
        try:
            as_of = dt.date.fromisoformat(args.as_of)
        except ValueError:
            print(f"Lỗi: --as-of '{args.as_of}' không phải ngày dạng yyyy-mm-dd (ví dụ 2019-12-31).", file=sys.stderr)
            return 2
    from kimson_ds.outputs import OutputSet

    with OutputSet(args.out, inputs=[args.dataset], folder=True) as outs:  # checked, staged, audited
        ds = load_dataset(args.dataset)
        write_profile_cards(ds, args.ids, outs.root, as_of=as_of)
        parts = ["ho-so", args.dataset, *[x for i in args.ids for x in ("--id", i)], "--as-of",
                 as_of.isoformat(), "--out", args.out]
        files = outs.commit(lambda written: record_run(" ".join(shlex.quote(x) for x in parts), dataset=ds,
                                                       scenario={"ids": args.ids}, parameters={}, outputs=written))
    files = [f for f in files if f.name != ".kimson-ds-output.json"]
    print(f"Đã lập phiếu hồ sơ của {len(dict.fromkeys(args.ids))} cán bộ (số liệu tại ngày {vi.date(as_of)}).")
    for f in files:
        print(f"  {f}")
    return 0
