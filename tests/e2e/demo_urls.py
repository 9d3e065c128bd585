"""URL arguments for the browser pass over every page, taken from the demo network.

Run inside the live server's environment (same database, same secret key), so signed tokens and
hashed links made here are ones the server accepts:

    python -m tests.e2e.demo_urls out.json

Most arguments are demo objects looked up by natural key. A few pages need something the demo data
does not hold (a roster preview, an exam in progress and one already graded, single-use links):
those are made here through the apps' own services, once per server. Nothing here prints, so the
JSON file is the only output.
"""

import datetime
import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wnwa.settings")

import django  # noqa: E402

django.setup()

from django.core import signing  # noqa: E402
from django.utils import timezone  # noqa: E402

from departments.models import Department  # noqa: E402
from departments.services import roster_preview_create  # noqa: E402
from professionals.models import Application, Professional, ReconfirmationToken  # noqa: E402
from trainings.emails import UNSUBSCRIBE_SALT, WITHDRAW_SALT  # noqa: E402
from trainings.models import (  # noqa: E402
    Certification,
    CourseType,
    ExamLink,
    Question,
    Registration,
    Session,
)
from trainings.services.exams import _hash, exam_start, exam_submit  # noqa: E402
from wnwa.accounts.invitations import make_invitation_token  # noqa: E402
from wnwa.accounts.models import User  # noqa: E402
from wnwa.passkeys.models import Passkey  # noqa: E402

OFFICER = "officer@demo.test"
PEER = "peer@demo.test"
HOME = "oak-ridge-pd"  # the demo officer's and the demo department admin's department
EXAM_LINK_TOKEN = "e2e-every-page-exam-link"
RECONFIRM_TOKEN = "e2e-every-page-reconfirm"
ROSTER = (
    b"Email,First name,Last name,Badge number,Rank\n"
    b"jordan.new@oak-ridge-pd.demo.test,Jordan,Newcomb,2001,Officer\n"
    b"sam.new@oak-ridge-pd.demo.test,Sam,Ortega,2002,Officer\n"
    b"not-an-address,Casey,Broken,2003,Officer\n"
)


def _officer_registration() -> Registration:
    """The demo officer attended a finished session (trainings/demo.py): its exam is open."""
    return Registration.objects.get(email=OFFICER, session__starts_on__lt=timezone.localdate())


def _upcoming_registration(session: Session) -> Registration:
    """A registration for a session still to come: a withdrawal link works only until it starts."""
    registration, _ = Registration.objects.get_or_create(
        session=session,
        email="withdrawing.officer@demo.test",
        defaults={
            "name": "Sam Withdraw",
            "phone": "+13125550188",
            "department": "Demo PD",
            "status": Registration.Status.REGISTERED,
            "fee": session.course.price,
        },
    )
    return registration


def _attempts() -> tuple[int, int]:
    """A graded attempt (failed: the officer stays uncertified) and one in progress."""
    registration = _officer_registration()
    today = timezone.localdate()
    graded = registration.attempts.filter(submitted_at__isnull=False).first()
    if graded is None:
        graded = exam_start(registration=registration, today=today)
        answers = {}
        for item in graded.layout:
            wrong = Question.objects.get(pk=item["question"]).choices.filter(is_correct=False)
            answers[item["question"]] = wrong.first().pk
        exam_submit(attempt=graded, answers=answers, today=today)
    open_attempt = exam_start(registration=registration, today=today)
    return graded.pk, open_attempt.pk


def _roster_preview() -> int:
    department = Department.objects.get(slug=HOME)
    preview = department.roster_previews.filter(applied_at__isnull=True).first()
    if preview is None:
        preview = roster_preview_create(
            department=department,
            content=ROSTER,
            file_name="roster.csv",
            full_roster=False,
            uploader=User.objects.get(email="deptadmin@demo.test"),
        )
    return preview.pk


def _exam_link() -> str:
    ExamLink.objects.get_or_create(
        token_hash=_hash(EXAM_LINK_TOKEN), defaults={"registration": _officer_registration()}
    )
    return EXAM_LINK_TOKEN


def _reconfirm_token() -> str:
    ReconfirmationToken.objects.get_or_create(
        token_hash=ReconfirmationToken.hash(RECONFIRM_TOKEN),
        defaults={
            "professional": Professional.objects.filter(is_listed=True).order_by("pk").first(),
            "expires_at": timezone.now() + datetime.timedelta(days=7),
        },
    )
    return RECONFIRM_TOKEN


