"""Settings for the test suite: the environment a test run needs, then the project's settings.

wnwa/settings.py reads only the environment, as in production; what differs under test is set
here, before it is read, or overridden after. pytest uses this module (pyproject.toml, Makefile).
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

# Test uploads never land in the project folder; the folder goes when the run ends.
_PRIVATE = Path(tempfile.mkdtemp(prefix="wnwa-test-private-"))
atexit.register(shutil.rmtree, _PRIVATE, True)

for name, value in {
    "DJANGO_SECRET_KEY": "tests-only-key-0123456789abcdefghijklmnopqrstuvwxyz-never-deployed",
    "EMAIL_URL": "console://",
    "WNWA_SITE_URL": "http://127.0.0.1:8000",
    "WNWA_SSL_REDIRECT": "0",
    "WNWA_PRIVATE_MEDIA_ROOT": str(_PRIVATE),
}.items():
    os.environ.setdefault(name, value)

from wnwa.settings import *  # noqa: E402, F403
from wnwa.settings import DATABASES, STORAGES  # noqa: E402

# Test databases are created and dropped per run; a connection pool would keep them open.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"] = {}

# A queued task runs as soon as it is enqueued (after the commit), so a test sees the email that
# a user would receive a moment later. The worker itself, with its database backend, retries and
# recovery, is tested against that backend (tests/wnwa/test_tasks.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Static files straight from the source folders: the suite does not run collectstatic.
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
WHITENOISE_USE_FINDERS = True
