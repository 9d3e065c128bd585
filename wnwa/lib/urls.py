from functools import cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse


def reverse_or_none(name: str, kwargs: dict | None = None) -> str | None:
    """The URL of a page, or None while the part of the product that owns it is not installed."""
    if not kwargs:
        return _page_url(name, get_script_prefix(), get_urlconf())
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


@cache
def _page_url(name: str, prefix: str, urlconf: str | None) -> str | None:
    """A page's URL without arguments, which only the URLconf and the prefix decide: worked out
    once per process (Django's `reverse` took about 30 microseconds a link, and the navigation
    and footer ask for twenty on every page). Cleared whenever a setting changes (the tests'
    URLconfs)."""
    try:
        return reverse(name, urlconf=urlconf)
    except NoReverseMatch:
        return None


@receiver(setting_changed)
def _forget_page_urls(**kwargs) -> None:
    _page_url.cache_clear()
