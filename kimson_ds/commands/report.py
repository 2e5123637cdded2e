"""``kimson-ds report NOTEBOOK [-p NAME VALUE ...] [--params FILE.yaml] --out DIR``.

Runs an analysis notebook in the current environment and writes the executed
notebook and a self-contained HTML report (no code) into ``DIR``.
"""

from __future__ import annotations

import shlex
import sys

from kimson_ds.papers.report import build_report

# Start-up time: nbformat imports jsonschema, which compiles ~40 grammars of the
# optional ``rfc3987_syntax`` package (2–3 s on the office PCs) only to check the
# "iri" string format, which no notebook schema uses. The command process skips
# that optional import (jsonschema treats it as absent).
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)


def register(sub) -> None:
    p = sub.add_parser(
        "report",
        help="Chạy một notebook phân tích và xuất báo cáo HTML (không kèm mã lệnh).",
        description=(
            "Chạy notebook với các tham số đã cho, lưu bản notebook đã chạy và tệp HTML tự chứa "
            "(mở được khi không có mạng) vào thư mục --out, ghi nhật ký kiểm toán."
        ),
    )
    p.add_argument("notebook", help="tệp notebook, ví dụ notebooks/00-tong-quan.ipynb")
    p.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("TÊN", "GIÁ_TRỊ"), default=[],
                   help="đặt tham số của notebook (lặp lại được), ví dụ -p as_of 2018-12-31")
    p.add_argument("--params", default=None, metavar="TỆP.yaml", help="tệp YAML 'tên: giá trị' chứa tham số")
    p.add_argument("--out", required=True, metavar="THƯ_MỤC", help="thư mục ghi kết quả")
    p.set_defaults(func=run)


def run(args) -> int:
    from kimson_ds.papers import vi

    pairs = [(name, value) for name, value in args.parameter]
    parts = ["report", args.notebook]
    for name, value in pairs:
        parts += ["-p", name, value]
    if args.params:
        parts += ["--params", args.params]
    parts += ["--out", args.out]
    result = build_report(args.notebook, None, args.out, params_file=args.params, cli_pairs=pairs,
                          command=" ".join(shlex.quote(x) for x in parts))
    n_refs = len(result.references)
    n_assume = int(result.references["assumption"].sum()) if n_refs else 0
    print(f"Đã tạo báo cáo «{result.title}» trong {vi.seconds(result.seconds)}.")
    print(f"  Báo cáo HTML: {result.html}")
    print(f"  Notebook đã chạy: {result.ipynb}")
    print(f"  Quy định đã áp dụng: {n_refs} (trong đó {n_assume} giá trị GIẢ ĐỊNH).")
    if result.fingerprint:
        print(f"  Dấu vân tay dữ liệu (sha256): {result.fingerprint}")
    return 0
