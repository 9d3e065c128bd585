"""Family accounts whose access ends: told a month before, ended on the day. Run it daily.
Prints counts only."""

from django.conf import settings
from django.core.management.base import BaseCommand

from wnwa.accounts.families import ENDING_NOTICE_DAYS, families_run


class Command(BaseCommand):
    help = (
        "Give the families of officers whose account has ended WNWA_FAMILY_GRACE_DAYS more, "
        f"email family members whose access ends within {ENDING_NOTICE_DAYS} days (once), and "
        "end the family accounts past their last day. Run it daily."
    )

    def handle(self, *args, **options):
        counts = families_run()
        self.stdout.write(
            f"{counts['released']} family accounts given {settings.FAMILY_GRACE_DAYS} days after "
            f"their officer's account ended; told {counts['notified']} family members their "
            f"access ends within {ENDING_NOTICE_DAYS} days; ended {counts['ended']} family "
            "accounts past their last day."
        )
