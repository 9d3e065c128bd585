"""Phone numbers: read what people type, store E.164, show the national form.

The phonenumbers library (Google's libphonenumber metadata) decides what is a real number. Every
form that takes a phone number (peer listings, professionals, registrations, enquiries) cleans it
here; each may word the refusal its own way.
"""

import phonenumbers
from django.core.exceptions import ValidationError

DEFAULT_REGION = "US"
INVALID = (
    "Enter a number a phone can dial, for example (312) 555-0142, or +44 20 7946 0958 "
    "for a number outside the US."
)


def to_e164(raw: str, region: str = DEFAULT_REGION, *, message: str = INVALID) -> str:
    """`raw` in national or international form as E.164; ValidationError when it is not a number."""
    text = (raw or "").strip()
    if len(text) > 40:
        raise ValidationError(message, code="invalid_phone")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(message, code="invalid_phone") from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(message, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_e164(value: str) -> None:
    """Model validator: a stored number must already be canonical E.164."""
    if value and to_e164(value) != value:
        raise ValidationError("Store phone numbers in E.164, for example +13125550142.")


def display(value: str, region: str = DEFAULT_REGION) -> str:
    """How a stored number reads on a card: national at home, international abroad."""
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return value
    home = phonenumbers.region_code_for_number(number) == region
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if home
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)
