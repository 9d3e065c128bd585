"""A department leaving the network: its retirees told a month before, their access ended on the
day. Run it daily. Prints counts only."""

from django.core.management.base import BaseCommand

from departments.services import LEAVING_NOTICE_DAYS, departures_run


class Command(BaseCommand):
    help = (
        f"Email the retired officers of departments that leave within {LEAVING_NOTICE_DAYS} "
        "days (once), and on the day lapse the membership and end its retirees' access. Run it "
        "daily."
    )

    def handle(self, *args, **options):
        counts = departures_run()
        self.stdout.write(
            f"Told {counts['notified']} retired officers of {counts['departments']} departments "
            f"leaving within {LEAVING_NOTICE_DAYS} days; {counts['lapsed']} departments left "
            f"today, ending the access of {counts['ended']} retired officers."
        )
