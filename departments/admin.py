from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db import models
from django.http import Http404
from django.urls import path
from django.views.decorators.http import require_safe

from departments.models import Department, RosterPreview
from wnwa.admin import admin_site
from wnwa.lib.admin import PrivateFileInput
from wnwa.lib.uploads import private_file_response


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
    formfield_overrides = {
        models.FileField: {
            "widget": PrivateFileInput(url="admin:departments_department_designation")
        }
    }

    def get_urls(self):
        # departments:designation-document serves a department admin their own department's;
        # a network admin has none, and opens any department's here, behind the admin's gate
        # (a verified second factor). Before the admin's own: its "<id>/" catch-all would match.
        designation = self.admin_site.admin_view(require_safe(self.designation))
        return [
            path(
                "<path:object_id>/designation/",
                designation,
                name="departments_department_designation",
            ),
            *super().get_urls(),
        ]

    def designation(self, request, object_id: str):
        department = self.get_object(request, unquote(object_id))
        if department is None or not department.designation_document:
            raise Http404
        if not self.has_view_permission(request, department):
            raise Http404
        return private_file_response(
            department.designation_document, filename=f"{department.slug}-designation"
        )


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
