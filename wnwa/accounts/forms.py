from django import forms

from wnwa.accounts.models import FamilyAccount


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "off"}
        ),
        help_text="The 6-digit code from your authenticator app, or one of your backup codes.",
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())


class SetupCodeForm(forms.Form):
    code = forms.RegexField(
        label="6-digit code",
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": "Enter the 6 digits your app shows, without spaces."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()


class EndAccessForm(forms.Form):
    """A retiree ends their own access: a tick, so that a stray tap ends nothing."""

    confirm = forms.BooleanField(
        label="Yes, end my access to the network now",
        error_messages={"required": "Tick the box to confirm that your access should end."},
    )


class FamilyInviteForm(forms.Form):
    """An officer invites an adult family member by email."""

    first_name = forms.CharField(
        label="Their first name (optional)",
        max_length=150,
        required=False,
        help_text="Used only to greet them in the invitation.",
    )
    email = forms.EmailField(
        label="Their email address",
        max_length=254,
        help_text="Their own, personal address: they sign in with it.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    relation = forms.ChoiceField(
        label="They are your", choices=FamilyAccount.Relation.choices, widget=forms.RadioSelect
    )
    adult = forms.BooleanField(
        label="They are 18 or older",
        error_messages={"required": "The network is for adults: tick the box to confirm."},
    )

    def clean_first_name(self) -> str:
        return " ".join(self.cleaned_data["first_name"].split())


class WithdrawForm(forms.Form):
    """A tick, so that a stray tap withdraws nothing."""

    confirm = forms.BooleanField(
        label="Yes, withdraw it now",
        error_messages={"required": "Tick the box to confirm."},
    )
