from functools import cache

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe

from wnwa.context_processors import constants
from wnwa.lib.urls import reverse_or_none

register = template.Library()


@register.simple_tag
def url_or_none(name: str) -> str | None:
    """{% url_or_none "peers:directory" as url %}: a link to a part of the product, or nothing
    while that part is not installed."""
    return reverse_or_none(name)


@register.simple_tag
def include_fixed(template_name: str) -> SafeString:
    """{% include_fixed "_crisis_lines.html" %}: a part of every page that depends on nothing
    but the settings and the URLs (the crisis lines, the footer), rendered with the site's
    constants (`wnwa.context_processors.constants`) once per process rather than on every
    request, where it cost more than a short page's own content. Not for anything that reads
    the request, the user or the clock. Rendered afresh on every use while DEBUG, so an edited
    template shows at once, and after any setting changes (the tests)."""
    if settings.DEBUG:
        return _render(template_name)
    return _rendered(template_name, get_script_prefix())


def _render(template_name: str) -> SafeString:
    # An escaping template's output.
    return mark_safe(render_to_string(template_name, constants()))  # noqa: S308


@cache
def _rendered(template_name: str, prefix: str) -> SafeString:
    return _render(template_name)


@receiver(setting_changed)
def _forget_rendered(**kwargs) -> None:
    _rendered.cache_clear()
