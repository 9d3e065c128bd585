"""Faults under load: a gunicorn worker killed, PostgreSQL restarted, and nothing left half-done.

    bench/faults [--seconds 60] [--kill-at 15] [--restart-at 25] [--fault restart|terminate]
                 [--database-url postgres://postgres@127.0.0.1:5432/wnwa_load] [--redis-url ...]

Runs the load of bench/load and, beside it, people doing the three things that must be all or
nothing: a department admin uploading and applying rosters, trainees registering for a session
with few seats, trainees starting and submitting the exam from their emailed links. A probe asks
for the trainings page (it reads the database) ten times a second. During the run:
- at --kill-at seconds one gunicorn worker gets SIGKILL (gunicorn starts another);
- at --restart-at seconds PostgreSQL restarts (`pg_ctlcluster <version> main restart`), or with
  `--fault terminate` only this database's connections are cut (pg_terminate_backend): the same
  dead pooled connections for the app, without disturbing anyone else on a shared server.
Then it prints the seconds from PostgreSQL accepting connections again to the app answering 200
again (must be <= 10), and checks the tables: every roster preview applied with all its officers
or none, no session over capacity, every exam attempt either untouched or fully graded with its
certificate. Last, with the load over, the task worker is killed twice mid-way through 2,000
invitations (bench/worker_kill.py's drill): none may be lost. Exits 1 on a failed check.
Restarting PostgreSQL breaks other clients of the server for a few seconds: the script waits
while a pytest process is running.
"""

import argparse
import datetime
import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import rig, worker_kill  # noqa: E402
from bench.load import arguments  # noqa: E402

RUN = time.strftime("%H%M%S")
ROSTER_OFFICERS = 5
EXAM_TRAINEES = 400
SEATS = 12


# --- Data the writers need ---------------------------------------------------------------------


def drill_data() -> dict:
    """A session with few seats to register for, and a finished session whose trainees (without
    accounts) hold single-use exam links."""
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from trainings.models import Attendance, Choice, CourseType, Registration, Session
    from trainings.services.exams import exam_link_create

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # this process only
    today = timezone.localdate()
    course = CourseType.objects.order_by("pk").first()
    seats = Session.objects.create(
        course=course,
        starts_on=today + datetime.timedelta(days=40),
        ends_on=today + datetime.timedelta(days=40 + course.days - 1),
        venue="Fault drill hall",
        address="1 Drill Street, Oak Ridge, IL",
        capacity=SEATS,
        status=Session.Status.PUBLISHED,
    )
    finished = Session.objects.create(
        course=course,
        starts_on=today - datetime.timedelta(days=course.days),
        ends_on=today - datetime.timedelta(days=1),
        venue="Fault drill hall",
        address="1 Drill Street, Oak Ridge, IL",
        capacity=EXAM_TRAINEES,
        registration_open=False,
        status=Session.Status.PUBLISHED,
    )
    tokens = []
    with transaction.atomic():
        for n in range(EXAM_TRAINEES):
            registration = Registration.objects.create(
                session=finished,
                name=f"Drill Trainee {n}",
                email=f"trainee{n}@drill.test",
                phone="+13125550100",
                department="Drill PD",
                status=Registration.Status.REGISTERED,
                fee=course.price,
            )
            Attendance.objects.bulk_create(
                Attendance(registration=registration, day=day, present=True)
                for day in finished.days
            )
            tokens.append(exam_link_create(registration=registration))
    correct = set(Choice.objects.filter(is_correct=True).values_list("pk", flat=True))
    return {"seats": seats.pk, "finished": finished.pk, "tokens": tokens, "correct": correct}


def exam_answers(page: str, correct: set[int], right: bool) -> dict[str, str]:
    """Answers to the exam page as shown: all right, or all wrong (no database read here, so
    the writers touch PostgreSQL only through the app)."""
    shown: dict[str, list[int]] = {}
    for name, value in re.findall(r'name="(q-\d+)" value="(\d+)"', page):
        shown.setdefault(name, []).append(int(value))
    return {
        name: str(([c for c in choices if (c in correct) == right] or choices)[0])
        for name, choices in shown.items()
    }


