from django.contrib import admin

from wnwa.accounts.models import User, new_session_token
from wnwa.admin import admin_site


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
        "is_department_admin",
        "is_vetter",
        "is_training_staff",
        "is_network_admin",
    ]

    def save_model(self, request, obj, form, change):
        # A change of roles ends the account's sessions by itself (User._get_session_auth_hash);
        # a change of "active" is made to end them for good, also once the account is active
        # again.
        if change and "is_active" in form.changed_data:
            obj.session_token = new_session_token()
        super().save_model(request, obj, form, change)
