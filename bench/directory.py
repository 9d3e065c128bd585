"""The peer directory at national scale, against a one-query baseline measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wnwa_bench .venv/bin/python bench/directory.py

Needs `wrk` (apt-get install wrk) and a PostgreSQL database of its own: the database's name must
contain `bench`. Loads the national data set when it is missing (seed_scale: 18,000
departments, 800,000 officers, 40,000 listings; about a minute), then, for one gunicorn worker and
for two, runs wrk against the baseline view (an authenticated page with one primary-key query),
the directory with no filters, and the directory with a name and two filters; at saturation (each
page between two baselines, in rounds) and at half of it (at random intervals). Prints requests/s,
p50 and p99, the ratios to the baseline, the number of queries a page runs for results of very
different sizes, and the EXPLAIN ANALYZE plan of every query the two directory pages run. Speed
claims live here, never in tests.
"""

import argparse
import math
import os
import re
import shutil
import signal
import statistics
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
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from departments.models import Department  # noqa: E402
from peers.models import PeerListing  # noqa: E402
from peers.services import directory_shuffle  # noqa: E402
from wnwa.accounts.models import User  # noqa: E402

PORT = 8765
HALF_SAMPLES = 500
UNFILTERED = "/directory/"
FILTERED = "/directory/?q=oak&area=trauma&language=Spanish"
# Searches whose results differ in size by orders of magnitude: the page's query count must not.
SIZES = [
    "/directory/?q=zzzz-nobody",
    "/directory/?q=oak&area=trauma&language=Spanish&gender=woman",
    "/directory/?q=oak&area=trauma&language=Spanish",
    "/directory/?area=trauma&state=IL",
    "/directory/",
    "/directory/?page=40",
]


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


