"""``kimson-ds export DATASET --out FILE.xlsx``: write a dataset as the data-entry workbook."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from kimson_ds import audit
from kimson_ds.data.excel import write_dataset
from kimson_ds.data.io import load_dataset
from kimson_ds.outputs import OutputSet


def register(sub) -> None:
    p = sub.add_parser("export", help="Xuất bộ dữ liệu ra tệp Excel theo mẫu nhập liệu.",
                       description="Xuất bộ dữ liệu (thư mục CSV hoặc tệp .xlsx) ra tệp Excel theo mẫu nhập "
                                   "liệu: mã ghi bằng tên tiếng Việt, ngày là ô ngày của Excel, có/không.")
    p.add_argument("dataset", help="thư mục tệp CSV hoặc tệp .xlsx")
    p.add_argument("--out", required=True, help="tệp .xlsx cần ghi")
    p.add_argument("--as-of", default=None, help="ngày đối chiếu khi kiểm tra dữ liệu (yyyy-mm-dd); mặc định hôm nay")
    p.add_argument("--force", action="store_true", help="cho phép ghi đè một tệp Excel đã có dữ liệu")
    p.set_defaults(func=run)


def run(args) -> int:
    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        print(f"Lỗi: tệp đầu ra '{out}' phải có đuôi .xlsx.", file=sys.stderr)
        return 2
    src = Path(args.dataset)
    with OutputSet(out, inputs=[src], force=args.force) as outs:
        ds = load_dataset(src, as_of=args.as_of)
        write_dataset(ds, outs / out)
        cmd = f"export {shlex.quote(str(src))} --out {shlex.quote(str(out))}"
        if args.as_of:
            cmd += f" --as-of {args.as_of}"
        outs.commit(lambda files: audit.record_run(cmd, dataset=ds, outputs=files))
    counts = ", ".join(f"{name}: {len(df)}" for name, df in ds.tables.items() if len(df))
    total = sum(len(df) for df in ds.tables.values())
    print(f"Đã xuất {total} dòng ({counts}) ra {out}.")
    if ds.warnings:
        print(f"Bộ dữ liệu có {len(ds.warnings)} cảnh báo; xem bằng lệnh: kimson-ds validate {shlex.quote(str(src))}")
    return 0
