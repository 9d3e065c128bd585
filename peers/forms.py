import datetime
import functools

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from peers import schedule
from peers.models import AVAILABLE_HOURS, BIO_MAX, ExperienceArea, Language, PeerListing
from wnwa.lib.choices import ModelMultipleChoiceField
from wnwa.lib.phones import to_e164
from wnwa.lib.states import US_STATES
from wnwa.lib.widgets import QuickCheckboxInput, QuickSelect, QuickTextInput

MAX_PAUSE_DAYS = 366
DAYS, DAY_SLOTS = schedule.DAYS, schedule.DAY_SLOTS


class PhoneField(forms.CharField):
    """Accepts what people type, national or international; cleans to E.164."""

    widget = forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"})

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return to_e164(value) if value else ""


@functools.lru_cache(maxsize=64)
def _state_choices(states_with_peers: tuple[str, ...]) -> list:
    """The state list, those with listed peers first (a pure function of them, remembered)."""
    if not states_with_peers:
        return [("", "Any state"), *US_STATES]
    listed = set(states_with_peers)
    return [
        ("", "Any state"),
        ("States with peers listed", [(code, name) for code, name in US_STATES if code in listed]),
        ("Other states", [(code, name) for code, name in US_STATES if code not in listed]),
    ]


class DirectoryForm(forms.Form):
    """The directory's filters, read from the query string."""

    q = forms.CharField(
        label="Name or department",
        required=False,
        max_length=100,
        widget=QuickTextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    area = forms.ChoiceField(label="Experience", required=False, widget=QuickSelect)
    language = forms.ChoiceField(required=False, widget=QuickSelect)
    gender = forms.ChoiceField(
        choices=[("", "Any gender"), *PeerListing.Gender.choices],
        required=False,
        widget=QuickSelect,
    )
    # The list is set for each form (`_state_choices`): a copy of fifty-seven choices made with
    # every form, only to be replaced, cost more than the rest of the form.
    state = forms.ChoiceField(choices=[("", "Any state")], required=False, widget=QuickSelect)
    county = forms.CharField(required=False, max_length=100, widget=QuickTextInput)
    available = forms.BooleanField(
        label="Reachable now",
        required=False,
        help_text="Switched on, day and night, or within their weekly hours.",
        widget=QuickCheckboxInput,
    )
    include_own = forms.BooleanField(
        label="Include my own department", required=False, widget=QuickCheckboxInput
    )

    # How to loosen each filter, said to someone whose search found nobody.
    LOOSEN = {
        "q": "Clear the name or department search",
        "area": "Any experience",
        "language": "Any language",
        "gender": "Any gender",
        "state": "Any state",
        "county": "Any county",
        "available": "Not only those reachable now",
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
        self.fields["state"].choices = _state_choices(tuple(states_with_peers))
        self.areas = {area.slug: area for area in areas}
        self.languages = {language.name: language for language in languages}
        self.fields["area"].choices = [("", "Any experience")] + [
            (area.slug, area.name) for area in areas
        ]
        self.fields["language"].choices = [("", "Any language")] + [
            (language.name, language.name) for language in languages
        ]

    @property
    def grid(self) -> list:
        """The filters laid out side by side, in order."""
        return [self[name] for name in ("area", "language", "gender", "state", "county")]

    def clean_area(self) -> ExperienceArea | None:
        return self.areas.get(self.cleaned_data["area"])

    def clean_language(self) -> Language | None:
        return self.languages.get(self.cleaned_data["language"])

    def clean_county(self):
        county = " ".join(self.cleaned_data["county"].split())
        return county.removesuffix(" County").removesuffix(" county").removesuffix(" COUNTY")


class WeeklyHoursWidget(forms.Widget):
    """The weekly hours as a few ranges, each some days and a time from and to.

    Rendered by the project's template engine (peers/_weekly_hours.html) rather than a form
    renderer's, so that it is a template like the rest; it needs no JavaScript.
    """

    RANGES = 3
    template = "peers/_weekly_hours.html"
    # A group of inputs under one legend, like the choice widgets: the form and its error summary
    # (templates/_form.html, _error_summary.html) give it a fieldset and link to that.
    use_fieldset = True

    def value_from_datadict(self, data, files, name):
        getlist = getattr(data, "getlist", lambda key: data.get(key) or [])
        return [
            (
                getlist(f"{name}_{index}_days"),
                data.get(f"{name}_{index}_from", ""),
                data.get(f"{name}_{index}_to", ""),
            )
            for index in range(self.RANGES)
        ]

    def value_omitted_from_data(self, data, files, name):
        return not any(key.startswith(f"{name}_") for key in data)

    def id_for_label(self, id_):
        return f"{id_}_0_from" if id_ else None

    def _rows(self, value) -> list[tuple[list[str], str, str]]:
        if isinstance(value, str):  # the stored week
            value = [
                ([str(day) for day in hours.days], str(hours.start), str(hours.end % DAY_SLOTS))
                for hours in schedule.ranges_of(value)
            ]
        rows = list(value or [])[: self.RANGES]
        return rows + [([], "", "")] * (self.RANGES - len(rows))

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        starts = [(str(slot), schedule.clock(slot)) for slot in range(DAY_SLOTS)]
        ends = [(str(slot), schedule.clock(slot, ending=True)) for slot in range(DAY_SLOTS)]
        ranges = []
        for index, (days, start, end) in enumerate(self._rows(value)):
            ranges.append(
                {
                    "index": index,
                    "number": index + 1,
                    "days": [(str(day), label, str(day) in days) for day, label in enumerate(DAYS)],
                    "from": [(slot, label, slot == start) for slot, label in starts],
                    "to": [(slot, label, slot == end) for slot, label in ends],
                    "filled": bool(days or start or end),
                }
            )
        context = {"name": name, "id": attrs.get("id", f"id_{name}"), "ranges": ranges}
        return mark_safe(render_to_string(self.template, context))  # noqa: S308 - escaped


class WeeklyHoursField(forms.Field):
    """Cleans the ranges to the week string a listing keeps (peers.schedule)."""

    widget = WeeklyHoursWidget
    default_error_messages = {
        "incomplete": "Hours %(number)s: choose the days, when they start and when they end.",
        "same": "Hours %(number)s: the end is the same as the start.",
        "invalid": "Choose days and times from the lists.",
    }

    def to_python(self, value):
        if isinstance(value, str):
            return value
        ranges = []
        for number, (days, start, end) in enumerate(value or [], start=1):
            if not (days or start or end):
                continue
            if not (days and start and end):
                raise ValidationError(
                    self.error_messages["incomplete"], "incomplete", {"number": number}
                )
            try:
                day_numbers = {int(day) for day in days}
                first, last = int(start), int(end)
            except (TypeError, ValueError):
                raise ValidationError(self.error_messages["invalid"], "invalid") from None
            if not day_numbers <= set(range(7)) or not (0 <= first < DAY_SLOTS > last >= 0):
                raise ValidationError(self.error_messages["invalid"], "invalid")
            if first == last != 0:
                raise ValidationError(self.error_messages["same"], "same", {"number": number})
            if last <= first:  # past midnight ("10 pm to 2 am"), or midnight to midnight
                last += DAY_SLOTS
            ranges.append(schedule.Range(days=tuple(sorted(day_numbers)), start=first, end=last))
        return schedule.week_of(ranges)

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != (initial or schedule.NO_HOURS)
        except ValidationError:
            return True


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
            "time_zone",
            "talks_with_families",
        ]
        labels = {
            "gender": "Gender (optional)",
            "bio": "A few words about you (optional)",
            "time_zone": "Your time zone",
        }
        help_texts = {
            "bio": f"At most {BIO_MAX} characters. What you have been through, how you listen.",
            "time_zone": "The zone your hours are in; your card shows it with them.",
        }
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 5, "maxlength": BIO_MAX}),
            "reachability": forms.RadioSelect,
            "years_of_service": forms.NumberInput(attrs={"min": 0, "max": 60}),
        }

    week = WeeklyHoursField(
        label="Weekly hours",
        required=False,
        help_text=(
            "Only if you chose weekly hours. Up to three sets of days and times, e.g. Mon to Fri"
            " from 6 pm to 10 pm; a time earlier than the start runs past midnight."
        ),
    )

    def __init__(self, *args, department=None, **kwargs):
        """`department`: the peer's, whose zone a new listing starts in."""
        super().__init__(*args, **kwargs)
        self.fields["gender"].choices = [("", "Prefer not to say"), *PeerListing.Gender.choices]
        self.fields["shown_name"].required = True
        if self.instance.pk:
            self.initial.setdefault("week", self.instance.week)
        elif department is not None:
            self.initial.setdefault("time_zone", schedule.zone_of_state(department.state))
        self.order_fields([*self.Meta.fields[:-2], "week", "time_zone", "talks_with_families"])

    def clean(self):
        cleaned = super().clean()
        hours = cleaned.get("reachability") == PeerListing.Reachability.HOURS
        if hours and cleaned.get("week") == schedule.NO_HOURS:
            self.add_error("week", "Choose the days and times you can be reached each week.")
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
