from django.contrib import admin
from django.db import models

from professionals.models import (
    Application,
    Assessment,
    Document,
    InsuranceCarrier,
    Language,
    Licence,
    Professional,
    Specialty,
    TelehealthState,
)
from wnwa.admin import admin_site
from wnwa.lib.admin import private_file_link


class LicenceInline(admin.TabularInline):
    model = Licence
    extra = 0


class TelehealthInline(admin.TabularInline):
    model = TelehealthState
    extra = 0


@admin.register(Professional, site=admin_site)
class ProfessionalAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "city", "state", "is_listed"]
    list_display += ["availability_confirmed_on"]
    list_filter = ["is_listed", "state", "answers_24_7"]
    search_fields = ["last_name", "first_name", "email"]
    filter_horizontal = ["specialties", "languages", "insurance_carriers"]
    inlines = [LicenceInline, TelehealthInline]
    # A website typed without a scheme is https, as on the application form.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class AssessmentInline(admin.StackedInline):
    model = Assessment
    extra = 0
    readonly_fields = ["recorded_at"]
    raw_id_fields = ["vetter"]  # a search, not a <select> of every user (13,000 officers)


class DocumentInline(admin.TabularInline):
    """The applicant's documents, read-only: each opens through the vetting page's download."""

    model = Document
    extra = 0
    fields = ["kind", "display_name", "download", "content_type", "size", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="file")
    def download(self, document: Document):
        return private_file_link(document.file, "professionals:document", label="download")


@admin.register(Application, site=admin_site)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["reference", "professional", "status", "round", "submitted_at"]
    list_filter = ["status"]
    search_fields = ["reference", "professional__last_name", "professional__email"]
    # Who decided or reopened is recorded by the vetting pages, never picked from every user.
    readonly_fields = [
        "submitted_at",
        "decided_by",
        "decided_at",
        "reopened_by",
        "reopened_at",
        "applicant_message",
    ]
    inlines = [AssessmentInline, DocumentInline]


for vocabulary in (Specialty, Language, InsuranceCarrier):
    admin_site.register(
        vocabulary, list_display=["name", "slug"], prepopulated_fields={"slug": ["name"]}
    )
