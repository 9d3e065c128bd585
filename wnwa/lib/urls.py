from django.urls import NoReverseMatch, reverse


def reverse_or_none(name: str, kwargs: dict | None = None) -> str | None:
    """The URL of a page, or None while the part of the product that owns it is not installed."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None
