from django import forms


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
