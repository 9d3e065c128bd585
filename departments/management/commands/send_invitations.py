"""Hand every invitation still queued to the worker: the daily sweep behind the tasks that an
apply or a resend queues itself (README, "Scheduled work")."""

from django.core.management.base import BaseCommand

from departments.services import invitations_enqueue


class Command(BaseCommand):
    help = "Queue a task for every invitation email still waiting (the worker sends them)."

    def handle(self, *args, **options):
        queued = invitations_enqueue()
        self.stdout.write(f"Invitations handed to the worker: {queued}.")
