import datetime

from django import forms
from django.utils import timezone

from peers.models import AVAILABLE_HOURS, BIO_MAX, ExperienceArea, Language, PeerListing
from wnwa.lib.choices import ModelMultipleChoiceField
from wnwa.lib.phones import to_e164
from wnwa.lib.states import US_STATES
from wnwa.lib.widgets import QuickSelect

MAX_PAUSE_DAYS = 366


class PhoneField(forms.CharField):
    """Accepts what people type, national or international; cleans to E.164."""

    widget = forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"})

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return to_e164(value) if value else ""


class DirectoryForm(forms.Form):
    """The directory's filters, read from the query string."""

    q = forms.CharField(
        label="Name or department",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    area = forms.ChoiceField(label="Experience", required=False, widget=QuickSelect)
    language = forms.ChoiceField(required=False, widget=QuickSelect)
    gender = forms.ChoiceField(
        choices=[("", "Any gender"), *PeerListing.Gender.choices],
        required=False,
        widget=QuickSelect,
    )
    state = forms.ChoiceField(
        choices=[("", "Any state"), *US_STATES], required=False, widget=QuickSelect
    )
    county = forms.CharField(required=False, max_length=100)
    available = forms.BooleanField(label="Available now", required=False)
    include_own = forms.BooleanField(label="Include my own department", required=False)

    # How to loosen each filter, said to someone whose search found nobody.
    LOOSEN = {
        "q": "Clear the name or department search",
        "area": "Any experience",
        "language": "Any language",
        "gender": "Any gender",
        "state": "Any state",
        "county": "Any county",
        "available": "Not only those available now",
        "include_own": "Include your own department",
    }

    def __init__(
        self,
        data=None,
        *,
        areas: list[ExperienceArea],
        languages: list[Language],
        states_with_peers: list[str] = (),
        **kwargs,
    ):
        """`areas` and `languages` are the lists on offer (`peers.directory.directory_choices`,
        kept in the cache, so that showing the filters costs no query); the states with listed
        peers come first in the state list."""
        super().__init__(data, **kwargs)
        if states_with_peers:
            first = [(code, name) for code, name in US_STATES if code in set(states_with_peers)]
            rest = [(code, name) for code, name in US_STATES if code not in set(states_with_peers)]
            self.fields["state"].choices = [
                ("", "Any state"),
                ("States with peers listed", first),
                ("Other states", rest),
            ]
        self.areas = {area.slug: area for area in areas}
        self.languages = {language.name: language for language in languages}
        self.fields["area"].choices = [("", "Any experience")] + [
            (area.slug, area.name) for area in areas
        ]
        self.fields["language"].choices = [("", "Any language")] + [
            (language.name, language.name) for language in languages
        ]

    def clean_area(self) -> ExperienceArea | None:
        return self.areas.get(self.cleaned_data["area"])

    def clean_language(self) -> Language | None:
        return self.languages.get(self.cleaned_data["language"])

    def clean_county(self):
        county = " ".join(self.cleaned_data["county"].split())
        return county.removesuffix(" County").removesuffix(" county").removesuffix(" COUNTY")


class ListingForm(forms.ModelForm):
    call_number = PhoneField(
        label="Number for calls",
        help_text="Your own phone, e.g. (312) 555-0142. It is shown only to signed-in officers.",
    )
    text_number = PhoneField(
        label="Number for texts",
        required=False,
        help_text="Leave empty if this phone cannot receive texts.",
    )
    languages = ModelMultipleChoiceField(
        Language.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one language you can talk in."},
    )
    areas = ModelMultipleChoiceField(
        ExperienceArea.objects.all(),
        label="Areas of experience",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one area you can speak to."},
    )

    class Meta:
        model = PeerListing
        fields = [
            "shown_name",
            "rank",
            "years_of_service",
            "gender",
            "languages",
            "areas",
            "bio",
            "call_number",
            "text_number",
            "reachability",
            "weekly_hours",
        ]
        labels = {"gender": "Gender (optional)", "bio": "A few words about you (optional)"}
        help_texts = {
            "bio": f"At most {BIO_MAX} characters. What you have been through, how you listen.",
            "weekly_hours": "Only if you chose weekly hours, e.g. Weeknights 6-10 pm, Sundays.",
        }
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 5, "maxlength": BIO_MAX}),
            "reachability": forms.RadioSelect,
            "years_of_service": forms.NumberInput(attrs={"min": 0, "max": 60}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gender"].choices = [("", "Prefer not to say"), *PeerListing.Gender.choices]
        self.fields["shown_name"].required = True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reachability") == PeerListing.Reachability.HOURS:
            if not cleaned.get("weekly_hours", "").strip():
                self.add_error("weekly_hours", "Say when you can be reached each week.")
        elif "weekly_hours" in cleaned:
            cleaned["weekly_hours"] = ""
        return cleaned


class AvailabilityForm(forms.Form):
    hours = forms.TypedChoiceField(
        label="Available now for",
        coerce=int,
        choices=[(h, f"{h} hour{'s' if h > 1 else ''}") for h in AVAILABLE_HOURS],
        initial=2,
    )


class PauseForm(forms.Form):
    until = forms.DateField(
        label="Show my listing again on",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_until(self):
        until = self.cleaned_data["until"]
        today = timezone.localdate()
        if until <= today:
            raise forms.ValidationError("Choose a day after today.")
        if until > today + datetime.timedelta(days=MAX_PAUSE_DAYS):
            raise forms.ValidationError("Pause for a year at most; you can pause again later.")
        return until
