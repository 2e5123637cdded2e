"""``kimson-ds app [--port P] [--no-token] [--dataset DIR] [--no-browser] [--pool-size N]``: the scenario explorer.

Serves the explorer notebooks of ``apps/`` with Voilà on this machine only
(127.0.0.1), without code cells, behind a random token unless ``--no-token``.
The landing page ``apps/index.ipynb`` links the analyses. The notebooks run in
the current Python environment (a ``kimson-ds`` kernelspec pointing at this
interpreter is created when missing, as for the reports).

Instant pages
    Voilà's preheated kernels (``VoilaConfiguration.preheat_kernel``,
    ``default_pool_size``): for every page, ``--pool-size`` kernels (default 1)
    run the page's notebook in advance — imports, dataset, first solve — so a
    page opens from memory. "Ứng dụng đã sẵn sàng" is printed once every pool
    is warm; a used kernel is replaced in the background.
No leaked kernels
    Closing a page shuts its kernel down: Voilà's page posts its
    ``_xsrf`` cookie to ``/voila/api/shutdown/<id>``, but Voilà 0.5 never sets
    that cookie, so the request was refused (403) and the kernel stayed. The
    page handler here sets it (:class:`_PageHandler`). Idle kernels with no
    open page are culled after :data:`CULL_IDLE_SECONDS` (jupyter-server's
    ``MappingKernelManager.cull_idle_timeout``) as a second line; pooled
    kernels are never culled. When a page's close request is lost (the browser
    quit at once), its kernel stops :data:`ORPHAN_GRACE_SECONDS` after its
    websocket closed unless the page reconnected (:func:`stop_if_orphaned`).
Offline and Vietnamese
    The ``kimson`` template drops Voilà's Font Awesome links to a public CDN
    (the panels use no icon font) and renders the login, 404 and error pages
    in Vietnamese with no external asset; ``/`` leads to the landing page.
"""

from __future__ import annotations

import errno
import os
import secrets
import socket
import sys
import time
import webbrowser
from pathlib import Path

from kimson_ds.audit import record_run
from kimson_ds.errors import DataError
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

#: The ``kimson`` template folder (index, login, 404 and error pages).
TEMPLATE_DIR = TEMPLATE_ROOT / "voila" / "templates" / "kimson"

#: Kernels kept ready per page (``--pool-size``).
DEFAULT_POOL_SIZE = 1

#: Front-end extensions the pages never use (fewer scripts to load on every page).
UNUSED_EXTENSIONS = ["jupyterlab_pygments"]

#: A used pooled kernel is replaced after this delay, so the refill does not compete with the page being opened.
POOL_REFILL_DELAY_SECONDS = 2

#: A kernel with no open page and no activity for this long is shut down (second line behind page close).
CULL_IDLE_SECONDS = 600

#: How often the culler looks (seconds).
CULL_INTERVAL_SECONDS = 60

#: A page's kernel whose last websocket closed is shut down after this delay if no page reconnected: the page
#: is gone even when its close request was lost (browser quit or crashed, laptop lid closed on a remote tab).
#: Long enough for the page's own reconnection after a dropped socket (a few seconds).
ORPHAN_GRACE_SECONDS = 60

#: Websocket keep-alive (ms). Jupyter-server's default timeout (3 × interval) is longer than the interval,
#: which Tornado refuses with an English warning on every page; equal values say the same thing.
WS_PING_MS = 30_000

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
    p.add_argument("--pool-size", type=int, default=DEFAULT_POOL_SIZE, metavar="N",
                   help="số tiến trình tính toán chuẩn bị sẵn cho mỗi trang để trang mở ngay "
                        "(mặc định 1; 0: không chuẩn bị, mỗi trang mở chậm hơn vài giây)")
    p.set_defaults(func=run)


