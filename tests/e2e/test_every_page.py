"""Every page of the product, for every role, in a phone-sized and a desktop Chromium, in the
light theme and the dark one.

The pages are not listed by hand: the URL resolver is walked and each role opens every page the
authorization matrix (tests/*/authorization.py) expects it to open with a 200, its arguments taken
from the demo network (tests/e2e/demo_urls.py). Every page must have no axe-core violation, valid
HTML (the Nu checker), no request to another host, no console error, no CSP violation, and a first
view (empty cache) within the weight budget. The weights are printed as a table after the run.
The pages people land on when something is refused (the sign-in's too-many-attempts state and a
429) are rendered too, from an address of their own.

Each role signs in once; its phone and desktop contexts share those cookies and run with the HTTP
cache off (DevTools protocol), so every page is weighed as a first view. While one viewport's
page is audited by axe-core, the other viewport loads its page: two renderers, two cores.

Each page is loaded once per viewport and audited by axe-core twice: in the light theme, then in
the dark one (the phone's setting, emulated: the stylesheet's prefers-color-scheme query flips in
place, nothing is fetched again). What depends on the theme is colour, which axe checks; the
HTML, the requests and the layout are the same in both, so they are checked once. Loading every
page again in dark contexts would double the pass's time for no further finding.
"""

import functools
import json
import os
import subprocess
import sys
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import pytest
from allauth.core.internal.ratelimit import parse_rate
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.urls import NoReverseMatch, reverse

from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    ROOT,
    WEIGHT_TABLE,
    WIDE_ON_A_PHONE,
    Server,
    foreign_requests,
    second_factor,
    sign_in,
    start_gunicorn,
    vnu_errors,
    watched_page,
)
from tests.html import Elements
from tests.test_authorization_matrix import EXPECTATIONS, PROJECT_NAMES
from wnwa.accounts.adapter import _longest_wait
from wnwa.context_processors import crisis_lines

# The matrix's roles, played by the demo accounts (seed_demo). The demo network has no admin of a
# second department and no staff member without a second factor: admin_other and
# unverified_staff are left to the matrix test.
ACCOUNTS = {
    "anonymous": None,
    "officer": "officer@demo.test",
    "retiree": "retiree@demo.test",
    "family": "family@demo.test",
    "peer": "peer@demo.test",
    "admin_same": "deptadmin@demo.test",
    "vetter": "vetter@demo.test",
    "trainer": "trainer@demo.test",
    "network_admin": "admin@demo.test",
}
# Routes that answer with a file, not a page: nothing to render, audit or weigh.
DOWNLOADS = {
    "manifest",
    "service-worker",
    "resources:document",
    "professionals:document",
    "departments:roster-export",
    "departments:designation-document",
    "trainings:interest-export",
    "trainings:external-certificate",
}
# Where the demo network differs from the matrix's cast: the cast signs everyone in with a second
# factor, but the demo officer and peer have none, so this page sends them to set one up.
DEMO_REDIRECTS = {
    ("officer", "accounts:two-factor-backup-codes"),
    ("retiree", "accounts:two-factor-backup-codes"),
    ("family", "accounts:two-factor-backup-codes"),
    ("peer", "accounts:two-factor-backup-codes"),
}
# Staff tables that do not yet stack on a phone; the stylesheet rework (branch cleanup-front)
# stacks them. A page listed here that fits fails the test, so the list only shrinks.
KNOWN_WIDE: set[str] = set()

KB = 1024
BUDGET_FIRST_VIEW, BUDGET_REQUESTS, BUDGET_HTML = 30 * KB, 5, 14 * KB

# Phone screenshots for the README, written only when WNWA_SCREENSHOTS names a folder
# (`make screenshots`), so that a test run leaves the working tree alone.
SCREENSHOTS = {
    ("anonymous", "home"): "01-home.png",
    ("anonymous", "account_login"): "02-sign-in.png",
    ("officer", "home"): "03-landing.png",
    ("officer", "peers:directory"): "04-directory.png",
    ("officer", "professionals:directory"): "06-professionals.png",
    ("anonymous", "resources:self-check phq-9"): "07-self-check.png",
    ("anonymous", "trainings:list"): "08-trainings.png",
    ("admin_same", "departments:home"): "09-department-roster.png",
    ("admin_same", "departments:compliance"): "10-compliance.png",
    ("vetter", "professionals:queue"): "11-vetting-queue.png",
}
PEER_CARDS = "05-peer-cards.png"  # the directory again, scrolled to its first cards
PEER_CARDS_DARK = "12-peer-cards-dark.png"  # and once more on a phone set to dark mode

