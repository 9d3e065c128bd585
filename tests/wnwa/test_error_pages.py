"""The error pages still point someone in crisis somewhere, even with the database down."""

import pytest
from django.db import OperationalError
from django.test import Client

# The page follows the phone's light or dark setting (static/css/site.css), form controls too.
DARK_OR_LIGHT = '<meta name="color-scheme" content="light dark">'


@pytest.fixture
def database_down(monkeypatch):
    def fail():
        raise OperationalError("connection refused")

    monkeypatch.setattr("portal.views.network_counts", fail)


def test_a_server_error_page_shows_the_crisis_lines_and_no_details(database_down, caplog):
    response = Client(raise_request_exception=False).get("/faq/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert 'href="tel:988"' in page and 'href="tel:1-800-267-5463"' in page
    assert "OperationalError" not in page and "connection refused" not in page
    assert "http://" not in page and "https://" not in page  # nothing from another host
    assert DARK_OR_LIGHT in page  # it has no base template: it says so itself


def test_a_missing_page_keeps_a_signed_in_officers_crisis_strip(cast):
    from tests.conftest import client_for

    response = client_for("officer", cast).get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "We could not find that page" in page and 'href="tel:988"' in page
    assert DARK_OR_LIGHT in page
