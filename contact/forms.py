from django import forms

from contact.models import Enquiry
from wnwa.lib.phones import to_e164


class EnquiryForm(forms.ModelForm):
    # A field people never see (hidden by CSS and from assistive technology); bots fill it in.
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1", "class": "hp"}),
    )

    class Meta:
        model = Enquiry
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        attrs = {
            "name": {"autocomplete": "name"},
            "email": {"autocomplete": "email"},
            "phone": {"autocomplete": "tel", "inputmode": "tel"},
            "organisation": {"autocomplete": "organization"},
            "role": {"autocomplete": "organization-title"},
        }
        for name, extra in attrs.items():
            if name in self.fields:
                self.fields[name].widget.attrs.update(extra)
        if "phone" in self.fields:
            self.fields["phone"].help_text = "A US number, or an international one starting with +."

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def clean_phone(self) -> str:
        raw = self.cleaned_data.get("phone", "")
        if not raw:
            return ""
        return to_e164(raw, message="Enter a phone number we can call, such as 312-555-0100.")

    def clean(self):
        cleaned = super().clean()
        for name in ("name", "organisation", "role", "preferred_times"):
            # One-line fields stay one line: they end up in staff email.
            if cleaned.get(name):
                cleaned[name] = " ".join(cleaned[name].split())
        return cleaned


class ContactForm(EnquiryForm):
    class Meta:
        model = Enquiry
        fields = ["name", "email", "organisation", "message"]
        labels = {"message": "Your message", "organisation": "Department or organisation"}
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["message"].required = True
        self.fields["organisation"].required = False


class DemoRequestForm(EnquiryForm):
    class Meta:
        model = Enquiry
        fields = ["name", "organisation", "role", "email", "phone", "preferred_times", "message"]
        labels = {
            "organisation": "Department",
            "role": "Your role",
            "preferred_times": "When suits you for a demo",
            "message": "Anything we should know (optional)",
        }
        help_texts = {
            "preferred_times": "Days and times, and whether you prefer a video call or a visit.",
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("organisation", "role", "phone", "preferred_times"):
            self.fields[name].required = True
        self.fields["role"].widget.attrs["placeholder"] = "Chief, wellness coordinator…"


class MemberListRequestForm(EnquiryForm):
    class Meta:
        model = Enquiry
        fields = ["name", "organisation", "role", "email", "message"]
        labels = {
            "organisation": "Department or organisation",
            "role": "Your role",
            "message": "Why you would like the list (optional)",
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].required = True
