"""Reads of the professionals app: who is listed, the directory search, the vetting queue."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from professionals.models import (
    Application,
    Assessment,
    Licence,
    Professional,
    ReconfirmationToken,
    TelehealthState,
)

RECONFIRM_EVERY_DAYS = 90
HIDDEN_AFTER_DAYS = 120
LICENCE_WARNING_DAYS = 60
PLAN_FIELDS = {"ppo": "accepts_ppo", "hmo": "accepts_hmo", "self_pay": "accepts_self_pay"}


def listed_professionals(*, today: datetime.date | None = None) -> QuerySet[Professional]:
    """Approved professionals whose availability was confirmed within HIDDEN_AFTER_DAYS."""
    today = today or timezone.localdate()
    return Professional.objects.filter(
        is_listed=True,
        availability_confirmed_on__gt=today - datetime.timedelta(days=HIDDEN_AFTER_DAYS),
    )


def directory_search(
    *, filters: dict, today: datetime.date | None = None, for_family: bool = False
) -> QuerySet[Professional]:
    """The directory for officers, or for a family member (`for_family`). `filters` holds
    DirectoryFilterForm's valid values.

    Membership filters use EXISTS subqueries, so a professional appears once however many of
    their rows match. With a state, those practising there come before telehealth-only ones.
    """
    professionals = listed_professionals(today=today)
    order = ["last_name", "first_name", "pk"]
    if state := filters.get("state"):
        telehealth = TelehealthState.objects.filter(professional=OuterRef("pk"), state=state)
        professionals = professionals.filter(Q(state=state) | Exists(telehealth)).annotate(
            elsewhere=Case(
                When(state=state, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        order.insert(0, "elsewhere")
    for name, relation in (
        ("insurance", Professional.insurance_carriers),
        ("specialty", Professional.specialties),
        ("language", Professional.languages),
    ):
        if value := filters.get(name):
            through = relation.through
            column = relation.field.m2m_reverse_field_name()
            professionals = professionals.filter(
                Exists(through.objects.filter(professional=OuterRef("pk"), **{column: value}))
            )
    if plan := filters.get("plan"):
        professionals = professionals.filter(**{PLAN_FIELDS[plan]: True})
    if filters.get("always"):
        professionals = professionals.filter(answers_24_7=True)
    if for_family:  # those who see officers' families first; only them unless widened
        if not filters.get("everyone"):
            professionals = professionals.filter(sees_families=True)
        order.insert(0, "-sees_families")
    return professionals.order_by(*order).prefetch_related(
        "telehealth_states", "specialties", "languages", "insurance_carriers"
    )


def queue_counts() -> dict[str, int]:
    counts = dict(
        Application.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in Application.Status.values}


def applications_in(*, status: str) -> QuerySet[Application]:
    """Applications with one status, oldest first, with this round's recommendations counted."""
    this_round = Q(assessments__round=F("round"))
    recommends = Assessment.Recommendation
    return (
        Application.objects.filter(status=status)
        .select_related("professional")
        .annotate(
            approvals=Count(
                "assessments", filter=this_round & Q(assessments__recommendation=recommends.APPROVE)
            ),
            deferrals=Count(
                "assessments", filter=this_round & Q(assessments__recommendation=recommends.DEFER)
            ),
        )
        .order_by("submitted_at")
    )


def overdue_listings(*, today: datetime.date | None = None) -> QuerySet[Professional]:
    """Listed professionals who have not confirmed their availability for RECONFIRM_EVERY_DAYS
    (those past HIDDEN_AFTER_DAYS are already hidden from officers)."""
    today = today or timezone.localdate()
    due = today - datetime.timedelta(days=RECONFIRM_EVERY_DAYS)
    return (
        Professional.objects.filter(is_listed=True)
        .filter(Q(availability_confirmed_on__lte=due) | Q(availability_confirmed_on__isnull=True))
        .order_by("availability_confirmed_on")
    )


