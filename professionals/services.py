"""Business rules of the professionals app: applying, vetting by consensus, reconfirming."""

import datetime
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from professionals.models import (
    Application,
    Assessment,
    Document,
    InsuranceCarrier,
    Language,
    Licence,
    Professional,
    ReconfirmationToken,
    Specialty,
    TelehealthState,
)
from professionals.selectors import tally
from wnwa.accounts.models import User
from wnwa.lib.mail import email_send
from wnwa.lib.uploads import display_name

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def _new_reference() -> str:
    while True:
        reference = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
        if not Application.objects.filter(reference=reference).exists():
            return reference


@transaction.atomic
def application_submit(
    *,
    professional_fields: dict,
    telehealth_states: Iterable[str],
    specialties: Iterable[Specialty],
    languages: Iterable[Language],
    insurance_carriers: Iterable[InsuranceCarrier],
    licences: list[dict],
    documents: list[tuple[str, UploadedFile, str]],
) -> Application:
    """Record an application: an unlisted professional, their licences and documents.

    `documents` holds (kind, upload, real content type) already checked by the form. Files are
    written under random names; if anything fails afterwards they are removed again. The
    applicant and the vetting staff are emailed once the transaction commits.
    """
    professional = Professional(**professional_fields, is_listed=False)
    professional.full_clean()
    professional.save()
    professional.specialties.set(specialties)
    professional.languages.set(languages)
    professional.insurance_carriers.set(insurance_carriers)
    TelehealthState.objects.bulk_create(
        TelehealthState(professional=professional, state=state) for state in set(telehealth_states)
    )
    for licence in licences:
        Licence.objects.create(professional=professional, **licence)
    application = Application.objects.create(professional=professional, reference=_new_reference())
    written: list[Document] = []
    try:
        for kind, upload, content_type in documents:
            document = Document(
                application=application,
                kind=kind,
                content_type=content_type,
                size=upload.size,
                display_name=display_name(upload.name or ""),
            )
            document.file.save("document", upload, save=True)
            written.append(document)
    except Exception:
        for document in written:
            document.file.delete(save=False)
        raise
    context = {"application": application, "professional": professional}
    email_send(
        template="professionals/email/application_received",
        to=[professional.email],
        context=context,
        what="application receipt",
    )
    email_send(
        template="professionals/email/application_staff",
        to=settings.STAFF_NOTIFICATION_EMAILS,
        context={"application": application},
        what="staff notice of an application",
    )
    return application


@transaction.atomic
def assessment_record(
    *,
    application: Application,
    vetter: User,
    method: str,
    assessed_on: datetime.date,
    notes: str,
    recommendation: str,
) -> Assessment:
    """Record one vetter's assessment in the application's current round, then decide.

    A vetter assesses an application once per round; a decided application takes no more.
    """
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not application.is_open:
        raise ValidationError("This application has been decided. Reopen it to assess again.")
    if application.assessments.filter(vetter=vetter, round=application.round).exists():
        raise ValidationError("You have already assessed this application.")
    assessment = Assessment(
        application=application,
        vetter=vetter,
        round=application.round,
        method=method,
        assessed_on=assessed_on,
        notes=notes.strip(),
        recommendation=recommendation,
    )
    assessment.full_clean()
    assessment.save()
    if application.status == Application.Status.NEW:
        application.status = Application.Status.IN_REVIEW
        application.save(update_fields=["status"])
    application_decide(application=application, vetter=vetter)
    return assessment


@transaction.atomic
def application_decide(*, application: Application, vetter: User) -> str | None:
    """Apply the consensus of the current round, if there is one; return the new status.

    More than VETTING_MAX_DEFERRALS deferrals defer the application (the deferring notes are
    kept as the reason); otherwise VETTING_MIN_APPROVALS approvals list the professional. The
    decision is attributed to `vetter`, whose assessment settled it. The applicant is emailed.
    """
    if not application.is_open:
        return None
    counts = tally(application=application)
    now = timezone.now()
    if counts["deferrals"] > settings.VETTING_MAX_DEFERRALS:
        deferring = application.assessments.filter(
            round=application.round, recommendation=Assessment.Recommendation.DEFER
        ).select_related("vetter")
        application.status = Application.Status.DEFERRED
        application.deferral_reason = "\n\n".join(
            f"{a.vetter.full_name or a.vetter.email} ({a.assessed_on.isoformat()}): {a.notes}"
            for a in deferring
        )
    elif counts["approvals"] >= settings.VETTING_MIN_APPROVALS:
        application.status = Application.Status.APPROVED
        professional = application.professional
        professional.is_listed = True
        professional.availability_confirmed_on = timezone.localdate()
        professional.save(update_fields=["is_listed", "availability_confirmed_on"])
    else:
        return None
    application.decided_by = vetter
    application.decided_at = now
    application.save(update_fields=["status", "deferral_reason", "decided_by", "decided_at"])
    context = {"application": application, "professional": application.professional}
    email_send(
        template=f"professionals/email/outcome_{application.status}",
        to=[application.professional.email],
        context=context,
        what="application outcome",
    )
    return application.status


@transaction.atomic
def application_reopen(*, application: Application, vetter: User) -> Application:
    """Open a deferred application for a new round of assessments; the old ones stay on file."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.DEFERRED:
        raise ValidationError("Only a deferred application can be reopened.")
    application.status = Application.Status.IN_REVIEW
    application.round += 1
    application.reopened_by = vetter
    application.reopened_at = timezone.now()
    application.save(update_fields=["status", "round", "reopened_by", "reopened_at"])
    return application


@transaction.atomic
def reconfirmation_request(
    *, professional: Professional, now: datetime.datetime | None = None
) -> None:
    """Email a listed professional a fresh single-use link; earlier unused links stop working."""
    now = now or timezone.now()
    professional.reconfirmation_tokens.filter(used_at__isnull=True).delete()
    token = secrets.token_urlsafe(32)
    ReconfirmationToken.objects.create(
        professional=professional,
        token_hash=ReconfirmationToken.hash(token),
        created_at=now,
        expires_at=now + datetime.timedelta(days=settings.RECONFIRMATION_LINK_DAYS),
    )
    context = {
        "professional": professional,
        "link": settings.SITE_URL.rstrip("/") + reverse("professionals:reconfirm", args=[token]),
        "days": settings.RECONFIRMATION_LINK_DAYS,
    }
    email_send(
        template="professionals/email/reconfirm",
        to=[professional.email],
        context=context,
        what="reconfirmation link",
    )


@transaction.atomic
def professional_reconfirm(
    *,
    token: ReconfirmationToken,
    changes: dict,
    insurance_carriers: Iterable[InsuranceCarrier],
) -> Professional:
    """Spend a reconfirmation link: confirm the availability, with any changes, as of today.

    `changes` may set only the phone, the plan types and the availability promise; the token
    decides whose listing changes, so a link cannot touch another professional.
    """
    token = ReconfirmationToken.objects.select_for_update().get(pk=token.pk)
    if not token.is_usable():
        raise ValidationError("This link has already been used or has expired.")
    allowed = {"phone", "accepts_ppo", "accepts_hmo", "accepts_self_pay"}
    allowed |= {"answers_24_7", "sees_within_24h"}
    if set(changes) - allowed:
        raise ValidationError("Only the phone, insurance and availability can change here.")
    professional = token.professional
    for field, value in changes.items():
        setattr(professional, field, value)
    professional.availability_confirmed_on = timezone.localdate()
    professional.full_clean()
    professional.save()
    professional.insurance_carriers.set(insurance_carriers)
    token.used_at = timezone.now()
    token.save(update_fields=["used_at"])
    return professional
