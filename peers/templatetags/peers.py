from django import template

from peers import phones

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """A stored E.164 number as people read it: (312) 555-0142, or +44 20 7946 0958 abroad."""
    return phones.display(value) if value else ""
