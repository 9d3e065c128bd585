from django.contrib import admin

from peers.models import PeerListing
from wnwa.admin import admin_site


@admin.register(PeerListing, site=admin_site)
class PeerListingAdmin(admin.ModelAdmin):
    list_display = ["shown_name", "peer", "reachability", "paused_until", "confirmed_at"]
    raw_id_fields = ["peer"]
