"""Run the background worker: queued emails and invitation batches (wnwa.lib.tasks).

Run one or more beside the app servers; `make run` starts one. SIGTERM or Ctrl-C stops it once
the task in hand is done; a worker killed outright loses nothing (its task is queued again
after WNWA_TASK_LEASE_SECONDS).
"""

from django.core.management.base import BaseCommand

from wnwa.lib.tasks import Worker, queue_counts


class Command(BaseCommand):
    help = "Run queued background tasks (emails, invitations) until stopped."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait before looking again when nothing is queued (default 1).",
        )
        parser.add_argument(
            "--until-empty",
            action="store_true",
            help="Run what is queued now, then exit (a one-off, or a scheduler's job).",
        )

    def handle(self, *args, interval: float, until_empty: bool, **options):
        worker = Worker(interval=interval)
        worker.handle_signals()
        counts = queue_counts()
        self.stdout.write(
            f"Worker started: {counts['waiting']} tasks waiting, {counts['failed']} failed.",
        )
        self.stdout.flush()
        ran = worker.run(until_empty=until_empty)
        self.stdout.write(f"Worker stopped after {ran} tasks.")
