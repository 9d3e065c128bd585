"""Daily, from cron: `python manage.py remind_listings`.

Emails each peer whose listing lapses within REMINDER_DAYS_BEFORE days, once per confirmation.
First repairs any listing whose copy of its officer's standing (department, active) has drifted,
as a safety net behind the services that keep it in step. Prints counts only: never who.
"""

from django.core.management.base import BaseCommand

from peers.services import listing_reminders_send, listings_sync


class Command(BaseCommand):
    help = "Remind peers, once, that their listing is about to stop showing."

    def handle(self, *args, **options):
        repaired = listings_sync()
        self.stdout.write(f"Listings brought in step with their officer: {repaired}")
        sent = listing_reminders_send()
        self.stdout.write(f"Reminders sent: {sent}")
