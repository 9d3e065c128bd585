"""Background work: Django's task framework (the django-tasks backport) on its database backend
(django-tasks-db), run by `manage.py worker`, which adds what that backend leaves out.

- **Enqueued on commit** (`enqueue_on_commit`): nothing runs for a change that was rolled back,
  and the worker never reads a row before it is committed.
- **Retries**: a task that raises is tried again after WNWA_TASK_RETRY_SECONDS, doubling each
  time, until it has been tried WNWA_TASK_ATTEMPTS times; then it is marked failed. Failures are
  logged by the task's name and the exception's kind only, and the stored row keeps the kind
  only: no traceback (an SMTP refusal names the address), no arguments.
- **Recovery**: a task still running WNWA_TASK_LEASE_SECONDS after it started belongs to a
  worker that died (killed, out of memory, the machine gone); any worker puts it back in the
  queue, where it counts as an attempt. Tasks are kept short (one email, or a hundred
  invitations) so that the lease is far longer than any task's honest run. A task must be safe
  to run again: an email task sends one message, so a kill costs at most that one email twice.
- **Nothing kept**: a task that succeeded is deleted at once, so the table holds only work still
  to do and failures awaiting an operator (their arguments emptied). No row outlives its work
  with an address, a name or a link in it.

No threads and no state in the worker's process: any number of workers share the queue through
the database (rows are claimed with SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL, and in an
exclusive transaction on SQLite).
"""

import datetime
import logging
import signal
import time
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.utils import OperationalError
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

logger = logging.getLogger("wnwa.tasks")

READY, RUNNING, FAILED = "READY", "RUNNING", "FAILED"


def enqueue_on_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    """Queue `task` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


def task_name(row: DBTaskResult) -> str:
    return row.task_path.rsplit(".", 1)[-1]


def attempts(row: DBTaskResult) -> int:
    # Each claim adds the worker's id: the tries so far, this one included.
    return len(row.worker_ids)


def retry_delay(tries: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.TASK_RETRY_SECONDS * 2 ** (tries - 1))


def give_up_or_retry(
    row: DBTaskResult, *, kind: str, now: datetime.datetime, wait: bool = True
) -> str:
    """Queue `row` again (after a delay, given `wait`), or mark it failed after its last
    attempt; returns which.

    Either way the row keeps no traceback; a failed one keeps no arguments either."""
    tries = attempts(row)
    if tries < settings.TASK_ATTEMPTS:
        DBTaskResult.objects.filter(pk=row.pk).update(
            status=READY,
            started_at=None,
            run_after=now + retry_delay(tries) if wait else row.started_at,
        )
        logger.warning(
            "task %s failed (attempt %d of %d), will retry: %s",
            task_name(row),
            tries,
            settings.TASK_ATTEMPTS,
            kind,
        )
        return "retry"
    DBTaskResult.objects.filter(pk=row.pk).update(
        status=FAILED,
        finished_at=now,
        args_kwargs={"args": [], "kwargs": {}},
        exception_class_path=kind,
        traceback="",
    )
    logger.error("task %s failed after %d attempts: %s", task_name(row), tries, kind)
    return "failed"


def recover_abandoned(*, now: datetime.datetime | None = None) -> int:
    """Put back in the queue (or fail, after their last attempt) the tasks whose worker died."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.TASK_LEASE_SECONDS)
    recovered = 0
    with transaction.atomic():
        stale = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status=RUNNING, started_at__lt=cutoff
        )
        for row in stale:
            # The task did not fail; its worker went: it may run again at once.
            give_up_or_retry(row, kind="WorkerLost", now=now, wait=False)
            recovered += 1
    return recovered


class Worker:
    """Runs queued tasks one at a time until stopped (SIGTERM or SIGINT end it after the task in
    hand) or, with `until_empty`, until none is ready."""

    def __init__(self, *, interval: float = 1.0, worker_id: str | None = None) -> None:
        self.interval = interval
        self.worker_id = worker_id or get_random_string(32)
        self.running = True

    def stop(self, signum: int, frame: object) -> None:
        self.running = False

    def claim(self) -> DBTaskResult | None:
        ready = DBTaskResult.objects.ready()
        try:
            with exclusive_transaction(ready.db):
                row = ready.get_locked()
                if row is not None:
                    row.claim(self.worker_id)
                return row
        except OperationalError as error:  # SQLite's "database is locked": try again shortly
            if is_locked_database_exception(error):
                return None
            raise

    def run_one(self, row: DBTaskResult) -> str:
        """Run a claimed task; returns "done", "retry" or "failed"."""
        try:
            task = row.task
            task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
        except Exception as error:  # noqa: BLE001 - any failure of any task is retried
            return give_up_or_retry(row, kind=type(error).__name__, now=timezone.now())
        DBTaskResult.objects.filter(pk=row.pk).delete()
        return "done"

    def run(self, *, until_empty: bool = False) -> int:
        """Work the queue; returns how many tasks were run."""
        ran = 0
        while self.running:
            # Stale and broken database connections go between tasks, as Django drops them
            # between requests; not inside a caller's transaction (a test's, a command's).
            if not connection.in_atomic_block:
                close_old_connections()
            recover_abandoned()
            row = self.claim()
            if row is not None:
                self.run_one(row)
                ran += 1
                continue
            if until_empty:
                break
            time.sleep(self.interval)
        return ran

    def handle_signals(self) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)


def run_queued_tasks() -> int:
    """Run every task that is ready now, in this process, then return how many ran (tests,
    and commands that want their work done before they exit)."""
    return Worker(interval=0).run(until_empty=True)


def queue_counts() -> dict[str, int]:
    """Tasks waiting, running and failed: figures for an operator, never their content."""
    rows = DBTaskResult.objects.all()
    return {
        "waiting": rows.filter(status=READY).count(),
        "running": rows.filter(status=RUNNING).count(),
        "failed": rows.filter(status=FAILED).count(),
    }
