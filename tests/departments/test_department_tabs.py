"""A department admin moves between every page of their department from one row of tabs."""

import re

import pytest
from django.urls import reverse

from tests.conftest import sign_in
from tests.html import squashed

TABS = [
    ("departments:home", "Roster"),
    ("departments:roster-upload", "Upload a roster"),
    ("departments:compliance", "Compliance"),
    ("peers:department", "Peer supporters"),
    ("trainings:external-list", "Trainings elsewhere"),
    ("poster", "Poster"),
]


def tabs(html: str) -> str:
    return re.search(r'<nav class="tabs" aria-label="Department">.*?</nav>', html, re.S).group(0)


@pytest.mark.parametrize("page, label", TABS)
def test_every_department_page_links_to_all_the_others_and_marks_itself(client, cast, page, label):
    html = squashed(sign_in(client, cast.admin_a).get(reverse(page)).content.decode())
    row = tabs(html)
    for name, _ in TABS:
        assert f'href="{reverse(name)}"' in row, name
    assert re.findall(r'aria-current="page">([^<]+)<', row) == [label]


def test_the_roster_page_offers_the_export(client, cast):
    html = sign_in(client, cast.admin_a).get(reverse("departments:home")).content.decode()
    assert f'href="{reverse("departments:roster-export")}" download' in html
