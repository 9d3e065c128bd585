"""Directory throughput against a one-query baseline, on PostgreSQL with seed_scale data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wnwa_bench .venv/bin/python bench/directory.py

Needs `wrk` (apt-get install wrk). Loads the national data set first when it is missing
(seed_scale --departments 18000 --officers 800000 --peers 40000, about a minute), serves the app
with gunicorn (gthread) on loopback, signs a bench officer in (a signed-cookie session), then runs
wrk against: the baseline view, the directory with no filters, and the directory with a name and
two filters. Prints requests/s, p50 and p99 for each, the ratios to the baseline, and the EXPLAIN
ANALYZE plans of the queries a search can run: the name search in SQL (the path without the
in-memory index), the index's one query over listings, and the read of a page's cards. Speed
claims live here, never in tests.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-" + "0123456789abcdef" * 3)
os.environ.setdefault("EMAIL_URL", "console://")
os.environ.setdefault("WNWA_SSL_REDIRECT", "0")
os.environ.setdefault("WNWA_REQUEST_LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from departments.models import Department  # noqa: E402
from peers.models import ExperienceArea, Language, PeerListing  # noqa: E402
from peers.selectors import (  # noqa: E402
    DirectoryFilters,
    DirectoryIndex,
    directory_search,
    page_listings,
)
from wnwa.accounts.models import User  # noqa: E402

PORT = 8765
FILTERED = "?q=oak&area=trauma&language=Spanish"


def parse_wrk(output: str) -> dict[str, float]:
    def ms(text: str) -> float:
        value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        "p99": ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        "non2xx": int(m.group(1)) if (m := re.search(r"Non-2xx.*?(\d+)", output)) else 0,
    }


def wrk(path: str, cookie: str, connections: int, seconds: int) -> dict[str, float]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    command += ["-H", f"Cookie: {cookie}", f"http://127.0.0.1:{PORT}{path}"]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return parse_wrk(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    # One worker by default: wrk keeps its connections open, and the kernel hands each to one
    # worker when it connects, so with two workers a run measured one busy core or two by
    # chance (a baseline of 558 or 1081 req/s in consecutive runs). The ratios compare the cost
    # of a request, which one worker measures steadily.
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the benchmark is about PostgreSQL.")
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    call_command("migrate", verbosity=0)
    if not Department.objects.filter(slug__startswith="scale-").exists():
        call_command("seed_scale")
    department = Department.objects.filter(slug__startswith="scale-", membership_status="active")
    department = department.order_by("pk").first()
    officer, _ = User.objects.get_or_create(
        email="bench.officer@scale.test", defaults={"department": department}
    )
    client = Client()
    client.force_login(officer, backend=settings.AUTHENTICATION_BACKENDS[0])
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    started = time.perf_counter()
    index = DirectoryIndex(today=timezone.localdate())
    print(
        f"directory index: {index.size} listed peers, built in "
        f"{time.perf_counter() - started:.2f}s (each worker builds its own)"
    )
    print(
        f"data: {Department.objects.count()} departments, {User.objects.count()} people, "
        f"{PeerListing.objects.count()} listings, "
        f"{directory_search(filters=DirectoryFilters(), own_department_id=department.pk).count()}"
        " shown to the bench officer"
    )
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "gunicorn", "wnwa.wsgi", "--bind", f"127.0.0.1:{PORT}",
         "--worker-class", "gthread", "--workers", str(args.workers), "--threads",
         str(args.threads), "--log-level", "error", "--chdir", str(ROOT),
         # No worker recycling: every page is measured in the steady state, none pays for a
         # worker's start (gunicorn.conf.py recycles every ~5000 requests in production).
         "--max-requests", "0"],
        # A connection per thread, and one for the directory index's background rebuild.
        env={**os.environ, "DATABASE_POOL_MAX": str(args.threads + 1)},
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/privacy/", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        print(f"gunicorn gthread: {args.workers} workers x {args.threads} threads")
        saturate = args.workers * args.threads * 2
        pages = {
            "baseline (1 pk query)": "/bench/baseline/",
            "directory, no filters": "/directory/",
            "directory, name + 2 filters": f"/directory/{FILTERED}",
        }
        results = {}
        for label, path in pages.items():
            wrk(path, cookie, saturate, 5)  # warm up: each worker builds its index, renders cards
            results[label] = wrk(path, cookie, saturate, args.seconds)
        base = results["baseline (1 pk query)"]["rps"]
        print(f"\n{saturate} connections, {args.seconds}s each")
        print(f"{'page':32} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6} {'non-2xx':>7}")
        for label, r in results.items():
            print(
                f"{label:32} {r['rps']:8.1f} {r['p50']:8.1f} {r['p99']:8.1f} "
                f"{r['rps'] / base:6.2f} {r['non2xx']:7d}"
            )
        half = max(1, saturate // 4)
        print(f"\nat about half of saturation ({half} connections):")
        for label, path in list(pages.items())[1:]:
            r = wrk(path, cookie, half, args.seconds)
            print(f"{label:32} {r['rps']:8.1f} {r['p50']:8.1f} {r['p99']:8.1f}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    filters = DirectoryFilters(
        q="oak",
        area=ExperienceArea.objects.get(slug="trauma"),
        language=Language.objects.get(name="Spanish"),
    )
    today, now = timezone.localdate(), timezone.now()
    with override_settings(PEERS_DIRECTORY_MEMO_SECONDS=0):
        sql_search = directory_search(filters=filters, own_department_id=department.pk)[:20]
    found = index.search(filters=filters, own_department_id=department.pk, now=now)
    page_ids = [listing.pk for listing in found[:20]]
    plans = {
        "the name search, with a name and two filters, in SQL (the path without the index, "
        "WNWA_DIRECTORY_MEMO_SECONDS=0)": sql_search.explain(analyze=True),
        "the directory index's one query over listings (each process, at each change)": (
            DirectoryIndex.rows(today=today, now=now).explain(analyze=True)
        ),
        "a page's cards, read only until each is rendered once per index": (
            page_listings(ids=page_ids, today=today, now=now).explain(analyze=True)
        ),
    }
    for label, plan in plans.items():
        print(f"\nEXPLAIN ANALYZE, {label}:")
        print(plan)
    scans = [label for label, plan in plans.items() if "Seq Scan on accounts_user" in plan]
    print(f"\nsequential scans of the officer table (accounts_user): {scans or 'none'}")


if __name__ == "__main__":
    main()
