"""docs/privacy.md, "How it is tested": a whole officer visit leaves no trace.

Every table is snapshotted before and after a visit through the test client (sign in with
password and TOTP, browse, search, sign out); any changed row fails. Every log record emitted
meanwhile is captured and must not carry the officer's email, id, address, agent or a path.
"""

import datetime
import logging
import re
import time

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp.oath import TOTP

from tests.factories import (
    PASSWORD,
    CertificationFactory,
    FamilyAccountFactory,
    PeerListingFactory,
    TOTPDeviceFactory,
    UserFactory,
)
from wnwa.accounts.models import BackupCodeDevice
from wnwa.lib.urls import reverse_or_none

ADDRESS = "203.0.113.77"
AGENT = "AuditPhone/9.9 (unique-agent-7f3a)"

# The pages an officer reads in a visit: (URL name, query string), or (URL name, query string,
# URL kwargs). Feature issues add theirs.
OFFICER_VISIT = [
    ("home", ""),
    ("peers:directory", ""),
    ("peers:directory", "?area=trauma&language=Spanish&available=1&q=bravo"),
    ("peers:directory", "?page=2"),
    ("professionals:directory", "?state=IL&insurance=bcbs"),
    ("resources:index", ""),
    ("resources:self-checks", ""),
    ("resources:self-check", "", {"slug": "pcl-5"}),
    ("professionals:directory", "?always=on&page=2"),
    ("membership", ""),
    ("faq", ""),
    ("trainings:list", ""),
    ("accounts:account", ""),
    ("privacy", ""),
]
# A retiree's visit is the officer's (docs/product.md, "Retired officers"), plus the page that asks
# before they end their own access: reading it must write nothing either.
RETIREE_VISIT = [*OFFICER_VISIT, ("accounts:end-access", "")]
# A family member's visit (docs/product.md, "Families"): the same pages, the professionals widened
# to every one, and the page that asks before they end their own account.
FAMILY_VISIT = [
    *OFFICER_VISIT,
    ("professionals:directory", "?everyone=on"),
    ("accounts:end-access", ""),
]


def snapshot() -> dict[str, list[tuple]]:
    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names come from introspection
            tables[table] = sorted(map(repr, cursor.fetchall()))
    return tables


class Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def every_log_record():
    """Attach to the root logger and to every named logger (some do not propagate), at the levels
    the project configures: what reaches the capture is what would reach a log file."""
    capture = Capture()
    loggers = [logging.getLogger()] + [
        logging.getLogger(name) for name in list(logging.Logger.manager.loggerDict)
    ]
    for logger in loggers:
        logger.addHandler(capture)
    yield capture.records
    for logger in loggers:
        logger.removeHandler(capture)


@pytest.fixture(params=["serving", "retired", "family"])
def officer(db, cast, request):
    """The person whose visit is audited: a serving officer, a retired one (issue 21), and an
    officer's family member (issue 22), whose visits must leave no more trace. Among the peers,
    retired ones, whose cards say so, and (for the family member) all talk with families."""
    retired_on = datetime.date(2025, 9, 30) if request.param == "retired" else None
    family = request.param == "family"
    officer = UserFactory(
        id=987_654_321,
        email="audit.officer@alpha.test",
        department=None if family else cast.department_a,
        retired_on=retired_on,
    )
    if family:
        FamilyAccountFactory(user=officer, invited_by=cast.officer)
    for number in range(25):  # enough peers for a second page
        peer = UserFactory(
            department=cast.department_b,
            retired_on=datetime.date(2024, 3, 31) if number % 5 == 0 else None,
        )
        CertificationFactory(person=peer)
        PeerListingFactory(peer=peer, talks_with_families=family)
    officer.audited_visit = (
        FAMILY_VISIT if family else RETIREE_VISIT if officer.is_retired else OFFICER_VISIT
    )
    return officer


def code_for(device) -> str:
    totp = TOTP(device.bin_key, device.step, 0, device.digits, 0)
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_a_whole_officer_visit_writes_nothing_and_logs_nothing_identifying(
    client, officer, every_log_record, task_queue, django_capture_on_commit_callbacks
):
    device = TOTPDeviceFactory(user=officer)
    client.defaults.update(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT)
    visited: list[str] = []
    before = snapshot()

    # Commits run their callbacks, so an email the visit queued would be a row of the task table.
    with (
        django_capture_on_commit_callbacks(execute=True),
        CaptureQueriesContext(connection) as queries,
    ):
        response = client.post(
            "/accounts/login/", {"login": officer.email, "password": "correct-horse-battery-42"}
        )
        assert response.status_code == 302
        assert client.get("/").headers["Location"] == "/account/two-factor/verify/"
        assert (
            client.post("/account/two-factor/verify/", {"code": code_for(device)}).status_code
            == 302
        )
        for name, query, *kwargs in officer.audited_visit:
            url = reverse_or_none(name, kwargs[0] if kwargs else None)
            if url is None:
                continue  # that part of the product is not installed yet
            visited.append(url)
            page = client.get(url + query)
            assert page.status_code == 200, f"{name}{query}: {page.status_code}"
        assert client.post("/accounts/logout/").status_code == 302
        assert client.get("/account/").status_code == 302

    after = snapshot()
    changed = {
        table: (before[table], after.get(table))
        for table in before
        if before[table] != after.get(table)
    }
    assert changed == {}, f"the visit changed rows in: {sorted(changed)}"
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)
    ]
    assert writes == []
    assert mail.outbox == []

    assert any(r.name == "wnwa.requests" for r in every_log_record), (
        "the request log should still work"
    )
    forbidden = [officer.email, ADDRESS, AGENT, "unique-agent-7f3a", str(officer.pk)]
    forbidden += [path for path in visited if path != "/"] + [
        "/accounts/login/",
        "/account/two-factor/verify/",
    ]
    for record in every_log_record:
        text = " ".join(
            [record.getMessage()]
            + [
                f"{key}={value!r}"
                for key, value in vars(record).items()
                if key not in {"msg", "args"}
            ]
        )
        leaks = [item for item in forbidden if item in text]
        assert leaks == [], f"log record from {record.name} carries {leaks}: {record.getMessage()}"


