"""Role checks that read the database answer once per request, and never go stale across one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from departments.models import Department
from tests.conftest import sign_in
from tests.factories import CertificationFactory
from trainings.models import Certification
from wnwa.accounts import roles
from wnwa.accounts.models import TOTPDevice


def checks_on(context: CaptureQueriesContext, model) -> int:
    """How many of the request's queries read `model`'s table (a role check among them)."""
    table = f'FROM "{model._meta.db_table}"'
    return sum(table in query["sql"] for query in context.captured_queries)


@pytest.mark.parametrize("page", ["peers:directory", "peers:my-listing"])
def test_a_peers_page_reads_certification_and_devices_once(client, cast, page):
    # Signed in without a second factor: the middleware and the nav both ask about devices; the
    # listing page's decorator and view both ask about the certification. Before the memo: two each.
    sign_in(client, cast.peer, second_factor=False)
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse(page))
    assert response.status_code == 200
    assert checks_on(context, TOTPDevice) == 1
    assert checks_on(context, Certification) == 1
    # ... inside the query that reads the officer's department.
    (certified,) = [
        query["sql"] for query in context.captured_queries if "certification" in query["sql"]
    ]
    assert certified.startswith(f'SELECT "{Department._meta.db_table}"')


def test_each_request_reads_afresh(client, cast):
    sign_in(client, cast.officer, second_factor=False)
    assert client.get(reverse("peers:my-listing")).status_code == 403
    CertificationFactory(person=cast.officer)
    assert client.get(reverse("peers:my-listing")).status_code in {200, 302}


def test_outside_a_request_nothing_is_remembered(cast):
    assert not roles.is_peer_supporter(cast.officer)
    CertificationFactory(person=cast.officer)
    assert roles.is_peer_supporter(cast.officer)


def test_a_change_within_the_request_is_seen(cast):
    user = cast.officer
    roles.remember_for_request(user)
    assert not roles.has_two_factor(user)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    assert not roles.has_two_factor(user)  # remembered for the request ...
    roles.forget(user)
    assert roles.has_two_factor(user)  # ... until the service that changed it says so
