"""Logs that cannot identify anyone (docs/privacy.md, rule 5).

`PrivacyFilter` sits on every handler the project configures (Django's LOGGING and gunicorn's
error log), so no logger can slip past it, whatever it is called or however it propagates:

- A record from a logger that is not the project's own keeps only its fixed text: each argument
  becomes "…" (Django's "Forbidden (%s): %s" names the reason and the path, gunicorn's
  "Error handling request %s" the path, and an invitation or reset path is a key to an account).
- In every record, anything shaped like an email address, an IP address, a URL or a path is
  replaced, and so is quoted text in other loggers' messages (DisallowedHost quotes the host).
- An exception keeps its kind and where in the code it happened, never its message, which may
  quote data; attributes that carry the request (Django's `record.request`) are removed.

The project's own loggers (its packages' names) write only route names, kinds and counts to
begin with; a package missing from OWN only loses its arguments, never leaks.
"""

import logging
import re
import traceback

from gunicorn.glogging import Logger as GunicornBaseLogger

OWN = ("wnwa", "departments", "peers", "professionals", "trainings", "resources", "contact")
REDACTED = "…"

# printf-style placeholders: %s, %d, %(name)s, %-10.3f, ...
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa]")
IDENTIFYING = [
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
    (re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.I), "[url]"),
    (re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b"), "[address]"),
    (re.compile(r"(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\w:])", re.I), "[address]"),
    (re.compile(r"(?<![\w.])/[^\s'\"<>]*"), "[path]"),
]
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
REQUEST_ATTRIBUTES = ("request", "status_code", "client_addr", "user", "headers", "scope")


def scrub(text: str, *, quoted: bool = False) -> str:
    if quoted:
        text = QUOTED.sub(f"'{REDACTED}'", text)
    for pattern, replacement in IDENTIFYING:
        text = pattern.sub(replacement, text)
    return text


class PrivacyFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        own = record.name.split(".", 1)[0] in OWN
        if own:
            message = record.getMessage()
        else:
            message = PLACEHOLDER.sub(REDACTED, str(record.msg)).replace("%%", "%")
        record.msg, record.args = scrub(message, quoted=not own), ()
        if record.exc_info and record.exc_info[0] is not None:
            kind, _, trace = record.exc_info
            frames = "".join(traceback.format_tb(trace))
            record.exc_text = f"Traceback (most recent call last):\n{frames}{kind.__qualname__}"
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = scrub(record.exc_text, quoted=True)
        for attribute in REQUEST_ATTRIBUTES:
            if hasattr(record, attribute):
                delattr(record, attribute)
        return True


class GunicornLogger(GunicornBaseLogger):
    """gunicorn's logger with the privacy filter on its own handlers (gunicorn.conf.py): its
    error log is configured by gunicorn, not by Django's LOGGING."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.addFilter(PrivacyFilter())
