from django.contrib import admin

from peers import schedule
from peers.models import ExperienceArea, Language, PeerListing
from wnwa.admin import admin_site

# Nothing here has to tell the directory about a change: it reads the rows themselves, and the
# database keeps each listing's `listable` and `department` from its officer's (peers/migrations).


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
    list_display = [
        "shown_name",
        "peer",
        "listable",
        "reachability",
        "paused_until",
        "confirmed_at",
    ]
    list_filter = ["listable", "reachability"]
    readonly_fields = ["listable", "department", "hours", "hours_note"]
    raw_id_fields = ["peer"]
    filter_horizontal = ["languages", "areas"]
    search_fields = ["shown_name", "peer__email"]

    @admin.display(description="weekly hours")
    def hours(self, listing: PeerListing) -> str:
        """The peer sets them on their listing page (peers.schedule keeps them as slots)."""
        return schedule.describe(listing.week, listing.time_zone) or "None"