def app_pages(folder: Path = APPS_DIR) -> list[str]:
    """The pages of the app (notebooks under ``folder``, relative, sorted): each gets its own preheated kernels.

    Voilà preheats every notebook it finds under its root (``rglob``, checkpoints
    excepted), so the pool holds ``len(app_pages()) × --pool-size`` kernels.
    """
    folder = Path(folder)
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts)


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


def voila_argv(port: int, token: str | None, pool_size: int = DEFAULT_POOL_SIZE) -> list[str]:
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
    # one item per option: the list form ("=['…']") makes traitlets print an English DeprecationWarning
    argv += [f"--VoilaConfiguration.extension_denylist={name}" for name in UNUSED_EXTENSIONS]
    if pool_size > 0:
        argv += ["--VoilaConfiguration.preheat_kernel=True", f"--VoilaConfiguration.default_pool_size={pool_size}",
                 f"--VoilaKernelManager.fill_delay={POOL_REFILL_DELAY_SECONDS}"]
    argv += [f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
             f"--MappingKernelManager.cull_interval={CULL_INTERVAL_SECONDS}",
             "--MappingKernelManager.cull_connected=False"]
    if token:
        argv.append(f"--token={token}")
    return argv


def _page_handler_class():
    """Voilà's page handler, plus the ``_xsrf`` cookie its close beacon needs."""
    import tornado.web
    from voila.tornado.handler import TornadoVoilaHandler

    class _PageHandler(TornadoVoilaHandler):
        @tornado.web.authenticated
        async def get(self, path=None):
            # Voilà's page sends document.cookie's _xsrf with the shutdown request on page close; reading
            # the token sets that cookie (Tornado). Without it the shutdown is refused and the kernel leaks.
            _ = self.xsrf_token
            return await super().get(path)

    return _PageHandler


def _landing_redirect_class():
    """``/`` and Voilà's folder listing lead to the landing page (query string, e.g. the token, kept)."""
    import tornado.web

    class _LandingRedirect(tornado.web.RequestHandler):
        def initialize(self, url: str) -> None:
            self._url = url

        def get(self, *args):
            query = self.request.query
            self.redirect(self._url + (f"?{query}" if query else ""))

    return _LandingRedirect


def stop_if_orphaned(kernel_manager, kernel_id: str, delay: float = ORPHAN_GRACE_SECONDS) -> None:
    """After ``delay`` seconds, shut ``kernel_id`` down if it still runs and no websocket is connected to it.

    Called when a page's kernel websocket closes. A page closed normally has
    already stopped its kernel through its close request; this covers the
    close request that never arrived (the browser quit at once, crashed, or
    lost the request). A page that reconnected in the meantime keeps its kernel.
    """
    import asyncio

    from jupyter_core.utils import ensure_async
    from tornado.ioloop import IOLoop

    async def check() -> None:
        if kernel_id not in kernel_manager or kernel_manager._kernel_connections.get(kernel_id, 0) > 0:
            return
        kernel_manager.log.info("Trang của tiến trình %s đã đóng: dừng tiến trình.", kernel_id)
        try:
            await ensure_async(kernel_manager.shutdown_kernel(kernel_id))
        except (KeyError, RuntimeError):  # stopped meanwhile by the page's own close request
            pass

    IOLoop.current().call_later(delay, lambda: asyncio.ensure_future(check()))


def _websocket_handler_class():
    """Voilà's kernel websocket, tolerant of a page closed during the handshake, and stopping orphaned kernels.

    Jupyter-server drops the connection object when the socket closes; a page
    closed while its socket opens then raised ``AttributeError`` in
    ``select_subprotocol`` or ``open`` and printed an English traceback in the terminal.
    When the socket closes, :func:`stop_if_orphaned` watches its kernel.
    """
    from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

    class _KernelSocket(VoilaKernelWebsocketHandler):
        def _gone(self) -> bool:
            return getattr(self, "connection", None) is None

        def select_subprotocol(self, subprotocols):
            return None if self._gone() else super().select_subprotocol(subprotocols)

        async def open(self, kernel_id):
            # the page may close between the handshake and open(): the connection is then already dropped
            if not self._gone():
                await super().open(kernel_id)

        def on_message(self, ws_message):
            if not self._gone():
                super().on_message(ws_message)

        def on_close(self):
            if not self._gone():
                super().on_close()
                stop_if_orphaned(self.kernel_manager, self.kernel_id)

    return _KernelSocket


