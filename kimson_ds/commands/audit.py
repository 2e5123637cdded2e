"""``kimson-ds audit verify|show``: check and list the tamper-evident run log."""

from __future__ import annotations

from kimson_ds import audit


def register(sub) -> None:
    p = sub.add_parser("audit", help="Nhật ký kiểm toán các lần chạy (kiểm tra toàn vẹn, liệt kê).",
                       description="Kiểm tra chuỗi băm của nhật ký kiểm toán hoặc liệt kê các lần chạy.")
    p.add_argument("action", choices=["verify", "show"], help="verify: kiểm tra toàn vẹn; show: liệt kê")
    p.add_argument("--log", default=None, help=f"tệp nhật ký (mặc định {audit.LOG_NAME} trong thư mục hiện tại)")
    p.set_defaults(func=run)


def run(args) -> int:
    if args.action == "verify":
        result = audit.verify(args.log)
        print(result.message)
        return 0 if result.ok else 1
    records = audit.read_log(args.log)
    if not records:
        print(f"Chưa có lần chạy nào trong nhật ký {audit.log_path(args.log)}.")
        return 0
    print(f"{'STT':>4}  {'Thời điểm (UTC)':<25}  {'Dấu vân tay dữ liệu':<16}  Lệnh")
    for rec in records:
        fp = (rec.get("data_fingerprint") or "—")[:16]
        print(f"{rec['seq']:>4}  {rec['time']:<25}  {fp:<16}  {rec['command']}")
    return 0
