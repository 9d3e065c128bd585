"""Network admins keep staff accounts from a phone: the landing page's work list, an invitation,
the account page and the confirmation before a second factor is reset; nothing scrolls sideways."""

from tests.e2e.conftest import second_factor, sign_in

ADMIN = "admin@demo.test"


def fits(watched) -> bool:
    return watched.page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_network_admin_invites_a_vetter_and_reaches_the_reset_on_a_phone(phone, server, tmp_path):
    sign_in(phone, server, ADMIN)
    second_factor(phone, ADMIN)
    page = phone.page
    page.goto(server.url + "/")
    assert page.get_by_role("heading", name="The network: to do").is_visible()
    assert fits(phone)
    page.screenshot(path=tmp_path / "landing.png", full_page=True)

    page.goto(server.url + "/staff/invite/")
    page.get_by_label("Work email").fill("phone.invite@demo.test")
    page.get_by_label("First name").fill("Robin")
    page.get_by_label("Last name").fill("Asante")
    page.get_by_label("Role").select_option("is_vetter")
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_load_state()
    assert "/staff/accounts/" in page.url
    assert page.get_by_text("Invitation sent to phone.invite@demo.test").is_visible()
    assert fits(phone)
    page.screenshot(path=tmp_path / "account.png", full_page=True)

    page.get_by_role("link", name="Reset the second factor").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Reset the second factor").is_visible()
    assert fits(phone)
    page.screenshot(path=tmp_path / "reset.png", full_page=True)

    page.goto(server.url + "/staff/records/")
    assert page.get_by_text("Invited: vetter").is_visible()
    assert fits(phone)
    page.screenshot(path=tmp_path / "records.png", full_page=True)
