from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect

from wnwa.accounts.families import family_end_now, family_extend
from wnwa.accounts.models import ROLE_FIELDS, FamilyAccount, User, new_session_token
from wnwa.admin import admin_site
from wnwa.staff.services import staff_roles_record


@admin.register(User, site=admin_site)
class UserAdmin(admin.ModelAdmin):
    # The user list is also the officer picker of the admin's raw-id fields (a certification's
    # person): searchable by name, email and badge, showing department and badge for namesakes.
    list_display = [
        "email",
        "first_name",
        "last_name",
        "department",
        "badge_number",
        "kind",
        "is_active",
    ]
    list_select_related = ["department"]
    list_filter = [
        "is_active",
        ("retired_on", admin.EmptyFieldListFilter),
        "kind",
        "is_department_admin",
        "is_vetter",
        "is_training_staff",
        "is_network_admin",
    ]
    search_fields = ["email", "first_name", "last_name", "=badge_number"]
    autocomplete_fields = ["department"]
    fields = [
        "email",
        "first_name",
        "last_name",
        "department",
        "kind",
        "rank",
        "badge_number",
        "is_active",
        "deactivated_on",
        "retired_on",
        "is_department_admin",
        "is_vetter",
        "is_training_staff",
        "is_network_admin",
    ]

    def add_view(self, request, form_url="", extra_context=None):
        # An account made here would have no way in: no password, no invitation. Staff are
        # invited from the staff pages (a signed, expiring link; the act recorded); officers
        # join through their department's roster, which its department admin uploads.
        messages.info(
            request,
            "Accounts are not made here: invite staff on this page (they get a signed link to "
            "set a password). Officers join through their department's roster, uploaded by "
            "its department admin: invite a department's first admin here.",
        )
        return redirect("staff:invite")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        editor = request.user

        class UserAdminForm(form):
            def clean(self):
                cleaned = super().clean()
                if (
                    self.instance.pk == editor.pk
                    and self.instance.is_network_admin
                    and not cleaned.get("is_network_admin")
                ):
                    # As on the staff pages (wnwa.staff.services.staff_role_remove).
                    raise ValidationError(
                        "You cannot remove your own network-admin role: ask another network admin."
                    )
                return cleaned

        return UserAdminForm

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        # A change of roles ends the account's sessions by itself (User._get_session_auth_hash);
        # a change of "active" is made to end them for good, also once the account is active
        # again.
        if change and "is_active" in form.changed_data:
            obj.session_token = new_session_token()
        before = {role: form.initial.get(role, False) for role in ROLE_FIELDS}
        super().save_model(request, obj, form, change)
        # The staff record says who gave or removed which role, wherever it was done.
        staff_roles_record(user=obj, before=before, by=request.user)


@admin.register(FamilyAccount, site=admin_site)
class FamilyAccountAdmin(admin.ModelAdmin):
    """Family accounts (docs/product.md, "Families"): a network admin extends a family's access
    at their request, or ends an account. Who invited them is shown only while it is kept."""

    list_display = ["user", "department", "relation", "ends_on", "is_open"]
    list_select_related = ["user", "department"]
    list_filter = [("ends_on", admin.EmptyFieldListFilter), "relation"]
    search_fields = ["user__email", "user__first_name"]
    fields = ["user", "department", "invited_by", "relation", "ends_on"]
    readonly_fields = ["user", "department", "invited_by"]
    actions = ["extend_access", "end_access"]

    def has_add_permission(self, request) -> bool:
        return False  # officers invite their families from their account page

    def save_model(self, request, obj, form, change):
        if "ends_on" in form.changed_data:
            obj.ending_notice_sent_on = None  # a new last day gets its own notice
        super().save_model(request, obj, form, change)

    @admin.display(boolean=True, description="open")
    def is_open(self, family: FamilyAccount) -> bool:
        return family.user.is_active

    @admin.action(description="Extend access by the grace period from today")
    def extend_access(self, request, queryset):
        for family in queryset:
            family_extend(family=family)
        self.message_user(request, f"Extended {queryset.count()} family accounts.")

    @admin.action(description="End access now")
    def end_access(self, request, queryset):
        for family in queryset.select_related("user"):
            family_end_now(family=family)
        self.message_user(request, f"Ended {queryset.count()} family accounts.")
