from django import forms

from wnwa.accounts.models import User
from wnwa.staff.models import ROLE_LABELS

# The department model, by the user's own relation: the core imports no app (docs/architecture.md).
Department = User._meta.get_field("department").related_model


class StaffInviteForm(forms.Form):
    email = forms.EmailField(label="Work email", max_length=254)
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    role = forms.ChoiceField(
        choices=[("", "Choose a role"), *ROLE_LABELS.items()],
        help_text="Every staff role signs in with a second factor, set up at the first sign-in.",
    )
    department = forms.ModelChoiceField(
        queryset=Department.objects.order_by("name"),
        required=False,
        empty_label="(none: network staff)",
        help_text="Department admins only: the department whose roster they keep.",
    )

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()

    def clean(self) -> dict:
        data = super().clean()
        if data.get("role") == "is_department_admin" and not data.get("department"):
            self.add_error("department", "Choose the department this admin administers.")
        return data


class AccountLookupForm(forms.Form):
    email = forms.EmailField(label="Find an account by its email", max_length=254)
