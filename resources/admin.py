from django.contrib import admin
from django.db import models
from django.forms import ClearableFileInput
from django.urls import reverse

from resources.models import Category, Resource
from wnwa.admin import admin_site


class _CurrentFile:
    def __init__(self, url: str, label: str):
        self.url, self.label = url, label

    def __str__(self) -> str:
        return self.label


class PrivateFileInput(ClearableFileInput):
    """The stock widget links to the file's public URL; these files have none, so link to the
    role-checked view instead."""

    def is_initial(self, value) -> bool:
        return bool(value and getattr(value, "name", None) and getattr(value, "instance", None))

    def format_value(self, value):
        if self.is_initial(value):
            url = reverse("resources:document", args=[value.instance.pk])
            return _CurrentFile(url, "the current PDF")
        return None


@admin.register(Category, site=admin_site)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]


@admin.register(Resource, site=admin_site)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "kind", "is_published", "position"]
    list_filter = ["category", "is_published"]
    list_editable = ["is_published", "position"]
    search_fields = ["title", "summary"]
    fields = ["category", "title", "summary", "link", "document", "is_published", "position"]
    formfield_overrides = {
        models.FileField: {"widget": PrivateFileInput},
        models.URLField: {"assume_scheme": "https"},
    }

    @admin.display(description="link or PDF")
    def kind(self, resource: Resource) -> str:
        return "PDF" if resource.document else "link"
