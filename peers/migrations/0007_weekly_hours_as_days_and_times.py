"""Weekly hours become days and times in the peer's own time zone (peers.schedule).

Each listing's zone starts as its department's state's usual one. Hours typed as text are read
into days and times where they can be read for certain; the text itself is kept either way, in
`hours_note`, and the peer's listing page shows it beside what was read until they next save the
listing (templates/peers/my_listing.html). Nothing typed is lost.
"""

import django.core.validators
from django.db import migrations, models

from peers import schedule

ZONES = [
    ("America/New_York", "Eastern time"),
    ("America/Chicago", "Central time"),
    ("America/Denver", "Mountain time"),
    ("America/Phoenix", "Arizona (no daylight saving)"),
    ("America/Los_Angeles", "Pacific time"),
    ("America/Anchorage", "Alaska time"),
    ("Pacific/Honolulu", "Hawaii time"),
    ("America/Puerto_Rico", "Atlantic time (Puerto Rico)"),
]


def read_hours(apps, schema_editor):
    PeerListing = apps.get_model("peers", "PeerListing")
    listings = PeerListing.objects.select_related("department").only(
        "pk", "department__state", "hours_note", "time_zone", "week"
    )
    changed = []
    for listing in listings.iterator(chunk_size=2000):
        if listing.department is not None:
            listing.time_zone = schedule.zone_of_state(listing.department.state)
        if listing.hours_note.strip():
            listing.week = schedule.parse_hours(listing.hours_note) or schedule.NO_HOURS
        changed.append(listing)
        if len(changed) == 2000:
            PeerListing.objects.bulk_update(changed, ["time_zone", "week"])
            changed = []
    PeerListing.objects.bulk_update(changed, ["time_zone", "week"])


def back_to_text(apps, schema_editor):
    """Going back, hours set as days and times since become their description."""
    PeerListing = apps.get_model("peers", "PeerListing")
    for listing in PeerListing.objects.exclude(week=schedule.NO_HOURS).iterator():
        if not listing.hours_note:
            listing.hours_note = schedule.describe(listing.week, listing.time_zone)[:200]
            listing.save(update_fields=["hours_note"])


class Migration(migrations.Migration):

    dependencies = [
        ("peers", "0006_standing_kept_by_the_database"),
    ]

    operations = [
        migrations.RenameField(
            model_name="peerlisting", old_name="weekly_hours", new_name="hours_note"
        ),
        migrations.AlterField(
            model_name="peerlisting",
            name="hours_note",
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name="peerlisting",
            name="time_zone",
            field=models.CharField(choices=ZONES, default="America/Chicago", max_length=40),
        ),
        migrations.AddField(
            model_name="peerlisting",
            name="week",
            field=models.CharField(
                default="0" * 336,
                editable=False,
                max_length=336,
                validators=[django.core.validators.RegexValidator("^[01]{336}$")],
                verbose_name="weekly hours",
            ),
        ),
        migrations.RunPython(read_hours, back_to_text, elidable=False),
    ]
