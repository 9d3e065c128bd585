"""The officers' directory: filters that combine, 20 a page, nothing recorded."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from professionals.models import (
    InsuranceCarrier,
    Language,
    Professional,
    Specialty,
    TelehealthState,
)
from professionals.selectors import directory_search
from tests.conftest import sign_in
from tests.factories import ProfessionalFactory

URL = "/professionals/"


@pytest.fixture
def officer(cast) -> Client:
    return sign_in(Client(), cast.officer)


def make(*, telehealth=(), carriers=(), specialties=(), languages=(), **fields):
    professional = ProfessionalFactory(**fields)
    professional.insurance_carriers.set(InsuranceCarrier.objects.filter(slug__in=carriers))
    professional.specialties.set(Specialty.objects.filter(slug__in=specialties))
    professional.languages.set(Language.objects.filter(slug__in=languages))
    for state in telehealth:
        TelehealthState.objects.create(professional=professional, state=state)
    return professional


def test_the_wisconsin_therapist_is_found_by_an_illinois_officer_with_a_bcbs_ppo(officer):
    make(
        first_name="Hannah",
        last_name="Lindqvist",
        state="WI",
        telehealth=["WI", "IL"],
        carriers=["bcbs"],
        accepts_ppo=True,
        phone="+16085550142",
        website="https://lakeside.test/",
    )
    make(last_name="Nottelehealth", state="WI", carriers=["bcbs"], accepts_ppo=True)
    make(last_name="Hmoonly", state="IL", carriers=["bcbs"], accepts_hmo=True)
    page = officer.get(URL + "?state=IL&insurance=bcbs&plan=ppo").content.decode()
    assert "Hannah Lindqvist" in page
    assert "Nottelehealth" not in page and "Hmoonly" not in page
    assert 'href="tel:+16085550142"' in page
    assert "(608) 555-0142" in page
    assert 'href="https://lakeside.test/" rel="noreferrer noopener"' in page
    assert "Telehealth in</dt><dd>IL, WI" in page
    assert "Availability confirmed on" in page


def test_practising_in_the_state_comes_before_telehealth_only(db):
    make(last_name="Aaron", state="WI", telehealth=["IL"])
    make(last_name="Zimmer", state="IL")
    names = [p.last_name for p in directory_search(filters={"state": "IL"})]
    assert names == ["Zimmer", "Aaron"]


def test_a_listing_unconfirmed_for_120_days_is_hidden(officer):
    today = timezone.localdate()
    make(last_name="Recent", availability_confirmed_on=today - datetime.timedelta(days=119))
    make(last_name="Stale", availability_confirmed_on=today - datetime.timedelta(days=120))
    make(last_name="Unlisted", is_listed=False)
    page = officer.get(URL).content.decode()
    assert "Recent" in page and "Stale" not in page and "Unlisted" not in page


def test_twenty_a_page_with_filters_kept_in_the_page_links(officer):
    for index in range(45):
        make(last_name=f"Clinician{index:02d}", answers_24_7=True)
    first = officer.get(URL + "?always=on").content.decode()
    assert first.count('class="card professional"') == 20
    assert "Page 1 of 3" in first
    assert "?always=on&amp;page=2" in first
    third = officer.get(URL + "?always=on&page=3").content.decode()
    assert third.count('class="card professional"') == 5
    assert officer.get(URL + "?page=99").status_code == 200  # past the end: the last page
    assert officer.get(URL + "?page=abc").status_code == 200


def test_unknown_filter_values_are_ignored_with_a_message_not_an_error(officer):
    make(last_name="Shown")
    response = officer.get(URL + "?state=ZZ&insurance=nonsense&plan=%3Cscript%3E")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Shown" in page
    assert "Select a valid choice" in page
    assert "<script>" not in page


def test_an_empty_result_says_so_and_offers_to_clear(officer):
    response = officer.get(URL + "?state=AK")
    assert b"No professional matches all of these filters" in response.content


def test_browsing_and_filtering_write_nothing(officer):
    make(last_name="Anyone", carriers=["bcbs"])
    with CaptureQueriesContext(connection) as queries:
        officer.get(URL + "?state=WI&insurance=bcbs&plan=ppo&specialty=grief&language=english")
        officer.get(URL + "?page=2")
    writes = [q["sql"] for q in queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)]
    assert writes == []
    assert queries  # the page did read


def test_the_page_needs_a_handful_of_queries_whatever_the_size(officer):
    for index in range(25):
        make(last_name=f"P{index}", telehealth=["IL"], carriers=["bcbs"], languages=["english"])
    with CaptureQueriesContext(connection) as queries:
        officer.get(URL + "?state=IL")
    assert len(queries) < 15


# --- filters combine like a plain Python filter -----------------------------------------------

STATES = ["IL", "WI", "IN", "MN"]
CARRIERS = ["bcbs", "aetna", "cigna"]
SPECIALTIES = ["trauma-ptsd", "grief"]
LANGUAGES = ["english", "spanish"]


@pytest.fixture
def population(db):
    """A fixed mix of professionals covering every combination the strategy draws from, with a
    plain-Python copy of what the filters look at (read once, so each example is one query)."""
    today = timezone.localdate()
    for index in range(24):
        make(
            last_name=f"Person{index:02d}",
            state=STATES[index % 4],
            telehealth=[STATES[(index + 1) % 4]] if index % 3 else [],
            carriers=CARRIERS[: index % 3 + 1] if index % 5 else [],
            specialties=[SPECIALTIES[index % 2]],
            languages=LANGUAGES[: 1 + index % 2],
            accepts_ppo=index % 2 == 0,
            accepts_hmo=index % 3 == 0,
            accepts_self_pay=index % 4 == 0,
            answers_24_7=index % 4 == 1,
            sees_within_24h=index % 4 != 1,
            is_listed=index % 7 != 0,
            availability_confirmed_on=today - datetime.timedelta(days=(index * 11) % 150),
        )
    people = Professional.objects.prefetch_related(
        "telehealth_states", "insurance_carriers", "specialties", "languages"
    )
    return [
        {
            "pk": p.pk,
            "shown": p.is_listed and (today - p.availability_confirmed_on).days < 120,
            "state": p.state,
            "telehealth": {t.state for t in p.telehealth_states.all()},
            "insurance": {c.slug for c in p.insurance_carriers.all()},
            "specialty": {s.slug for s in p.specialties.all()},
            "language": {lang.slug for lang in p.languages.all()},
            "plans": {plan for plan, on in PLANS.items() if getattr(p, on)},
            "always": p.answers_24_7,
        }
        for p in people
    ]


PLANS = {"ppo": "accepts_ppo", "hmo": "accepts_hmo", "self_pay": "accepts_self_pay"}


def plain_filter(people: list[dict], wanted: dict) -> set[int]:
    def keep(p: dict) -> bool:
        state = wanted.get("state")
        return (
            p["shown"]
            and (not state or state == p["state"] or state in p["telehealth"])
            and all(
                wanted.get(name) in (None, *p[name])
                for name in ("insurance", "specialty", "language")
            )
            and (not wanted.get("plan") or wanted["plan"] in p["plans"])
            and (not wanted.get("always") or p["always"])
        )

    return {p["pk"] for p in people if keep(p)}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    state=st.sampled_from([None, *STATES]),
    insurance=st.sampled_from([None, *CARRIERS]),
    specialty=st.sampled_from([None, *SPECIALTIES]),
    language=st.sampled_from([None, *LANGUAGES]),
    plan=st.sampled_from([None, "ppo", "hmo", "self_pay"]),
    always=st.booleans(),
)
def test_filters_combine_like_a_plain_python_filter(
    population, state, insurance, specialty, language, plan, always
):
    wanted = {
        "state": state,
        "insurance": insurance,
        "specialty": specialty,
        "language": language,
        "plan": plan,
        "always": always,
    }
    wanted = {name: value for name, value in wanted.items() if value}
    models = {"insurance": InsuranceCarrier, "specialty": Specialty, "language": Language}
    filters = {
        name: models[name].objects.get(slug=value) if name in models else value
        for name, value in wanted.items()
    }
    found = [p.pk for p in directory_search(filters=filters, today=timezone.localdate())]
    assert len(found) == len(set(found)), "a professional appears twice"
    assert set(found) == plain_filter(population, wanted)
