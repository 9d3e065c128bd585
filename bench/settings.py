"""Settings for bench/directory.py: the real settings, plus a baseline view, without DEBUG."""

import os

from wnwa.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# Serve static files from the source tree, as in development, so no collectstatic is needed.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}

# bench/directory.py's side-by-side run of the same pages with nothing kept in the cache (every
# card and the filters rendered on every request): what the cards' cache saves.
if os.environ.get("WNWA_BENCH_NO_CACHE") == "1":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
