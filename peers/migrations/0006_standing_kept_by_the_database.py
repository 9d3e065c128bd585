"""Who may be listed is kept by the database (peers.standing installs the triggers after every
migrate), today's order is stored in `rotation` and read off a partial index, and `card_version`
names the version of each card the directory caches.

The area and language lists get an index led by the value, holding the listing too, so a filter
reads only the index (Django's own index on the value alone needs the table as well).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('departments', '0004_state_from_the_list_of_states'),
        ('peers', '0005_listing_copies_peer_standing'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunSQL(
            [
                "CREATE INDEX peers_listing_areas_by_area ON peers_peerlisting_areas"
                " (experiencearea_id, peerlisting_id)",
                "CREATE INDEX peers_listing_languages_by_language ON peers_peerlisting_languages"
                " (language_id, peerlisting_id)",
            ],
            [
                "DROP INDEX peers_listing_areas_by_area",
                "DROP INDEX peers_listing_languages_by_language",
            ],
        ),
        migrations.RemoveIndex(
            model_name='peerlisting',
            name='peers_listing_showable_idx',
        ),
        migrations.RemoveField(
            model_name='peerlisting',
            name='peer_active',
        ),
        migrations.AddField(
            model_name='peerlisting',
            name='card_version',
            field=models.BigIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name='peerlisting',
            name='listable',
            field=models.BooleanField(default=False, editable=False, help_text='Kept by the database: the peer is active, of an active member department and certified, and the listing has a name, a number, a language and an area.'),
        ),
        migrations.AddField(
            model_name='peerlisting',
            name='rotation',
            field=models.BigIntegerField(default=0, editable=False),
        ),
        migrations.AlterField(
            model_name='peerlisting',
            name='department',
            field=models.ForeignKey(blank=True, editable=False, help_text="The peer's department (peer.department, kept by the database).", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='departments.department'),
        ),
        migrations.AddIndex(
            model_name='peerlisting',
            index=models.Index(condition=models.Q(('listable', True)), fields=['rotation', 'id'], name='peers_listing_rotation_idx'),
        ),
    ]