def _invited_officer() -> str:
    """An enrolled demo officer who has not set a password yet, as a roster leaves them."""
    officer = User.objects.filter(department__slug=HOME, email__startswith="officer1@").get()
    return make_invitation_token(officer)


def _invited_staff() -> int:
    """A vetter invited from the staff pages who has not chosen a password yet."""
    person, _ = User.objects.get_or_create(
        email="invited.vetter@demo.test", defaults={"is_vetter": True, "first_name": "Rowan"}
    )
    person.set_unusable_password()
    person.save(update_fields=["password"])
    return person.pk


def _demo_passkey() -> int:
    """A passkey of the demo officer to name and to remove (its key signs nothing: the pages
    only show it)."""
    passkey, _ = Passkey.objects.get_or_create(
        user=User.objects.get(email=OFFICER),
        name="Every-page passkey",
        defaults={"credential_id": b"e2e-every-page-passkey", "public_key": b"\xa5"},
    )
    return passkey.pk


def arguments() -> dict[str, dict | list[dict]]:
    """URL arguments by URL name; a list gives the page once for each."""
    graded, in_progress = _attempts()
    officer = User.objects.get(email=OFFICER)
    registration = _officer_registration()
    finished_session = registration.session
    upcoming = Session.objects.filter(
        status=Session.Status.PUBLISHED, starts_on__gt=timezone.localdate()
    ).order_by("starts_on")[0]
    application = Application.objects.filter(status=Application.Status.IN_REVIEW).first()
    deferred = Application.objects.filter(status=Application.Status.DEFERRED).first()
    course = CourseType.objects.get(slug="teammate")
    return {
        "account_reset_password_from_key": {"uidb36": "1", "key": "set-password"},
        "accounts:invitation": {"token": _invited_officer()},
        "accounts:family-withdraw": {"pk": User.objects.get(email="family@demo.test").pk},
        "contact:thanks": {"kind": "demo"},
        "passkeys:name": {"pk": _demo_passkey()},
        "passkeys:remove": {"pk": _demo_passkey()},
        "resources:self-check": [{"slug": "phq-9"}, {"slug": "pcl-5"}],
        "departments:officer": {"officer_id": officer.pk},
        "departments:officer-deactivate": {"officer_id": officer.pk},
        "departments:officer-reactivate": {"officer_id": officer.pk},
        "departments:officer-invite": {"officer_id": officer.pk},
        "departments:officer-admin": {"officer_id": officer.pk},
        "departments:officer-retirement": {"officer_id": officer.pk},
        "departments:roster-preview": {"preview_id": _roster_preview()},
        "professionals:reconfirm": {"token": _reconfirm_token()},
        "professionals:application": {"reference": application.reference},
        "professionals:assess": {"reference": application.reference},
        "professionals:reopen": {"reference": deferred.reference},
        "trainings:register": {"pk": upcoming.pk},
        "trainings:unsubscribe": {
            "token": signing.dumps(OFFICER, salt=UNSUBSCRIBE_SALT, compress=True)
        },
        "trainings:withdraw": {
            "token": signing.dumps(_upcoming_registration(upcoming).pk, salt=WITHDRAW_SALT)
        },
        "trainings:exam-link": {"token": _exam_link()},
        "trainings:exam-start": {"pk": registration.pk},
        "trainings:exam-attempt": {"pk": in_progress},
        "trainings:exam-result": {"pk": graded},
        "trainings:certificate": {
            "pk": Certification.objects.filter(person__email=PEER).values_list("pk", flat=True)[0]
        },
        "trainings:course-edit": {"slug": course.slug},
        "trainings:questions": {"slug": course.slug},
        "trainings:questions-import": {"slug": course.slug},
        "trainings:question-edit": {"pk": course.questions.order_by("pk")[0].pk},
        "trainings:question-retire": {"pk": course.questions.order_by("pk")[0].pk},
        "trainings:session-detail": {"pk": finished_session.pk},
        "trainings:session-edit": {"pk": finished_session.pk},
        "trainings:session-cancel": {"pk": finished_session.pk},
        "trainings:attendance": {"pk": finished_session.pk},
        "trainings:registration-cancel": {"pk": registration.pk},
        "staff:account": {"pk": User.objects.get(email="vetter@demo.test").pk},
        "staff:role-remove": {
            "pk": User.objects.get(email="trainer@demo.test").pk,
            "role": "training-staff",
        },
        "staff:second-factor-reset": {"pk": User.objects.get(email="vetter@demo.test").pk},
        "staff:invitation-resend": {"pk": _invited_staff()},
    }


if __name__ == "__main__":
    with open(sys.argv[1], "w") as output:
        json.dump(arguments(), output)
