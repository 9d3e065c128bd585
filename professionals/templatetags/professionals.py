import phonenumbers
from django import template

register = template.Library()


@register.filter
def phone_display(e164: str) -> str:
    """+16085550142 as (608) 555-0142; anything unparsable as it is."""
    try:
        number = phonenumbers.parse(e164, "US")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