# axe-core started from a timer, so that evaluate() returns at once and axe works while the other
# viewport loads; its answer waits in window.__axe.
START_AXE = """
  window.__axe = new Promise((resolve) => setTimeout(resolve, 0)).then(
    () => axe.run(document, {resultTypes: ['violations']})).then(
    (results) => results.violations.map((violation) => 'axe ' + violation.id + ': '
      + violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(', ')),
    (error) => ['axe could not run: ' + error]);
"""
# One call per page: what the CSP listener caught, how wide the page is, the theme's page colour,
# and axe started.
LOOK_AND_START_AXE = (
    "() => {"
    + START_AXE
    + """  return {csp: window.__cspViolations || [], width: document.documentElement.scrollWidth,
          paper: getComputedStyle(document.body).backgroundColor};
}"""
)
# The same page in the dark theme: whether the page sees the dark setting, its page colour now,
# and axe started again.
DARK_AND_START_AXE = (
    "() => {"
    + START_AXE
    + """  return {dark: matchMedia('(prefers-color-scheme: dark)').matches,
          paper: getComputedStyle(document.body).backgroundColor};
}"""
)


@dataclass
class FirstView:
    """What a first visit to one page costs: requests, and bytes received (headers included)."""

    requests: int
    html: int
    html_unzipped: int
    others: int  # stylesheet, scripts, icon: whitenoise sends them pre-compressed

    @property
    def total(self) -> int:
        return self.html + self.others

    def over_budget(self) -> list[str]:
        over = []
        if self.requests > BUDGET_REQUESTS:
            over.append(f"{self.requests} requests (budget {BUDGET_REQUESTS})")
        if self.html > BUDGET_HTML:
            over.append(f"HTML {self.html} B (budget {BUDGET_HTML})")
        if self.total > BUDGET_FIRST_VIEW:
            over.append(f"first view {self.total} B (budget {BUDGET_FIRST_VIEW})")
        return over


def pages_for(role: str) -> list[str]:
    return [
        name
        for name in PROJECT_NAMES
        if EXPECTATIONS[name][role] == 200
        and name not in DOWNLOADS
        and (role, name) not in DEMO_REDIRECTS
    ]