def adapt_handlers(handlers: list, base_url: str = "/") -> list:
    """Voilà's handler table with the kimson page handler, kernel socket and landing redirect swapped in."""
    from voila.tornado.handler import TornadoVoilaHandler
    from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler
    from voila.tornado.treehandler import TornadoVoilaTreeHandler

    page, redirect, socket_ = _page_handler_class(), _landing_redirect_class(), _websocket_handler_class()
    landing = base_url.rstrip("/") + f"/voila/render/{LANDING}"
    out = []
    for spec in handlers:
        pattern, cls, *rest = spec
        if cls is TornadoVoilaHandler:
            out.append((pattern, page, *rest))
        elif cls is VoilaKernelWebsocketHandler:
            out.append((pattern, socket_, *rest))
        elif cls is TornadoVoilaTreeHandler:
            out.append((pattern, redirect, {"url": landing}))
        else:
            out.append(spec)
    return out


def adapt_settings(settings: dict) -> dict:
    """Tornado settings: Vietnamese server pages (login, 404, errors) first, websocket ping, 404 handler."""
    import jinja2
    from jupyter_server.base.handlers import Template404

    env = settings.get("jinja2_env")
    if env is not None:
        loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(TEMPLATE_DIR)), env.loader])
        settings["jinja2_env"] = env.overlay(loader=loader)
    settings["ws_ping_interval"] = WS_PING_MS
    settings["ws_ping_timeout"] = WS_PING_MS
    settings["default_handler_class"] = Template404
    settings["default_handler_args"] = {}
    settings["log_function"] = log_request_vi
    return settings


#: Vietnamese words for the HTTP answers the terminal reports.
_HTTP_VI = {400: "yêu cầu không hợp lệ", 401: "chưa đăng nhập", 403: "bị từ chối (thiếu mã truy cập hoặc mã bảo vệ)",
            404: "không tìm thấy", 405: "thao tác không được hỗ trợ", 500: "lỗi của máy chủ ứng dụng"}


def log_request_vi(handler) -> None:
    """Tornado ``log_function``: refused or failed requests in Vietnamese, path only (never the query: the token)."""
    import logging

    status = handler.get_status()
    if status < 400:
        return
    req = handler.request
    text = _HTTP_VI.get(status, "không thực hiện được")
    log = logging.getLogger("tornado.access")
    (log.error if status >= 500 else log.warning)("Cảnh báo: %s %s → mã %d (%s).", req.method, req.path, status, text)


class _DuplicateHttpLogFilter:
    """Drops known English lines that say nothing to the user, and only those.

    * Tornado's and jupyter-server's duplicates of :func:`log_request_vi`'s line
      (``"%d %s: …"``, ``"wrote error: …"``);
    * pyzmq's ``"Got events for closed stream …"``: when a closed page's kernel is
      shut down, events already queued on its just-closed channel are dropped, as
      they should be, with this notice (``zmq.eventloop.zmqstream`` via
      ``tornado.general``).
    """

    @staticmethod
    def filter(record) -> bool:
        msg = str(record.msg)
        return not (msg.startswith("%d %s: ") or msg == "wrote error: %r"
                    or msg == "Got events for closed stream %s")


def quiet_duplicate_http_logs(*loggers) -> None:
    """Attach :class:`_DuplicateHttpLogFilter` to ``tornado.general`` and the given loggers (once)."""
    import logging

    for log in (logging.getLogger("tornado.general"), *loggers):
        if not any(isinstance(f, _DuplicateHttpLogFilter) for f in log.filters):
            log.addFilter(_DuplicateHttpLogFilter())


