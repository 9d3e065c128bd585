"""The self-checks: scored in the browser, never submitted, script from our own origin."""

import pytest
from django.urls import reverse

from resources.selfchecks import SELF_CHECKS
from tests.conftest import sign_in
from tests.html import elements

SLUGS = sorted(SELF_CHECKS)


def submitting_controls(page) -> list[tuple[str, dict]]:
    """Anything in <main> that could send the answers: a form with an action or a method, or a
    control that submits (a <button> without type="button" submits by default)."""
    found = []
    for attrs in page.find("form", in_main=True):
        if "action" in attrs or "method" in attrs:
            found.append(("form", attrs))
    for attrs in page.find("button", in_main=True):
        if (attrs.get("type") or "submit").lower() != "button":
            found.append(("button", attrs))
    for attrs in page.find("input", in_main=True):
        if (attrs.get("type") or "").lower() in {"submit", "image"}:
            found.append(("input", attrs))
    return found


@pytest.mark.parametrize("slug", SLUGS)
def test_a_self_check_page_has_no_form_that_could_submit_the_answers(client, db, slug):
    page = elements(client.get(reverse("resources:self-check", args=[slug])))
    forms = page.find("form", in_main=True)
    assert len(forms) == 1 and "data-self-check" in forms[0]
    assert forms[0].get("autocomplete") == "off"  # the browser does not keep the answers either
    assert submitting_controls(page) == []


@pytest.mark.parametrize("slug", SLUGS)
def test_a_signed_in_officer_gets_the_same_non_submitting_page(client, cast, slug):
    sign_in(client, cast.officer)
    page = elements(client.get(reverse("resources:self-check", args=[slug])))
    assert submitting_controls(page) == []


@pytest.mark.parametrize("slug", SLUGS)
def test_the_scoring_script_is_served_from_our_origin_under_the_csp(client, db, slug):
    response = client.get(reverse("resources:self-check", args=[slug]))
    page = elements(response)
    sources = [attrs.get("src") for attrs in page.find("script")]
    assert "/static/js/selfcheck.js" in sources
    assert all(src and src.startswith("/static/") for src in sources), sources
    assert page.script_bodies == []  # no inline script at all
    assert not any("style" in attrs for _, attrs, _ in page.elements)  # no inline style
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    script = client.get("/static/js/selfcheck.js")
    assert script.status_code == 200
    body = b"".join(script.streaming_content)
    assert b"preventDefault" in body and b"fetch(" not in body and b"XMLHttpRequest" not in body


def test_the_phq9_has_its_nine_items_and_four_answers(client, db):
    page = elements(client.get(reverse("resources:self-check", args=["phq-9"])))
    radios = [a for a in page.find("input") if a.get("type") == "radio"]
    assert len(page.find("fieldset")) == 9
    assert len(radios) == 9 * 4
    assert {a["value"] for a in radios} == {"0", "1", "2", "3"}
    assert page.find("form")[0]["data-urgent-item"] == "9"


def test_the_pcl5_has_its_twenty_items_and_five_answers(client, db):
    response = client.get(reverse("resources:self-check", args=["pcl-5"]))
    page = elements(response)
    radios = [a for a in page.find("input") if a.get("type") == "radio"]
    assert len(page.find("fieldset")) == 20 and len(radios) == 20 * 5
    assert "superalert" in response.content.decode()


@pytest.mark.parametrize("check", SELF_CHECKS.values(), ids=SLUGS)
def test_score_bands_cover_every_possible_total_exactly_once(check):
    totals = [t for band in check.bands for t in range(band.low, band.high + 1)]
    assert sorted(totals) == list(range(check.max_score + 1))


def test_the_phq9_bands_are_the_published_cut_points():
    bands = [(b.low, b.high) for b in SELF_CHECKS["phq-9"].bands]
    assert bands == [(0, 4), (5, 9), (10, 14), (15, 19), (20, 27)]
    assert [(b.low, b.high) for b in SELF_CHECKS["pcl-5"].bands] == [(0, 30), (31, 80)]


@pytest.mark.parametrize("slug", SLUGS)
def test_without_javascript_the_page_says_so_and_still_shows_where_to_turn(
    client, db, settings, slug
):
    settings.CRISIS_LINES = [{"name": "Test Crisis Line", "number": "1-800-555-0199"}]
    response = client.get(reverse("resources:self-check", args=[slug]))
    html = response.content.decode()
    page = elements(response)
    notice = [a for a in page.find("p") if "data-js-needed" in a]
    assert notice and "hidden" not in notice[0]
    assert "needs JavaScript" in html
    # The score button is hidden until the script shows it; the result area too.
    assert all("hidden" in a for a in page.find("div") if "data-js-only" in a)
    assert 'href="tel:1-800-555-0199"' in html
    assert 'href="tel:911"' in html


def test_an_unknown_self_check_is_not_found(client, db):
    assert client.get(reverse("resources:self-check", args=["gad-7"])).status_code == 404


def test_the_self_check_index_lists_both(client, db):
    html = client.get(reverse("resources:self-checks")).content.decode()
    for slug in SLUGS:
        assert reverse("resources:self-check", args=[slug]) in html
