from django.urls import NoReverseMatch, reverse


def reverse_or_none(name: str) -> str | None:
    """The URL of a page, or None while the part of the product that owns it is not installed."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None
