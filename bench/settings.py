"""Settings for bench/directory.py: the real settings, plus a baseline view, without DEBUG."""

from wnwa.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# Serve static files from the source tree, as in development, so no collectstatic is needed.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
