from django import template

from wnwa.lib import phones

register = template.Library()


@register.filter
def phone_display(e164: str) -> str:
    """+16085550142 as (608) 555-0142 (a number abroad in international form); anything
    unparsable as it is."""
    return phones.display(e164) if e164 else ""
