"""The public site: what a chief reads on a phone before joining."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import DepartmentFactory
from tests.html import elements, outbound_links, squashed

PUBLIC_PAGES = [
    "home",
    "faq",
    "membership",
    "privacy",
    "terms",
    "resources:self-checks",
    "contact:contact",
    "contact:demo",
    "contact:member-list",
]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_open_to_visitors_and_load_nothing_from_elsewhere(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    page = elements(response)
    for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src")):
        for attrs in page.find(tag):
            assert (attrs.get(attribute) or "/").startswith("/"), (tag, attrs)
    assert all("noreferrer" in (a.get("rel") or "") for a in outbound_links(response))
    assert page.script_bodies == []


def test_home_says_what_the_network_is_with_live_counts(client, db):
    DepartmentFactory(county="Cook")
    DepartmentFactory(county="Cook")
    DepartmentFactory(county="Kane")
    DepartmentFactory(county="Will", membership_status="prospective")
    html = squashed(client.get(reverse("home")).content.decode())
    assert "<strong>3</strong> member departments in <strong>2</strong> counties" in html
    for name in (
        "faq",
        "membership",
        "contact:demo",
        "contact:member-list",
        "resources:self-checks",
    ):
        assert f'href="{reverse(name)}"' in html
    assert 'href="tel:988"' in html  # crisis lines for visitors too


def test_membership_explains_the_quota_with_worked_figures(client, db):
    html = client.get(reverse("membership")).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "50 4 to 5" in text  # a 50-officer department needs 4 to 5
    assert "13,000 260 to 390" in text
    assert "12 months from joining" in text
    assert "3-year first term" in text
    assert "all of its sworn officers" in text


def test_faq_answers_the_chiefs_question_about_usage(client, db):
    html = client.get(reverse("faq")).content.decode()
    assert "How will I know if my officers use it" in html
    assert "reciprocity" in html


def test_privacy_policy_states_retention_from_settings(client, db, settings):
    settings.RETENTION_DAYS = 45
    settings.ENQUIRY_RETENTION_DAYS = 200
    html = client.get(reverse("privacy")).content.decode()
    assert "erased 45 days later" in html
    assert "delete it after 200 days" in html
    assert "scored by your own phone and never sent" in html


def test_privacy_policy_and_readme_list_the_same_security_writes():
    """The README's privacy section and the policy must move together."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    policy = squashed(
        (Path(__file__).resolve().parents[2] / "templates" / "privacy.html").read_text()
    )
    for readme_words, policy_words in [
        ("rate-limit counters", "Counts of sign-in and password-reset attempts"),
        ("TOTP time-step", "The last authenticator code used"),
        ("public-form rate-limit counters", "messages sent through the public forms"),
        ("backup code is deleted", "backup code is deleted"),
        ("self-check answers", "scored by your own phone"),
    ]:
        assert readme_words in readme, readme_words
        assert policy_words in policy, policy_words


def test_terms_show_the_crisis_lines_from_settings(client, db, settings):
    settings.CRISIS_LINES = [{"name": "Blue Line", "number": "1-800-555-0111"}]
    html = client.get(reverse("terms")).content.decode()
    assert "Blue Line at 1-800-555-0111" in html


def test_every_pages_crisis_lines_and_footer_follow_the_settings(client, db, settings):
    # The crisis lines and the footer are rendered once, not on every request: a change of the
    # settings must still show on the next page.
    before = client.get(reverse("faq")).content.decode()
    assert "988" in before
    settings.CRISIS_LINES = [{"name": "Blue Line", "number": "1-800-555-0111"}]
    settings.NETWORK_CONTACT_EMAIL = "help@network.test"
    for name in ("faq", "home"):
        html = client.get(reverse(name)).content.decode()
        assert 'href="tel:1-800-555-0111"' in html
        assert "988" not in html
        assert 'href="mailto:help@network.test"' in html
