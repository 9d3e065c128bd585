"""Consensus: enough approvals and no deferral list a professional; a deferral defers."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from professionals import services
from professionals.models import Application, Assessment
from professionals.selectors import suggested_method
from tests.factories import ApplicationFactory, AssessmentFactory, ProfessionalFactory, StaffFactory

APPROVE, DEFER = Assessment.Recommendation.APPROVE, Assessment.Recommendation.DEFER


def vetter():
    return StaffFactory(is_vetter=True)


def assess(
    application, who, recommendation=APPROVE, notes="Met by video; licence verified.", message=""
):
    return services.assessment_record(
        application=application,
        vetter=who,
        method=Assessment.Method.VIDEO,
        assessed_on=timezone.localdate(),
        notes=notes,
        recommendation=recommendation,
        message_to_applicant=message,
    )


def refreshed(application):
    application.refresh_from_db()
    application.professional.refresh_from_db()
    return application


@pytest.fixture
def application(db):
    return ApplicationFactory()


def test_one_approval_moves_the_application_into_review_but_does_not_list(application):
    assess(application, vetter())
    application = refreshed(application)
    assert application.status == Application.Status.IN_REVIEW
    assert not application.professional.is_listed
    assert application.decided_by is None


def test_two_approvals_list_the_professional_and_record_who_decided(
    application, django_capture_on_commit_callbacks
):
    first, second = vetter(), vetter()
    assess(application, first)
    with django_capture_on_commit_callbacks(execute=True):
        assess(application, second)
    application = refreshed(application)
    assert application.status == Application.Status.APPROVED
    assert application.decided_by == second
    assert application.decided_at is not None
    assert application.professional.is_listed
    assert application.professional.availability_confirmed_on == timezone.localdate()
    (email,) = mail.outbox
    assert email.to == [application.professional.email]
    assert "approved" in email.body


def test_a_deferral_blocks_keeps_its_notes_internal_and_emails_the_message_with_a_reply_to(
    application, django_capture_on_commit_callbacks, settings
):
    settings.NETWORK_STAFF_EMAIL = "vetting@network.test"
    assess(application, vetter())
    deferring = vetter()
    with django_capture_on_commit_callbacks(execute=True):
        assess(
            application,
            deferring,
            DEFER,
            notes="Could not verify the licence with the board.",
            message="Please send us a copy of your current Wisconsin licence.",
        )
    application = refreshed(application)
    assert application.status == Application.Status.DEFERRED
    assert "Could not verify the licence" in application.deferral_reason
    assert (
        application.applicant_message == "Please send us a copy of your current Wisconsin licence."
    )
    assert application.decided_by == deferring
    assert not application.professional.is_listed
    (email,) = mail.outbox
    assert "deferred" in email.body
    assert "Please send us a copy of your current Wisconsin licence." in email.body
    assert "Could not verify" not in email.body  # vetters' notes stay internal
    assert email.reply_to == ["vetting@network.test"]
    assert "vetting@network.test" in email.body
    with pytest.raises(ValidationError, match="Reopen it"):
        assess(application, vetter())


def test_an_approval_carries_the_approving_vetters_messages_and_the_receipt_has_a_reply_to(
    application, django_capture_on_commit_callbacks, settings
):
    settings.NETWORK_STAFF_EMAIL = "vetting@network.test"
    assess(application, vetter(), message="Welcome aboard.")
    with django_capture_on_commit_callbacks(execute=True):
        assess(application, vetter(), notes="Internal: references fine.", message="")
    (email,) = mail.outbox
    assert "Welcome aboard." in email.body and "Internal" not in email.body
    assert email.reply_to == ["vetting@network.test"]
    assert refreshed(application).applicant_message == "Welcome aboard."


def test_a_deferral_after_one_approval_blocks_even_if_a_third_vetter_approves(application):
    assess(application, vetter())
    assess(application, vetter(), DEFER)
    with pytest.raises(ValidationError):
        assess(application, vetter())
    assert refreshed(application).status == Application.Status.DEFERRED


def test_recording_again_corrects_the_vetters_own_assessment_until_decided(application):
    same, other = vetter(), vetter()
    assess(application, same, notes="First look.")
    corrected = assess(application, same, notes="Second look: licence verified.")
    assert application.assessments.count() == 1
    assert corrected.notes == "Second look: licence verified."
    assert refreshed(application).status == Application.Status.IN_REVIEW  # still one approval
    assess(application, other)
    assert refreshed(application).status == Application.Status.APPROVED
    with pytest.raises(ValidationError, match="Reopen it"):
        assess(application, same, DEFER, message="Changed my mind.")
    assert application.assessments.get(vetter=same).recommendation == APPROVE


def test_correcting_an_approval_to_a_deferral_defers(application):
    same = vetter()
    assess(application, same)
    assess(application, same, DEFER, message="We need your malpractice certificate.")
    application = refreshed(application)
    assert application.status == Application.Status.DEFERRED
    assert application.applicant_message == "We need your malpractice certificate."


def test_the_consensus_rule_is_one_function_of_the_round(application, settings):
    from professionals.selectors import consensus

    def round_of(*recommendations):
        return [Assessment(recommendation=r) for r in recommendations]

    assert consensus(round_of(APPROVE)) is None
    assert consensus(round_of(APPROVE, APPROVE)) == Application.Status.APPROVED
    assert consensus(round_of(DEFER)) == Application.Status.DEFERRED  # none tolerated by default
    assert consensus(round_of(APPROVE, APPROVE, DEFER)) == Application.Status.DEFERRED
    settings.VETTING_MAX_DEFERRALS = 1
    assert consensus(round_of(DEFER, APPROVE, APPROVE)) == Application.Status.APPROVED
    assert consensus(round_of(DEFER, DEFER)) == Application.Status.DEFERRED


def test_the_database_refuses_a_second_assessment_by_the_same_vetter_in_a_round(application):
    from django.db import IntegrityError, transaction

    first = AssessmentFactory(application=application)
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentFactory(application=application, vetter=first.vetter)


def test_reopening_starts_a_new_round_where_earlier_assessors_may_assess_again(application):
    approving, deferring = vetter(), vetter()
    assess(application, approving)
    assess(application, deferring, DEFER, notes="References did not answer.")
    reopener = vetter()
    services.application_reopen(application=application, vetter=reopener)
    application = refreshed(application)
    assert application.status == Application.Status.IN_REVIEW
    assert application.round == 2
    assert application.reopened_by == reopener
    assert "References did not answer" in application.deferral_reason  # kept on file

    assess(application, deferring)  # the earlier deferral does not count in the new round
    assert refreshed(application).status == Application.Status.IN_REVIEW
    assess(application, approving)
    application = refreshed(application)
    assert application.status == Application.Status.APPROVED
    assert application.professional.is_listed
    assert application.assessments.count() == 4


def test_only_a_deferred_application_can_be_reopened(application):
    with pytest.raises(ValidationError):
        services.application_reopen(application=application, vetter=vetter())


def test_the_thresholds_come_from_settings(application, settings):
    settings.VETTING_MIN_APPROVALS = 3
    settings.VETTING_MAX_DEFERRALS = 1
    assess(application, vetter())
    assess(application, vetter(), DEFER)
    assess(application, vetter())
    assert refreshed(application).status == Application.Status.IN_REVIEW
    assess(application, vetter())
    assert refreshed(application).status == Application.Status.APPROVED


def test_a_second_deferral_defers_when_one_is_tolerated(application, settings):
    settings.VETTING_MAX_DEFERRALS = 1
    assess(application, vetter(), DEFER)
    assert refreshed(application).status == Application.Status.IN_REVIEW
    assess(application, vetter(), DEFER)
    assert refreshed(application).status == Application.Status.DEFERRED


def test_an_assessment_needs_notes(application):
    with pytest.raises(ValidationError):
        assess(application, vetter(), notes="   ")


@pytest.mark.parametrize(
    ("state", "county", "method"),
    [
        ("IL", "Cook", Assessment.Method.OFFICE),
        ("IL", "cook", Assessment.Method.OFFICE),
        ("IN", "Lake", Assessment.Method.OFFICE),
        ("OH", "Lake", Assessment.Method.VIDEO),
        ("WI", "Dane", Assessment.Method.VIDEO),
        ("IL", "", Assessment.Method.VIDEO),
    ],
)
def test_the_method_follows_the_metro_counties_setting(db, state, county, method):
    professional = ProfessionalFactory(state=state, county=county)
    assert suggested_method(professional=professional) == method


def test_the_metro_list_is_configurable(db, settings):
    settings.VETTING_METRO_COUNTIES = ["WI:Dane"]
    professional = ProfessionalFactory(state="WI", county="Dane")
    assert suggested_method(professional=professional) == Assessment.Method.OFFICE


def test_an_assessment_date_in_the_future_is_refused_by_the_form():
    from professionals.forms import AssessmentForm

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    form = AssessmentForm(
        {"method": "video", "assessed_on": tomorrow, "recommendation": "approve", "notes": "x"}
    )
    assert not form.is_valid() and "assessed_on" in form.errors
