"""``kimson-ds template --out FILE.xlsx``: write the empty data-entry workbook."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from kimson_ds import audit
from kimson_ds.data.excel import DEFAULT_TEMPLATE, write_template
from kimson_ds.data.schema import TABLES
from kimson_ds.outputs import OutputSet


def register(sub) -> None:
    p = sub.add_parser("template", help="Tạo tệp Excel mẫu để nhập liệu.",
                       description="Tạo tệp Excel mẫu nhập liệu: mỗi bảng một trang tính, tiêu đề tiếng Việt, "
                                   "danh sách thả xuống cho các cột mã, trang 'Hướng dẫn'.")
    p.add_argument("--out", default=str(DEFAULT_TEMPLATE),
                   help=f"tệp .xlsx cần ghi (mặc định {DEFAULT_TEMPLATE})")
    p.add_argument("--force", action="store_true",
                   help="cho phép ghi đè một tệp Excel đã nhập dữ liệu (dữ liệu trong tệp sẽ mất)")
    p.set_defaults(func=run)


def run(args) -> int:
    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        print(f"Lỗi: tệp đầu ra '{out}' phải có đuôi .xlsx.", file=sys.stderr)
        return 2
    with OutputSet(out, force=args.force) as outs:
        write_template(outs / out)
        # The new workbook is a dataset to be: its audit log starts beside it.
        outs.commit(lambda files: audit.record_run(f"template --out {shlex.quote(str(out))}", dataset=out,
                                                   outputs=files))
    print(f"Đã tạo tệp mẫu nhập liệu {out} ({len(TABLES)} bảng và trang 'Hướng dẫn').")
    print(f"Sau khi nhập, kiểm tra bằng lệnh: kimson-ds validate {shlex.quote(str(out))}")
    return 0
