"""Certifications: from the exam, from training elsewhere (verified by staff), from before."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from trainings.models import Certification, CourseType, Registration
from wnwa.accounts.models import User


def account_for(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip(), is_active=True).first()


def has_account(email: str) -> bool:
    return User.objects.filter(email__iexact=email.strip(), is_active=True).exists()


@transaction.atomic
def certification_from_exam(*, registration: Registration, today: datetime.date) -> Certification:
    """Passing certifies: tied to the account with the same email, or kept by email until the
    account exists (see certifications_link)."""
    existing = Certification.objects.filter(
        source=Certification.Source.EXAM,
        session=registration.session,
        email__iexact=registration.email,
    ).first()
    if existing:
        return existing
    person = account_for(registration.email)
    return Certification.objects.create(
        person=person,
        email=registration.email,
        name=registration.name,
        course=registration.session.course,
        session=registration.session,
        certified_on=today,
        source=Certification.Source.EXAM,
        status=Certification.Status.VERIFIED,
    )


def certifications_link(*, user: User) -> int:
    """Tie certifications held by email alone to the account with that email."""
    if not user.is_active or not user.email:
        return 0
    waiting = Certification.objects.filter(person__isnull=True, email__iexact=user.email)
    if not waiting.exists():
        return 0
    return waiting.update(person=user)


@transaction.atomic
def external_training_record(
    *,
    recorded_by: User,
    person: User,
    provider: str,
    hours: int,
    completed_on: datetime.date,
    certificate: UploadedFile,
) -> Certification:
    """A department admin records training taken elsewhere; it counts once staff verify it."""
    if person.department_id is None or person.department_id != recorded_by.department_id:
        raise ValidationError("You can record trainings for your own department's officers only.")
    certification = Certification(
        person=person,
        email=person.email,
        name=person.full_name,
        provider=provider.strip(),
        hours=hours,
        certified_on=completed_on,
        source=Certification.Source.EXTERNAL,
        status=Certification.Status.PENDING,
        recorded_by=recorded_by,
    )
    certification.certificate.save(certificate.name, certificate, save=False)
    certification.full_clean()
    certification.save()
    return certification


@transaction.atomic
def external_training_decide(
    *, certification: Certification, staff: User, verify: bool, reason: str = ""
) -> Certification:
    """Training staff verify (the officer becomes a peer supporter) or reject, with a reason."""
    certification = Certification.objects.select_for_update().get(pk=certification.pk)
    if certification.source != Certification.Source.EXTERNAL:
        raise ValidationError("Only trainings taken elsewhere are verified here.")
    if certification.status != Certification.Status.PENDING:
        raise ValidationError("This training was already decided.")
    if not verify and not reason.strip():
        raise ValidationError("Say why the training is rejected, so the department can fix it.")
    certification.status = (
        Certification.Status.VERIFIED if verify else Certification.Status.REJECTED
    )
    certification.rejection_reason = "" if verify else reason.strip()
    certification.verified_by = staff
    certification.save(update_fields=["status", "rejection_reason", "verified_by"])
    return certification


@dataclass
class LegacyImport:
    created: int = 0
    linked: int = 0
    already_there: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class LegacyRow:
    line: int
    email: str
    name: str
    certified_on: datetime.date
    course: CourseType | None


@transaction.atomic
def certifications_import_legacy(*, rows: list[LegacyRow]) -> LegacyImport:
    """Load peers certified before the portal existed (source: legacy, verified). Idempotent:
    a row whose email already holds a legacy certification of that date is left alone."""
    result = LegacyImport()
    for row in rows:
        exists = Certification.objects.filter(
            source=Certification.Source.LEGACY,
            email__iexact=row.email,
            certified_on=row.certified_on,
        ).exists()
        if exists:
            result.already_there += 1
            continue
        person = account_for(row.email)
        Certification.objects.create(
            person=person,
            email=row.email.lower(),
            name=row.name,
            course=row.course,
            certified_on=row.certified_on,
            source=Certification.Source.LEGACY,
            status=Certification.Status.VERIFIED,
        )
        result.created += 1
        result.linked += person is not None
    return result
