"""The self-checks in a real browser: scored on the phone, answers never reach the server, and
help is shown without JavaScript. (Every page's accessibility and HTML validity, public ones
included, is checked in test_every_page.py.)"""

from tests.e2e.conftest import PHONE, csp_violations, sign_in, worker_done

OFFICER = "officer@demo.test"


def test_a_phq9_is_scored_on_the_phone_and_no_request_carries_an_answer(phone, server):
    page = phone.page
    page.goto(server.url + "/self-checks/phq-9/")
    page.wait_for_load_state("networkidle")
    worker_done(server.database)  # earlier tests' emails are in the log before it is read
    log_before = server.log_text()
    phone.requests.clear()
    for number in range(1, 10):
        page.locator(f'[data-question="{number}"]').get_by_label("More than half the days").check()
    page.keyboard.press("Enter")  # an implicit submission must go nowhere either
    page.get_by_role("button", name="Show my result").click()
    result = page.locator("[data-result]")
    assert result.is_visible()
    assert "18 out of 27" in result.inner_text()
    assert page.locator("[data-band]:visible").inner_text().startswith("Moderately severe")
    assert page.locator("[data-urgent]").is_visible()  # item 9 answered above zero
    assert page.url == server.url + "/self-checks/phq-9/"
    assert phone.requests == []  # not one request after the page loaded
    assert server.log_text() == log_before
    assert csp_violations(phone) == []


def test_clearing_answers_hides_the_result(phone, server):
    page = phone.page
    page.goto(server.url + "/self-checks/phq-9/")
    page.get_by_role("button", name="Show my result").click()
    assert "9 questions are still unanswered" in page.locator("[data-missing]").inner_text()
    for number in range(1, 10):
        page.locator(f'[data-question="{number}"]').get_by_label("Not at all").check()
    page.get_by_role("button", name="Show my result").click()
    assert page.locator("[data-band]:visible").inner_text().startswith("Minimal")
    assert not page.locator("[data-urgent]").is_visible()
    page.get_by_role("button", name="Clear my answers").click()
    assert not page.locator("[data-result]").is_visible()
    assert page.locator("input:checked").count() == 0


def test_an_officer_at_3am_takes_the_ptsd_check_and_is_pointed_to_help(phone, server):
    sign_in(phone, server, OFFICER)
    page = phone.page
    page.goto(server.url + "/resources/")
    page.get_by_role("link", name="Post-traumatic stress self-check (PCL-5)").click()
    page.wait_for_load_state("networkidle")
    phone.requests.clear()
    for number in range(1, 21):
        page.locator(f'[data-question="{number}"]').get_by_label("Quite a bit").check()
    page.get_by_role("button", name="Show my result").click()
    assert "60 out of 80" in page.locator("[data-result]").inner_text()
    assert page.locator("[data-band]:visible").inner_text().startswith("At or above")
    turn = page.get_by_role("region", name="Where to turn")
    assert turn.get_by_role("link", name="988").first.get_attribute("href") == "tel:988"
    assert page.get_by_role("complementary", name="Crisis lines").is_visible()
    assert phone.requests == []


def test_without_javascript_the_page_says_so_and_shows_where_to_turn(browser, server):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(server.url + "/self-checks/pcl-5/")
    assert page.get_by_text("needs JavaScript").is_visible()
    assert not page.get_by_role("button", name="Show my result").is_visible()
    turn = page.get_by_role("region", name="Where to turn")
    assert turn.get_by_role("link", name="988").first.is_visible()
    page.locator('[data-question="1"]').get_by_label("Extremely").check()
    page.keyboard.press("Enter")
    assert page.url == server.url + "/self-checks/pcl-5/"  # still nothing sent
    context.close()


def test_resources_open_for_an_officer_with_links_that_send_no_referrer(phone, server):
    sign_in(phone, server, OFFICER)
    phone.page.goto(server.url + "/resources/")
    links = phone.page.locator("main a[href^='http']")
    assert links.count() >= 1
    for index in range(links.count()):
        assert "noreferrer" in links.nth(index).get_attribute("rel")
