from django.contrib import admin

from peers.models import ExperienceArea, Language, PeerListing
from peers.services import listings_sync
from wnwa.admin import admin_site


@admin.register(ExperienceArea, site=admin_site)
class ExperienceAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Language, site=admin_site)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]


@admin.register(PeerListing, site=admin_site)
class PeerListingAdmin(admin.ModelAdmin):
    list_display = ["shown_name", "peer", "reachability", "paused_until", "confirmed_at"]
    raw_id_fields = ["peer"]
    filter_horizontal = ["languages", "areas"]
    search_fields = ["shown_name", "peer__email"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        listings_sync(peer_ids=[obj.peer_id])  # the copies of the peer's standing
