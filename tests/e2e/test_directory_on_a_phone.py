"""The issue's walkthroughs on a phone: an officer filters the directory, sees cards, and the Call
button dials a US number; nothing leaves our server, and nothing of the search stays on it."""

import sqlite3

from tests.e2e.conftest import foreign_requests, sign_in, snapshot_database

OFFICER = "officer@demo.test"


def test_an_officer_finds_a_spanish_speaking_peer_for_grief_and_can_call(phone, server):
    sign_in(phone, server, OFFICER)
    page = phone.page
    page.goto(server.url + "/directory/")
    page.locator("details.filters > summary").click()  # the filters fold away until asked for
    page.get_by_label("Experience").select_option(label="Grief and loss")
    page.get_by_label("Language").select_option(label="Spanish")
    page.get_by_role("button", name="Show peers").click()
    page.wait_for_load_state()
    assert "area=grief" in page.url and "language=Spanish" in page.url
    cards = page.locator("article.peer-card")
    assert cards.count() >= 1
    for index in range(cards.count()):
        card = cards.nth(index)
        assert "Grief and loss" in card.inner_text() and "Spanish" in card.inner_text()
        call = card.get_by_role("link", name="Call")
        assert call.get_attribute("href").startswith("tel:+1")
        assert call.is_visible()
    # A phone-sized page: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert foreign_requests(phone, server) == []


def test_the_first_peers_call_button_is_on_the_first_screen_of_a_phone(phone, server):
    """390 x 844, signed in, straight to the directory as from the home-screen shortcut: the
    first card's Call button ends above the bottom of the screen, with no scrolling."""
    sign_in(phone, server, OFFICER)
    page = phone.page
    for path in ["/directory/", "/directory/?language=Spanish&area=grief"]:
        page.goto(server.url + path)
        call = page.locator("article.peer-card").first.get_by_role("link", name="Call")
        box = call.bounding_box()
        assert page.evaluate("window.scrollY") == 0
        assert box["y"] + box["height"] <= 844, (
            f"{path}: the first Call ends at {box['y'] + box['height']:.0f} px"
        )
        assert "Filters" in page.locator("details.filters > summary").inner_text()


def officer_county(server) -> str:
    with sqlite3.connect(server.database) as connection:
        (county,) = connection.execute(
            "SELECT d.county FROM accounts_user u JOIN departments_department d"
            " ON d.id = u.department_id WHERE u.email = ?",
            [OFFICER],
        ).fetchone()
    return county


def test_done_when_an_officer_in_crisis_calls_an_available_spanish_speaker_and_leaves_no_trace(
    phone, server
):
    """The issue's "done when", as a new user on a phone: sign in, find a Spanish-speaking peer
    in another county who is available now, tap Call; the server keeps nothing of it."""
    before = snapshot_database(server.database)
    log_start = len(server.log_text())
    home_county = officer_county(server)

    sign_in(phone, server, OFFICER)
    page = phone.page
    page.get_by_role("link", name="Find a peer").first.click()
    page.wait_for_load_state()
    page.locator("details.filters > summary").click()
    page.get_by_label("Language").select_option(label="Spanish")
    page.get_by_label("Reachable now").check()
    page.get_by_role("button", name="Show peers").click()
    page.wait_for_load_state()

    cards = page.locator("article.peer-card")
    assert cards.count() >= 1
    elsewhere = None
    for index in range(cards.count()):
        card = cards.nth(index)
        text = card.inner_text()
        assert "Spanish" in text and ("Available now" in text or "Reachable now" in text)
        if f"{home_county} County" not in text and elsewhere is None:
            elsewhere = card
    assert elsewhere is not None, "no available Spanish speaker outside the officer's county"
    peer_name = elsewhere.get_by_role("heading").inner_text()

    call = elsewhere.get_by_role("link", name="Call")
    assert call.get_attribute("href").startswith("tel:+1")
    box = call.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44  # one tap, with a thumb
    requests_before_call = len(phone.requests)
    url = page.url
    call.click(no_wait_after=True)  # the phone's dialler takes over: our server hears nothing
    page.wait_for_timeout(300)
    assert page.url == url
    assert [r for r in phone.requests[requests_before_call:] if r.startswith("http")] == []

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    assert foreign_requests(phone, server) == []
    assert snapshot_database(server.database) == before
    output = server.log_text()[log_start:]
    assert "peers:directory" in output  # the request log is on: it names the page only
    for trace in [OFFICER, "Spanish", "language=", "available=", "/directory/", peer_name, "tel:"]:
        assert trace not in output, f"gunicorn output contains {trace!r}"


def test_a_failed_listing_save_puts_focus_on_a_summary_that_links_to_each_field(phone, server):
    sign_in(phone, server, "peer@demo.test")
    page = phone.page
    page.goto(server.url + "/directory/my-listing/edit/")
    page.get_by_label("Number for calls").fill("12")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    focused = page.evaluate("document.activeElement.id")
    assert focused == "error-summary", f"focus is on {focused!r}"
    summary = page.locator("#error-summary")
    link = summary.get_by_role("link", name="Number for calls")
    assert link.get_attribute("href") == "#id_call_number"
    link.click()
    assert page.evaluate("document.activeElement.id") == "id_call_number"
    assert page.evaluate("window.__cspViolations") == []
