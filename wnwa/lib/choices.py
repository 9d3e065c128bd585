"""Form fields choosing database rows, safe against ids no database column can hold."""

from django import forms
from django.core.exceptions import ValidationError

# Every id a 64-bit integer primary key (BigAutoField) can take.
ID_RANGE = range(-(2**63), 2**63)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, refusing a number past 64 bits as an invalid choice.

    Django checks the submitted ids with one `pk__in` query. SQLite cannot bind an integer past
    64 bits and raises OverflowError from inside that query, a server error for a hostile or
    mistyped value; PostgreSQL finds no row. (A single choice is safe: Django's exact lookup
    already treats an out-of-range number as matching nothing.)
    """

    def clean(self, value):
        if isinstance(value, list | tuple):
            for item in value:
                try:
                    number = int(str(item))
                except ValueError:
                    continue  # not a number at all: Django's own check refuses it
                if number not in ID_RANGE:
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": item},
                    )
        return super().clean(value)
