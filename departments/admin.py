from django.contrib import admin

from departments.models import Department, RosterPreview
from wnwa.admin import admin_site


@admin.register(Department, site=admin_site)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "state",
        "county",
        "sworn_strength",
        "membership_status",
        "joined_on",
        "term_ends_on",
        "annual_fee",
    ]
    list_filter = ["membership_status", "state"]
    search_fields = ["name", "city", "county"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "state", "county", "city", "sworn_strength"]}),
        (
            "Membership",
            {"fields": ["membership_status", "joined_on", "term_ends_on", "annual_fee"]},
        ),
        (
            "Designation of the network's peers",
            {
                "fields": [
                    "designation_signed_on",
                    "designation_signed_by",
                    "designation_document",
                ]
            },
        ),
    ]


@admin.register(RosterPreview, site=admin_site)
class RosterPreviewAdmin(admin.ModelAdmin):
    """Read-only: uploads are applied by department admins or `manage.py import_roster`."""

    list_display = [
        "department",
        "file_name",
        "created_at",
        "applied_at",
        "added",
        "changed",
        "deactivated",
    ]
    list_filter = ["applied_at"]
    fields = list_display + ["full_roster", "rows_read"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
