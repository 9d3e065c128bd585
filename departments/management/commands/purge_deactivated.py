"""Erase officers deactivated longer than RETENTION_DAYS ago. Prints counts only."""

from django.conf import settings
from django.core.management.base import BaseCommand

from departments.services import deactivated_purge


class Command(BaseCommand):
    help = (
        "Erase the personal data of officers deactivated more than WNWA_RETENTION_DAYS ago, "
        "and roster previews left unapplied for a day. Run it daily."
    )

    def handle(self, *args, **options):
        counts = deactivated_purge()
        self.stdout.write(
            f"Erased {counts['officers']} officers deactivated more than "
            f"{settings.RETENTION_DAYS} days ago; deleted {counts['previews']} old roster previews."
        )
