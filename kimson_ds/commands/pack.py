"""``kimson-ds pack DATASET --scenarios DIR --out DIR [--no-pdf]``: the meeting pack.

Builds every report of the scenarios folder as offline HTML and A4 PDF, the
proposal-lists workbook ``danh-sach-de-xuat.xlsx`` and an ``index.html`` that
links them (see :mod:`kimson_ds.papers.pack`). Exit codes: 0 done, 1 a report failed
(the others are built and the index says which), 2 bad input or no Chromium.
"""

from __future__ import annotations

import shlex
import sys


def register(sub) -> None:
    p = sub.add_parser(
        "pack",
        help="Lập gói tài liệu họp Ban Thường vụ: báo cáo HTML, bản PDF, danh sách đề xuất (Excel).",
        description=(
            "Chạy mọi báo cáo kê khai trong thư mục kịch bản (mỗi báo cáo một tệp YAML, cuộc họp trong "
            "goi-tai-lieu.yaml), in mỗi báo cáo ra PDF khổ A4 bằng Chromium, lập tệp Excel danh sách đề xuất "
            "(luân chuyển, quy hoạch, thẩm định) và trang mục lục index.html; mọi tệp mở được khi không có mạng. "
            "Mã thoát: 0 hoàn tất, 1 có báo cáo lỗi, 2 đầu vào sai hoặc thiếu Chromium."
        ),
    )
    p.add_argument("dataset", help="thư mục tệp CSV hoặc tệp .xlsx")
    p.add_argument("--scenarios", required=True, metavar="THƯ_MỤC",
                   help="thư mục kê khai gói tài liệu, ví dụ data/scenarios/hop-btv")
    p.add_argument("--out", required=True, metavar="THƯ_MỤC", help="thư mục ghi gói tài liệu")
    p.add_argument("--no-pdf", dest="pdf", action="store_false", help="không tạo bản PDF (không cần Chromium)")
    p.add_argument("--chromium", default=None, metavar="TỆP",
                   help="đường dẫn trình duyệt Chromium (mặc định /usr/bin/chromium hoặc $KIMSON_CHROMIUM)")
    p.add_argument("--allow-notebook", action="append", default=[], metavar="TỆP.ipynb",
                   help="cho phép chạy một notebook ngoài thư mục notebooks/ của dự án mà tệp kê khai yêu cầu "
                        "(lặp lại được; chỉ dùng với notebook bạn tin cậy)")
    p.set_defaults(func=run)


def run(args) -> int:
    from kimson_ds.papers import vi
    from kimson_ds.papers.pack import build_pack

    parts = ["pack", args.dataset, "--scenarios", args.scenarios, "--out", args.out]
    if not args.pdf:
        parts.append("--no-pdf")
    for nb in args.allow_notebook:
        parts += ["--allow-notebook", nb]
    result = build_pack(args.dataset, args.scenarios, args.out, pdf=args.pdf, chromium=args.chromium,
                        progress=print, command=" ".join(shlex.quote(x) for x in parts),
                        allow_notebooks=args.allow_notebook)
    reps = result.reports
    n_ok = int((reps["status"] == "ok").sum())
    n_pdf = int(reps["pdf"].notna().sum())
    t = result.timings
    print(f"Đã lập gói tài liệu trong {vi.seconds(t['total'])}: {n_ok}/{len(reps)} báo cáo, {n_pdf} bản PDF, "
          f"{len(result.lists)} danh sách đề xuất.")
    for x in result.lists:
        print(f"  - {x.sheet}: {x.summary}")
    for row in reps.loc[reps["status"] == "bo_qua"].itertuples(index=False):
        print(f"  Bỏ qua {row.key}: {row.note}")
    for row in result.failed.itertuples(index=False):
        print(f"  LỖI {row.key}: {row.note}", file=sys.stderr)
    print(f"Mở trang mục lục: {result.index}")
    print(f"Danh sách đề xuất: {result.workbook}")
    return result.exit_code
