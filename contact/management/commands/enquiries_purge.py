from django.conf import settings
from django.core.management.base import BaseCommand

from contact.services import enquiries_purge


class Command(BaseCommand):
    help = "Delete public-site enquiries older than WNWA_ENQUIRY_RETENTION_DAYS (run daily)."

    def handle(self, *args, **options):
        days = settings.ENQUIRY_RETENTION_DAYS
        deleted = enquiries_purge(older_than_days=days)
        self.stdout.write(f"Deleted {deleted} enquiries older than {days} days.")
