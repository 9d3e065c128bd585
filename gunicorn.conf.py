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
