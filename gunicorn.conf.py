"""gunicorn settings. docs/privacy.md rule 5: no access log, errors only."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
accesslog = None
errorlog = "-"
loglevel = "error"
# The privacy filter on gunicorn's own handlers: "Error handling request /path" names the path.
logger_class = "wnwa.logging.GunicornLogger"
timeout = 30
graceful_timeout = 20
max_requests = 5000
max_requests_jitter = 500
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Build the directory index before the worker takes its first request.

    Workers are replaced every few thousand requests (max_requests); without this, the first
    officer to reach a new worker's directory would wait for the build (peers.selectors).
    A database that is not there yet only postpones the build to the first search.
    """
    from django.conf import settings
    from django.db import connections
    from django.utils import timezone

    if settings.PEERS_DIRECTORY_MEMO_SECONDS <= 0:
        return
    from peers.selectors import DirectoryIndex

    try:
        DirectoryIndex.current(today=timezone.localdate())
    except Exception as error:  # noqa: BLE001 - a worker must start even without its database
        worker.log.error("directory index not built at start: %s", type(error).__name__)
    finally:
        connections.close_all()
