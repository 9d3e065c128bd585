from django import forms

from wnwa.passkeys.services import NAME_MAX


class NameForm(forms.Form):
    name = forms.CharField(
        label="Name (optional)",
        max_length=NAME_MAX,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text="Such as the phone it lives on. Left empty, it keeps the name shown.",
    )
