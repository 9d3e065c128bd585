"""Opened without a connection, the site still shows the crisis lines (the service worker, sw.js).

The server here is a second gunicorn of the demo network that the test stops: with it gone, the
page's request and the worker's own fetches fail for real (Playwright's offline switch alone does
not cut a service worker's fetches).
"""

import urllib.request

import pytest

from tests.e2e.conftest import PHONE, start_gunicorn

pytestmark = pytest.mark.e2e


@pytest.fixture
def second_server(server, tmp_path):
    url, process = start_gunicorn(server.env, log=tmp_path / "gunicorn.log", workers=1)
    yield url, process
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=20)


def test_without_a_connection_the_start_page_shows_the_crisis_lines(browser, second_server):
    url, process = second_server
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(url + "/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    kept = page.evaluate(
        "caches.keys().then(keys => Promise.all(keys.map(k => caches.open(k)"
        ".then(c => c.keys()).then(rs => rs.map(r => new URL(r.url).pathname))))).then(x => x.flat())"
    )
    assert "/offline/" in kept and all(
        path == "/offline/" or path.startswith("/static/") for path in kept
    )

    process.terminate()
    process.wait(timeout=20)
    with pytest.raises(OSError):
        urllib.request.urlopen(url + "/", timeout=2)  # noqa: S310 - the server is really gone

    page.goto(url + "/")  # as when opened from the home screen with no signal
    assert page.get_by_role("heading", level=1).inner_text() == "No connection right now"
    assert page.locator('a[href="tel:988"]').count() >= 1
    page.goto(url + "/directory/")  # any page: never a kept copy of a signed-in one
    assert "No connection right now" in page.content()
    context.close()