# --- The writers -------------------------------------------------------------------------------


class Writers:
    """Loops that run until `stop`; outcomes are tallied, failures are expected during faults."""

    def __init__(self, port: int, admin_cookie: str, drill: dict, stop: threading.Event):
        self.port, self.admin_cookie, self.drill, self.stop = port, admin_cookie, drill, stop
        self.tally: Counter = Counter()
        self.lock = threading.Lock()
        self.addresses = rig.loopback_addresses()
        self.tokens = iter(drill["tokens"])
        self.threads = [
            threading.Thread(target=self._guard, args=(loop,), daemon=True)
            for loop in [
                self._rosters,
                self._registrations,
                self._registrations,
                self._exams,
                self._exams,
            ]
        ]
        for thread in self.threads:
            thread.start()

    def _count(self, what: str) -> None:
        with self.lock:
            self.tally[what] += 1

    def _address(self) -> str:
        with self.lock:
            return next(self.addresses)

    def _guard(self, loop) -> None:
        while not self.stop.is_set():
            try:
                loop()
            except (OSError, http.client.HTTPException) as error:  # reset, refused, cut short
                self._count(f"{loop.__name__.strip('_')}: no answer ({type(error).__name__})")
                time.sleep(0.05)

    def _rosters(self) -> None:
        with self.lock:
            self.tally["roster uploads"] += 1
            number = self.tally["roster uploads"]
        browser = rig.Browser(self.port, cookie=self.admin_cookie, timeout=20)
        browser.get("/department/roster/upload/")  # the CSRF cookie
        rows = "".join(
            f"drill{RUN}-{number}-{n}@oak-ridge.test,Drill,Officer{number}x{n}\r\n"
            for n in range(ROSTER_OFFICERS)
        )
        content = ("Email,First name,Last name\r\n" + rows).encode()
        upload = browser.post_file(
            "/department/roster/upload/", "roster", f"drill-{RUN}-{number}.csv", content
        )
        if upload.status != 302 or "/roster/previews/" not in upload.location:
            self._count(f"roster upload answered {upload.status}")
            return
        applied = browser.post(upload.location, {})
        if applied.status == 302 and applied.location.rstrip("/").endswith("/department"):
            self._count("roster applied")
        else:
            self._count(f"roster apply answered {applied.status} to {applied.location or '-'}")

    def _registrations(self) -> None:
        with self.lock:
            self.tally["registrations sent"] += 1
            number = self.tally["registrations sent"]
        # Each trainee from their own address: the hourly per-address limit stays as it is.
        browser = rig.Browser(self.port, source=self._address(), timeout=20)
        path = f"/trainings/sessions/{self.drill['seats']}/register/"
        browser.get(path)
        answer = browser.post(
            path,
            {
                "name": f"Drill Registrant {number}",
                "email": f"registrant{RUN}-{number}@drill.test",
                "phone": "312-555-0100",
                "department": "Drill PD",
            },
        )
        if answer.status == 200 and 'name="email"' not in answer.body:
            self._count("registration answered")
        else:
            self._count(f"registration answered {answer.status}")
        time.sleep(0.1)

    def _exams(self) -> None:
        with self.lock:
            token = next(self.tokens, None)
        if token is None:
            self.stop.wait(0.5)
            return
        browser = rig.Browser(self.port, timeout=20)
        path = f"/trainings/exam/link/{token}/"
        browser.get(path)
        started = browser.post(path, {})
        match = re.search(r"/trainings/exam/attempts/(\d+)/", started.location)
        if started.status != 302 or not match:
            self._count(f"exam start answered {started.status}")
            return
        right = int(match.group(1)) % 4 != 0  # one in four fails, which emails a new link
        page = browser.get(started.location)
        if page.status != 200:
            self._count(f"exam page answered {page.status}")
            return
        answers = exam_answers(page.body, self.drill["correct"], right)
        submitted = browser.post(started.location, answers)
        if submitted.status == 302 and submitted.location.endswith("/result/"):
            self._count("exam submitted")
        else:
            self._count(f"exam submit answered {submitted.status}")

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=30)


