"""Business rules of the professionals app: applying, vetting by consensus, reconfirming."""

import datetime
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from professionals import selectors
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
from wnwa.accounts.models import User
from wnwa.lib.mail import email_message, email_send
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
        reply_to=[settings.NETWORK_STAFF_EMAIL],  # "if you did not apply, reply"
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
    message_to_applicant: str = "",
    sees_families: bool = False,
) -> Assessment:
    """Record one vetter's assessment in the application's current round, then decide.

    A vetter has one assessment per round; recording again corrects it, until the application
    is decided (a decided application takes no more: reopening starts a new round). `notes` are
    internal; `message_to_applicant` goes into the outcome email if the consensus uses it.
    """
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not application.is_open:
        raise ValidationError("This application has been decided. Reopen it to assess again.")
    assessment = selectors.own_assessment(application=application, vetter=vetter) or Assessment(
        application=application, vetter=vetter, round=application.round
    )
    assessment.method = method
    assessment.assessed_on = assessed_on
    assessment.notes = notes.strip()
    assessment.message_to_applicant = message_to_applicant.strip()
    assessment.recommendation = recommendation
    assessment.sees_families = sees_families
    assessment.full_clean()
    assessment.save()
    if application.status == Application.Status.NEW:
        application.status = Application.Status.IN_REVIEW
        application.save(update_fields=["status"])
    application_decide(application=application, vetter=vetter)
    return assessment


def _outcome_email(*, application: Application, status: str, message: str) -> dict:
    """The outcome email's parts; replies go to the staff mailbox, never the no-reply sender."""
    return {
        "template": f"professionals/email/outcome_{status}",
        "to": [application.professional.email],
        "context": {
            "application": application,
            "professional": application.professional,
            "message": message,
            "staff_email": settings.NETWORK_STAFF_EMAIL,
        },
        "reply_to": [settings.NETWORK_STAFF_EMAIL],
    }


def outcome_preview(*, application: Application, assessment: Assessment) -> EmailMessage | None:
    """The email the applicant would get if `assessment` (unsaved) were recorded now, or None
    when it would decide nothing. Nothing is saved or sent: the vetter reads it first."""
    assessments = selectors.round_with(application=application, assessment=assessment)
    status = selectors.consensus(assessments)
    if status is None:
        return None
    message = selectors.applicant_message(assessments, status=status)
    return email_message(**_outcome_email(application=application, status=status, message=message))


@transaction.atomic
def application_decide(*, application: Application, vetter: User) -> str | None:
    """Apply the consensus of the current round, if there is one; return the new status.

    The rule is selectors.consensus (docs/product.md). A deferral keeps the deferring vetters'
    internal notes as the reason on file; the applicant is emailed the messages written for
    them, which are kept as sent. The decision is attributed to `vetter`, whose assessment
    settled it.
    """
    if not application.is_open:
        return None
    assessments = selectors.current_round(application=application)
    status = selectors.consensus(assessments)
    if status is None:
        return None
    application.status = status
    if status == Application.Status.DEFERRED:
        application.deferral_reason = "\n\n".join(
            f"{a.vetter.full_name or a.vetter.email} ({a.assessed_on.isoformat()}): {a.notes}"
            for a in assessments
            if a.recommendation == Assessment.Recommendation.DEFER
        )
    else:
        professional = application.professional
        professional.is_listed = True
        professional.availability_confirmed_on = timezone.localdate()
        approve = Assessment.Recommendation.APPROVE
        approving = [a for a in assessments if a.recommendation == approve]
        professional.sees_families = all(a.sees_families for a in approving)
        professional.save(update_fields=["is_listed", "availability_confirmed_on", "sees_families"])
    application.applicant_message = selectors.applicant_message(assessments, status=status)
    application.decided_by = vetter
    application.decided_at = timezone.now()
    application.save(
        update_fields=[
            "status",
            "deferral_reason",
            "applicant_message",
            "decided_by",
            "decided_at",
        ]
    )
    email_send(
        **_outcome_email(
            application=application, status=status, message=application.applicant_message
        ),
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

    `changes` may set only the phone, the plan types, the availability promise and whether they
    see officers' families; the token decides whose listing changes, so a link cannot touch
    another professional.
    """
    token = ReconfirmationToken.objects.select_for_update().get(pk=token.pk)
    if not token.is_usable():
        raise ValidationError("This link has already been used or has expired.")
    allowed = {"phone", "accepts_ppo", "accepts_hmo", "accepts_self_pay"}
    allowed |= {"answers_24_7", "sees_within_24h", "sees_families"}
    if set(changes) - allowed:
        raise ValidationError(
            "Only the phone, insurance, availability and families seen can change here."
        )
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
