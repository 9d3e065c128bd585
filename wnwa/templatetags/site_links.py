from django import template

from wnwa.lib.urls import reverse_or_none

register = template.Library()


@register.simple_tag
def url_or_none(name: str) -> str | None:
    """{% url_or_none "peers:directory" as url %}: a link to a part of the product, or nothing
    while that part is not installed."""
    return reverse_or_none(name)
