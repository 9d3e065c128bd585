"""The worker on the task framework's database backend (wnwa.lib.tasks): queued on commit, one
email per task, retried with a growing delay, recovered after its worker died, and no row left
with an address once its work is done. Runs on SQLite and on PostgreSQL, as CI does."""

import datetime
import io
import smtplib

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from wnwa.lib.mail import email_message, email_send, email_send_batch
from wnwa.lib.tasks import Worker, recover_abandoned

pytestmark = pytest.mark.django_db


def queue_a_message(capture, *, to="officer@alpha.test", attachments=None) -> None:
    with capture(execute=True):
        email_send(
            template="departments/email/leaving",
            to=[to],
            context={"leaves_on": datetime.date(2027, 1, 1), "retention_days": 30},
            attachments=attachments,
            what="leaving notice",
        )


def refusing(monkeypatch, failures: list[int]):
    """The mail server refuses the next `failures[0]` messages, naming the address as SMTP
    servers do."""

    def send_messages(self, messages):
        if failures[0] > 0:
            failures[0] -= 1
            raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (550, b"no such user")})
        mail.outbox.extend(messages)
        return len(messages)

    monkeypatch.setattr(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", send_messages
    )


def make_due() -> None:
    DBTaskResult.objects.update(run_after=timezone.now() - datetime.timedelta(seconds=1))


