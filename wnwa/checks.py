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
