"""Forms of the professionals app: they validate and normalise; services do the rest."""

import datetime

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import RegexValidator, URLValidator
from django.utils import timezone

from professionals.models import (
    Assessment,
    Association,
    Document,
    InsuranceCarrier,
    Language,
    Professional,
    Specialty,
)
from wnwa.lib import uploads
from wnwa.lib.choices import ModelMultipleChoiceField
from wnwa.lib.phones import to_e164
from wnwa.lib.states import US_STATES
from wnwa.lib.widgets import QuickSelect

PLAN_CHOICES = [("ppo", "PPO"), ("hmo", "HMO"), ("self_pay", "Self-pay")]
PLAN_FIELDS = {"ppo": "accepts_ppo", "hmo": "accepts_hmo", "self_pay": "accepts_self_pay"}
PROMISE_CHOICES = [
    ("answers_24_7", "I answer officers' calls 24 hours a day, 7 days a week"),
    ("sees_within_24h", "I see an officer who asks within 24 hours"),
]
STATE_CHOICES = [("", "Choose a state")] + US_STATES
STATE_CODE_CHOICES = [(code, code) for code, _ in US_STATES]


def normalise_phone(value: str) -> str:
    """A phone number as E.164, or a clear error."""
    return to_e164(value, message="Enter a phone number we can call, for example (608) 555-0142.")


# Documents: a scan or a photo of a paper, in the applicant's own words when refused.
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
DOCUMENT_MESSAGES = {
    "bad_name": (
        "The file name contains folder parts or hidden characters. Rename the file "
        "(for example licence.pdf) and attach it again."
    ),
    "empty": "This file is empty. Attach the saved PDF or photo again.",
    "too_large": (
        "This file is {size}; the limit is {limit}. Save a smaller scan or photo and attach it "
        "again."
    ),
    "bad_type": (
        "This file is not a PDF, PNG or JPEG (whatever its name says). Save it as a PDF or take a "
        "photo, and attach that."
    ),
}


def check_document(upload: UploadedFile) -> str:
    """Validate an applicant's document and return its real content type."""
    return uploads.check_upload(
        upload, max_bytes=DOCUMENT_MAX_BYTES, messages=DOCUMENT_MESSAGES
    ).content_type


