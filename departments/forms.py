import datetime
import re

from django import forms
from django.conf import settings
from django.utils import timezone

from departments.models import DESIGNATION_MAX_BYTES
from departments.roster import RosterFileError, check_size
from wnwa.accounts.models import User
from wnwa.lib.uploads import DOCUMENT, check_upload

ROSTER_EXTENSIONS = (".csv", ".txt", ".tsv", ".xlsx", ".xls")


class RosterUploadForm(forms.Form):
    roster = forms.FileField(
        label="Roster file (CSV or Excel .xlsx)",
        help_text=(
            "One officer per line, with a first line naming the columns: email, first name and "
            "last name (required); badge or employee number, rank, sworn or civilian "
            "(optional; sworn when left out), and status (optional: “retired” marks a retired "
            "officer, who keeps their access). Up to 25,000 officers and 10 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ROSTER_EXTENSIONS)}),
    )
    full_roster = forms.BooleanField(
        label="This file is my whole roster: deactivate officers who are not in it",
        required=False,
        help_text="You are never deactivated by your own upload, nor are retired officers. The "
        "preview lists everyone first.",
    )

    def clean_roster(self):
        upload = self.cleaned_data["roster"]
        if not upload.name.lower().endswith(ROSTER_EXTENSIONS):
            raise forms.ValidationError(
                "Upload the roster as a CSV file or an Excel workbook (.xlsx)."
            )
        try:
            check_size(upload.size)
        except RosterFileError as error:
            raise forms.ValidationError(error.messages[0]) from error
        return upload

    def roster_bytes(self) -> bytes:
        upload = self.cleaned_data["roster"]
        upload.seek(0)
        return upload.read(settings.ROSTER_MAX_BYTES + 1)


class RosterApplyForm(forms.Form):
    """The apply; when it deactivates many officers or a listed peer, the count typed back.

    Whether the count is needed, and what it must be, is decided by the service, never here."""

    confirm_deactivations = forms.CharField(
        label="Officers this apply deactivates",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_confirm_deactivations(self) -> int | None:
        text = re.sub(r"[\s,.]", "", self.cleaned_data["confirm_deactivations"])
        if not text:
            return None
        if not (text.isascii() and text.isdigit()):
            raise forms.ValidationError("Type the number in digits, for example 120.")
        return int(text)


class RosterSearchForm(forms.Form):
    q = forms.CharField(label="Name, email or badge", required=False, max_length=100)
    kind = forms.ChoiceField(
        label="Sworn or civilian", required=False, choices=[("", "All"), *User.Kind.choices]
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[
            ("", "All"),
            ("invited", "Invited (not yet activated)"),
            ("expired", "Invited, invitation expired"),
            ("active", "Active"),
            ("retired", "Retired"),
            ("deactivated", "Deactivated"),
        ],
    )


class InvitationResendForm(forms.Form):
    """ "Send again to everyone who has not accepted": the count the page showed, confirmed."""

    expected = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=10**7)
    confirm = forms.BooleanField(
        label="Yes, email these officers their invitation again",
        error_messages={"required": "Tick the box to confirm that these emails should go out."},
    )


class AdminRoleForm(forms.Form):
    make = forms.TypedChoiceField(
        choices=[("1", "Make admin"), ("0", "Remove admin")], coerce=lambda value: value == "1"
    )


class RetirementForm(forms.Form):
    retired = forms.TypedChoiceField(
        choices=[("1", "Retired"), ("0", "Serving")], coerce=lambda value: value == "1"
    )


class DesignationForm(forms.Form):
    """The signed designation, checked by its bytes (a PDF, or a scan or photo of the paper)."""

    signed_by = forms.CharField(
        label="Signed by",
        max_length=200,
        help_text="The name and title of who signed it, for example Chief Maria Alvarez.",
    )
    signed_on = forms.DateField(label="Signed on", widget=forms.DateInput(attrs={"type": "date"}))
    document = forms.FileField(
        label="The signed designation",
        help_text="A PDF, PNG or JPEG file of at most 10 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )

    def clean_signed_on(self) -> datetime.date:
        signed_on = self.cleaned_data["signed_on"]
        if signed_on > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future.")
        if signed_on.year < 1990:
            raise forms.ValidationError("Check the year.")
        return signed_on

    def clean_document(self):
        upload = self.cleaned_data["document"]
        self.kind = check_upload(upload, kinds=DOCUMENT, max_bytes=DESIGNATION_MAX_BYTES)
        return upload
