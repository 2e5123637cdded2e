"""``kimson-ds validate DATASET``: check a dataset against the data contract."""

from __future__ import annotations

import sys

from kimson_ds.config import parse_date_option
from kimson_ds.data.io import read_dataset
from kimson_ds.data.validate import summarise_issues


def register(sub) -> None:
    p = sub.add_parser("validate", help="Kiểm tra bộ dữ liệu (cấu trúc, mã, liên kết, ngày tháng).",
                       description="Kiểm tra bộ dữ liệu; thoát với mã 2 nếu có lỗi, 0 nếu chỉ có cảnh báo.")
    p.add_argument("dataset", help="thư mục tệp CSV hoặc tệp .xlsx")
    p.add_argument("--as-of", default=None, help="ngày đối chiếu (yyyy-mm-dd); mặc định hôm nay")
    p.add_argument("--max-gap-months", type=int, default=None,
                   help="cảnh báo khi quá trình công tác của một người gián đoạn quá số tháng này "
                        "(mặc định 12 tháng)")
    p.set_defaults(func=run)


def run(args) -> int:
    gap = None if args.max_gap_months is None else round(args.max_gap_months * 365.25 / 12)
    ds = read_dataset(args.dataset, as_of=parse_date_option(args.as_of), max_gap_days=gap)
    # bounded whatever the input: the first lines of each problem per column, then counts
    for line in summarise_issues(ds.warnings, per_column=10, total=200):
        print(line)
    for line in summarise_issues(ds.errors, per_column=10, total=200):
        print(line, file=sys.stderr)
    n_err, n_warn = len(ds.errors), len(ds.warnings)
    from kimson_ds.data.schema import TABLES
    from kimson_ds.papers import vi

    counts = "; ".join(f"{TABLES[name].title_vi if name in TABLES else name}: {vi.integer(len(df))}"
                       for name, df in ds.tables.items())
    if n_err:
        print(f"Bộ dữ liệu có {n_err} lỗi và {n_warn} cảnh báo. Hãy sửa các lỗi trên rồi kiểm tra lại.",
              file=sys.stderr)
        return 2
    print(f"Bộ dữ liệu hợp lệ ({n_warn} cảnh báo). Số dòng — {counts}.")
    from kimson_ds.history.state import MODE_VI, history_mode

    print(f"Người giữ chức danh theo ngày: {MODE_VI[history_mode(ds)]}.")
    print(f"Dấu vân tay dữ liệu (sha256): {ds.fingerprint}")
    return 0
