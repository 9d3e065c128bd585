"""Browser tests: Debian's Chromium, driven by Playwright, against a real gunicorn.

The server runs as in production (debug off, whitenoise, gunicorn with its own config) on a fresh
SQLite file loaded with the demo data, so the tests see what an officer would, and the privacy
tests can read gunicorn's own output.
"""

import json
import os
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django_otp.oath import TOTP

from portal.management.commands.seed_demo import demo_backup_codes, demo_key
from tests.environment import clean_environment

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = os.environ.get("WNWA_CHROMIUM", "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Browser tests talk to their own server process; the Django test database is not used.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@dataclass
class Server:
    url: str
    database: Path
    log: Path
    env: dict

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(env: dict, *, log: Path, workers: int) -> tuple[str, subprocess.Popen]:
    """gunicorn with the demo network's `env` on a free port, once it answers; its address and
    its process (the caller stops it)."""
    port = _free_port()
    url = f"http://localhost:{port}"
    # The address it serves, which passkeys take as their relying party and origin (WebAuthn
    # refuses an IP address) and emails their links from.
    env = {**env, "WNWA_SITE_URL": url}
    log.write_text("")
    with log.open("a") as output:  # appending: the task worker writes to the same log
        process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
                "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "wnwa.wsgi",
            ],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/privacy/", timeout=2)  # noqa: S310 - our own server
            return url, process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start:\n{log.read_text()}") from None
            time.sleep(0.2)  # polling for the server to come up, not timing a result