def test_request_log_lines_name_the_route_not_the_path(client, officer, every_log_record):
    client.get("/account/invitation/some-secret-token-value/")
    lines = [r.getMessage() for r in every_log_record if r.name == "wnwa.requests"]
    assert lines and lines[-1].startswith("GET accounts:invitation 400 ")
    assert not any("some-secret-token-value" in line for line in lines)


def test_unknown_paths_are_logged_without_the_path(client, every_log_record):
    client.get("/a/path/that/names/someone/?who=officer")
    messages = [r.getMessage() for r in every_log_record]
    assert any(m.startswith("GET unmatched 404") for m in messages)
    assert not any("someone" in m or "who=officer" in m for m in messages)


@pytest.mark.parametrize("factor", ["authenticator", "backup code"])
def test_a_staff_sign_in_changes_no_row_but_the_spent_code(
    client, cast, every_log_record, log_output, factor
):
    """Staff sign in with a second factor; the only write is a spent backup code's deletion."""
    vetter = cast.vetter
    device = vetter.totpdevice_set.get() if vetter.totpdevice_set.exists() else None
    device = device or TOTPDeviceFactory(user=vetter)
    backup = BackupCodeDevice.objects.create(user=vetter, name="Backup codes")
    code = code_for(device) if factor == "authenticator" else backup.generate_codes()[3]
    client.defaults.update(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT)
    before = snapshot()

    with CaptureQueriesContext(connection) as queries:
        response = client.post("/accounts/login/", {"login": vetter.email, "password": PASSWORD})
        assert response.status_code == 302
        assert client.post("/account/two-factor/verify/", {"code": code}).status_code == 302
        for path in ["/professionals/vetting/", "/account/"]:
            assert client.get(path).status_code == 200
        assert client.post("/accounts/logout/").status_code == 302
        assert client.get("/account/").status_code == 302

    after = snapshot()
    changed = {table for table in before if before[table] != after.get(table)}
    spent = {"accounts_backupcode"} if factor == "backup code" else set()
    assert changed == spent
    if spent:
        gone = set(before["accounts_backupcode"]) - set(after["accounts_backupcode"])
        assert len(gone) == 1 and set(after["accounts_backupcode"]) < set(
            before["accounts_backupcode"]
        )
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)
    ]
    assert all(re.match(r'\s*DELETE FROM "accounts_backupcode"', sql) for sql in writes), writes

    output = log_output.getvalue()
    assert "account_login" in output  # the request log is on
    forbidden = [vetter.email, ADDRESS, AGENT, "/accounts/login/", "/professionals/vetting/"]
    forbidden += ["/account/two-factor/verify/", code]
    assert [item for item in forbidden if item in output] == []
    for record in every_log_record:
        assert vetter.email not in record.getMessage()


def test_the_worker_killed_mid_batch_and_refused_by_the_mail_server_leaves_no_trace(
    cast, task_queue, django_capture_on_commit_callbacks, monkeypatch, every_log_record
):
    """Invitations for a roster, the mail server refusing one (its reply names the address),
    the worker killed in the middle: every log record and, once the work is done, every task
    row are free of the officers' addresses and links."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from departments.models import Invitation
    from departments.services import invitations_enqueue
    from wnwa.lib.tasks import Worker, recover_abandoned

    officers = [
        UserFactory(department=cast.department_a, email=f"queued{n}@alpha.test", password=None)
        for n in range(3)
    ]
    Invitation.objects.bulk_create(
        [Invitation(officer=officer, queued_at=timezone.now()) for officer in officers]
    )
    refused = []

    def send_messages(self, messages):
        if not refused:
            refused.append(messages[0].to[0])
            raise OSError(f"550 mailbox unavailable: {messages[0].to[0]}")
        mail.outbox.extend(messages)
        return len(messages)

    monkeypatch.setattr(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", send_messages
    )
    with django_capture_on_commit_callbacks(execute=True):
        invitations_enqueue()
    assert "@" not in str(list(DBTaskResult.objects.values_list("args_kwargs", flat=True)))
    Worker(interval=0).claim()  # the worker that took the task is killed
    recover_abandoned(now=timezone.now() + datetime.timedelta(days=1))
    task_queue.run()  # one refused: retried later
    DBTaskResult.objects.update(run_after=timezone.now() - datetime.timedelta(seconds=1))
    task_queue.run()
    assert sorted(m.to[0] for m in mail.outbox) == [o.email for o in officers]
    assert not DBTaskResult.objects.exists() and not Invitation.objects.queued().exists()
    logged = [record.getMessage() for record in every_log_record]
    assert any("invitation not sent: OSError" in line for line in logged)
    assert any("WorkerLost" in line for line in logged)
    for line in logged:
        assert "@" not in line and "/account/invitation/" not in line, line
