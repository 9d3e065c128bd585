"""The certification exam: who may sit it, drawing an attempt, grading it on the server."""

import datetime
import hashlib
import random
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from trainings import emails
from trainings.models import Choice, ExamAttempt, ExamLink, Question, Registration
from trainings.services.certifications import certification_from_exam, has_account
from trainings.services.registrations import missed_days

_draw = random.SystemRandom()


class ExamRefused(ValidationError):
    """The trainee may not start or submit an attempt; the message says why, plainly."""


def exam_refusal(*, registration: Registration, today: datetime.date) -> str | None:
    """Why `registration` may not start an attempt today, or None when it may."""
    session = registration.session
    max_attempts = settings.TRAININGS_EXAM_MAX_ATTEMPTS
    if session.is_cancelled or registration.status != Registration.Status.REGISTERED:
        return "The exam is only for trainees who attended the session."
    if registration.attempts.filter(passed=True).exists():
        return "You have already passed this exam. Congratulations."
    if today < session.ends_on:
        return f"The exam opens on {session.ends_on:%B %-d, %Y}, the last day of the session."
    if today > session.exam_closes_on:
        return (
            f"The exam closed on {session.exam_closes_on:%B %-d, %Y}, "
            f"{settings.TRAININGS_EXAM_WINDOW_DAYS} days after the session ended. "
            "Training staff can tell you about the next session."
        )
    missed = missed_days(registration)
    if missed:
        listed = ", ".join(f"{day:%B %-d}" for day in missed)
        return (
            f"The exam is for trainees present on every day of the session, and you were not "
            f"marked present on {listed}. If that is a mistake, please tell training staff."
        )
    if registration.attempts.filter(submitted_at__isnull=False).count() >= max_attempts:
        return f"You have used all {max_attempts} attempts at this exam."
    if not _bank(registration).exists():
        return "The exam is not ready yet. Please try again later."
    return None


def _bank(registration: Registration):
    return Question.objects.filter(
        course_id=registration.session.course_id, is_active=True, choices__is_correct=True
    ).distinct()


def _open_attempt(registration: Registration) -> ExamAttempt | None:
    return registration.attempts.filter(submitted_at__isnull=True).first()


@transaction.atomic
def exam_start(*, registration: Registration, today: datetime.date) -> ExamAttempt:
    """Start an attempt (or return the one in progress) with a fresh random order of questions
    and of each question's choices. The order is stored on the attempt, so reloading the page
    shows the same exam, and grading checks answers against exactly what was drawn."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    in_progress = _open_attempt(registration)
    if in_progress is not None and registration.session.exam_is_open(today):
        return in_progress
    refusal = exam_refusal(registration=registration, today=today)
    if refusal:
        raise ExamRefused(refusal)
    questions = list(_bank(registration).prefetch_related("choices"))
    _draw.shuffle(questions)
    layout = []
    for question in questions:
        choices = [choice.pk for choice in question.choices.all()]
        _draw.shuffle(choices)
        layout.append({"question": question.pk, "choices": choices})
    return ExamAttempt.objects.create(
        registration=registration,
        number=registration.attempts.count() + 1,
        layout=layout,
        total=len(layout),
    )


def passes(*, correct: int, total: int) -> bool:
    """Strictly above the pass mark, in whole numbers: exactly 90% does not pass."""
    return total > 0 and correct * 100 > total * settings.TRAININGS_EXAM_PASS_PERCENT


@transaction.atomic
def exam_submit(
    *, attempt: ExamAttempt, answers: dict[int, int], today: datetime.date
) -> ExamAttempt:
    """Grade an attempt on the server. `answers` maps question id to chosen choice id and must
    answer exactly the questions drawn for this attempt, each with one of its drawn choices."""
    attempt = ExamAttempt.objects.select_for_update().get(pk=attempt.pk)
    registration = attempt.registration
    if attempt.is_submitted:
        raise ExamRefused("This attempt was already submitted.")
    if not registration.session.exam_is_open(today):
        raise ExamRefused(
            f"The exam closed on {registration.session.exam_closes_on:%B %-d, %Y}; "
            "this attempt can no longer be submitted."
        )
    drawn = {item["question"]: set(item["choices"]) for item in attempt.layout}
    if set(answers) != set(drawn) or any(answers[q] not in drawn[q] for q in drawn):
        raise ExamRefused("This submission does not match the exam you were given.")
    right = set(
        Choice.objects.filter(question_id__in=drawn, is_correct=True).values_list("pk", flat=True)
    )
    attempt.answers = {str(q): c for q, c in answers.items()}
    attempt.correct = sum(1 for choice in answers.values() if choice in right)
    attempt.passed = passes(correct=attempt.correct, total=attempt.total)
    attempt.submitted_at = timezone.now()
    attempt.save(update_fields=["answers", "correct", "passed", "submitted_at"])
    if attempt.passed:
        certification_from_exam(registration=registration, today=today)
    elif not has_account(registration.email) and not exam_refusal(
        registration=registration, today=today
    ):
        exam_link_create(registration=registration)
    return attempt


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def exam_link_create(*, registration: Registration) -> str:
    """A fresh single-use link, emailed after commit. Earlier unused links stop working."""
    registration.exam_links.filter(used_at__isnull=True).delete()
    token = secrets.token_urlsafe(32)
    ExamLink.objects.create(registration=registration, token_hash=_hash(token))
    emails.send_exam_link(registration, token)
    return token


@transaction.atomic
def exam_links_send(*, session, today: datetime.date) -> int:
    """Email a single-use link to every trainee who may sit the exam and has no account (account
    holders find it on their account page). Trainees holding an unused link are skipped."""
    sent = 0
    for registration in session.registrations.filter(status=Registration.Status.REGISTERED):
        if has_account(registration.email) or exam_refusal(registration=registration, today=today):
            continue
        if registration.exam_links.filter(used_at__isnull=True).exists():
            continue
        exam_link_create(registration=registration)
        sent += 1
    return sent


def exam_link_find(token: str) -> ExamLink | None:
    if not token or len(token) > 100:
        return None
    return (
        ExamLink.objects.select_related("registration__session__course")
        .filter(token_hash=_hash(token))
        .first()
    )


@transaction.atomic
def exam_link_redeem(*, token: str, today: datetime.date) -> ExamAttempt:
    """Spend a single-use link on starting an attempt."""
    link = exam_link_find(token)
    if link is None:
        raise ExamRefused("This exam link is not valid.")
    link = ExamLink.objects.select_for_update().get(pk=link.pk)
    if link.used_at is not None:
        raise ExamRefused(
            "This exam link was already used. Each link starts one attempt; if you have attempts "
            "left, a new link was emailed after your last one."
        )
    attempt = exam_start(registration=link.registration, today=today)
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    return attempt
