"""Logging pieces that keep officers unidentifiable (PRIVACY.md rule 5)."""

import logging
import traceback


class DropRequestDetails(logging.Filter):
    """Strip anything request-shaped a third-party logger attaches to a record.

    Django and other libraries put the request (and through it the path, the address and the
    cookies) on records as `record.request`; a handler that formatted it would leak usage. The
    message itself is left alone: our own loggers never put identifying text in it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        for attribute in ("request", "status_code", "client_addr", "user"):
            if hasattr(record, attribute):
                delattr(record, attribute)
        return True


class ScrubDjangoRequest(logging.Filter):
    """Django's request logger names the path ("Not Found: /path"). Keep only server errors, and
    keep them without the path, the request or the exception's message (which may quote data):
    the error's kind and where in the code it happened are enough to fix it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.ERROR:
            return False
        record.msg = str(record.msg).split(":", 1)[0]
        record.args = ()
        if record.exc_info:
            kind, _, trace = record.exc_info
            record.exc_text = "".join(traceback.format_tb(trace)) + kind.__qualname__
            record.exc_info = None
        for attribute in ("request", "status_code"):
            if hasattr(record, attribute):
                delattr(record, attribute)
        return True