def _manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _flush_redis(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except redis.exceptions.ConnectionError:
        pytest.fail(f"the browser tests need Redis at {url} (set WNWA_E2E_REDIS_URL)")


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """gunicorn on a free port with the demo network; yields its address and its log file."""
    workdir = tmp_path_factory.mktemp("server")
    env = clean_environment(
        DJANGO_SETTINGS_MODULE="wnwa.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="localhost,127.0.0.1",
        DATABASE_URL=f"sqlite:///{workdir / 'e2e.sqlite3'}",
        EMAIL_URL="console://",
        WNWA_SSL_REDIRECT="0",
        WNWA_HSTS_SECONDS="0",
        WNWA_STATIC_ROOT=str(workdir / "static"),
        WNWA_PRIVATE_MEDIA_ROOT=str(workdir / "private"),
        WNWA_REQUEST_LOG_LEVEL="INFO",
        # As in production: the cache (rate limits, the sign-out deny list) shared by both
        # workers. Local memory would give each worker its own.
        REDIS_URL=os.environ.get("WNWA_E2E_REDIS_URL", "redis://127.0.0.1:6379/14"),
    )
    _flush_redis(env["REDIS_URL"])
    _manage(env, "migrate", "--no-input", "-v", "0")
    _manage(env, "seed_demo")
    _manage(env, "collectstatic", "--no-input", "-v", "0")
    log = workdir / "gunicorn.log"
    url, process = start_gunicorn(env, log=log, workers=2)
    # The task worker beside the server, as `make run` and production run one: it sends what
    # the pages queue (its console emails land in the same log, where tests read the links).
    with log.open("a") as output:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--interval", "0.2"],
            cwd=ROOT,
            env={**env, "WNWA_SITE_URL": url, "PYTHONUNBUFFERED": "1"},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    yield Server(url=url, database=workdir / "e2e.sqlite3", log=log, env=env)
    for child in (worker, process):
        child.terminate()
        child.wait(timeout=20)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@dataclass
class Watched:
    """A page plus everything it did: requests, responses, console messages and CSP violations."""

    page: object
    requests: list
    console: list
    violations: list
    responses: list = field(default_factory=list)


CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""


def watched_page(
    browser, viewport: dict, storage_state: dict | None = None, headers: dict | None = None
) -> Watched:
    """A fresh context at `viewport` (signed in when given another context's storage state),
    sending `headers` with every request when given."""
    context = browser.new_context(
        viewport=viewport,
        is_mobile=viewport is PHONE,
        has_touch=viewport is PHONE,
        storage_state=storage_state,
        extra_http_headers=headers,
        # The site's service worker would fetch the offline page beside each page measured; its
        # own test (test_offline.py) lets it run.
        service_workers="block",
    )
    page = context.new_page()
    page.add_init_script(CSP_LISTENER)
    watched = Watched(page=page, requests=[], console=[], violations=[])
    page.on("request", lambda request: watched.requests.append(request.url))
    page.on("response", lambda response: watched.responses.append(response))
    page.on("console", lambda message: watched.console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: watched.console.append(f"error: uncaught {error}"))
    return watched


@pytest.fixture
def phone(browser):
    watched = watched_page(browser, PHONE)
    yield watched
    watched.page.context.close()


@pytest.fixture
def desktop(browser):
    watched = watched_page(browser, DESKTOP)
    yield watched
    watched.page.context.close()


def csp_violations(watched: Watched) -> list[str]:
    return watched.page.evaluate("window.__cspViolations || []")


def foreign_requests(watched: Watched, server: Server) -> list[str]:
    """Every http(s) request the page made to a host other than our server."""
    ours = urlsplit(server.url).netloc
    return [
        url
        for url in watched.requests
        if urlsplit(url).scheme in {"http", "https"} and urlsplit(url).netloc != ours
    ]


def worker_done(path: Path) -> None:
    """Wait (up to a minute) until the task worker has done what earlier steps queued: their
    emails are in the log, and its writes are behind us."""
    deadline = time.monotonic() + 60
    while True:
        with sqlite3.connect(path) as connection:
            (waiting,) = connection.execute(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult"
                " WHERE status IN ('READY', 'RUNNING')"
            ).fetchone()
        if not waiting or time.monotonic() > deadline:
            break
        time.sleep(0.1)  # polling for the worker to finish, not timing a result


def snapshot_database(path: Path) -> dict[str, list]:
    """Every table's rows, once the worker has done what earlier steps queued (so its deletions
    fall outside the window measured)."""
    worker_done(path)
    with sqlite3.connect(path) as connection:
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return {
            table: sorted(map(repr, connection.execute(f'SELECT * FROM "{table}"')))
            for table in tables
        }  # noqa: S608


def sign_in(
    watched: Watched, server: Server, email: str, password: str = "walk-together-2026"
) -> None:
    page = watched.page
    page.goto(server.url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()


# Backup codes handed out so far this session, per account: each works once.
_backup_codes_used: dict[str, int] = {}


def second_factor(watched: Watched, email: str) -> None:
    """Give the demo account's second factor: the current TOTP code, or a backup code when the
    replay guard refuses it (another test already spent this time step's code)."""
    page = watched.page
    totp = TOTP(bytes.fromhex(demo_key(email)), 30, 0, 6, 0)
    page.get_by_label("Code").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    if "/account/two-factor/" in page.url:
        used = _backup_codes_used.get(email, 0)
        _backup_codes_used[email] = used + 1
        page.get_by_label("Code").fill(demo_backup_codes(email)[used])
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()
    assert "/account/two-factor/" not in page.url, f"{email} could not give a second factor"


def vnu_errors(documents: dict[str, str], workdir: Path) -> list[str]:
    """Run the Nu Html Checker once over every document; return its errors, by page."""
    assert VNU.exists(), "vnu.jar is missing: run `make e2e` (it runs npm install first)"
    names = {}
    for index, (name, html) in enumerate(documents.items()):
        path = workdir / f"page{index}.html"
        path.write_text(html)
        names[path.name] = name
    command = ["java", "-jar", str(VNU), "--format", "json", "--errors-only"]
    result = subprocess.run(
        command + [str(workdir / file) for file in names],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [
        f"{names.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))} "
        f"line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") in {"error", "non-document-error"}
    ]


# Filled by tests/e2e/test_every_page.py, printed after the run: the first-view weight of every
# page, and the pages that scroll sideways on a phone.
WEIGHT_TABLE: list[tuple] = []
WEIGHT_HEADER = ("role", "page", "requests", "HTML", "HTML unzipped", "first view")
WIDE_ON_A_PHONE: list[str] = []


def pytest_terminal_summary(terminalreporter):
    if WEIGHT_TABLE:
        rows = [WEIGHT_HEADER, *sorted(WEIGHT_TABLE)]
        widths = [max(len(str(row[column])) for row in rows) for column in range(len(rows[0]))]
        terminalreporter.section("first view of every page: bytes received, headers included")
        for row in rows:
            cells = [
                str(cell).ljust(width) if index < 2 else str(cell).rjust(width)
                for index, (cell, width) in enumerate(zip(row, widths, strict=True))
            ]
            terminalreporter.write_line("  ".join(cells))
    if WIDE_ON_A_PHONE:
        terminalreporter.section("pages wider than a 390 px phone")
        for line in sorted(set(WIDE_ON_A_PHONE)):
            terminalreporter.write_line(line)
