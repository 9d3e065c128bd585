"""Browser tests: Debian's Chromium, driven by Playwright, against a real gunicorn.

The server runs as in production (debug off, whitenoise, gunicorn with its own config) on a fresh
SQLite file loaded with the demo data, so the tests see what an officer would, and the privacy
tests can read gunicorn's own output.
"""

import os
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.environment import clean_environment

ROOT = Path(__file__).resolve().parents[2]
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


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """gunicorn on a free port with the demo network; yields its address and its log file."""
    workdir = tmp_path_factory.mktemp("server")
    port = _free_port()
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
    )
    _manage(env, "migrate", "--no-input", "-v", "0")
    _manage(env, "seed_demo")
    _manage(env, "collectstatic", "--no-input", "-v", "0")
    log = workdir / "gunicorn.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
                "--bind", f"127.0.0.1:{port}", "--workers", "2", "wnwa.wsgi",
            ],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://localhost:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/privacy/", timeout=2)  # noqa: S310 - our own server
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start:\n{log.read_text()}") from None
            time.sleep(0.2)
    yield Server(url=url, database=workdir / "e2e.sqlite3", log=log, env=env)
    process.terminate()
    process.wait(timeout=20)


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
    """A page plus everything it did: requests, console messages and CSP violations."""

    page: object
    requests: list
    console: list
    violations: list


CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""


def watched_page(browser, viewport: dict) -> Watched:
    context = browser.new_context(
        viewport=viewport, is_mobile=viewport is PHONE, has_touch=viewport is PHONE
    )
    page = context.new_page()
    page.add_init_script(CSP_LISTENER)
    requests, console = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    return Watched(page=page, requests=requests, console=console, violations=[])


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


def snapshot_database(path: Path) -> dict[str, list]:
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
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
