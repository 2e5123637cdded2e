"""Lock-down of the explorer server (``kimson-ds app``), in every mode including ``--no-token``.

* :func:`guard_hosts`: every request whose ``Host`` header is not
  ``localhost`` or ``127.0.0.1`` (any port) gets 403 before any handler runs,
  so a web page elsewhere cannot drive the app through DNS rebinding.
* :func:`log_request`: the request log shows the path without its query
  string, so the access token (``?token=…``) never reaches the log;
  :class:`SecretFilter` also removes the token from any other log line.
* :func:`secure_voila`: applies both to a :class:`voila.app.Voila` before it starts.
"""

from __future__ import annotations

import logging
import re

#: Host names (without port) the server answers.
ALLOWED_HOSTS = ("localhost", "127.0.0.1")

_HOST = re.compile(r"^(?P<host>\[[^\]]*\]|[^:]*)(:(?P<port>\d+))?$")


def host_allowed(host_header: str | None) -> bool:
    """``True`` when a ``Host`` header names this machine as ``localhost`` or ``127.0.0.1`` (port optional)."""
    m = _HOST.match((host_header or "").strip())
    return bool(m) and m.group("host").lower() in ALLOWED_HOSTS


def guard_hosts(application) -> None:
    """Put a first routing rule into a tornado application that refuses any other ``Host`` with 403."""
    from tornado.routing import Matcher, Rule
    from tornado.web import HTTPError, RequestHandler

    class _ForeignHost(Matcher):
        def match(self, request):
            return None if host_allowed(request.headers.get("Host")) else {}

    class _Refuse(RequestHandler):
        def prepare(self):
            raise HTTPError(403)

        def write_error(self, status_code, **kwargs):
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish("Từ chối: ứng dụng chỉ phục vụ địa chỉ localhost hoặc 127.0.0.1.")

    application.default_router.rules.insert(0, Rule(_ForeignHost(), _Refuse))


def log_request(handler) -> None:
    """Tornado ``log_function``: status, method, path (no query string, so no token), client, time."""
    from tornado.log import access_log

    status = handler.get_status()
    if status < 400:
        log = access_log.debug
    elif status < 500:
        log = access_log.warning
    else:
        log = access_log.error
    req = handler.request
    log("%d %s %s (%s) %.2fms", status, req.method, req.path, req.remote_ip, 1000.0 * req.request_time())


class SecretFilter(logging.Filter):
    """Replace a secret (the access token) in every log record that passes through a handler."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secret:
            try:
                text = record.getMessage()
            except Exception:  # noqa: BLE001 - a malformed record is left as it is
                return True
            if self.secret in text:
                record.msg, record.args = text.replace(self.secret, "[mã truy cập]"), ()
        return True


def _all_handlers(extra_loggers=()) -> list[logging.Handler]:
    loggers = [logging.getLogger(), logging.getLogger("tornado"), *extra_loggers]
    loggers += [lg for lg in logging.root.manager.loggerDict.values() if isinstance(lg, logging.Logger)]
    seen, out = set(), []
    for lg in loggers:
        for h in lg.handlers:
            if id(h) not in seen:
                seen.add(id(h))
                out.append(h)
    return out


def secure_voila(app, token: str | None) -> None:
    """Lock down a Voilà application (call after ``initialize``, before ``start``).

    Parameters
    ----------
    app : voila.app.Voila
    token : str or None
        The access token, kept out of every log line.
    """
    app.tornado_settings = {**app.tornado_settings, "log_function": log_request}
    listen = app.listen

    def listen_guarded():
        guard_hosts(app.app)
        if token:
            for h in _all_handlers([app.log]):
                if not any(isinstance(f, SecretFilter) for f in h.filters):
                    h.addFilter(SecretFilter(token))
        return listen()

    app.listen = listen_guarded
