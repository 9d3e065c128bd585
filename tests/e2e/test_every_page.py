"""Every page of the product, for every role, in a phone-sized and a desktop Chromium.

The pages are not listed by hand: the URL resolver is walked and each role opens every page the
authorization matrix (tests/*/authorization.py) expects it to open with a 200, its arguments taken
from the demo network (tests/e2e/demo_urls.py). Every page must have no axe-core violation, valid
HTML (the Nu checker), no request to another host, no console error, no CSP violation, and a first
view (empty cache) within the weight budget. The weights are printed as a table after the run.

Each role signs in once; its phone and desktop contexts share those cookies and run with the HTTP
cache off (DevTools protocol), so every page is weighed as a first view. While one viewport's
page is audited by axe-core, the other viewport loads its page: two renderers, two cores.
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
from axe_playwright_python.sync_playwright import Axe
from django.urls import NoReverseMatch, reverse

from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    ROOT,
    WEIGHT_TABLE,
    WIDE_ON_A_PHONE,
    foreign_requests,
    second_factor,
    sign_in,
    vnu_errors,
    watched_page,
)
from tests.html import Elements
from tests.test_authorization_matrix import EXPECTATIONS, PROJECT_NAMES

# The matrix's roles, played by the demo accounts (seed_demo). The demo network has no admin of a
# second department and no staff member without a second factor: admin_other and
# unverified_staff are left to the matrix test.
ACCOUNTS = {
    "anonymous": None,
    "officer": "officer@demo.test",
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

# One call per page: what the CSP listener caught, how wide the page is, and axe-core started from
# a timer, so that evaluate() returns at once and axe works while the other viewport loads.
LOOK_AND_START_AXE = """() => {
  window.__axe = new Promise((resolve) => setTimeout(resolve, 0)).then(
    () => axe.run(document, {resultTypes: ['violations']})).then(
    (results) => results.violations.map((violation) => 'axe ' + violation.id + ': '
      + violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(', ')),
    (error) => ['axe could not run: ' + error]);
  return {csp: window.__cspViolations || [], width: document.documentElement.scrollWidth};
}"""


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
    pending: str | None = None
    console_seen: int = 0

    @classmethod
    def start(cls, browser, server, role: str, viewport: dict, state: dict | None) -> "Lane":
        watched = watched_page(browser, viewport, storage_state=state)
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

    def open(self, name: str, path: str) -> None:
        watched, page = self.watched, self.watched.page
        for events in (watched.requests, watched.responses, watched.console):
            events.clear()
        response = page.goto(self.server.url + path)
        if response.status != 200 or response.request.redirected_from is not None:
            self.note(name, [f"answered {response.status} at {page.url}"])
            return
        html = response.text()
        weight = self.first_view(response, html)
        if self.viewport is PHONE:
            self.screenshot(name)
        facts = page.evaluate(LOOK_AND_START_AXE)
        self.pending, self.console_seen = name, len(watched.console)
        problems = [
            f"request to another host: {url}" for url in foreign_requests(watched, self.server)
        ]
        problems += [line for line in watched.console if line.startswith("error")]
        problems += [f"CSP violation: {line}" for line in facts["csp"]]
        problems += weight.over_budget()
        if self.viewport is PHONE:
            problems += self.fits_a_phone(name, facts["width"])
            self.documents[name] = html
            WEIGHT_TABLE.append(
                (self.role, name, weight.requests, weight.html, weight.html_unzipped, weight.total)
            )
        self.note(name, problems)

    def finish(self) -> None:
        """Collect axe's answer, and any console error logged since the page loaded."""
        if self.pending is not None:
            self.note(self.pending, self.watched.page.evaluate("() => window.__axe"))
            later = self.watched.console[self.console_seen :]
            self.note(self.pending, [line for line in later if line.startswith("error")])
            self.pending = None

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
            page.locator("article.peer-card").first.scroll_into_view_if_needed()
            page.screenshot(path=Path(folder) / PEER_CARDS)
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
        lane.finish()
        lane.watched.page.context.close()
    problems = {**lanes[0].problems, **lanes[1].problems}
    for error in vnu_errors(lanes[0].documents, tmp_path):
        problems.setdefault("vnu", []).append(error)
    assert problems == {}, f"{role}: {json.dumps(problems, indent=1)}"
