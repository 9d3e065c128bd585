"""Email each listed professional who is due a single-use link to confirm their listing.

Run it daily from cron: a professional is due 90 days after their last confirmation and gets a
new link only when no unused one is still live, so a daily run sends at most one email per link
lifetime. Prints counts only.
"""

from django.core.management.base import BaseCommand

from professionals.selectors import HIDDEN_AFTER_DAYS, due_for_reconfirmation, overdue_listings
from professionals.services import reconfirmation_request


class Command(BaseCommand):
    help = "Email listed professionals due to confirm their availability a single-use link."

    def handle(self, *args, **options):
        sent = 0
        for professional in due_for_reconfirmation():
            reconfirmation_request(professional=professional)
            sent += 1
        overdue = overdue_listings().count()
        self.stdout.write(
            f"Reconfirmation links sent: {sent}. Listings overdue: {overdue} "
            f"(hidden from officers after {HIDDEN_AFTER_DAYS} days)."
        )
