"""The test rig shared by `bench/load` and `bench/faults`: a production-like server and its load.

- `prepare()`: a fresh PostgreSQL database with `seed_demo`, static files collected to a temporary
  folder, an empty Redis database, and the same environment for this process and the server.
- `Server`: gunicorn with the project's gunicorn.conf.py on a free loopback port.
- `Load`: the mixed load, 64 connections by default. Reading pages go through `wrk` (one process
  per kind of page, run side by side, so each prints its own latency distribution); sign-ins go
  through Python threads that sign in for real (CSRF token, email, password), each from its own
  loopback address (127.0.x.y) as real officers come from their own addresses, so the production
  rate limits stay exactly as they are and are never hit.
- `Browser`: a small cookie-keeping HTTP client bound to a loopback source address.

Nothing here is a test: the scripts print figures and exit non-zero when a figure is wrong.
"""

import http.client
import itertools
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/wnwa_load"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/12"
DEMO_PASSWORD = "walk-together-2026"  # portal/management/commands/seed_demo.py
SIGN_IN_ACCOUNTS = ["officer@demo.test", "peer@demo.test"]  # the demo accounts without 2FA


# --- The environment ---------------------------------------------------------------------------


def environment(database_url: str, redis_url: str, static_root: str) -> dict[str, str]:
    """Production settings (wnwa.settings, DEBUG off) with the bench's own services."""
    return {
        "DJANGO_SETTINGS_MODULE": "wnwa.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-" + uuid.uuid4().hex * 2,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "EMAIL_URL": "console://",  # the server's stdout goes nowhere
        "WNWA_SSL_REDIRECT": "0",
        "WNWA_SITE_URL": "https://bench.weneverwalkalone.invalid",
        "WNWA_STATIC_ROOT": static_root,
        "WNWA_PRIVATE_MEDIA_ROOT": str(Path(static_root).parent / "private"),
        "WNWA_REQUEST_LOG_LEVEL": "ERROR",
    }


def _database_name(database_url: str) -> str:
    name = urllib.parse.urlsplit(database_url).path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]*(load|bench)[a-z0-9_]*", name):
        sys.exit(
            f"Refusing to drop and recreate {name!r}: the bench's database name must contain "
            "'load' or 'bench' (e.g. wnwa_load)."
        )
    return name


def recreate_database(database_url: str) -> None:
    """Drop and create the bench's database (never any other: see _database_name)."""
    import psycopg
    from psycopg import sql

    name = _database_name(database_url)
    maintenance = urllib.parse.urlsplit(database_url)._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare(database_url: str, redis_url: str) -> dict[str, str]:
    """A fresh database with the demo network, static files, an empty Redis database; returns
    the environment the server must run with (this process runs Django with it too)."""
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")
    work = tempfile.mkdtemp(prefix="wnwa-bench-")
    env = environment(database_url, redis_url, str(Path(work) / "static"))
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    recreate_database(database_url)
    import redis

    redis.Redis.from_url(redis_url).flushdb()  # old rate-limit counters of an earlier run

    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 - the secrets it prints
    call_command("collectstatic", "--no-input", verbosity=0)
    print(
        f"prepared {_database_name(database_url)}: migrate, seed_demo, collectstatic "
        f"in {time.perf_counter() - started:.1f} s; Redis {redis_url} emptied"
    )
    return env


def session_cookie(email: str, *, second_factor: bool = False) -> str:
    """A signed-cookie session for `email`, as the sign-in page would give it (pre-signed, so
    browsing under load does not need one sign-in per request)."""
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from wnwa.accounts.models import User

    user = User.objects.get(email=email)
    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[0])
    session = client.session
    if second_factor:
        session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get(confirmed=True).persistent_id
        session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


