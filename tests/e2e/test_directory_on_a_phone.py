"""The issue's walkthrough on a phone: an officer filters the directory by experience and
language, sees cards, and the Call button dials a US number; nothing leaves our server."""

from tests.e2e.conftest import foreign_requests, sign_in

OFFICER = "officer@demo.test"


def test_an_officer_finds_a_spanish_speaking_peer_for_grief_and_can_call(phone, server):
    sign_in(phone, server, OFFICER)
    page = phone.page
    page.goto(server.url + "/directory/")
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
