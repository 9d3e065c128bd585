from django.contrib import admin
from django.db import transaction

from peers.models import ExperienceArea, Language, PeerListing
from peers.services import directory_changed, listings_sync
from wnwa.admin import admin_site


class ChangesTheDirectory:
    """For the admin of anything a directory card shows or that decides who is listed: each
    save or delete here has every process rebuild its directory index, as the services do."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(directory_changed)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # a listing's lists
        transaction.on_commit(directory_changed)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(directory_changed)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        transaction.on_commit(directory_changed)


@admin.register(ExperienceArea, site=admin_site)
class ExperienceAreaAdmin(ChangesTheDirectory, admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Language, site=admin_site)
class LanguageAdmin(ChangesTheDirectory, admin.ModelAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]


@admin.register(PeerListing, site=admin_site)
class PeerListingAdmin(ChangesTheDirectory, admin.ModelAdmin):
    list_display = ["shown_name", "peer", "reachability", "paused_until", "confirmed_at"]
    raw_id_fields = ["peer"]
    filter_horizontal = ["languages", "areas"]
    search_fields = ["shown_name", "peer__email"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        listings_sync(peer_ids=[obj.peer_id])  # the copies of the peer's standing
