"""Send queued invitation emails over one SMTP connection. Run it from cron every minute."""

from django.core.management.base import BaseCommand

from departments.services import invitations_send


class Command(BaseCommand):
    help = (
        "Send the invitation emails still queued (large rosters are sent here, not in a request)."
    )

    def handle(self, *args, **options):
        sent, failed = invitations_send()
        self.stdout.write(f"Invitations sent: {sent}. Failed and still queued: {failed}.")
        if failed:
            self.stderr.write("Some invitations failed; they stay queued for the next run.")
