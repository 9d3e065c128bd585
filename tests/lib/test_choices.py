"""Choosing rows by id: a number no id column can hold is an invalid choice, not a server error."""

import pytest
from django.core.exceptions import ValidationError

from peers.models import Language
from tests.factories import LanguageFactory
from wnwa.lib.choices import ModelMultipleChoiceField

pytestmark = pytest.mark.django_db


def field() -> ModelMultipleChoiceField:
    return ModelMultipleChoiceField(Language.objects.all(), required=False)


def test_real_ids_are_chosen():
    english, spanish = LanguageFactory(name="English"), LanguageFactory(name="Spanish")
    assert set(field().clean([str(english.pk), spanish.pk])) == {english, spanish}


@pytest.mark.parametrize(
    "value",
    [str(2**63), str(-(2**63) - 1), "9" * 400, "-" + "9" * 30],
)
def test_a_number_past_64_bits_is_an_invalid_choice(value):
    LanguageFactory(name="English")
    with pytest.raises(ValidationError) as refused:
        field().clean(["1", value])
    assert refused.value.code == "invalid_choice"


@pytest.mark.parametrize("value", ["abc", "1e309", "", "\x00"])
def test_what_is_not_a_number_is_still_refused_by_django(value):
    with pytest.raises(ValidationError):
        field().clean([value])


def test_the_largest_64_bit_id_is_merely_not_found():
    with pytest.raises(ValidationError) as refused:
        field().clean([str(2**63 - 1)])
    assert refused.value.code == "invalid_choice"