def expiring_licences(*, today: datetime.date | None = None) -> QuerySet[Licence]:
    """Licences of listed professionals expiring within LICENCE_WARNING_DAYS, or expired."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=LICENCE_WARNING_DAYS)
    return (
        Licence.objects.filter(professional__is_listed=True, expires_on__lte=horizon)
        .select_related("professional")
        .order_by("expires_on")
    )


def is_metro(*, state: str, county: str) -> bool:
    """Is the practice in a county where vetters visit the office (VETTING_METRO_COUNTIES)?"""
    wanted = f"{state}:{county}".strip().lower().removesuffix(" county")
    return any(wanted == entry.strip().lower() for entry in settings.VETTING_METRO_COUNTIES)


def suggested_method(*, professional: Professional) -> str:
    if is_metro(state=professional.state, county=professional.county):
        return Assessment.Method.OFFICE
    return Assessment.Method.VIDEO


def consensus(assessments: Iterable[Assessment]) -> str | None:
    """The status a round's assessments decide, or None while they decide nothing.

    docs/product.md: more than VETTING_MAX_DEFERRALS deferrals (by default: any one) defer the
    application; otherwise VETTING_MIN_APPROVALS approvals approve it.
    """
    recommendations = [assessment.recommendation for assessment in assessments]
    if recommendations.count(Assessment.Recommendation.DEFER) > settings.VETTING_MAX_DEFERRALS:
        return Application.Status.DEFERRED
    if recommendations.count(Assessment.Recommendation.APPROVE) >= settings.VETTING_MIN_APPROVALS:
        return Application.Status.APPROVED
    return None


def current_round(*, application: Application) -> list[Assessment]:
    return list(
        application.assessments.filter(round=application.round)
        .select_related("vetter")
        .order_by("recorded_at", "pk")
    )


def round_with(*, application: Application, assessment: Assessment) -> list[Assessment]:
    """The current round as it would be with `assessment` (unsaved, perhaps) in place of the
    same vetter's earlier one: what a preview decides before anything is saved."""
    others = [
        a for a in current_round(application=application) if a.vetter_id != assessment.vetter_id
    ]
    return [*others, assessment]


def applicant_message(assessments: Iterable[Assessment], *, status: str) -> str:
    """What the outcome email tells the applicant: the messages of the vetters whose
    recommendation made the outcome, in the order they assessed. Internal notes never."""
    wanted = {
        Application.Status.DEFERRED: Assessment.Recommendation.DEFER,
        Application.Status.APPROVED: Assessment.Recommendation.APPROVE,
    }[status]
    return "\n\n".join(
        a.message_to_applicant.strip()
        for a in assessments
        if a.recommendation == wanted and a.message_to_applicant.strip()
    )


def own_assessment(*, application: Application, vetter) -> Assessment | None:
    """The vetter's assessment in the application's current round, if they have made one."""
    return application.assessments.filter(round=application.round, vetter=vetter).first()


def tally(*, application: Application) -> dict[str, int]:
    """Recommendations in the application's current round."""
    current = application.assessments.filter(round=application.round)
    return {
        "approvals": current.filter(recommendation=Assessment.Recommendation.APPROVE).count(),
        "deferrals": current.filter(recommendation=Assessment.Recommendation.DEFER).count(),
    }


def reconfirmation_token_for(token: str) -> ReconfirmationToken | None:
    """The stored link for a token from an email, used or not, or None."""
    if not token or len(token) > 100:
        return None
    return (
        ReconfirmationToken.objects.select_related("professional")
        .filter(token_hash=ReconfirmationToken.hash(token))
        .first()
    )


def due_for_reconfirmation(*, today: datetime.date | None = None) -> QuerySet[Professional]:
    """Listed professionals due to confirm, without a link sent in the last link lifetime."""
    today = today or timezone.localdate()
    recent = ReconfirmationToken.objects.filter(
        professional=OuterRef("pk"),
        used_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    return overdue_listings(today=today).exclude(Exists(recent))
