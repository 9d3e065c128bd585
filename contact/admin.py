from django.contrib import admin

from contact.models import Enquiry
from wnwa.admin import admin_site


@admin.register(Enquiry, site=admin_site)
class EnquiryAdmin(admin.ModelAdmin):
    list_display = ["received_at", "kind", "name", "organisation", "email", "is_handled"]
    list_filter = ["kind", "is_handled"]
    list_editable = ["is_handled"]
    search_fields = ["name", "email", "organisation"]
    date_hierarchy = "received_at"
    readonly_fields = [
        "kind",
        "name",
        "email",
        "phone",
        "organisation",
        "role",
        "preferred_times",
        "message",
        "received_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False  # enquiries come from the public forms only
