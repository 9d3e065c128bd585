"""The demo officer on a phone: sign in, crisis strip, landing page; nothing leaves our origin,
nothing is written, and gunicorn's own output names no one."""

from tests.e2e.conftest import csp_violations, foreign_requests, sign_in, snapshot_database

OFFICER = "officer@demo.test"


def test_officer_signs_in_on_a_phone_and_sees_the_crisis_strip_and_landing(phone, server):
    sign_in(phone, server, OFFICER)
    page = phone.page
    assert page.url.rstrip("/") == server.url
    strip = page.get_by_role("complementary", name="Crisis lines")
    assert strip.is_visible()
    assert strip.get_by_role("link", name="988").first.get_attribute("href") == "tel:988"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Hello")
    # The layout fits a phone: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_no_request_leaves_our_server_and_the_csp_holds(phone, server):
    responses = []
    phone.page.on("response", lambda response: responses.append(response))
    sign_in(phone, server, OFFICER)
    for path in ["/", "/account/", "/privacy/"]:
        phone.page.goto(server.url + path)
    assert foreign_requests(phone, server) == []
    documents = [r for r in responses if r.request.resource_type == "document"]
    assert documents and all(
        "default-src 'none'" in r.headers.get("content-security-policy", "") for r in documents
    )
    assert all(r.headers.get("referrer-policy") == "same-origin" for r in documents)
    assert csp_violations(phone) == []
    assert [
        line
        for line in phone.console
        if "Content Security Policy" in line or line.startswith("error")
    ] == []


def test_a_whole_visit_writes_nothing_and_gunicorn_logs_no_one(phone, server):
    before = snapshot_database(server.database)
    log_start = len(server.log_text())
    sign_in(phone, server, OFFICER)
    for path in ["/", "/account/", "/privacy/", "/terms/"]:
        phone.page.goto(server.url + path)
    phone.page.get_by_role("button", name="Sign out").click()
    phone.page.wait_for_load_state()
    assert snapshot_database(server.database) == before
    output = server.log_text()[log_start:]
    assert "account_login" in output  # the request log is on: it just names no one
    user_agent = phone.page.evaluate("navigator.userAgent")
    for secret in [
        OFFICER,
        "/accounts/login/",
        "/account/",
        "/privacy/",
        "127.0.0.1",
        user_agent,
        "csrftoken",
        "sessionid",
    ]:
        assert secret not in output, f"gunicorn output contains {secret!r}"