class DocumentField(forms.FileField):
    """A PDF, PNG or JPEG of at most 10 MB; cleaning returns (upload, real content type)."""

    widget = forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/*"})
    default_error_messages = {
        "empty": "This file is empty. Attach the saved PDF or photo again.",
    }

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return None
        return upload, check_document(upload)


# What the application asks differently of the model's fields (which also hold records made
# elsewhere): answers it requires, its own choice prompts, a typed phone number longer than its
# stored E.164 form, a website by https unless it says otherwise, a ZIP code's shape.
APPLICATION_FIELD_OPTIONS = {
    "phone": {"max_length": 30},
    "website": {
        "assume_scheme": "https",
        "validators": [URLValidator(schemes=["http", "https"])],
    },
    "county": {"required": True},
    "state": {"choices": STATE_CHOICES},
    "postal_code": {
        "validators": [RegexValidator(r"^\d{5}(-\d{4})?$", "Enter a ZIP code such as 53703.")]
    },
    "languages": {"required": True},
    "police_experience": {"required": True},
    "association": {
        "required": True,
        "choices": [("", "Choose your association")] + Association.choices,
    },
    "follows_code_of_ethics": {"required": True},
}
CHOICE_FIELDS = ["specialties", "languages", "insurance_carriers"]


def application_formfield(field, **kwargs):
    """The model's form field with the application's options (APPLICATION_FIELD_OPTIONS)."""
    return field.formfield(**{**kwargs, **APPLICATION_FIELD_OPTIONS.get(field.name, {})})


class ApplicationForm(forms.ModelForm):
    """Everything docs/product.md asks of an applicant, grouped into the sections of the page.

    The professional's own fields come from the model (professionals.models.Professional), with
    the application's labels, help and stricter answers; the rest are questions the model keeps
    in other shapes (telehealth rows, plan and promise flags, documents)."""

    telehealth_states = forms.MultipleChoiceField(
        choices=STATE_CODE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="States where you are licensed to see clients by video.",
    )
    plan_types = forms.MultipleChoiceField(
        choices=PLAN_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one: PPO, HMO or self-pay."},
    )
    promises = forms.MultipleChoiceField(
        label="Your availability promise",
        choices=PROMISE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one: the network lists only professionals who make "
            "one of these promises."
        },
    )
    licence_document = DocumentField(
        label="Licence (required)", help_text="PDF, PNG or JPEG, at most 10 MB."
    )
    cv_document = DocumentField(label="CV", required=False)
    malpractice_document = DocumentField(label="Malpractice insurance certificate", required=False)
    # The honeypot: hidden from people by CSS, filled in by form-filling robots.
    fax_number = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Professional
        fields = [
            "first_name",
            "last_name",
            "credentials",
            "email",
            "phone",
            "website",
            "practice_name",
            "street_address",
            "city",
            "county",
            "state",
            "postal_code",
            "specialties",
            "languages",
            "insurance_carriers",
            "police_experience",
            "association",
            "association_other",
            "follows_code_of_ethics",
            "sees_families",
        ]
        formfield_callback = application_formfield
        field_classes = dict.fromkeys(CHOICE_FIELDS, ModelMultipleChoiceField)
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "police_experience": forms.Textarea(attrs={"rows": 4}),
            **dict.fromkeys(CHOICE_FIELDS, forms.CheckboxSelectMultiple),
        }
        labels = {
            "police_experience": "Your experience treating police officers",
            "association": "Professional association",
            "association_other": "If another association, which one",
            "follows_code_of_ethics": "I practise under my association's code of ethics",
            "sees_families": "I also see officers' families",
        }
        help_texts = {
            "credentials": "The letters after your name: PsyD, LCSW, LPC.",
            "email": "We write here about your application.",
            "phone": "The number officers will call.",
            "county": "Decides whether we visit your office or meet by video.",
            "sees_families": "Spouses and partners, adult children and parents of officers. Family "
            "members of the network see you first.",
        }
        error_messages = {
            "languages": {"required": "Choose at least one language you see clients in."},
            "follows_code_of_ethics": {"required": "The network lists only professionals who do."},
        }

    SECTIONS = [
        ("About you", ["first_name", "last_name", "credentials", "email", "phone", "website"]),
        (
            "Your practice",
            ["practice_name", "street_address", "city", "county", "state", "postal_code"],
        ),
        ("Licences", None),  # the licence formset goes here
        ("Telehealth", ["telehealth_states"]),
        ("What you offer", ["specialties", "languages", "sees_families"]),
        ("Insurance", ["insurance_carriers", "plan_types"]),
        ("Availability", ["promises"]),
        (
            "Experience and ethics",
            ["police_experience", "association", "association_other", "follows_code_of_ethics"],
        ),
        ("Documents", ["licence_document", "cv_document", "malpractice_document"]),
    ]
    DOCUMENT_KINDS = {
        "licence_document": Document.Kind.LICENCE,
        "cv_document": Document.Kind.CV,
        "malpractice_document": Document.Kind.MALPRACTICE,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Fields in the page's order, so errors are listed as the page shows them.
        self.order_fields([name for _, names in self.SECTIONS for name in names or []])

    def sections(self):
        for title, names in self.SECTIONS:
            yield title, [self[name] for name in names] if names else None

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"])

    def clean_state(self) -> str:
        return self.cleaned_data["state"].upper()

    def clean_county(self) -> str:
        county = " ".join(self.cleaned_data["county"].split())
        return county.removesuffix(" County").removesuffix(" county")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("association") == Association.OTHER and not cleaned.get("association_other"):
            self.add_error("association_other", "Name your association.")
        return cleaned

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("fax_number"))

    def professional_fields(self) -> dict:
        """The professional's own answers, as the model's fields (without its lists)."""
        data = self.cleaned_data
        fields = {name: data[name] for name in self._meta.fields if name not in CHOICE_FIELDS}
        fields["email"] = fields["email"].lower()
        fields.update({PLAN_FIELDS[plan]: True for plan in data["plan_types"]})
        fields.update({promise: True for promise in data["promises"]})
        return fields

    def documents(self) -> list[tuple[str, object, str]]:
        """(kind, upload, real content type) for every attached document."""
        return [
            (kind, *self.cleaned_data[name])
            for name, kind in self.DOCUMENT_KINDS.items()
            if self.cleaned_data.get(name)
        ]

    def files_to_attach_again(self) -> list[str]:
        """Labels of the files the browser sent this time; it will not send them again."""
        return [
            self.fields[name].label.removesuffix(" (required)")
            for name in self.DOCUMENT_KINDS
            if self.files.get(name)
        ]


class LicenceForm(forms.Form):
    kind = forms.CharField(
        label="Licence type",
        max_length=120,
        help_text="For example Licensed Professional Counselor.",
    )
    number = forms.CharField(label="Licence number", max_length=60)
    state = forms.ChoiceField(choices=STATE_CHOICES)
    expires_on = forms.DateField(label="Expires on", widget=forms.DateInput(attrs={"type": "date"}))

    def clean_expires_on(self) -> datetime.date:
        expires_on = self.cleaned_data["expires_on"]
        if expires_on < timezone.localdate():
            raise forms.ValidationError("This licence has expired; list your current licence.")
        return expires_on


class BaseLicenceFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.cleaned_data or form in self.deleted_forms:
                continue
            key = (form.cleaned_data.get("state"), form.cleaned_data.get("number", "").upper())
            if key in seen:
                raise forms.ValidationError("The same licence is listed twice.")
            seen.add(key)

    def licences(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.cleaned_data]


LicenceFormSet = forms.formset_factory(
    LicenceForm,
    formset=BaseLicenceFormSet,
    extra=2,
    min_num=1,
    max_num=6,
    validate_min=True,
    validate_max=True,
)


class AssessmentForm(forms.ModelForm):
    """One vetter's assessment: internal notes for the vetters, a message for the applicant."""

    class Meta:
        model = Assessment
        fields = [
            "method",
            "assessed_on",
            "recommendation",
            "sees_families",
            "notes",
            "message_to_applicant",
        ]
        widgets = {
            "method": forms.RadioSelect,
            "recommendation": forms.RadioSelect,
            "assessed_on": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 6}),
            "message_to_applicant": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {
            "assessed_on": "Date of the assessment",
            "notes": "Internal notes",
            "message_to_applicant": "Message to the applicant",
        }
        help_texts = {
            "notes": (
                "For the vetters only: what you saw and checked. With a deferral, these notes are "
                "the reason kept on file. Never sent to the applicant."
            ),
            "message_to_applicant": (
                "Goes into the outcome email if the consensus your assessment joins decides the "
                "application. Required with a deferral: what the applicant should know. You read "
                "the whole email before anything is sent."
            ),
        }

    def clean_assessed_on(self) -> datetime.date:
        assessed_on = self.cleaned_data["assessed_on"]
        if assessed_on > timezone.localdate():
            raise forms.ValidationError("Record an assessment once it has taken place.")
        return assessed_on

    def clean(self):
        cleaned = super().clean()
        deferring = cleaned.get("recommendation") == Assessment.Recommendation.DEFER
        if deferring and not cleaned.get("message_to_applicant", "").strip():
            self.add_error(
                "message_to_applicant",
                "Write the applicant a message with a deferral: it is what their email says.",
            )
        return cleaned


class DirectoryFilterForm(forms.Form):
    """The directory's filters, read from the query string. Bad values are ignored, not fatal."""

    state = forms.ChoiceField(
        choices=[("", "Any state")] + US_STATES,
        required=False,
        help_text="Practising there, or licensed there for telehealth.",
        widget=QuickSelect,
    )
    insurance = forms.ModelChoiceField(
        queryset=InsuranceCarrier.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Any insurance",
        widget=QuickSelect,
    )
    plan = forms.ChoiceField(
        choices=[("", "Any plan type")] + PLAN_CHOICES, required=False, widget=QuickSelect
    )
    specialty = forms.ModelChoiceField(
        queryset=Specialty.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Any specialty",
        widget=QuickSelect,
    )
    language = forms.ModelChoiceField(
        queryset=Language.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Any language",
        widget=QuickSelect,
    )
    always = forms.BooleanField(label="Answers 24/7 only", required=False)
    # Offered to family members only (the view drops it for others): they see the professionals
    # who see officers' families, unless they widen the list.
    everyone = forms.BooleanField(
        label="Also those who do not say they see officers' families", required=False
    )

    def __init__(self, *args, for_family: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not for_family:
            del self.fields["everyone"]

    def filters(self) -> dict:
        """The valid filters only (the form is bound to the query string)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


class ReconfirmForm(forms.Form):
    phone = forms.CharField(
        max_length=30,
        help_text="The number officers will call.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    insurance_carriers = ModelMultipleChoiceField(
        queryset=InsuranceCarrier.objects.all(), widget=forms.CheckboxSelectMultiple, required=False
    )
    plan_types = ApplicationForm.base_fields["plan_types"]
    promises = ApplicationForm.base_fields["promises"]
    sees_families = forms.BooleanField(
        label="I also see officers' families",
        required=False,
        help_text=ApplicationForm.base_fields["sees_families"].help_text,
    )

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"])

    @classmethod
    def initial_for(cls, professional) -> dict:
        return {
            "phone": professional.phone,
            "insurance_carriers": list(professional.insurance_carriers.all()),
            "plan_types": [
                plan for plan, field in PLAN_FIELDS.items() if getattr(professional, field)
            ],
            "promises": [
                promise for promise, _ in PROMISE_CHOICES if getattr(professional, promise)
            ],
            "sees_families": professional.sees_families,
        }

    def changes(self) -> dict:
        data = self.cleaned_data
        fields = {"phone": data["phone"]}
        fields.update({field: plan in data["plan_types"] for plan, field in PLAN_FIELDS.items()})
        fields.update({promise: promise in data["promises"] for promise, _ in PROMISE_CHOICES})
        fields["sees_families"] = data["sees_families"]
        return fields