def test_an_email_waits_for_the_commit_and_then_for_the_worker(
    task_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email_send(
            template="departments/email/leaving",
            to=["officer@alpha.test"],
            context={"leaves_on": datetime.date(2027, 1, 1), "retention_days": 30},
            what="leaving notice",
        )
    assert task_queue.waiting() == 0  # rolled back, it would never be queued
    for callback in callbacks:
        callback()
    assert task_queue.waiting() == 1 and mail.outbox == []
    assert task_queue.run() == 1
    assert [m.to for m in mail.outbox] == [["officer@alpha.test"]]
    assert not DBTaskResult.objects.exists()  # the message, address and all, is gone once sent


def test_attachments_survive_the_queue_byte_for_byte(
    task_queue, django_capture_on_commit_callbacks
):
    ics = "BEGIN:VCALENDAR\r\nSUMMARY:Peer support – Basics\r\nEND:VCALENDAR\r\n"
    pdf = b"%PDF-1.7\x00\xff\xfe binary"
    queue_a_message(
        django_capture_on_commit_callbacks,
        attachments=lambda: [
            ("invite.ics", ics, "text/calendar"),
            ("a.pdf", pdf, "application/pdf"),
        ],
    )
    task_queue.run()
    (message,) = mail.outbox
    assert message.attachments[0][0] == "invite.ics" and message.attachments[0][1] == ics
    assert message.attachments[1] == ("a.pdf", pdf, "application/pdf")


def test_a_batch_is_one_task_per_message_so_a_kill_costs_at_most_one(
    task_queue, django_capture_on_commit_callbacks
):
    def build():
        for n in range(5):
            yield email_message(template="departments/email/leaving", to=[f"r{n}@alpha.test"])

    with django_capture_on_commit_callbacks(execute=True):
        email_send_batch(build=build, what="leaving notice")
    assert task_queue.waiting() == 5
    # A worker that has sent two and dies during the third: the third is the one in flight.
    worker = Worker(interval=0)
    for _ in range(2):
        worker.run_one(worker.claim())
    in_flight = worker.claim()
    assert in_flight is not None and len(mail.outbox) == 2
    later = timezone.now() + datetime.timedelta(hours=1)  # long past the lease
    assert recover_abandoned(now=later) == 1
    assert task_queue.run() == 3
    assert sorted(m.to[0] for m in mail.outbox) == [f"r{n}@alpha.test" for n in range(5)]


def test_a_refused_email_is_retried_later_and_logged_by_kind_only(
    task_queue, django_capture_on_commit_callbacks, monkeypatch, log_output, settings
):
    settings.TASK_RETRY_SECONDS = 60
    refusing(monkeypatch, [2])
    queue_a_message(django_capture_on_commit_callbacks)
    before = timezone.now()
    assert task_queue.run() == 1  # tried once; its retry is not due yet
    task = DBTaskResult.objects.get()
    assert task.status == "READY" and task.traceback == ""
    assert task.run_after >= before + datetime.timedelta(seconds=60)
    assert task_queue.run() == 0
    make_due()
    task_queue.run()
    second = DBTaskResult.objects.get()
    assert second.run_after >= timezone.now() + datetime.timedelta(seconds=110)  # doubled
    make_due()
    task_queue.run()
    assert [m.to for m in mail.outbox] == [["officer@alpha.test"]]
    assert not DBTaskResult.objects.exists()
    logged = log_output.getvalue()
    assert "leaving notice not sent: SMTPRecipientsRefused" in logged
    assert "task send_message failed (attempt 2 of" in logged
    assert "officer@alpha.test" not in logged and "no such user" not in logged


def test_after_its_last_attempt_a_task_fails_and_keeps_only_the_kind(
    task_queue, django_capture_on_commit_callbacks, monkeypatch, log_output, settings
):
    settings.TASK_ATTEMPTS = 2
    refusing(monkeypatch, [99])
    queue_a_message(django_capture_on_commit_callbacks)
    task_queue.run()
    make_due()
    task_queue.run()
    failed = DBTaskResult.objects.get()
    assert failed.status == "FAILED"
    assert failed.args_kwargs == {"args": [], "kwargs": {}}
    assert (failed.exception_class_path, failed.traceback) == ("SMTPRecipientsRefused", "")
    assert "officer@alpha.test" not in str(DBTaskResult.objects.values().get())
    assert (
        "task send_message failed after 2 attempts: SMTPRecipientsRefused" in log_output.getvalue()
    )
    make_due()
    assert task_queue.run() == 0 and mail.outbox == []


def test_a_task_whose_worker_died_is_run_again_after_the_lease_and_not_before(
    task_queue, django_capture_on_commit_callbacks, settings
):
    settings.TASK_LEASE_SECONDS = 600
    queue_a_message(django_capture_on_commit_callbacks)
    dead = Worker(interval=0).claim()  # claimed, then its process was killed
    assert dead.status == "RUNNING"
    assert recover_abandoned(now=timezone.now() + datetime.timedelta(seconds=590)) == 0
    assert task_queue.run() == 0  # still someone's, as far as anyone can tell
    assert recover_abandoned(now=timezone.now() + datetime.timedelta(seconds=610)) == 1
    make_due()
    assert task_queue.run() == 1 and len(mail.outbox) == 1


def test_a_task_that_keeps_killing_its_worker_fails_in_the_end(
    task_queue, django_capture_on_commit_callbacks, settings
):
    settings.TASK_ATTEMPTS = 2
    queue_a_message(django_capture_on_commit_callbacks)
    for _ in range(2):
        make_due()
        Worker(interval=0).claim()
        recover_abandoned(now=timezone.now() + datetime.timedelta(days=1))
    task = DBTaskResult.objects.get()
    assert (task.status, task.exception_class_path) == ("FAILED", "WorkerLost")
    assert task.args_kwargs == {"args": [], "kwargs": {}}


def test_the_worker_command_runs_what_is_queued(task_queue, django_capture_on_commit_callbacks):
    queue_a_message(django_capture_on_commit_callbacks)
    queue_a_message(django_capture_on_commit_callbacks, to="retiree@alpha.test")
    out = io.StringIO()
    call_command("worker", "--until-empty", stdout=out)
    assert out.getvalue().splitlines() == [
        "Worker started: 2 tasks waiting, 0 failed.",
        "Worker stopped after 2 tasks.",
    ]
    assert len(mail.outbox) == 2
