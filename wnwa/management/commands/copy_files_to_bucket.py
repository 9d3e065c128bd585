from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wnwa.lib.storage import copy_to_bucket


class Command(BaseCommand):
    help = (
        "Copy every private file a record names from WNWA_PRIVATE_MEDIA_ROOT (and "
        "WNWA_RESOURCE_FILES_ROOT) to the bucket WNWA_STORAGE_URL names, reading each back to "
        "compare checksums. Safe to run again: files already copied are left alone."
    )

    def handle(self, *args, **options):
        if not settings.PRIVATE_FILES_BUCKET:
            raise CommandError("No bucket is configured: set WNWA_STORAGE_URL (README).")
        report = copy_to_bucket()
        # Counts only: the names are random, but a list of them is of use to no one.
        self.stdout.write(
            f"Copied {report.copied}, already in the bucket {report.already_there}, "
            f"missing from the folder {report.missing}, failed the checksum {report.failed}."
        )
        if report.failed:
            raise CommandError(f"{report.failed} files read back with other bytes: run it again.")
