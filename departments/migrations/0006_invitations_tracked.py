"""The invitation queue becomes each officer's invitation record: a sent invitation keeps the day
it went out (so the department admin sees when it expires) instead of being deleted."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("departments", "0005_designation_uploaded_and_verified"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("PendingInvitation", "Invitation"),
        migrations.AlterField(
            model_name="invitation",
            name="officer",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="invitation",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="invitation",
            name="queued_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="invitation",
            name="sent_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="invitation",
            index=models.Index(
                condition=models.Q(("queued_at__isnull", False)),
                fields=["queued_at"],
                name="invitation_queue",
            ),
        ),
    ]
