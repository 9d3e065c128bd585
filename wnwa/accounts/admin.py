from django.contrib import admin

from wnwa.accounts.models import User
from wnwa.admin import admin_site


@admin.register(User, site=admin_site)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "first_name", "last_name", "department", "kind", "is_active"]
    list_filter = [
        "is_active",
        "kind",
        "is_department_admin",
        "is_vetter",
        "is_training_staff",
        "is_network_admin",
    ]
    search_fields = ["email", "first_name", "last_name"]
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
