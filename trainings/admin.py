from django.contrib import admin
from django.db import models

from trainings.models import (
    Attendance,
    Certification,
    Choice,
    CourseType,
    ExamAttempt,
    Interest,
    Question,
    Registration,
    Session,
)
from wnwa.admin import admin_site
from wnwa.lib.admin import PrivateFileInput


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
    raw_id_fields = ["person", "verified_by", "recorded_by"]
    formfield_overrides = {
        models.FileField: {"widget": PrivateFileInput(url="trainings:external-certificate")}
    }


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0


@admin.register(Registration, site=admin_site)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["name", "session", "status", "paid"]
    list_filter = ["status", "session__course"]
    search_fields = ["name", "email"]
    inlines = [AttendanceInline]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Question, site=admin_site)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "course", "is_active"]
    list_filter = ["course", "is_active"]
    inlines = [ChoiceInline]


@admin.register(ExamAttempt, site=admin_site)
class ExamAttemptAdmin(admin.ModelAdmin):
    list_display = ["registration", "number", "submitted_at", "correct", "total", "passed"]
    readonly_fields = ["layout", "answers"]


@admin.register(Interest, site=admin_site)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["email", "created_at"]
