"""Choosing the officer of a training taken elsewhere: a search (name, badge, email) that works
without JavaScript, shows who is who, and never lists a whole department."""

import re

import pytest
from django.urls import reverse

from tests.conftest import sign_in
from tests.factories import UserFactory
from tests.html import squashed
from trainings.models import Certification
from wnwa.accounts.models import User
from wnwa.accounts.people import PICKER_LIMIT

pytestmark = pytest.mark.django_db

URL = reverse("trainings:external-new")


@pytest.fixture
def admin_a(client, cast):
    return sign_in(client, cast.admin_a)


@pytest.fixture
def brennans(cast):
    """Two namesakes in one department, and a third in another department."""
    return (
        UserFactory(
            department=cast.department_a,
            first_name="Daniel",
            last_name="Brennan",
            badge_number="4471",
            email="d.brennan@a.test",
        ),
        UserFactory(
            department=cast.department_a,
            first_name="Daniel",
            last_name="Brennan",
            badge_number="118",
            email="daniel.brennan2@a.test",
        ),
        UserFactory(
            department=cast.department_b,
            first_name="Daniel",
            last_name="Brennan",
            badge_number="9",
            email="brennan@b.test",
        ),
    )


def choose_values(page: str) -> list[str]:
    return re.findall(r'name="person" value="(\d+)"', page)


def test_the_page_starts_with_a_search_and_lists_nobody(admin_a, cast):
    User.objects.bulk_create(
        User(email=f"officer{n}@a.test", last_name=f"Officer{n}", department=cast.department_a)
        for n in range(300)
    )
    page = admin_a.get(URL).content.decode()
    assert "<select" not in page and "<option" not in page
    assert 'name="q"' in page and 'method="get"' in page
    assert choose_values(page) == []
    assert "2. The training" not in page  # the officer comes first


def test_namesakes_are_told_apart_by_department_and_badge(admin_a, brennans, cast):
    page = squashed(admin_a.get(URL, {"q": "daniel brennan"}).content.decode())
    first, second, elsewhere = brennans
    assert sorted(choose_values(page)) == sorted([str(first.pk), str(second.pk)])
    assert f"{cast.department_a} · badge 4471 · d.brennan@a.test" in page
    assert f"{cast.department_a} · badge 118 · daniel.brennan2@a.test" in page
    assert "brennan@b.test" not in page  # another department's officer is not offered
    assert "Choose <span" in page and "Daniel Brennan, badge 118" in page  # each button named


@pytest.mark.parametrize(
    ("query", "found"),
    [("4471", [0]), ("118", [1]), ("d.brennan@", [0]), ("BRENN", [0, 1]), ("dan bre", [0, 1])],
)
def test_the_search_finds_by_name_start_whole_badge_or_email_start(admin_a, brennans, query, found):
    page = admin_a.get(URL, {"q": query}).content.decode()
    assert sorted(choose_values(page)) == sorted(str(brennans[i].pk) for i in found)


def test_a_badge_matches_whole_so_a_short_number_finds_no_others(admin_a, brennans):
    assert choose_values(admin_a.get(URL, {"q": "11"}).content.decode()) == []


def test_the_matches_are_capped_and_the_page_says_how_to_narrow_them(admin_a, cast):
    User.objects.bulk_create(
        User(
            email=f"smith{n}@a.test",
            first_name="Pat",
            last_name="Smith",
            department=cast.department_a,
        )
        for n in range(PICKER_LIMIT + 15)
    )
    page = admin_a.get(URL, {"q": "smith"}).content.decode()
    assert len(choose_values(page)) == PICKER_LIMIT
    assert "add to the search" in page


def test_deactivated_officers_are_not_found_nor_accepted(admin_a, brennans):
    first = brennans[0]
    first.is_active = False
    first.save()
    assert str(first.pk) not in choose_values(admin_a.get(URL, {"q": "4471"}).content.decode())
    assert "2. The training" not in admin_a.get(URL, {"person": first.pk}).content.decode()


def test_choosing_then_recording_without_javascript(admin_a, brennans):
    from django.core.files.uploadedfile import SimpleUploadedFile

    second = brennans[1]
    page = admin_a.get(URL, {"person": second.pk}).content.decode()
    assert "2. The training" in page and "badge 118" in page and "Choose someone else" in page
    assert f'type="hidden" name="person" value="{second.pk}"' in page
    data = {
        "person": second.pk,
        "provider": "Illinois Peer Academy",
        "hours": "24",
        "completed_on": "2025-03-14",
        "certificate": SimpleUploadedFile("c.pdf", b"%PDF-1.7\n" + b"0" * 200),
    }
    bad = admin_a.post(URL, {**data, "hours": "lots"}).content.decode()
    assert "badge 118" in bad and "Illinois Peer Academy" in bad  # the choice and text are kept
    data["certificate"] = SimpleUploadedFile("c.pdf", b"%PDF-1.7\n" + b"0" * 200)  # sent again
    assert admin_a.post(URL, data).status_code == 302
    assert Certification.objects.get(provider="Illinois Peer Academy").person == second


def test_a_bad_search_is_an_empty_answer_not_an_error(admin_a):
    for query in ["", "   ", "x" * 500, "<script>", "%", "_", "' OR 1=1 --", "\x00"]:
        response = admin_a.get(URL, {"q": query})
        assert response.status_code == 200
        assert choose_values(response.content.decode()) == []


def test_the_search_costs_the_same_few_queries_however_large_the_department(
    admin_a, cast, django_assert_max_num_queries
):
    User.objects.bulk_create(
        User(
            email=f"o{n}@a.test",
            first_name="Daniel",
            last_name=f"B{n}",
            department=cast.department_a,
        )
        for n in range(2000)
    )
    with django_assert_max_num_queries(12):
        page = admin_a.get(URL, {"q": "daniel"}).content.decode()
    assert len(choose_values(page)) == PICKER_LIMIT