def pools_warm(kernel_manager) -> bool:
    """True when every preheated kernel has started and finished running its page (always True without pools)."""
    pools = getattr(kernel_manager, "_pools", None)
    if not pools:
        return True
    for pool in pools.values():
        for task in pool:
            if not task.done():
                return False
            if task.exception() is None:
                render = task.result().get("task")
                if render is not None and not render.done():
                    return False
    return True



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
    try:  # the audit record goes to the log of the dataset the app opens
        log_dataset = os.environ.get(DATASET_ENV) or find_dataset("data/kimson")
    except DataError:
        log_dataset = None
    record_run("app" + f" --port {args.port}" + (" --no-token" if args.no_token else "")
               + (f" --dataset {args.dataset}" if args.dataset else ""),
               dataset=log_dataset,
               scenario={"port": args.port, "token": bool(token), "apps": str(APPS_DIR),
                         "dataset": os.environ.get(DATASET_ENV, "data/kimson")})

    from tornado.ioloop import IOLoop, PeriodicCallback
    from voila.app import Voila

    if args.pool_size < 0:
        print(f"Lỗi: --pool-size {args.pool_size} không hợp lệ (cần 0 hoặc số dương).", file=sys.stderr)
        return 2

    def announce() -> None:
        print("Ứng dụng thử kịch bản đang chạy. Mở địa chỉ sau trong trình duyệt:", flush=True)
        print(f"  {url}", flush=True)
        if token:
            print("(Địa chỉ có mã truy cập; không gửi địa chỉ này cho người khác.)", flush=True)
        if args.pool_size > 0:
            print("Đang chuẩn bị sẵn các trang (khoảng nửa phút); trang mở ngay khi có dòng «Ứng dụng đã sẵn sàng».",
                  flush=True)
        print("Nhấn Ctrl+C để dừng.", flush=True)
        if not args.no_browser:
            try:
                webbrowser.open(url)
            except webbrowser.Error:
                pass

    use_template_root()
    app = Voila()
    app.initialize(voila_argv(args.port, token, args.pool_size))
    secure_voila(app, token)  # Host must be localhost/127.0.0.1 in every mode; no token in the log
    # the request log in Vietnamese, path only (no query, so no token either): replaces secure_voila's English one
    app.tornado_settings = {**app.tornado_settings, "log_function": log_request_vi}
    init_settings = app.init_settings  # Voilà creates its contents manager there, at start()
    init_handlers = app.init_handlers

    def init_settings_and_trust():
        settings = adapt_settings(init_settings())
        quiet_duplicate_http_logs(app.log)
        trust_app_notebooks(app.contents_manager)
        return settings

    app.init_settings = init_settings_and_trust
    app.init_handlers = lambda: adapt_handlers(init_handlers(), app.base_url)
    IOLoop.current().add_callback(announce)
    t0 = time.monotonic()

    def check_ready() -> None:
        if pools_warm(app.kernel_manager):
            watch.stop()
            seconds = f"{time.monotonic() - t0:.1f}".replace(".", ",")
            print(f"Ứng dụng đã sẵn sàng (chuẩn bị trong {seconds} giây).", flush=True)

    watch = PeriodicCallback(check_ready, 250)
    if args.pool_size > 0:
        IOLoop.current().add_callback(watch.start)
    try:
        app.start()  # returns when stopped (Ctrl+C or SIGTERM); shuts the kernels down
    except KeyboardInterrupt:
        app.stop()
    print("Đã dừng ứng dụng.", flush=True)
    return 0


__all__ = ["APPS_DIR", "CULL_IDLE_SECONDS", "DATASET_ENV", "DEFAULT_POOL_SIZE", "LANDING", "ORPHAN_GRACE_SECONDS",
           "adapt_handlers", "adapt_settings", "app_pages", "pools_warm", "register", "run", "stop_if_orphaned",
           "trust_app_notebooks", "voila_argv"]
