"""One way to read a phone number for every form, each in its own words."""

import pytest
from django.core.exceptions import ValidationError

from wnwa.lib.phones import display, to_e164


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("(312) 555-0142", "+13125550142"), ("+44 20 7946 0958", "+442079460958")],
)
def test_national_and_international_numbers_are_stored_as_e164(typed, stored):
    assert to_e164(typed) == stored


@pytest.mark.parametrize("typed", ["12", "call me maybe", "1" * 41, ""])
def test_a_form_words_the_refusal_its_own_way(typed):
    with pytest.raises(ValidationError, match="Enter a phone number we can call"):
        to_e164(typed, message="Enter a phone number we can call.")


def test_numbers_read_national_at_home_and_international_abroad():
    assert display("+13125550142") == "(312) 555-0142"
    assert display("+442079460958") == "+44 20 7946 0958"
    assert display("not a number") == "not a number"