# --- The probe ---------------------------------------------------------------------------------


class Probe:
    """GET /trainings/ every 0.1 s, each in its own thread, recording (sent, done, status)."""

    def __init__(self, port: int, stop: threading.Event):
        self.port, self.stop = port, stop
        self.results: list[tuple[float, float, int]] = []
        self.lock = threading.Lock()
        self.pool = ThreadPoolExecutor(max_workers=200)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _one(self) -> None:
        sent = time.monotonic()
        try:
            status = rig.Browser(self.port, timeout=30).get("/trainings/").status
        except (OSError, http.client.HTTPException):
            status = 0
        with self.lock:
            self.results.append((sent, time.monotonic(), status))

    def _run(self) -> None:
        while not self.stop.is_set():
            self.pool.submit(self._one)
            time.sleep(0.1)

    def finish(self) -> list[tuple[float, float, int]]:
        self.thread.join()
        self.pool.shutdown(wait=True)
        return sorted(self.results)


def recovery(results: list[tuple[float, float, int]], back: float) -> tuple[float, int, int]:
    """Seconds from `back` (PostgreSQL accepting connections again) until the app answered 200 to
    a request sent after `back` and after the last request that failed; and the failures sent
    before and after `back`."""
    failed = [sent for sent, _done, status in results if status != 200]
    since = max([back, *failed])
    answered = [done for sent, done, status in results if sent >= since and status == 200]
    seconds = (min(answered) - back) if answered else float("inf")
    return seconds, sum(1 for s in failed if s < back), sum(1 for s in failed if s >= back)


# --- The faults --------------------------------------------------------------------------------


def wait_for_quiet_server() -> None:
    """Restarting PostgreSQL breaks other people's test runs: wait while pytest runs."""
    waited = 0
    while True:
        running = subprocess.run(  # noqa: S603
            ["/usr/bin/pgrep", "-af", "pytest"], capture_output=True, text=True
        ).stdout.strip()
        if not running:
            return
        if waited == 0:
            print("waiting: pytest is running on this machine, PostgreSQL must not restart now")
        if waited > 1800:
            sys.exit("pytest still running after 30 minutes; not restarting PostgreSQL")
        time.sleep(5)
        waited += 5


def postgres_version() -> str:
    return sorted(os.listdir("/etc/postgresql"), key=float)[-1]


