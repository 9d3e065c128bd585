"""Backup codes already issued keep working under the keyed hash: each stored digest (SHA-256
of device and code) is wrapped in the HMAC that wnwa.accounts.models.hash_backup_code now applies
to it. Going back leaves them keyed (the plain digests are gone, which is the point): code from
before this migration cannot read them, so after such a rollback staff make new backup codes."""

from django.db import migrations
from django.utils.crypto import salted_hmac

SALT = "wnwa.accounts.BackupCode"  # wnwa.accounts.models.BACKUP_CODE_SALT, as of this migration


def wrap_digests(apps, schema_editor):
    BackupCode = apps.get_model("accounts", "BackupCode")
    codes = list(BackupCode.objects.only("pk", "code_hash"))
    for code in codes:
        code.code_hash = salted_hmac(SALT, code.code_hash, algorithm="sha256").hexdigest()
    BackupCode.objects.bulk_update(codes, ["code_hash"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_session_token"),
    ]

    operations = [
        migrations.RunPython(wrap_digests, migrations.RunPython.noop, elidable=False),
    ]
