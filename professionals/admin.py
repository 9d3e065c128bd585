from django.contrib import admin

from professionals.models import Application, Professional
from wnwa.admin import admin_site


@admin.register(Professional, site=admin_site)
class ProfessionalAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "state", "is_listed", "availability_confirmed_on"]
    list_filter = ["is_listed", "state"]
    search_fields = ["last_name", "first_name", "email"]


@admin.register(Application, site=admin_site)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["reference", "status", "submitted_at"]
    list_filter = ["status"]