@pytest.fixture(scope="module")
def paths(server, tmp_path_factory) -> dict[str, dict[str, str]]:
    """Each page's paths, by label: one per set of arguments from the demo network (a page with
    several, like the self-checks, is opened once for each)."""
    output = tmp_path_factory.mktemp("demo-urls") / "arguments.json"
    result = subprocess.run(
        [sys.executable, "-m", "tests.e2e.demo_urls", str(output)],
        cwd=ROOT,
        env=server.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    arguments = json.loads(output.read_text())
    found, missing = {}, set()
    for name in PROJECT_NAMES:
        variants = arguments.get(name, {})
        if isinstance(variants, dict):
            variants = {name: variants}
        else:
            variants = {f"{name} {'/'.join(kwargs.values())}": kwargs for kwargs in variants}
        try:
            found[name] = {label: reverse(name, kwargs=kw) for label, kw in variants.items()}
        except NoReverseMatch:
            missing.add(name)
    wanted = {name for role in ACCOUNTS for name in pages_for(role)}
    assert sorted(wanted & missing) == [], "give them arguments in tests/e2e/demo_urls.py"
    return found


@functools.cache
def icon_bytes(url: str) -> int:
    """What fetching an icon costs. Chromium fetches a page's icon once and keeps it whatever the
    cache setting, so each first view adds the icons its page declares from here."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip, br"})
    with urllib.request.urlopen(request) as response:  # noqa: S310 - our own server
        headers = sum(len(name) + len(value) + 4 for name, value in response.getheaders())
        return len(response.read()) + len("HTTP/1.1 200 OK\r\n") + headers + 2


def signed_in_state(browser, server, email: str | None) -> dict | None:
    """Sign the account in once (password, then a second factor for staff); return its cookies."""
    if email is None:
        return None
    watched = watched_page(browser, PHONE)
    sign_in(watched, server, email)
    if "/account/two-factor/" in watched.page.url:
        second_factor(watched, email)
    state = watched.page.context.storage_state()
    watched.page.context.close()
    return state


@dataclass
class Lane:
    """One viewport of one role: a signed-in context without HTTP cache, auditing page after page.

    `open` loads a page, runs the quick checks and starts axe-core in the page; `finish` collects
    axe's answer. Between the two, the other lane gets on with its own page.
    """

    role: str
    viewport: dict
    watched: object
    server: object
    problems: dict = field(default_factory=dict)
    documents: dict = field(default_factory=dict)
    pending: str | None = None  # the page whose axe answer is awaited
    theme: str = "light"  # and the theme axe is auditing it in
    paper: str = ""  # the light theme's page colour, which the dark theme must change
    console_seen: int = 0
    # A page expected to answer with an error status (a 429) makes Chromium log that status once:
    # the page's own answer, forgiven once; any other failed load is still an error.
    own_status: str | None = None

    @classmethod
    def start(
        cls, browser, server, role: str, viewport: dict, state: dict | None, headers=None
    ) -> "Lane":
        watched = watched_page(browser, viewport, storage_state=state, headers=headers)
        watched.page.context.add_init_script(Axe().axe_script)
        devtools = watched.page.context.new_cdp_session(watched.page)
        devtools.send("Network.enable")
        devtools.send("Network.setCacheDisabled", {"cacheDisabled": True})
        return cls(role=role, viewport=viewport, watched=watched, server=server)

    @property
    def size(self) -> str:
        return "phone" if self.viewport is PHONE else "desktop"

    def note(self, name: str, problems: list[str]) -> None:
        if problems:
            self.problems.setdefault(f"{self.size} {name}", []).extend(problems)

    def open(self, name: str, path: str, *, submit=None, status: int = 200) -> str | None:
        """Load the page at `path` (or, given `submit`, open `path` and weigh the page that
        `submit(page)` posts its way to), run the quick checks and start axe in the light theme;
        return its HTML, or None when it did not answer `status` in place."""
        watched, page = self.watched, self.watched.page
        if submit is not None:
            page.goto(self.server.url + path)
        for events in (watched.requests, watched.responses, watched.console):
            events.clear()
        if submit is None:
            response = page.goto(self.server.url + path)
        else:
            with page.expect_navigation() as navigation:
                submit(page)
            response = navigation.value
        if response.status != status or response.request.redirected_from is not None:
            self.note(name, [f"answered {response.status} at {page.url}"])
            return None
        html = response.text()
        self.own_status = (
            None
            if status == 200
            else "error: Failed to load resource: the server responded with a status of "
            f"{status} ({response.status_text})"
        )
        weight = self.first_view(response, html)
        if self.viewport is PHONE:
            self.screenshot(name)
        facts = page.evaluate(LOOK_AND_START_AXE)
        self.pending, self.theme, self.paper = name, "light", facts["paper"]
        self.console_seen = len(watched.console)
        problems = [
            f"request to another host: {url}" for url in foreign_requests(watched, self.server)
        ]
        problems += self.errors(watched.console)
        problems += [f"CSP violation: {line}" for line in facts["csp"]]
        problems += weight.over_budget()
        if self.viewport is PHONE:
            problems += self.fits_a_phone(name, facts["width"])
            self.documents[name] = html
            WEIGHT_TABLE.append(
                (self.role, name, weight.requests, weight.html, weight.html_unzipped, weight.total)
            )
        self.note(name, problems)
        return html

    def errors(self, console: list[str]) -> list[str]:
        errors = []
        for line in console:
            if line == self.own_status:
                self.own_status = None
            elif line.startswith("error"):
                errors.append(line)
        return errors

    def collect(self) -> None:
        """axe's answer in the current theme, and any console error logged since it started."""
        answer = self.watched.page.evaluate("() => window.__axe")
        errors = self.errors(self.watched.console[self.console_seen :])
        self.note(self.pending, [f"{self.theme}: {line}" for line in answer + errors])
        self.console_seen = len(self.watched.console)

    def flip(self) -> None:
        """Collect the light theme's answer, then show the page as a phone set to dark mode
        would and start axe again."""
        if self.pending is None:
            return
        self.collect()
        self.watched.page.emulate_media(color_scheme="dark")
        if (self.role, self.pending) == ("officer", "peers:directory"):
            self.screenshot_cards(PEER_CARDS_DARK)
        facts = self.watched.page.evaluate(DARK_AND_START_AXE)
        self.theme = "dark"
        if not facts["dark"] or facts["paper"] == self.paper:
            self.note(
                self.pending, [f"the dark theme did not apply (page colour {facts['paper']})"]
            )

    def finish(self) -> None:
        """Collect the answer still awaited, and go back to the light theme for the next page."""
        if self.pending is not None:
            self.collect()
            self.pending = None
        if self.theme == "dark":
            self.watched.page.emulate_media(color_scheme="light")
            self.theme = "light"

    def first_view(self, document, html: str) -> FirstView:
        icons = [
            urljoin(document.url, link["href"])
            for link in Elements(html).find("link")
            if "icon" in (link.get("rel") or "").split()
        ]
        fetched = [r for r in self.watched.responses if r is not document and r.url not in icons]
        sizes = [r.request.sizes() for r in [document, *fetched]]
        received = [size["responseBodySize"] + size["responseHeadersSize"] for size in sizes]
        return FirstView(
            requests=1 + len(fetched) + len(icons),
            html=received[0],
            html_unzipped=len(html.encode()),
            others=sum(received[1:]) + sum(icon_bytes(url) for url in icons),
        )

    def fits_a_phone(self, name: str, width: int) -> list[str]:
        if width > PHONE["width"]:
            WIDE_ON_A_PHONE.append(f"{self.role} {name}: {width} px")
            return [] if name in KNOWN_WIDE else [f"scrolls sideways on a phone ({width} px)"]
        return ["fits a phone now: take it out of KNOWN_WIDE"] if name in KNOWN_WIDE else []

    def screenshot(self, name: str) -> None:
        folder = os.environ.get("WNWA_SCREENSHOTS")
        if not folder or (self.role, name) not in SCREENSHOTS:
            return
        Path(folder).mkdir(parents=True, exist_ok=True)
        page = self.watched.page
        page.screenshot(path=Path(folder) / SCREENSHOTS[(self.role, name)])
        if (self.role, name) == ("officer", "peers:directory"):
            self.screenshot_cards(PEER_CARDS)

    def screenshot_cards(self, file: str) -> None:
        folder = os.environ.get("WNWA_SCREENSHOTS")
        if not folder or self.viewport is not PHONE:
            return
        page = self.watched.page
        page.locator("article.peer-card").first.scroll_into_view_if_needed()
        page.screenshot(path=Path(folder) / file)
        page.evaluate("window.scrollTo(0, 0)")


@pytest.mark.parametrize("role", list(ACCOUNTS))
def test_every_page_a_role_opens_is_accessible_valid_private_and_light(
    role, browser, server, paths, tmp_path
):
    state = signed_in_state(browser, server, ACCOUNTS[role])
    lanes = [Lane.start(browser, server, role, viewport, state) for viewport in (PHONE, DESKTOP)]
    for name in pages_for(role):
        for label, path in paths[name].items():
            for lane in lanes:
                lane.finish()
                lane.open(label, path)
            for lane in lanes:
                lane.flip()
    for lane in lanes:
        lane.finish()
        lane.watched.page.context.close()
    problems = {**lanes[0].problems, **lanes[1].problems}
    for error in vnu_errors(lanes[0].documents, tmp_path):
        problems.setdefault("vnu", []).append(error)
    assert problems == {}, f"{role}: {json.dumps(problems, indent=1)}"


# The refusals below come from this address (TEST-NET-3, documentation only): the sign-in and form
# limits count per address, so nobody else's sign-ins in this run are refused.
REFUSED_ADDRESS = "203.0.113.29"
LOCKED_OUT = ACCOUNTS["officer"]


@pytest.fixture(scope="module")
def behind_a_proxy(server, tmp_path_factory):
    """A second gunicorn on the same demo network and cache, configured as production is behind
    our load balancer (one trusted proxy, so the client is read from X-Forwarded-For). The
    browser plays the balancer and names the client REFUSED_ADDRESS; the limits themselves are
    the production ones, untouched."""
    env = {**server.env, "WNWA_TRUSTED_PROXY_COUNT": "1"}
    log = tmp_path_factory.mktemp("behind-a-proxy") / "gunicorn.log"
    url, process = start_gunicorn(env, log=log, workers=1)
    yield Server(url=url, database=server.database, log=log, env=env)
    process.terminate()
    process.wait(timeout=20)


def _key_limit(rates: str) -> int:
    """ "10/m/ip,5/300s/key" -> 5: how many failed sign-ins one account may have per address."""
    return next(parse_rate(r.strip()).amount for r in rates.split(",") if r.endswith("/key"))


def wrong_password(page) -> None:
    page.get_by_label("Email").fill(LOCKED_OUT)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in", exact=True).click()


def send_the_form_empty(page) -> None:
    page.get_by_role("button", name="Send").click()


def use_up_the_limits(browser, server: Server, headers: dict) -> None:
    """From REFUSED_ADDRESS, as a person guessing would: the failed sign-ins the limit allows
    for the officer, and the contact form sent empty until the refused-posts limit is spent."""
    context = browser.new_context(extra_http_headers=headers, service_workers="block")
    page = context.new_page()
    page.goto(server.url + "/accounts/login/")
    for _ in range(_key_limit(settings.ACCOUNT_RATE_LIMITS["login_failed"])):
        wrong_password(page)
        page.wait_for_load_state()
        assert "did not match" in page.content() or "not correct" in page.content()
    page.goto(server.url + "/contact/")
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    for _ in range(settings.ENQUIRY_FAILED_RATE_LIMIT):
        answer = page.request.post(server.url + "/contact/", form={"csrfmiddlewaretoken": token})
        assert answer.status == 200  # refused for its empty fields, and counted
    context.close()


def test_the_pages_of_a_refusal_say_where_to_turn_in_both_themes(
    browser, server, behind_a_proxy, tmp_path
):
    headers = {"X-Forwarded-For": REFUSED_ADDRESS}
    use_up_the_limits(browser, behind_a_proxy, headers)
    lanes = [
        Lane.start(browser, behind_a_proxy, "anonymous", viewport, None, headers=headers)
        for viewport in (PHONE, DESKTOP)
    ]
    refusals = [
        ("sign-in: too many attempts", "/accounts/login/", wrong_password, 200),
        ("429: the contact form", "/contact/", send_the_form_empty, 429),
    ]
    pages = {}
    for name, path, submit, status in refusals:
        for lane in lanes:
            lane.finish()
            pages[(lane.size, name)] = lane.open(name, path, submit=submit, status=status)
        for lane in lanes:
            lane.flip()
    for lane in lanes:
        lane.finish()
        lane.watched.page.context.close()
    problems = {**lanes[0].problems, **lanes[1].problems}
    for error in vnu_errors(lanes[0].documents, tmp_path):
        problems.setdefault("vnu", []).append(error)
    assert problems == {}, json.dumps(problems, indent=1)

    for (size, name), html in pages.items():
        # Whoever is refused sees the crisis lines, each with its Call link (and Text).
        for line in crisis_lines():
            assert f'href="tel:{line["number"]}"' in html, f"{size} {name}: {line['name']}"
    wait = _longest_wait(settings.ACCOUNT_RATE_LIMITS["login_failed"])
    for size in ("phone", "desktop"):
        html = pages[(size, "sign-in: too many attempts")]
        assert 'id="error-summary"' in html and "Too many failed login attempts" in html
        assert f"Wait {wait}, then try again" in html
        reset = [
            a for a in Elements(html).find("a") if a.get("href") == "/accounts/password/reset/"
        ]
        assert reset, f"{size}: no way to set a new password"

    # The officer refused at that address still signs in from their own.
    officer = watched_page(browser, PHONE)
    sign_in(officer, server, LOCKED_OUT)
    assert "/accounts/login/" not in officer.page.url
    officer.page.context.close()