# --- The server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn with gunicorn.conf.py (gthread workers when threads > 1), on loopback."""

    def __init__(self, env: dict[str, str], workers: int, threads: int, port: int | None = None):
        self.port = port or free_port()
        self.workers, self.threads = workers, threads
        self.log = tempfile.NamedTemporaryFile(prefix="wnwa-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603 - our interpreter, our arguments
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wnwa.wsgi"],
            cwd=ROOT,
            env={
                **os.environ,
                **env,
                "GUNICORN_BIND": f"127.0.0.1:{self.port}",
                "GUNICORN_WORKERS": str(workers),
                "GUNICORN_THREADS": str(threads),
            },
            stdout=subprocess.DEVNULL,  # console emails
            stderr=self.log,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited at start; see {self.log.name}")
            try:
                if Browser(self.port).get("/privacy/").status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            self.stop()
            sys.exit("gunicorn did not answer within 30 s")
        print(
            f"gunicorn (gunicorn.conf.py): {workers} workers x {threads} threads "
            f"({'gthread' if threads > 1 else 'sync'}) on 127.0.0.1:{self.port}, "
            f"PostgreSQL pool up to {os.environ.get('DATABASE_POOL_MAX', '10')} per worker"
        )

    def worker_pids(self) -> list[int]:
        """The master's children, read from /proc."""
        children = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    children.append(int(entry.name))
        return sorted(children)

    def cpu_seconds(self) -> float:
        """CPU time of the master and its workers so far (user + system, with reaped children):
        the server's cost, whatever else the machine is doing."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in [self.process.pid, *self.worker_pids()]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
        return total / ticks

    def error_lines(self) -> list[str]:
        return [line for line in Path(self.log.name).read_text().splitlines() if line.strip()]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


# --- An HTTP client ----------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    location: str
    body: str
    seconds: float
    raw: bytes = b""


class Browser:
    """Keeps cookies, sends the CSRF token as Django's header, follows no redirects. Bound to a
    loopback source address so that each simulated person has their own address."""

    def __init__(self, port: int, source: str | None = None, cookie: str = "", timeout=30.0):
        self.port, self.source, self.timeout = port, source, timeout
        self.cookies: dict[str, str] = dict(
            part.strip().split("=", 1) for part in cookie.split(";") if "=" in part
        )

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str = ""):
        headers = {"Host": "127.0.0.1", "User-Agent": "wnwa-bench"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            headers["Content-Type"] = content_type or "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(
            "127.0.0.1",
            self.port,
            timeout=self.timeout,
            source_address=(self.source, 0) if self.source else None,
        )
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            raw = response.read()
            text = raw.decode("utf-8", "replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        seconds = time.perf_counter() - started
        return Answer(response.status, response.getheader("Location", ""), text, seconds, raw)

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, data: dict[str, str]) -> Answer:
        return self.request("POST", path, urllib.parse.urlencode(data).encode())

    def post_file(self, path: str, field_name: str, file_name: str, content: bytes) -> Answer:
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{field_name}"; '
                f'filename="{file_name}"\r\nContent-Type: text/csv\r\n\r\n'
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.request("POST", path, body, f"multipart/form-data; boundary={boundary}")


def loopback_addresses():
    """127.0.1.1 … 127.0.250.250, round and round: one address per simulated person."""
    return itertools.cycle(f"127.0.{a}.{b}" for a in range(1, 251) for b in range(1, 251))


# --- The load ----------------------------------------------------------------------------------

# Reading pages: (label, signed in?, share of the connections, paths taken in turn).
PAGES = [
    ("directory", True, 10, ["/directory/", "/directory/?page=2"]),
    (
        "directory + filters",
        True,
        14,
        [
            "/directory/?area=trauma&language=Spanish&available=1&q=bravo",
            "/directory/?state=IL&county=Cook",
            "/directory/?gender=female&area=trauma",
            "/directory/?q=oak&include_own=on",
            "/directory/?available=1&page=2",
        ],
    ),
    (
        "professionals + filters",
        True,
        10,
        [
            "/professionals/",
            "/professionals/?state=IL&insurance=bcbs",
            "/professionals/?always=on&page=2",
            "/professionals/?specialty=trauma-ptsd&language=english",
        ],
    ),
    ("officer home, resources", True, 6, ["/", "/resources/", "/self-checks/", "/account/"]),
    ("trainings (public)", False, 8, ["/trainings/"]),
    (
        "public pages",
        False,
        12,
        ["/", "/faq/", "/membership/", "/privacy/", "/terms/", "/contact/", "/trainings/"],
    ),
]
SIGN_IN_SHARE = 4  # of 64 connections: real sign-ins (GET the form, POST the password)
SIGN_IN_LABEL = "sign-in (POST password)"

LUA = """
paths = {%(paths)s}
counter = 0
wrong = 0
threads = {}
function setup(thread) table.insert(threads, thread) end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1], {["Cookie"] = "%(cookie)s"})
end
function response(status, headers, body)
  if status ~= 200 then wrong = wrong + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("wrong") end
  io.write(string.format("NOT200 %%d\\n", total))
