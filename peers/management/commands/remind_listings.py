"""Daily, from cron: `python manage.py remind_listings`.

Emails each peer whose listing lapses within REMINDER_DAYS_BEFORE days, once per confirmation.
Prints a count only: never who.
"""

from django.core.management.base import BaseCommand

from peers.services import listing_reminders_send


class Command(BaseCommand):
    help = "Remind peers, once, that their listing is about to stop showing."

    def handle(self, *args, **options):
        sent = listing_reminders_send()
        self.stdout.write(f"Reminders sent: {sent}")
