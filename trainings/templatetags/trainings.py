from django import template
from django.conf import settings
from django.utils import timezone

from trainings import selectors

register = template.Library()


@register.inclusion_tag("trainings/_account_exams.html")
def account_trainings(user) -> dict:
    """The exams and certifications of the signed-in person, for their account page."""
    return {
        "exams": selectors.exams_for_person(email=user.email, today=timezone.localdate()),
        "certifications": selectors.certifications_of(user=user),
        "max_attempts": settings.TRAININGS_EXAM_MAX_ATTEMPTS,
    }
