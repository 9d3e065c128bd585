"""Authorization rows for trainings (see tests/authorization.py)."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from tests.authorization import LOGIN, PUBLIC_HELD, row
from tests.factories import (
    CertificationFactory,
    QuestionFactory,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
)
from trainings.emails import UNSUBSCRIBE_SALT, WITHDRAW_SALT
from trainings.models import Certification, ExamAttempt, ExamLink

STAFF = row(403, anonymous=LOGIN, trainer=200, network_admin=200)
STAFF_POST_ONLY = row(403, anonymous=LOGIN, trainer=405, network_admin=405)
# Only the trainee whose registration it is (by account email) sees it; to others it does not exist.
# (The trainee is the cast's officer: to the retiree, as to anyone else, it does not exist.)
OWN_EXAM = row(404, anonymous=LOGIN, officer=200, retiree=404)
OWN_ATTEMPT = row(404, officer=200, retiree=404)
DEPARTMENT_ADMIN = row(403, anonymous=LOGIN, admin_same=200, admin_other=200, network_admin=404)

EXPECTATIONS: dict[str, dict[str, object]] = {
    "trainings:list": PUBLIC_HELD,
    "trainings:register": PUBLIC_HELD,
    "trainings:interest": PUBLIC_HELD,
    "trainings:unsubscribe": PUBLIC_HELD,
    "trainings:withdraw": PUBLIC_HELD,
    "trainings:exam-link": PUBLIC_HELD,
    "trainings:exam-start": OWN_EXAM,
    "trainings:exam-attempt": OWN_ATTEMPT,
    "trainings:exam-result": OWN_ATTEMPT,
    "trainings:certificate": row(404, peer=200, trainer=200, network_admin=200),
    "trainings:staff": STAFF,
    "trainings:course-new": STAFF,
    "trainings:course-edit": STAFF,
    "trainings:session-new": STAFF,
    "trainings:session-detail": STAFF,
    "trainings:session-edit": STAFF,
    "trainings:session-publish": STAFF_POST_ONLY,
    "trainings:session-unpublish": STAFF_POST_ONLY,
    "trainings:session-cancel": STAFF,
    "trainings:attendance": STAFF,
    "trainings:exam-links": STAFF_POST_ONLY,
    "trainings:registration-paid": STAFF_POST_ONLY,
    "trainings:registration-cancel": STAFF,
    "trainings:questions": STAFF,
    "trainings:questions-import": STAFF,
    "trainings:question-edit": STAFF,
    "trainings:question-retire": STAFF,
    "trainings:external-queue": STAFF,
    "trainings:external-decide": STAFF_POST_ONLY,
    "trainings:interest-export": STAFF,
    "trainings:external-list": DEPARTMENT_ADMIN,
    "trainings:external-new": DEPARTMENT_ADMIN,
    # Training staff, and the department admin of the officer's own department.
    "trainings:external-certificate": row(
        403, anonymous=LOGIN, admin_same=200, admin_other=404, trainer=200, network_admin=200
    ),
}


def _finished_session():
    today = timezone.localdate()
    return SessionFactory(starts_on=today - datetime.timedelta(days=3))


def _officer_attempt(cast, *, submitted: bool) -> ExamAttempt:
    registration = RegistrationFactory(session=_finished_session(), email=cast.officer.email)
    question = QuestionFactory()
    return ExamAttempt.objects.create(
        registration=registration,
        number=1,
        layout=[{"question": question.pk, "choices": [c.pk for c in question.choices.all()]}],
        total=1,
        correct=1 if submitted else None,
        submitted_at=timezone.now() if submitted else None,
    )


def _external_certification(cast) -> Certification:
    officer = UserFactory(department=cast.department_a)
    certification = CertificationFactory(
        person=officer,
        source=Certification.Source.EXTERNAL,
        status=Certification.Status.PENDING,
        provider="Elsewhere Academy",
        hours=24,
    )
    # One fixed sample file under PRIVATE_MEDIA_ROOT, reused by every run of the matrix.
    name = "certificates/authorization-matrix-sample.pdf"
    storage = certification.certificate.storage
    if not storage.exists(name):
        storage.save(name, ContentFile(b"%PDF-1.4 sample"))
    certification.certificate.name = name
    certification.save(update_fields=["certificate"])
    return certification


def _exam_link(cast) -> str:
    from trainings.services.exams import _hash

    registration = RegistrationFactory(session=_finished_session())
    ExamLink.objects.create(registration=registration, token_hash=_hash("matrix-token"))
    return "matrix-token"


def url_kwargs(name: str, cast) -> dict[str, object]:
    from django.core import signing

    samples = {
        "trainings:register": lambda: {"pk": SessionFactory().pk},
        "trainings:unsubscribe": lambda: {
            "token": signing.dumps("someone@agency.test", salt=UNSUBSCRIBE_SALT, compress=True)
        },
        "trainings:withdraw": lambda: {
            "token": signing.dumps(RegistrationFactory().pk, salt=WITHDRAW_SALT)
        },
        "trainings:exam-link": lambda: {"token": _exam_link(cast)},
        "trainings:exam-start": lambda: {
            "pk": RegistrationFactory(session=_finished_session(), email=cast.officer.email).pk
        },
        "trainings:exam-attempt": lambda: {"pk": _officer_attempt(cast, submitted=False).pk},
        "trainings:exam-result": lambda: {"pk": _officer_attempt(cast, submitted=True).pk},
        "trainings:certificate": lambda: {"pk": cast.peer.certifications.first().pk},
        "trainings:course-edit": lambda: {"slug": "teammate"},
        "trainings:questions": lambda: {"slug": "teammate"},
        "trainings:questions-import": lambda: {"slug": "teammate"},
        "trainings:question-edit": lambda: {"pk": QuestionFactory().pk},
        "trainings:question-retire": lambda: {"pk": QuestionFactory().pk},
        "trainings:registration-paid": lambda: {"pk": RegistrationFactory().pk},
        "trainings:registration-cancel": lambda: {"pk": RegistrationFactory().pk},
        "trainings:external-decide": lambda: {"pk": _external_certification(cast).pk},
        "trainings:external-certificate": lambda: {"pk": _external_certification(cast).pk},
    }
    session_pages = {
        "trainings:session-detail",
        "trainings:session-edit",
        "trainings:session-publish",
        "trainings:session-unpublish",
        "trainings:session-cancel",
        "trainings:attendance",
        "trainings:exam-links",
    }
    if name in session_pages:
        return {"pk": SessionFactory().pk}
    return samples[name]() if name in samples else {}
