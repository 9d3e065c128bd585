"""Copy each peer's department and active flag onto their listing, so the directory never joins
the officer table (see peers.services.listings_sync, which keeps them in step from now on)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def copy_peer_standing(apps, schema_editor):
    PeerListing = apps.get_model("peers", "PeerListing")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    officer = User.objects.filter(pk=models.OuterRef("peer_id"))
    PeerListing.objects.update(
        department_id=models.Subquery(officer.values("department_id")[:1]),
        peer_active=models.Subquery(officer.values("is_active")[:1]),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('departments', '0001_initial'),
        ('peers', '0004_postgres_name_search_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='peerlisting',
            name='peers_listing_showable_idx',
        ),
        migrations.AddField(
            model_name='peerlisting',
            name='department',
            field=models.ForeignKey(blank=True, editable=False, help_text="The peer's department (a copy of peer.department).", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='departments.department'),
        ),
        migrations.AddField(
            model_name='peerlisting',
            name='peer_active',
            field=models.BooleanField(default=True, editable=False, help_text='A copy of peer.is_active.'),
        ),
        migrations.RunPython(copy_peer_standing, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name='peerlisting',
            index=models.Index(condition=models.Q(models.Q(('shown_name', ''), _negated=True), models.Q(('call_number', ''), _negated=True), ('peer_active', True)), fields=['confirmed_at', 'paused_until'], name='peers_listing_showable_idx'),
        ),
    ]
