"""Deployment checks of our own, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def shared_cache(app_configs, **kwargs):
    """Rate limits and the TOTP replay guard only work across workers with a shared cache."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [
            Warning(
                "The cache is local to each process, so sign-in rate limits and the one-use rule "
                "for authenticator codes do not hold across gunicorn workers or servers.",
                hint="Set REDIS_URL.",
                id="wnwa.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def site_url(app_configs, **kwargs):
    """Emails sent by commands and the poster's QR code need the site's real public address."""
    url = settings.SITE_URL
    if not url.startswith("https://") or "127.0.0.1" in url or "localhost" in url:
        return [
            Warning(
                f"WNWA_SITE_URL is {url!r}: links in emails and on the poster would not reach "
                "the site.",
                hint="Set WNWA_SITE_URL to the public https address, e.g. https://portal.example.org",
                id="wnwa.W002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def shared_files(app_configs, **kwargs):
    """Documents in one server's folder are missing on every other server behind the balancer."""
    if settings.PRIVATE_FILES_BUCKET:
        return []
    return [
        Warning(
            "Private documents (licences, certificates, designations, resource PDFs) are stored "
            f"on this server's disk ({settings.PRIVATE_MEDIA_ROOT}): another server, or a new "
            "container, would not have them.",
            hint="Set WNWA_STORAGE_URL to a private bucket, e.g. s3://bucket?region=us-east-1 "
            "(README, Configuration), then run `manage.py copy_files_to_bucket`.",
            id="wnwa.W004",
        )
    ]


@register(Tags.security, deploy=True)
def shared_database(app_configs, **kwargs):
    """SQLite is a file on one server's disk: `make run`'s default, never production's."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return []
    return [
        Warning(
            "The database is SQLite, a file on this server's disk: a second server, or a new "
            "container, would start from another one.",
            hint="Set DATABASE_URL to PostgreSQL, e.g. postgres://user:password@host:5432/wnwa.",
            id="wnwa.W005",
        )
    ]
