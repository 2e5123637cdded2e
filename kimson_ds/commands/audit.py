"""``kimson-ds audit verify|show [DATASET] [--log FILE]``: check and list the tamper-evident run log."""

from __future__ import annotations

from kimson_ds import audit


def register(sub) -> None:
    p = sub.add_parser("audit", help="Nhật ký kiểm toán các lần chạy (kiểm tra toàn vẹn, liệt kê).",
                       description="Kiểm tra chuỗi băm của nhật ký kiểm toán của một bộ dữ liệu hoặc liệt kê các "
                                   "lần chạy. Nhật ký nằm cùng bộ dữ liệu (tệp ẩn .kimson-audit.jsonl trong thư mục "
                                   "dữ liệu, hoặc cạnh tệp .xlsx). Chế độ có khóa: đặt biến môi trường "
                                   f"{audit.KEY_FILE_ENV} là đường dẫn tệp khóa bí mật.")
    p.add_argument("action", choices=["verify", "show"], help="verify: kiểm tra toàn vẹn; show: liệt kê")
    p.add_argument("dataset", nargs="?", default=None,
                   help="bộ dữ liệu (thư mục CSV hoặc tệp .xlsx) có nhật ký cần xem")
    p.add_argument("--log", default=None,
                   help=f"tệp nhật ký cụ thể (mặc định: nhật ký của bộ dữ liệu, hoặc ${audit.LOG_ENV}, "
                        f"hoặc {audit.LOG_NAME} trong thư mục hiện tại)")
    p.set_defaults(func=run)


def run(args) -> int:
    from pathlib import Path

    from kimson_ds.errors import DataError

    if args.dataset is not None and not Path(args.dataset).expanduser().exists():
        raise DataError(f"Không tìm thấy bộ dữ liệu '{args.dataset}'.")
    path = audit.log_path(args.log, args.dataset)
    if args.action == "verify":
        result = audit.verify(path)
        print(f"Nhật ký: {path}")
        print(result.message)
        if result.ok and result.records == 0 and args.dataset is None and args.log is None:
            print("Nhật ký nằm cùng bộ dữ liệu; hãy ghi tên bộ dữ liệu, ví dụ: kimson-ds audit verify data/kimson")
        return 0 if result.ok else 1
    records = audit.read_log(path)
    if not records:
        print(f"Chưa có lần chạy nào trong nhật ký {path}.")
        if args.dataset is None and args.log is None:
            print("Nhật ký nằm cùng bộ dữ liệu; hãy ghi tên bộ dữ liệu, ví dụ: kimson-ds audit show data/kimson")
        return 0
    print(f"Nhật ký: {path}")
    print(f"{'STT':>4}  {'Thời điểm (giờ Việt Nam)':<24}  {'Người chạy':<14}  {'Dấu vân tay dữ liệu':<16}  Lệnh")
    for rec in records:
        fp = (rec.get("data_fingerprint") or "—")[:16]
        user = str(rec.get("user") or "không rõ")[:14]
        print(f"{rec['seq']:>4}  {audit.time_vi(rec['time']):<24}  {user:<14}  {fp:<16}  {rec['command']}")
    return 0
