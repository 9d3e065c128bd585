"""The department poster: the network, what it offers, crisis lines, a QR code to sign-in, and
no officer's name."""

import re

import segno
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import UserFactory


def qr_path(svg_html: str) -> str:
    return re.search(r'class="qrline"[^>]* d="([^"]+)"', svg_html).group(1)


def test_the_poster_carries_a_qr_code_to_the_absolute_sign_in_url(cast, settings):
    settings.SITE_URL = "https://portal.wnwa.example"
    html = client_for("admin_same", cast).get(reverse("poster")).content.decode()
    url = "https://portal.wnwa.example/accounts/login/"
    assert url in html
    expected = segno.make(url, error="q").svg_inline(scale=8)
    assert qr_path(html) == qr_path(expected)  # the code encodes exactly that address


def test_without_a_site_url_the_poster_uses_the_address_it_was_opened_on(cast, settings):
    settings.SITE_URL = ""
    html = client_for("admin_same", cast).get(reverse("poster")).content.decode()
    assert "http://testserver/accounts/login/" in html


def test_the_poster_shows_the_network_its_offer_and_the_crisis_lines(cast, settings):
    settings.CRISIS_LINES = [{"name": "Test Lifeline", "number": "1-800-555-0123"}]
    html = client_for("admin_same", cast).get(reverse("poster")).content.decode()
    assert "WeNeverWalkAlone" in html and "Alpha Police is a member of" in html
    assert "Peer supporters" in html and "Vetted professionals" in html
    assert "Test Lifeline: <strong>1-800-555-0123</strong>" in html


def test_the_poster_names_no_officer(cast):
    UserFactory(department=cast.department_a, first_name="Zebediah", last_name="Quillfeather")
    html = client_for("admin_same", cast).get(reverse("poster")).content.decode()
    for person in (cast.admin_a, cast.officer, cast.peer):
        assert person.last_name not in html and person.email not in html
    assert "Zebediah" not in html and "Quillfeather" not in html


def test_the_poster_prints_without_javascript_and_has_no_inline_script(cast):
    html = client_for("admin_same", cast).get(reverse("poster")).content.decode()
    assert 'src="/static/js/poster.js"' in html
    assert "data-print hidden" in html  # the button appears only when the script can print
    assert "<script>" not in html
