from django.contrib import admin
from django.db import models

from resources.models import Category, Resource
from wnwa.admin import admin_site
from wnwa.lib.admin import PrivateFileInput


@admin.register(Category, site=admin_site)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]


@admin.register(Resource, site=admin_site)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "kind", "audience", "is_published", "position"]
    list_filter = ["category", "audience", "is_published"]
    list_editable = ["is_published", "position"]
    search_fields = ["title", "summary"]
    fields = [
        "category",
        "title",
        "summary",
        "link",
        "document",
        "audience",
        "is_published",
        "position",
    ]
    formfield_overrides = {
        # The role-checked view (network admins see unpublished ones too).
        models.FileField: {"widget": PrivateFileInput(url="resources:document", label="the PDF")},
        models.URLField: {"assume_scheme": "https"},
    }

    @admin.display(description="link or PDF")
    def kind(self, resource: Resource) -> str:
        return "PDF" if resource.document else "link"
