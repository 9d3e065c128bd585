#!/usr/bin/env python
"""Enrollment benchmark: a 13,000-officer roster, previewed and applied, against baselines.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/wnwa_bench
    .venv/bin/python bench/roster_apply.py

Runs in a throwaway test database (created and dropped here). In one run it times:
- the preview (parse + plan + store) and the apply (one transaction) of the same roster,
- a re-upload that changes every officer (the monthly sync: preview and apply together),
- a plain `bulk_create` of the same rows (what Django can do at best through the ORM),
- a bare psycopg COPY of the same rows (PostgreSQL only: the floor),
- 20 password hashes with the configured hasher (what enrollment must never do per officer),
- sending the 13,000 queued invitations to the in-memory mail backend, as the worker's tasks do
  (departments.emails.send_invitations, one connection here for all of them),
and prints the figures, the ratios the issue asks for, and the peak memory of the process.
Targets (2-core machine): preview + apply <= 10 s, <= 1% of 13,000 hashes, apply <= 10x COPY,
peak RSS <= 300 MB.
"""

import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The test settings: a development key, no connection pool (it creates its own database).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

ROWS = 13_000
HEADER = "Email,First name,Last name,Badge #,Rank,Sworn\r\n"


def roster_csv(domain: str, rank: str = "Officer") -> bytes:
    lines = [HEADER] + [
        f"officer{n}@{domain},First{n},Last{n},{100000 + n},{rank},sworn\r\n" for n in range(ROWS)
    ]
    return "".join(lines).encode()


def timed(action):
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def run() -> None:
    from departments import emails, services
    from departments.models import Department, Invitation
    from wnwa.accounts.models import User, new_session_token

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    department = Department.objects.create(
        name="Bench PD",
        slug="bench-pd",
        state="IL",
        county="Cook",
        city="Bench",
        sworn_strength=ROWS,
    )
    admin = User.objects.create(
        email="admin@bench.test",
        department=department,
        is_department_admin=True,
        password=make_password(None),
    )
    content = roster_csv("bench.test")

    preview_s, preview = timed(
        lambda: services.roster_preview_create(
            department=department,
            content=content,
            file_name="bench.csv",
            full_roster=True,
            uploader=admin,
        )
    )
    assert not preview.errors and preview.added == ROWS, preview.errors[:3]
    apply_s, _ = timed(
        lambda: services.roster_apply(preview_id=preview.pk, department=department, by=admin)
    )
    assert User.objects.filter(department=department).count() == ROWS + 1

    # The monthly sync: the same officers, every one of them promoted.
    resync = roster_csv("bench.test", rank="Sergeant")
    resync_s, changed = timed(
        lambda: services.roster_apply(
            preview_id=services.roster_preview_create(
                department=department,
                content=resync,
                file_name="resync.csv",
                full_roster=True,
                uploader=admin,
            ).pk,
            department=department,
            by=admin,
        )
    )
    assert changed.changed == ROWS

    unusable = make_password(None)
    baseline = Department.objects.create(
        name="Baseline PD",
        slug="baseline-pd",
        state="IL",
        county="Cook",
        city="Base",
        sworn_strength=ROWS,
    )
    people = [
        User(
            email=f"officer{n}@baseline.test",
            first_name=f"First{n}",
            last_name=f"Last{n}",
            badge_number=str(100000 + n),
            rank="Officer",
            kind="sworn",
            department=baseline,
            password=unusable,
        )
        for n in range(ROWS)
    ]
    bulk_s, _ = timed(lambda: User.objects.bulk_create(people, batch_size=1000))

    copy_s = None
    if connection.vendor == "postgresql":
        floor = Department.objects.create(
            name="Copy PD",
            slug="copy-pd",
            state="IL",
            county="Cook",
            city="Copy",
            sworn_strength=ROWS,
        )
        columns = (
            "email, first_name, last_name, badge_number, rank, kind, department_id, password, "
            "is_active, is_department_admin, is_vetter, is_training_staff, is_network_admin, "
            "is_superuser, session_token"
        )

        def copy() -> None:
            with connection.cursor() as cursor:
                raw = cursor.cursor
                with raw.copy(f"COPY accounts_user ({columns}) FROM STDIN") as stream:
                    for n in range(ROWS):
                        stream.write_row(
                            (
                                f"officer{n}@copy.test",
                                f"First{n}",
                                f"Last{n}",
                                str(100000 + n),
                                "Officer",
                                "sworn",
                                floor.pk,
                                unusable,
                                True,
                                False,
                                False,
                                False,
                                False,
                                False,
                                new_session_token(),
                            )
                        )

        copy_s, _ = timed(copy)

    hashes_s, _ = timed(lambda: [make_password(f"bench-password-{n}") for n in range(20)])
    one_hash = hashes_s / 20
    queued = list(Invitation.objects.queued().values_list("pk", flat=True))
    send_s, (sent, failed) = timed(lambda: emails.send_invitations(queued))
    assert sent == ROWS and failed == 0

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    hashing = ROWS * one_hash
    print(f"database:                 {connection.vendor}")
    print(f"rows:                     {ROWS:,}")
    print(f"preview:                  {preview_s:.2f} s")
    print(f"apply:                    {apply_s:.2f} s")
    print(f"preview + apply:          {preview_s + apply_s:.2f} s  (target <= 10 s)")
    print(f"re-upload, all changed:   {resync_s:.2f} s  (preview + apply of 13,000 changes)")
    print(
        f"bulk_create baseline:     {bulk_s:.2f} s  (apply / bulk_create = {apply_s / bulk_s:.1f}x)"
    )
    if copy_s is not None:
        print(
            f"psycopg COPY:             {copy_s:.2f} s  (apply / COPY = {apply_s / copy_s:.1f}x,"
            " target <= 10x)"
        )
    else:
        print("psycopg COPY:             n/a (PostgreSQL only)")
    print(f"one password hash:        {one_hash * 1000:.1f} ms ({settings.PASSWORD_HASHERS[0]})")
    print(f"hashing {ROWS:,} passwords:  {hashing:.0f} s (estimated from 20)")
    print(
        f"(preview + apply) / that: {100 * (preview_s + apply_s) / hashing:.2f} %  (target <= 1 %)"
    )
    print(f"send {sent:,} invitations: {send_s:.2f} s (in-memory backend, one connection)")
    print(f"peak RSS:                 {peak_mb:.0f} MB  (target <= 300 MB)")


def main() -> None:
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    # Tasks wait in the database, as in production, instead of running at once as under test:
    # the apply queues its invitations and sends none (the worker would).
    tasks = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    try:
        with override_settings(TASKS=tasks):
            run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
