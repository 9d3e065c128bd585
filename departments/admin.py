from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db import models
from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_safe

from departments import designations
from departments.models import Department, DesignationStatus, RosterPreview
from wnwa.admin import admin_site
from wnwa.lib.admin import PrivateFileInput
from wnwa.lib.uploads import private_file_response


class DesignationFilter(admin.SimpleListFilter):
    title = "designation"
    parameter_name = "designation"

    def lookups(self, request, model_admin):
        return DesignationStatus.choices

    def queryset(self, request, queryset):
        # The same three states as Department.designation_status, as a query.
        if self.value() == DesignationStatus.MISSING:
            return queryset.filter(designation_document="")
        if self.value() == DesignationStatus.AWAITING:
            return queryset.exclude(designation_document="").filter(
                designation_verified_at__isnull=True
            )
        if self.value() == DesignationStatus.ON_FILE:
            return queryset.exclude(designation_document="").filter(
                designation_verified_at__isnull=False
            )
        return queryset


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
        "leaves_on",
        "annual_fee",
        "designation_state",
    ]
    list_filter = ["membership_status", DesignationFilter, "state"]
    search_fields = ["name", "city", "county"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "state", "county", "city", "sworn_strength"]}),
        (
            "Membership",
            {
                "fields": [
                    "membership_status",
                    "joined_on",
                    "term_ends_on",
                    "annual_fee",
                    "leaves_on",
                    "leaving_notice_sent_on",
                ],
                "description": "A department that leaves: set the day it leaves. Its retired "
                "officers are emailed a month before (once; a new day sends a new notice), and "
                "on the day `departments_leaving` lapses the membership and ends their access.",
            },
        ),
        (
            "Designation of the network's peers",
            {
                "fields": [
                    "designation_state",
                    "designation_signed_on",
                    "designation_signed_by",
                    "designation_document",
                    "designation_uploaded_at",
                    "designation_uploaded_by",
                    "designation_verified_at",
                    "designation_verified_by",
                ],
                "description": "On file once a network admin has read the signed document and "
                "verified it (the action on the list of departments). A new document needs a "
                "new check.",
            },
        ),
    ]
    readonly_fields = [
        "leaving_notice_sent_on",
        "designation_state",
        "designation_uploaded_at",
        "designation_uploaded_by",
        "designation_verified_at",
        "designation_verified_by",
    ]
    actions = ["verify_designation"]
    formfield_overrides = {
        models.FileField: {
            "widget": PrivateFileInput(url="admin:departments_department_designation")
        }
    }

    @admin.display(description="designation")
    def designation_state(self, department: Department) -> str:
        # Department.designation_status: the same answer as the compliance and roster pages.
        return department.designation_status.label

    @admin.action(description="Verify the designation (I have read the signed document)")
    def verify_designation(self, request, queryset):
        verified = 0
        for department in queryset:
            if department.designation_status == DesignationStatus.MISSING:
                messages.error(request, f"{department}: no document to verify.")
                continue
            designations.designation_verify(department=department, verified_by=request.user)
            verified += 1
        if verified:
            messages.success(request, f"Verified {verified} designation{'s' * (verified != 1)}.")

    def save_model(self, request, obj, form, change):
        # A document put here by a network admin is theirs, and needs verifying like any other.
        if "designation_document" in form.changed_data:
            obj.designation_uploaded_at = timezone.now() if obj.designation_document else None
            obj.designation_uploaded_by = request.user if obj.designation_document else None
            obj.designation_verified_at = obj.designation_verified_by = None
        if "leaves_on" in form.changed_data:  # a new day is a new notice to the retirees
            obj.leaving_notice_sent_on = None
        super().save_model(request, obj, form, change)

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
        "retired",
        "deactivated",
    ]
    list_filter = ["applied_at"]
    fields = list_display + ["full_roster", "rows_read"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
