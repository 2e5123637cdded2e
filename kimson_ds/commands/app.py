"""``kimson-ds app [--port P] [--no-token] [--dataset DIR] [--no-browser]``: the scenario explorer.

Serves the explorer notebooks of ``apps/`` with Voilà on this machine only
(127.0.0.1), without code cells, behind a random token unless ``--no-token``.
The landing page ``apps/index.ipynb`` links the analyses. The notebooks run in
the current Python environment (a ``kimson-ds`` kernelspec pointing at this
interpreter is created when missing, as for the reports).
"""

from __future__ import annotations

import errno
import os
import secrets
import socket
import sys
import webbrowser
from pathlib import Path

from kimson_ds.audit import record_run
from kimson_ds.papers.report import REPO_ROOT, ensure_kernel, find_dataset
from kimson_ds.ui.server_security import secure_voila

#: Folder of the explorer notebooks.
APPS_DIR = REPO_ROOT / "apps"

#: The landing page, relative to :data:`APPS_DIR`.
LANDING = "index.ipynb"

#: Environment variable the explorer notebooks read for the dataset (``--dataset``).
DATASET_ENV = "KIMSON_DATASET"

#: Folder added to ``JUPYTER_PATH``: holds the Voilà template ``kimson`` (Vietnamese loading texts).
TEMPLATE_ROOT = Path(__file__).resolve().parents[1] / "ui" / "voila"

#: Shown by Voilà if a cell fails before the panels can catch it (normally never).
CELL_ERROR_VI = ("Một ô tính của trang bị lỗi. Hãy kiểm tra bộ dữ liệu và tệp kịch bản, tải lại trang; "
                 "nếu vẫn lỗi, báo cho người quản trị công cụ.")


def register(sub) -> None:
    p = sub.add_parser(
        "app",
        help="Mở ứng dụng thử kịch bản (trang web chạy trên máy này, không hiện mã lệnh).",
        description=(
            "Chạy ứng dụng Voilà trên máy này (chỉ địa chỉ 127.0.0.1): trang chủ liên kết các phân tích, "
            "mỗi phân tích có bảng điều khiển để thử kịch bản, lưu kịch bản và xuất báo cáo. "
            "Nhấn Ctrl+C để dừng."
        ),
    )
    p.add_argument("--port", type=int, default=8866, help="cổng mạng (mặc định 8866)")
    p.add_argument("--no-token", action="store_true",
                   help="không yêu cầu mã truy cập (chỉ dùng trên máy cá nhân)")
    p.add_argument("--dataset", default=None, metavar="THƯ_MỤC",
                   help="bộ dữ liệu dùng trong ứng dụng (mặc định data/kimson)")
    p.add_argument("--no-browser", action="store_true", help="không tự mở trình duyệt")
    p.set_defaults(func=run)


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def voila_argv(port: int, token: str | None) -> list[str]:
    """Command-line arguments of the Voilà server the app runs."""
    argv = [
        str(APPS_DIR),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        "--Voila.log_level=WARN",
        "--VoilaConfiguration.strip_sources=True",
        "--VoilaConfiguration.show_tracebacks=True",  # the notebooks turn errors into Vietnamese text
        f"--VoilaExecutor.cell_error_instruction={CELL_ERROR_VI}",
    ]
    if (TEMPLATE_ROOT / "voila" / "templates" / "kimson" / "conf.json").is_file():
        argv.append("--VoilaConfiguration.template=kimson")  # Vietnamese loading texts (use_template_root)
    if os.name == "posix":  # local sockets between server and kernels: no TCP port, no ipykernel warning
        argv.append("--KernelManager.transport=ipc")
    if token:
        argv.append(f"--token={token}")
    return argv



def use_template_root() -> None:
    """Put :data:`TEMPLATE_ROOT` first on ``JUPYTER_PATH`` so Voilà finds the ``kimson`` template."""
    current = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    if str(TEMPLATE_ROOT) not in current:
        os.environ["JUPYTER_PATH"] = os.pathsep.join([str(TEMPLATE_ROOT), *current])


def trust_app_notebooks(contents_manager, folder: Path = APPS_DIR) -> list[Path]:
    """Sign the shipped explorer notebooks for this server only (no "Notebook … is not trusted" warning).

    The signatures go to an in-memory store with a secret made for this run,
    so nothing is written to the user's Jupyter folders and no other notebook
    becomes trusted.
    """
    import nbformat
    from nbformat.sign import MemorySignatureStore, NotebookNotary

    notary = NotebookNotary(parent=contents_manager, secret=secrets.token_bytes(32),
                            store_factory=MemorySignatureStore)
    contents_manager.notary = notary
    signed = []
    for nb_path in sorted(Path(folder).glob("*.ipynb")):
        notary.sign(nbformat.read(nb_path, as_version=4))
        signed.append(nb_path)
    return signed


def run(args) -> int:
    if not (APPS_DIR / LANDING).is_file():
        print(f"Lỗi: không tìm thấy các trang ứng dụng trong {APPS_DIR}.", file=sys.stderr)
        return 2
    if not 0 < args.port < 65536:
        print(f"Lỗi: cổng {args.port} không hợp lệ (1–65535).", file=sys.stderr)
        return 2
    if args.dataset:
        os.environ[DATASET_ENV] = str(find_dataset(args.dataset))
    if not _port_free(args.port):
        print(f"Lỗi: cổng {args.port} đang được chương trình khác dùng. Hãy chọn cổng khác, ví dụ "
              f"--port {args.port + 1}.", file=sys.stderr)
        return 2
    ensure_kernel()
    token = None if args.no_token else secrets.token_urlsafe(24)
    url = f"http://127.0.0.1:{args.port}/voila/render/{LANDING}" + (f"?token={token}" if token else "")
    record_run("app" + f" --port {args.port}" + (" --no-token" if args.no_token else "")
               + (f" --dataset {args.dataset}" if args.dataset else ""),
               dataset=os.environ.get(DATASET_ENV) or find_dataset("data/kimson"),
               scenario={"port": args.port, "token": bool(token), "apps": str(APPS_DIR),
                         "dataset": os.environ.get(DATASET_ENV, "data/kimson")})

    from tornado.ioloop import IOLoop
    from voila.app import Voila

    def announce() -> None:
        print("Ứng dụng thử kịch bản đang chạy. Mở địa chỉ sau trong trình duyệt:", flush=True)
        print(f"  {url}", flush=True)
        if token:
            print("(Địa chỉ có mã truy cập; không gửi địa chỉ này cho người khác.)", flush=True)
        print("Nhấn Ctrl+C để dừng.", flush=True)
        if not args.no_browser:
            try:
                webbrowser.open(url)
            except webbrowser.Error:
                pass

    use_template_root()
    app = Voila()
    app.initialize(voila_argv(args.port, token))
    secure_voila(app, token)  # Host must be localhost/127.0.0.1 in every mode; no token in the log
    init_settings = app.init_settings  # Voilà creates its contents manager there, at start()

    def init_settings_and_trust():
        settings = init_settings()
        trust_app_notebooks(app.contents_manager)
        return settings

    app.init_settings = init_settings_and_trust
    IOLoop.current().add_callback(announce)
    try:
        app.start()  # returns when stopped (Ctrl+C or SIGTERM); shuts the kernels down
    except KeyboardInterrupt:
        app.stop()
    print("Đã dừng ứng dụng.", flush=True)
    return 0


__all__ = ["APPS_DIR", "DATASET_ENV", "LANDING", "register", "run", "trust_app_notebooks", "voila_argv"]
