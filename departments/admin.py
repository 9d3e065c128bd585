from django.contrib import admin

from departments.models import Department
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
    ]
    list_filter = ["membership_status", "state"]
    search_fields = ["name", "city", "county"]
    prepopulated_fields = {"slug": ["name"]}