end
"""


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


@dataclass
class Figures:
    label: str
    connections: int
    requests: int = 0
    rps: float = 0.0
    p50: float = 0.0
    p99: float = 0.0
    errors: int = 0  # non-2xx/3xx answers and socket errors
    not_200: int = 0  # what the page should have been (a redirect to sign-in counts here)
    detail: str = ""


def parse_wrk(label: str, connections: int, output: str) -> Figures:
    figures = Figures(label, connections)
    figures.requests = int(re.search(r"(\d+) requests in", output).group(1))
    figures.rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    figures.p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    figures.p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        figures.errors += int(match.group(1))
    socket_errors = r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"
    if match := re.search(socket_errors, output):
        figures.errors += sum(map(int, match.groups()))
        figures.detail = match.group(0)
    figures.not_200 = int(re.search(r"NOT200 (\d+)", output).group(1))
    return figures


@dataclass
class SignIns:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    refused: int = 0  # answered, but not signed in (wrong page, rate limited)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Load:
    """Runs the mixed load for `seconds` with `connections` in all, in the background."""

    def __init__(self, server: Server, connections: int, seconds: int, officer_cookie: str):
        self.server, self.seconds = server, seconds
        scale = connections / (sum(share for *_, share, _ in PAGES) + SIGN_IN_SHARE)
        self.sign_in_threads = max(1, round(SIGN_IN_SHARE * scale))
        self.work = Path(tempfile.mkdtemp(prefix="wnwa-wrk-"))
        self.wrk: list[tuple[str, int, subprocess.Popen]] = []
        for index, (label, signed_in, share, paths) in enumerate(PAGES):
            script = self.work / f"page{index}.lua"
            script.write_text(
                LUA
                % {
                    "paths": ", ".join(f'"{path}"' for path in paths),
                    "cookie": officer_cookie if signed_in else "",
                }
            )
            count = max(1, round(share * scale))
            command = [
                "wrk",
                "-t1",
                f"-c{count}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "--latency",
                "-s",
                str(script),
                f"http://127.0.0.1:{server.port}",
            ]
            process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603
            self.wrk.append((label, count, process))
        self.connections = sum(count for _, count, _ in self.wrk) + self.sign_in_threads
        self.sign_ins = SignIns()
        self.addresses = loopback_addresses()
        self.address_lock = threading.Lock()
        self.deadline = time.monotonic() + seconds
        self.started = time.monotonic()
        self.threads = [
            threading.Thread(target=self._sign_in_loop, args=(n,), daemon=True)
            for n in range(self.sign_in_threads)
        ]
        for thread in self.threads:
            thread.start()

    def _sign_in_loop(self, number: int) -> None:
        accounts = itertools.cycle(SIGN_IN_ACCOUNTS[number % 2 :] + SIGN_IN_ACCOUNTS[: number % 2])
        while time.monotonic() < self.deadline:
            with self.address_lock:
                address = next(self.addresses)
            browser = Browser(self.server.port, source=address, timeout=10)
            try:
                form = browser.get("/accounts/login/")
                answer = browser.post(
                    "/accounts/login/", {"login": next(accounts), "password": DEMO_PASSWORD}
                )
            except (OSError, http.client.HTTPException):
                with self.sign_ins.lock:
                    self.sign_ins.errors += 1
                continue
            with self.sign_ins.lock:
                if form.status >= 400 or answer.status >= 400:
                    self.sign_ins.errors += 1
                elif answer.status != 302 or "login" in answer.location:
                    self.sign_ins.refused += 1
                else:
                    self.sign_ins.latencies.append(answer.seconds)

    def wait(self) -> list[Figures]:
        results = []
        for label, count, process in self.wrk:
            output, _ = process.communicate()
            results.append(parse_wrk(label, count, output))
        for thread in self.threads:
            thread.join()
        elapsed = time.monotonic() - self.started
        latencies = sorted(self.sign_ins.latencies)
        signed = Figures(SIGN_IN_LABEL, self.sign_in_threads)
        signed.requests = len(latencies) + self.sign_ins.errors + self.sign_ins.refused
        signed.rps = signed.requests / elapsed
        if latencies:
            signed.p50 = statistics.median(latencies) * 1000
            signed.p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
        signed.errors = self.sign_ins.errors
        signed.not_200 = self.sign_ins.refused + self.sign_ins.errors  # a 302 home is success
        results.insert(0, signed)
        shutil.rmtree(self.work, ignore_errors=True)
        return results


def machine() -> str:
    """The machine's state, printed beside the figures: other work on it slows the server."""
    load1 = os.getloadavg()[0]
    return f"{os.cpu_count()} CPUs, load average {load1:.1f}"


def print_figures(results: list[Figures], seconds: int) -> None:
    total = sum(r.requests for r in results)
    print(f"\nmachine at the end: {machine()}")
    print(
        f"\n{sum(r.connections for r in results)} connections, {seconds} s, {total} requests, "
        f"{total / seconds:.1f} requests/s in all"
    )
    print(
        f"{'page':28} {'conns':>5} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'errors':>6} {'not 200':>7}"
    )
    for r in results:
        print(
            f"{r.label:28} {r.connections:5d} {r.requests:8d} {r.rps:7.1f} {r.p50:8.1f} "
            f"{r.p99:8.1f} {r.errors:6d} {r.not_200:7d}"
        )
    print("(sign-in: 'not 200' counts sign-ins that did not end signed in, redirected home)")
    for r in results:
        if r.errors and r.detail:
            print(f"  {r.label}: {r.detail}")


def ensure_pages(port: int, officer_cookie: str) -> None:
    """Every page of the load answers 200 before the load starts (a redirect to the sign-in page
    would otherwise pass as a 3xx), and a real sign-in works."""
    for label, signed_in, _share, paths in PAGES:
        browser = Browser(port, cookie=officer_cookie if signed_in else "")
        for path in paths:
            status = browser.get(path).status
            if status != 200:
                sys.exit(f"{label}: {path} answered {status}, not 200, before the load")
    browser = Browser(port, source="127.0.0.254")
    browser.get("/accounts/login/")
    answer = browser.post(
        "/accounts/login/", {"login": SIGN_IN_ACCOUNTS[0], "password": DEMO_PASSWORD}
    )
    if answer.status != 302 or "login" in answer.location:
        sys.exit(f"a demo sign-in did not work: {answer.status} {answer.location}")
    if browser.get("/directory/").status != 200:
        sys.exit("signed in, the directory did not open")
