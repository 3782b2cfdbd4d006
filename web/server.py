"""Running the app under gunicorn (several worker processes, threads in each), never Flask's debug server.

Two things gunicorn does by itself are changed, so that what its front end answers keeps the API's
promises:

* its request-line cap (8,190 bytes at most, whatever ``limit_request_line`` says) is raised to
  :data:`REQUEST_LINE_LIMIT`, so every request within the documented parameter limits reaches the
  app, which answers a too-long parameter with its own JSON 400;
* the errors it answers before the app sees a request (a request line over the limit: 414; a
  malformed request: 400; headers too large: 431) come in the API's JSON error shape, with the same
  security headers as every other answer, instead of its bare HTML page.

Both are module attributes of gunicorn's (:func:`_patch_gunicorn` checks they are there).
"""

import json
import os

import gunicorn.http.message
import gunicorn.util
from gunicorn.app.base import BaseApplication

from web import SECURITY_HEADERS
from web import create_app
from web.errors import error_body

#: Longest request line read (method, path and query string), in bytes. The longest request within
#: the documented limits is a 10,000-character ``q`` and 20 ``figure`` and 20 ``source`` values of 200
#: characters, in a script whose characters take 4 bytes in UTF-8, 12 once percent-encoded: about
#: 220,000 bytes (tests/test_robust_server.py computes it from the limits).
REQUEST_LINE_LIMIT = 256 * 1024
#: What the front end's errors are called in the JSON error shape (``code``), by HTTP status.
FRONT_END_CODES = {400: "bad_request", 403: "forbidden", 414: "uri_too_long", 417: "expectation_failed",
                   431: "header_fields_too_large", 500: "internal_error", 501: "not_implemented"}
#: What each says (gunicorn's own messages name its internals).
FRONT_END_MESSAGES = {
    400: "The request is not valid HTTP.",
    414: f"The request line (method, path and query string) is longer than {REQUEST_LINE_LIMIT:,} bytes.",
    431: "The request's header fields are too large.",
}


class _Server(BaseApplication):
    def __init__(self, options):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return create_app()


def run(index_dir: str, host: str, port: int, workers: int, threads: int) -> None:
    """Serve until SIGINT/SIGTERM; gunicorn lets requests in flight finish (graceful shutdown)."""
    _patch_gunicorn()
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "graceful_timeout": 10,
        "timeout": 60,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "limit_request_line": REQUEST_LINE_LIMIT,
    }
    # The app reads its settings like any deployment: defaults, instance/config.py, NEWSEARCH_* variables.
    os.environ["NEWSEARCH_INDEX_DIR"] = index_dir
    os.environ.setdefault("NEWSEARCH_WARM_UP", "true")
    _Server(options).run()


def _patch_gunicorn() -> None:
    """Raise gunicorn's request-line cap and have its error answers use the JSON shape (idempotent)."""
    for module, name in ((gunicorn.http.message, "MAX_REQUEST_LINE"), (gunicorn.util, "write_error")):
        if not hasattr(module, name):
            raise RuntimeError(f"gunicorn {gunicorn.__version__} has no {module.__name__}.{name}: "
                               "newsearch's server needs it (see web/server.py)")
    gunicorn.http.message.MAX_REQUEST_LINE = REQUEST_LINE_LIMIT
    gunicorn.util.write_error = write_error


def write_error(sock, status_int, reason, mesg) -> None:
    """gunicorn's ``util.write_error``, answering in the API's JSON error shape with security headers."""
    code = FRONT_END_CODES.get(status_int, reason.lower().replace(" ", "_"))
    message = FRONT_END_MESSAGES.get(status_int, mesg or reason)
    body = json.dumps(error_body(status_int, code, message)).encode()
    headers = {"Connection": "close", "Content-Type": "application/json", "Content-Length": str(len(body)),
               **SECURITY_HEADERS}
    head = f"HTTP/1.1 {status_int} {reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    gunicorn.util.write_nonblock(sock, head.encode("latin-1") + b"\r\n" + body)
