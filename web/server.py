"""Running the app under gunicorn (several worker processes, threads in each), never Flask's debug server."""

import os

from gunicorn.app.base import BaseApplication

from web import create_app


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
        # Gunicorn's largest request line (default 4094): a pasted paragraph of a few thousand
        # characters is a normal search (GET /?q=…).
        "limit_request_line": 8190,
    }
    # The app reads its settings like any deployment: defaults, instance/config.py, NEWSEARCH_* variables.
    os.environ["NEWSEARCH_INDEX_DIR"] = index_dir
    os.environ.setdefault("NEWSEARCH_WARM_UP", "true")
    _Server(options).run()
