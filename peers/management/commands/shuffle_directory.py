"""Daily, from cron, just after midnight: `python manage.py shuffle_directory`.

Gives every listing its place in today's order (peers.directory.rotation_key): the same for every
officer all day, a new order each day. Idempotent: run twice, the order is the same. Until it runs,
the directory keeps yesterday's order. Prints a count only.
"""

from django.core.management.base import BaseCommand

from peers.services import directory_shuffle


class Command(BaseCommand):
    help = "Shuffle the peer directory's order for today."

    def handle(self, *args, **options):
        self.stdout.write(f"Listings in today's order: {directory_shuffle()}")