def database_answers(database_url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(database_url, connect_timeout=1) as connection:
            connection.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def break_database(kind: str, database_url: str) -> tuple[float, float]:
    """Returns (when the fault began, when PostgreSQL accepted connections again)."""
    import psycopg

    began = time.monotonic()
    if kind == "restart":
        command = [
            "pg_ctlcluster",
            "--skip-systemctl-redirect",
            postgres_version(),
            "main",
            "restart",
        ]
        subprocess.run(command, check=True)  # noqa: S603
    else:
        name = database_url.rsplit("/", 1)[1]
        with psycopg.connect(database_url, autocommit=True) as connection:
            connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
    while not database_answers(database_url):
        time.sleep(0.02)
    return began, time.monotonic()


# --- The checks --------------------------------------------------------------------------------


def check_tables(drill: dict) -> list[str]:
    """Every multi-row write is all or nothing; returns the problems found (none, we hope)."""
    from django.db import close_old_connections
    from django.db.models import Count

    from departments.models import Invitation, RosterPreview
    from trainings.models import Certification, ExamAttempt, ExamLink, Registration, Session
    from wnwa.accounts.models import User

    close_old_connections()
    problems = []
    print("\ntables after the run:")

    previews = RosterPreview.objects.filter(file_name__startswith=f"drill-{RUN}-")
    officers = User.objects.filter(email__startswith=f"drill{RUN}-")
    # drill<run>-<upload number>-<row>@oak-ridge.test, from drill-<run>-<upload number>.csv
    by_file = Counter(email.split("-")[1] for email in officers.values_list("email", flat=True))
    applied = 0
    for preview in previews:
        number = preview.file_name.removeprefix(f"drill-{RUN}-").removesuffix(".csv")
        have = by_file.get(number, 0)
        if preview.is_applied:
            applied += 1
            if have != ROSTER_OFFICERS or preview.added != ROSTER_OFFICERS or preview.plan:
                problems.append(f"roster {preview.file_name}: applied with {have} officers")
        elif have:
            problems.append(f"roster {preview.file_name}: not applied, yet {have} officers exist")
    files = {p.file_name.removeprefix(f"drill-{RUN}-").removesuffix(".csv") for p in previews}
    orphans = [number for number in by_file if number not in files]
    if orphans:
        problems.append(f"officers without a preview: {orphans[:5]}")
    queued = Invitation.objects.queued().filter(officer__in=officers).count()
    print(
        f"  rosters: {previews.count()} previews, {applied} applied, {officers.count()} officers "
        f"added ({ROSTER_OFFICERS} per applied preview), {queued} invitations still queued"
    )

    seats = Session.objects.get(pk=drill["seats"])
    rows = Registration.objects.filter(session=seats)
    registered = rows.filter(status=Registration.Status.REGISTERED).count()
    waitlisted = rows.filter(status=Registration.Status.WAITLISTED).count()
    doubled = [row["email"] for row in rows.values("email").annotate(n=Count("pk")) if row["n"] > 1]
    if registered != min(SEATS, rows.count()):
        problems.append(f"session: {registered} registered of {SEATS} seats, {rows.count()} rows")
    if doubled:
        problems.append(f"session: registered twice: {doubled[:3]}")
    print(
        f"  registrations: {rows.count()} rows, {registered} registered (capacity {SEATS}), "
        f"{waitlisted} waitlisted, {len(doubled)} doubled"
    )

    attempts = ExamAttempt.objects.filter(registration__session_id=drill["finished"])
    submitted = passed = 0
    for attempt in attempts:
        if attempt.submitted_at is None:
            if attempt.answers or attempt.correct is not None or attempt.passed:
                problems.append(f"attempt {attempt.pk}: answers without a submission")
            continue
        submitted += 1
        passed += attempt.passed
        if len(attempt.answers) != attempt.total or attempt.correct is None:
            problems.append(f"attempt {attempt.pk}: submitted with {len(attempt.answers)} answers")
    certificates = Certification.objects.filter(session_id=drill["finished"])
    certified = set(certificates.values_list("email", flat=True))
    passers = set(attempts.filter(passed=True).values_list("registration__email", flat=True))
    if certified != passers:
        problems.append(f"certificates {len(certified)} != trainees who passed {len(passers)}")
    links_used = ExamLink.objects.filter(
        registration__session_id=drill["finished"], used_at__isnull=False
    ).count()
    if links_used != attempts.count():
        problems.append(f"{links_used} exam links spent for {attempts.count()} attempts")
    numbers: dict[int, list[int]] = {}
    for registration, number in attempts.values_list("registration_id", "number"):
        numbers.setdefault(registration, []).append(number)
    if any(sorted(n) != list(range(1, len(n) + 1)) for n in numbers.values()):
        problems.append("attempt numbers with gaps")
    print(
        f"  exams: {attempts.count()} attempts ({links_used} links spent), {submitted} submitted "
        f"with all answers, {passed} passed, {len(certified)} certificates"
    )
    return problems


# --- The run -----------------------------------------------------------------------------------


def fault_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kill-at", type=float, default=15, help="seconds into the load")
    parser.add_argument("--restart-at", type=float, default=25, help="seconds into the load")
    parser.add_argument("--fault", choices=["restart", "terminate"], default="restart")


def main() -> int:
    args = arguments(__doc__.splitlines()[0], fault_arguments)
    if not args.kill_at < args.restart_at < args.seconds - 15:
        sys.exit("need --kill-at < --restart-at < --seconds - 15")
    env = rig.prepare(args.database_url, args.redis_url)
    officer = rig.session_cookie("officer@demo.test")
    admin = rig.session_cookie("deptadmin@demo.test", second_factor=True)
    drill = drill_data()
    server = rig.Server(env, args.workers, args.threads)
    stop = threading.Event()
    try:
        rig.ensure_pages(server.port, officer)
        if args.fault == "restart":
            wait_for_quiet_server()
        started = time.monotonic()
        load = rig.Load(server, args.connections, args.seconds, officer)
        probe = Probe(server.port, stop)
        writers = Writers(server.port, admin, drill, stop)
        print(
            f"load: {load.connections} connections for {args.seconds} s, with writers and a "
            f"probe ({rig.machine()}) ...",
            flush=True,
        )

        time.sleep(max(0.0, started + args.kill_at - time.monotonic()))
        victim = server.worker_pids()[0]
        os.kill(victim, signal.SIGKILL)
        killed = time.monotonic()
        while len([p for p in server.worker_pids() if p != victim]) < args.workers:
            time.sleep(0.05)
        print(
            f"t={killed - started:5.1f} s  SIGKILL worker {victim}; gunicorn had a new worker "
            f"{time.monotonic() - killed:.2f} s later"
        )

        time.sleep(max(0.0, started + args.restart_at - time.monotonic()))
        if args.fault == "restart":
            print(
                f"t={time.monotonic() - started:5.1f} s  restarting PostgreSQL "
                f"{postgres_version()} ({time.strftime('%H:%M:%S')}) ...",
                flush=True,
            )
        began, back = break_database(args.fault, args.database_url)
        what = "PostgreSQL restarted" if args.fault == "restart" else "connections terminated"
        print(
            f"t={began - started:5.1f} s  {what}; accepting connections again at "
            f"t={back - started:.1f} s ({back - began:.2f} s later)"
        )

        results = load.wait()
        stop.set()
        writers.join()
        probes = probe.finish()
    finally:
        stop.set()
        server.stop()

    rig.print_figures(results, args.seconds)
    errors = sum(r.errors for r in results)
    print(
        f"errors during the faults (expected: requests cut by the kill and the restart): {errors}"
    )
    print("\nwriters:")
    for what, count in sorted(writers.tally.items()):
        print(f"  {what}: {count}")
    seconds, before, after = recovery(probes, back)
    print(
        f"\nprobe (GET /trainings/ every 0.1 s): {len(probes)} requests, {before} failed before "
        f"PostgreSQL was back, {after} after"
    )
    print(
        f"recovery: the app answered 200 again {seconds:.2f} s after PostgreSQL was back "
        "(limit 10 s)"
    )
    problems = check_tables(drill)
    print("\nworker drill:")
    problems += worker_kill.drill(env, invitations=2000, kills=2)
    for problem in problems:
        print("  PROBLEM: " + problem)
    logged = server.error_lines()
    failures = [line for line in logged if "ERROR django.request" in line]
    print(
        f"server error log: {len(failures)} server errors (500) logged, "
        f"{sum('SIGKILL' in line for line in logged)} worker killed"
    )
    for line in logged:
        if "[ERROR]" in line or "WARNING" in line or "Error:" in line:
            print("  " + line[:150])
    if seconds > 10 or problems:
        print("FAIL")
        return 1
    print("OK: recovered within 10 s, nothing half-done, no invitation lost")
    return 0


if __name__ == "__main__":
    sys.exit(main())