def wrk(
    path: str, cookie: str, connections: int, seconds: int, *, rate: float = 0
) -> dict[str, float]:
    """wrk against `path`; with `rate`, each connection pauses between its requests so that
    together they offer about `rate` requests a second (wrk's Lua `delay`).

    The pauses are drawn at random (exponentially, as independent callers arrive), not one fixed
    length: with a fixed pause every connection sends at the same instant, waits the same time
    and sends again together, so "half of saturation" would be bursts of full saturation with
    idle gaps, and the p99 the time to clear a burst."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if rate:
        script = Path(f"/tmp/wnwa-bench-delay-{os.getpid()}.lua")  # noqa: S108 - a bench's scratch file
        mean = connections * 1000 / rate
        script.write_text(
            "math.randomseed(os.time())\n"
            f"function delay() return -{mean:.1f} * math.log(1 - math.random()) end\n"
        )
        command += ["-s", str(script)]
    command += ["-H", f"Cookie: {cookie}", f"http://127.0.0.1:{PORT}{path}"]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return parse_wrk(done.stdout)


def serve(workers: int, threads: int, *, cache: bool = True) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "gunicorn", "wnwa.wsgi", "--bind", f"127.0.0.1:{PORT}",
         "--worker-class", "gthread", "--workers", str(workers), "--threads", str(threads),
         "--log-level", "error", "--chdir", str(ROOT),
         # No worker recycling: every page is measured in the steady state.
         "--max-requests", "0"],
        env={**os.environ, "DATABASE_POOL_MAX": str(threads),
             "WNWA_BENCH_NO_CACHE": "0" if cache else "1"},
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/privacy/", timeout=1)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("gunicorn did not start")


def measure(workers: int, threads: int, cookie: str, seconds: int, rounds: int) -> None:
    """Each page `rounds` times over, each measured between two measurements of the baseline,
    so that a machine that slows down or speeds up during the run (a shared virtual machine
    does, by a third within a minute) moves the baseline with the page: a page's ratio in a
    round is to the mean of the baselines just before and just after it. The medians are
    reported, beside every round's own ratio."""
    base_path = "/bench/baseline/"
    pages = {"directory, no filters": UNFILTERED, "directory, name + 2 filters": FILTERED}
    saturate = workers * threads * 2
    baseline: list[dict] = []
    runs: dict[str, list[dict]] = {label: [] for label in pages}
    ratios: dict[str, list[float]] = {label: [] for label in pages}
    halves: dict[str, list[dict]] = {label: [] for label in ["baseline (1 pk query)", *pages]}
    server = serve(workers, threads)
    try:
        for path in [base_path, *pages.values()]:
            wrk(path, cookie, saturate, 3)  # warm up: connections, plans, template caches
        for _ in range(rounds):
            before = wrk(base_path, cookie, saturate, seconds)
            baseline.append(before)
            for label, path in pages.items():
                result = wrk(path, cookie, saturate, seconds)
                after = wrk(base_path, cookie, saturate, seconds)
                baseline.append(after)
                runs[label].append(result)
                ratios[label].append(result["rps"] / ((before["rps"] + after["rps"]) / 2))
                before = after
        # Half of saturation: an offered rate of half the requests/s each page managed above,
        # in rounds long enough for HALF_SAMPLES requests each: a p99 of fewer is its second or
        # third slowest request, one hiccup of the machine.
        paths = {"baseline (1 pk query)": base_path, **pages}
        managed = {"baseline (1 pk query)": baseline, **runs}
        for _ in range(rounds):
            for label, path in paths.items():
                rate = statistics.median(r["rps"] for r in managed[label]) / 2
                long_enough = max(seconds, math.ceil(HALF_SAMPLES / rate))
                halves[label].append(wrk(path, cookie, saturate, long_enough, rate=rate))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    # The simple design beside it: the same queries, every card rendered on every request,
    # measured between two baselines as above.
    server = serve(workers, threads, cache=False)
    try:
        for label, path in pages.items():
            wrk(path, cookie, saturate, 3)
            before = wrk(base_path, cookie, saturate, seconds)
            result = wrk(path, cookie, saturate, seconds)
            after = wrk(base_path, cookie, saturate, seconds)
            runs[f"{label}, no cache"] = [result]
            ratios[f"{label}, no cache"] = [result["rps"] / ((before["rps"] + after["rps"]) / 2)]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print(f"\ngunicorn gthread, {workers} worker(s) x {threads} threads")
    print(f"saturation ({saturate} connections, {rounds} rounds of {seconds}s; medians):")
    print(
        f"  {'page':40} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'ratio':>6} {'non-2xx':>7}"
        "  ratio in each round"
    )
    for label, results in {"baseline (1 pk query)": baseline, **runs}.items():
        each = ratios.get(label, [1.0])
        print(
            f"  {label:40} {statistics.median(r['rps'] for r in results):8.1f} "
            f"{statistics.median(r['p50'] for r in results):7.1f} "
            f"{statistics.median(r['p99'] for r in results):7.1f} "
            f"{statistics.median(each):6.2f} {sum(r['non2xx'] for r in results):7d}  "
            + " ".join(f"{ratio:.2f}" for ratio in each)
        )
    print(
        "half of saturation (each page offered half the requests/s it managed at saturation, at"
        f" random intervals, at least {HALF_SAMPLES} requests a round; medians, then each round's"
        " p99):"
    )
    for label, results in halves.items():
        print(
            f"  {label:40} {statistics.median(r['rps'] for r in results):8.1f} "
            f"{statistics.median(r['p50'] for r in results):7.1f} "
            f"{statistics.median(r['p99'] for r in results):7.1f}  "
            + " ".join(f"{r['p99']:.0f}" for r in results)
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=4, help="each measurement's length")
    parser.add_argument("--rounds", type=int, default=3, help="measurements of each page")
    parser.add_argument("--workers", default="1,2", help="worker counts to run, e.g. 1,2")
    # gunicorn.conf.py's: production's threads per worker. (Four, as this ran before, only
    # measured the four contending for one interpreter lock: every page slower, the same ratios.)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the benchmark is about PostgreSQL.")
    if "bench" not in database["NAME"]:
        sys.exit("The database's name must contain 'bench': the benchmark loads data into it.")
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    call_command("migrate", verbosity=0)
    if not Department.objects.filter(slug__startswith="scale-").exists():
        call_command("seed_scale")
    directory_shuffle()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would have, once the load settles
    department = Department.objects.filter(slug__startswith="scale-", membership_status="active")
    department = department.order_by("pk").first()
    officer, _ = User.objects.get_or_create(
        email="bench.officer@scale.test", defaults={"department": department}
    )
    client = Client()
    client.force_login(officer, backend=settings.AUTHENTICATION_BACKENDS[0])
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    load = os.getloadavg()
    print(
        f"data: {Department.objects.count()} departments, {User.objects.count()} people, "
        f"{PeerListing.objects.count()} listings "
        f"({PeerListing.objects.filter(listable=True).count()} listable); "
        f"machine: {os.cpu_count()} cores, load average {load[0]:.2f} at the start"
    )

    setup_test_environment()  # the test client then keeps each response's context
    print("\nqueries per directory page, for results of very different sizes:")
    for path in SIZES:
        client.get(path)  # once first: a card not yet kept costs three queries, once
        with CaptureQueriesContext(connection) as queries:
            page = client.get(path).context["page"]
        shown = f"{page.count}" if not page.count_is_capped else "more than 200"
        print(f"  {len(queries):3d} queries  {shown:>13} found  {path}")

    for workers in [int(n) for n in args.workers.split(",")]:
        measure(workers, args.threads, cookie, args.seconds, args.rounds)

    for label, path in [("no filters", UNFILTERED), ("a name and two filters", FILTERED)]:
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        print(f"\nEXPLAIN ANALYZE of every query the directory page runs, {label} ({path}):")
        seq_scans = []
        with connection.cursor() as cursor:
            for number, query in enumerate(queries.captured_queries, 1):
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
                print(f"\n-- {number}. {query['sql'][:160]}…\n{plan}")
                if "Seq Scan on accounts_user" in plan:
                    seq_scans.append(number)
        print(f"\nsequential scans of the officer table (accounts_user): {seq_scans or 'none'}")


if __name__ == "__main__":
    main()
