import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify

from trainings.models import Choice, CourseType, ExamAttempt, Question, Session
from trainings.services.sessions import SESSION_FIELDS
from wnwa.lib.phones import to_e164
from wnwa.lib.uploads import check_upload

MAX_CHOICES = 6


class RegistrationForm(forms.Form):
    name = forms.CharField(label="Full name", max_length=150)
    email = forms.EmailField(
        label="Email",
        max_length=254,
        help_text="Your confirmation and calendar invitation go here.",
    )
    phone = forms.CharField(
        label="Phone",
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    department = forms.CharField(label="Department or agency", max_length=200)

    def clean_phone(self) -> str:
        return to_e164(
            self.cleaned_data["phone"], message="Enter a phone number, for example 312-555-0100."
        )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class InterestForm(forms.Form):
    email = forms.EmailField(label="Your email", max_length=254)


class CourseForm(forms.ModelForm):
    class Meta:
        model = CourseType
        fields = ["name", "days", "price", "description", "topics"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_days(self) -> int:
        days = self.cleaned_data["days"]
        if days > 14:
            raise ValidationError("A course lasts at most 14 days.")
        return days

    def save(self, commit: bool = True) -> CourseType:
        course = super().save(commit=False)
        if not course.slug:
            base = slugify(course.name)[:50] or "course"
            slug, n = base, 2
            while CourseType.objects.filter(slug=slug).exists():
                slug, n = f"{base}-{n}", n + 1
            course.slug = slug
        if commit:
            course.save()
        return course


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = list(SESSION_FIELDS)  # what the services save: one list
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "lodging_note": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"starts_on": "First day", "ends_on": "Last day"}
        help_texts = {"ends_on": "Leave empty to follow the course's number of days."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].required = False
        self.fields["capacity"].widget.attrs["max"] = 500

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The last day cannot come before the first.")
        if starts and ends and (ends - starts).days > 30:
            self.add_error("ends_on", "A session lasts at most 31 days.")
        if cleaned.get("capacity") and cleaned["capacity"] > 500:
            self.add_error("capacity", "At most 500 seats.")
        return cleaned


class AttendanceForm(forms.Form):
    """One checkbox per trainee per day: checked is present, unchecked absent."""

    def __init__(self, *args, grid: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.keys = {}
        for row in grid:
            registration = row["registration"]
            for index, (day, present) in enumerate(row["days"]):
                name = f"r{registration.pk}-d{index}"
                self.fields[name] = forms.BooleanField(
                    required=False,
                    initial=bool(present),
                    label=f"{registration.name}, {day:%a %b %-d}",
                )
                self.keys[name] = (registration.pk, day)
        for row in grid:
            row["fields"] = [
                self[f"r{row['registration'].pk}-d{i}"] for i in range(len(row["days"]))
            ]

    def marks(self) -> dict[tuple[int, datetime.date], bool]:
        return {key: bool(self.cleaned_data.get(name)) for name, key in self.keys.items()}


class QuestionForm(forms.Form):
    text = forms.CharField(
        label="Question", max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    correct = forms.TypedChoiceField(
        label="The right choice",
        coerce=int,
        choices=[(i, f"Choice {i + 1}") for i in range(MAX_CHOICES)],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        correct = self.fields.pop("correct")
        for i in range(MAX_CHOICES):
            self.fields[f"choice_{i}"] = forms.CharField(
                label=f"Choice {i + 1}", max_length=500, required=i < 2
            )
        self.fields["correct"] = correct

    @classmethod
    def for_question(cls, question: Question, data=None) -> "QuestionForm":
        choices = list(question.choices.all())
        initial = {"text": question.text}
        for i, choice in enumerate(choices[:MAX_CHOICES]):
            initial[f"choice_{i}"] = choice.text
            if choice.is_correct:
                initial["correct"] = i
        return cls(data, initial=initial)

    def draft(self):
        from trainings.services import DraftQuestion

        return DraftQuestion(
            text=self.cleaned_data["text"],
            choices=[self.cleaned_data.get(f"choice_{i}", "") for i in range(MAX_CHOICES)],
            correct=self.cleaned_data["correct"],
        )


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text=(
            "Columns: question, answer (the number of the right choice, 1 to 6), then choice1, "
            "choice2 and up to choice6. UTF-8 or Windows-1252; comma, semicolon or tab."
        ),
    )


class ExamForm(forms.Form):
    """The questions drawn for one attempt, in the attempt's order. Choices carry ids only;
    which one is right stays on the server."""

    PREFIX = "q-"

    def __init__(self, *args, attempt: ExamAttempt, **kwargs):
        super().__init__(*args, **kwargs)
        self.attempt = attempt
        ids = [item["question"] for item in attempt.layout]
        questions = Question.objects.in_bulk(ids)
        choices = Choice.objects.in_bulk([c for item in attempt.layout for c in item["choices"]])
        self.tampered = False
        for number, item in enumerate(attempt.layout, start=1):
            question = questions[item["question"]]
            self.fields[f"{self.PREFIX}{question.pk}"] = forms.TypedChoiceField(
                label=f"{number}. {question.text}",
                coerce=int,
                widget=forms.RadioSelect,
                choices=[(c, choices[c].text) for c in item["choices"]],
                error_messages={"required": "Choose an answer."},
            )

    def clean(self):
        cleaned = super().clean()
        names = [key for key in self.data if key.startswith(self.PREFIX)]
        unknown = [key for key in names if key not in self.fields]
        doubled = [key for key in names if len(self.data.getlist(key)) > 1]
        if unknown or doubled:
            self.tampered = True
            raise ValidationError("This submission does not match the exam you were given.")
        return cleaned

    def answers(self) -> dict[int, int]:
        return {int(name[len(self.PREFIX) :]): value for name, value in self.cleaned_data.items()}


class OfficerSearchForm(forms.Form):
    """The search step of choosing an officer: a GET form, so it works without JavaScript."""

    q = forms.CharField(
        label="Name, badge number or email",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class ExternalTrainingForm(forms.Form):
    # Chosen on the search step (OfficerSearchForm), never picked from a list of everyone.
    person = forms.ModelChoiceField(
        queryset=None,
        label="Officer",
        widget=forms.HiddenInput,
        error_messages={
            "required": "Find the officer and choose them first.",
            "invalid_choice": "That officer is not an active officer of your department: "
            "find them again.",
        },
    )
    provider = forms.CharField(label="Training provider", max_length=200)
    hours = forms.IntegerField(label="Hours of training", min_value=1, max_value=500)
    completed_on = forms.DateField(
        label="Completed on", widget=forms.DateInput(attrs={"type": "date"})
    )
    certificate = forms.FileField(
        label="Certificate", help_text="A PDF, PNG or JPEG file of at most 10 MB."
    )

    def __init__(self, *args, department, **kwargs):
        super().__init__(*args, **kwargs)
        from wnwa.accounts.models import User

        self.fields["person"].queryset = User.objects.filter(department=department, is_active=True)

    def chosen(self):
        """The officer the form holds (posted, or chosen on the search step), or None."""
        field = self["person"]
        try:
            return self.fields["person"].clean(field.value())
        except ValidationError:
            return None

    def clean_completed_on(self) -> datetime.date:
        completed = self.cleaned_data["completed_on"]
        if completed > timezone.localdate():
            raise ValidationError("The date cannot be in the future.")
        if completed.year < 1980:
            raise ValidationError("Check the year.")
        return completed

    def clean_certificate(self):
        upload = self.cleaned_data["certificate"]
        check_upload(upload, max_bytes=settings.TRAININGS_UPLOAD_MAX_BYTES)
        return upload


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("verify", "Verify"), ("reject", "Reject")], widget=forms.HiddenInput
    )
    reason = forms.CharField(label="Reason (when rejecting)", max_length=300, required=False)
