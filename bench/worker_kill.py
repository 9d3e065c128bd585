"""The task worker killed mid-way through a large batch of invitations: none lost.

    bench/worker_kill [--invitations 2000] [--kills 2] [--database-url sqlite:///... | postgres://...]

Queues --invitations invitations for one department (as a large roster apply does: a task per
hundred), starts `manage.py worker` with the console mail backend and a short lease, and SIGKILLs
it --kills times while it sends, starting a new worker each time. Then it counts the emails the
workers wrote (each message's To: line on their output, unbuffered, so an email counts once it
has left the process) and checks: every invitation emailed at least once (none lost), at most one
email twice per kill, no invitation left queued and no task left waiting. Exits 1 otherwise.
bench/faults runs the same drill at its end, on its PostgreSQL database.

With no --database-url it uses a fresh SQLite file, as `make run` does; a PostgreSQL database
named here is dropped and created again (its name must contain "bench" or "load", see rig).
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import rig  # noqa: E402

LEASE_SECONDS = 3  # a killed worker's task is taken back this soon (production: 15 minutes)
DEADLINE_SECONDS = 300


def queue_invitations(count: int) -> None:
    """`count` new officers of one department, each with a queued invitation, handed to the
    worker in tasks of a hundred (departments.services.invitations_enqueue)."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from departments.models import Department, Invitation
    from departments.services import invitations_enqueue
    from wnwa.accounts.models import User

    department = Department.objects.order_by("pk").first()
    nobody = make_password(None)
    officers = User.objects.bulk_create(
        [
            User(
                email=f"drill{n}@drill.invalid",
                first_name="Drill",
                last_name=f"Officer {n}",
                department=department,
                password=nobody,
            )
            for n in range(count)
        ],
        batch_size=1000,
    )
    now = timezone.now()
    Invitation.objects.bulk_create(
        [Invitation(officer=officer, queued_at=now) for officer in officers], batch_size=1000
    )
    invitations_enqueue(officer_ids=[officer.pk for officer in officers])  # no transaction: now


def sent_so_far() -> int:
    from departments.models import Invitation

    return Invitation.objects.filter(
        officer__email__endswith="@drill.invalid", queued_at__isnull=True
    ).count()


def start_worker(env: dict, output) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.2"],
        cwd=rig.ROOT,
        env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
        stdout=output,
        stderr=subprocess.STDOUT,
    )


def drill(env: dict, *, invitations: int, kills: int) -> list[str]:
    """Run the drill against the database of `env` (already migrated); returns the problems."""
    from departments.models import Invitation
    from wnwa.lib.tasks import queue_counts

    env = {**env, "EMAIL_URL": "console://", "WNWA_TASK_LEASE_SECONDS": str(LEASE_SECONDS)}
    queue_invitations(invitations)
    print(f"queued {invitations:,} invitations: {queue_counts()['waiting']} tasks waiting")
    log = Path(tempfile.mkdtemp(prefix="wnwa-worker-")) / "workers.log"
    started = time.monotonic()
    with log.open("wb") as output:
        worker = start_worker(env, output)
        for kill in range(1, kills + 1):
            target = invitations * kill // (kills + 1)
            while sent_so_far() < target and worker.poll() is None:
                time.sleep(0.02)
            worker.send_signal(signal.SIGKILL)
            worker.wait()
            print(
                f"t={time.monotonic() - started:5.1f} s  SIGKILL the worker after "
                f"{sent_so_far():,} invitations marked sent; a new worker starts"
            )
            worker = start_worker(env, output)
        while time.monotonic() - started < DEADLINE_SECONDS:
            counts = queue_counts()
            if not counts["waiting"] and not counts["running"]:
                break
            time.sleep(0.2)
        elapsed = time.monotonic() - started
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    emailed = Counter(re.findall(rb"^To: (drill\d+@drill\.invalid)$", log.read_bytes(), re.M))
    twice = sum(n - 1 for n in emailed.values() if n > 1)
    lost = invitations - len(emailed)
    queued = Invitation.objects.queued().filter(officer__email__endswith="@drill.invalid").count()
    counts = queue_counts()
    print(
        f"{invitations:,} invitations, {kills} workers killed: {len(emailed):,} emailed, "
        f"{lost} lost, {twice} sent twice (at most {kills}), {queued} still queued, "
        f"tasks left {counts}; {elapsed:.1f} s in all ({invitations / elapsed:.0f} emails/s)"
    )
    problems = []
    if lost:
        problems.append(f"{lost} invitations never emailed")
    if twice > kills:
        problems.append(f"{twice} emails sent twice, more than one per kill")
    if queued or counts["waiting"] or counts["running"] or counts["failed"]:
        problems.append(f"work left: {queued} invitations queued, tasks {counts}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invitations", type=int, default=2000)
    parser.add_argument("--kills", type=int, default=2)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="wnwa-worker-kill-"))
    database_url = args.database_url or f"sqlite:///{work / 'db.sqlite3'}"
    if database_url.startswith("postgres"):
        rig.recreate_database(database_url)
    env = rig.environment(database_url, "redis://127.0.0.1:6379/12", str(work / "static"))
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 - the secrets it prints
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()  # the demo's own few invitations: the drill counts its own
    problems = drill(env, invitations=args.invitations, kills=args.kills)
    for problem in problems:
        print("  PROBLEM: " + problem)
    print("FAIL" if problems else "OK: none lost, at most one twice per kill")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
