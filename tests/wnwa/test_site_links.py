"""The site's own links: every page leads visitors to the public pages from its footer."""

import re

import pytest
from django.urls import reverse

from tests.conftest import sign_in

PUBLIC_DESTINATIONS = [
    "faq",
    "membership",
    "trainings:list",
    "professionals:apply",
    "resources:self-checks",
    "contact:contact",
]


def footer(html: str) -> str:
    return re.search(r"<footer\b.*?</footer>", html, re.S).group(0)


@pytest.mark.parametrize(
    "page", ["privacy", "terms", "trainings:list", "professionals:apply", "resources:self-checks"]
)
def test_a_visitor_finds_every_public_page_in_the_footer(client, db, page):
    html = client.get(reverse(page)).content.decode()
    links = footer(html)
    for name in PUBLIC_DESTINATIONS:
        assert f'href="{reverse(name)}"' in links, name


def test_the_site_links_appear_once_and_the_header_menu_jumps_to_them(client, db):
    html = client.get(reverse("home")).content.decode()
    assert html.count('aria-label="About the network"') == 1
    assert 'id="site-links"' in footer(html)
    assert 'href="#site-links"' in html.split("</header>")[0]


def test_a_signed_in_officer_has_the_same_footer_links_and_no_menu_jump(client, cast):
    html = sign_in(client, cast.officer).get(reverse("home")).content.decode()
    for name in PUBLIC_DESTINATIONS:
        assert f'href="{reverse(name)}"' in footer(html), name
    assert 'href="#site-links"' not in html  # the header has the signed-in menu instead
