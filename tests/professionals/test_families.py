"""Professionals who see officers' families (docs/product.md, "Families"; issue 22): the
application asks, each approving vetter finds, the reconfirmation asks again; family members see
them first, only them until they widen the list."""

import datetime
import html
import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from professionals import services
from professionals.models import Application, Assessment, Professional, ReconfirmationToken
from tests.conftest import sign_in
from tests.factories import ApplicationFactory, ProfessionalFactory, StaffFactory
from tests.html import squashed as _squashed
from tests.professionals.conftest import application_data, upload


def squashed(page: str) -> str:
    return html.unescape(_squashed(page))


def listed(**fields) -> Professional:
    return ProfessionalFactory(
        is_listed=True, availability_confirmed_on=timezone.localdate(), **fields
    )


def test_family_members_see_those_who_see_families_and_may_widen_the_list(cast):
    listed(last_name="Familyseer", sees_families=True)
    listed(last_name="Officersonly")
    family = sign_in(Client(), cast.family, second_factor=False)
    first = squashed(family.get(reverse("professionals:directory")).content.decode())
    assert "Familyseer" in first and "Officersonly" not in first
    assert "Show every professional" in first and "Sees officers' families" in first
    every = squashed(
        family.get(reverse("professionals:directory"), {"everyone": "on"}).content.decode()
    )
    assert "Familyseer" in every and "Officersonly" in every
    assert every.index("Familyseer") < every.index("Officersonly")  # those first
    officer = sign_in(Client(), cast.officer).get(reverse("professionals:directory"))
    page = officer.content.decode()
    assert "Familyseer" in page and "Officersonly" in page
    assert 'name="everyone"' not in page  # the widening is a family member's only


def test_the_application_asks_and_keeps_the_answer(client, vocabulary_ids, private_root):
    page = squashed(client.get("/professionals/apply/").content.decode())
    assert "I also see officers' families" in page
    data = {**application_data(**vocabulary_ids), "sees_families": "on"}
    response = client.post("/professionals/apply/", {**data, "licence_document": upload()})
    assert response.status_code == 302
    assert Application.objects.get().professional.sees_families


def assess(application, who, *, sees_families):
    return services.assessment_record(
        application=application,
        vetter=who,
        method=Assessment.Method.VIDEO,
        assessed_on=timezone.localdate(),
        notes="Met by video; licence verified.",
        recommendation=Assessment.Recommendation.APPROVE,
        sees_families=sees_families,
    )


def test_listed_as_seeing_families_only_when_every_approving_vetter_found_so(db):
    agreed = ApplicationFactory(professional=ProfessionalFactory(sees_families=True))
    assess(agreed, StaffFactory(is_vetter=True), sees_families=True)
    assess(agreed, StaffFactory(is_vetter=True), sees_families=True)
    agreed.professional.refresh_from_db()
    assert agreed.professional.is_listed and agreed.professional.sees_families
    doubted = ApplicationFactory(professional=ProfessionalFactory(sees_families=True))
    assess(doubted, StaffFactory(is_vetter=True), sees_families=True)
    assess(doubted, StaffFactory(is_vetter=True), sees_families=False)
    doubted.professional.refresh_from_db()
    assert doubted.professional.is_listed and not doubted.professional.sees_families


def test_the_vetters_form_starts_from_the_applicants_answer(cast):
    application = ApplicationFactory(professional=ProfessionalFactory(sees_families=True))
    vetter = sign_in(Client(), cast.vetter)
    page = vetter.get(reverse("professionals:assess", args=[application.reference]))
    assert re.search(r'<input[^>]*name="sees_families"[^>]*checked', page.content.decode())
    shown = squashed(
        vetter.get(
            reverse("professionals:application", args=[application.reference])
        ).content.decode()
    )
    assert "Officers' families" in shown and "Says they see them" in shown


def test_the_reconfirmation_asks_again(client, db):
    professional = listed(sees_families=True, accepts_ppo=True, answers_24_7=True)
    token = "a-token-for-families"
    ReconfirmationToken.objects.create(
        professional=professional,
        token_hash=ReconfirmationToken.hash(token),
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    url = reverse("professionals:reconfirm", args=[token])
    assert "I also see officers' families" in squashed(client.get(url).content.decode())
    client.post(
        url, {"phone": professional.phone, "plan_types": ["ppo"], "promises": ["answers_24_7"]}
    )
    professional.refresh_from_db()
    assert not professional.sees_families  # unticked: no longer
