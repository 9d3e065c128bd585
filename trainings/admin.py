from django.contrib import admin

from trainings.models import Certification, CourseType, Session
from wnwa.admin import admin_site


@admin.register(CourseType, site=admin_site)
class CourseTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "days", "price"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Session, site=admin_site)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["course", "starts_on", "ends_on", "venue", "capacity", "status"]
    list_filter = ["status", "course"]


@admin.register(Certification, site=admin_site)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ["person", "email", "source", "status", "certified_on"]
    list_filter = ["source", "status"]
    raw_id_fields = ["person", "verified_by"]
