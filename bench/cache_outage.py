"""Redis goes down under use: officers still sign in, search the directory, and send a form.

    bench/cache_outage [--before 8] [--down 10] [--after 8] [--visitors 4]
                       [--workers 2] [--threads 4] [--database-url postgres://…/wnwa_load]

Starts a Redis server of its own on a free port (the machine's shared Redis is never touched),
prepares the bench database as bench/load does and serves the app with gunicorn. Visitors, each
visit from its own loopback address, sign in with a password, search the directory and send the
contact form. After --before seconds the Redis server gets SIGKILL (pooled connections break
mid-use, new ones are refused); --down seconds later it starts again, empty. Prints, for before,
during and after, the visits, the steps that failed and the sign-in latencies, then what the
server logged. Exits 1 if any step failed: the cache holds only counters (wnwa.lib.cache), so an
outage must cost no page.
"""

import argparse
import http.client
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import rig  # noqa: E402

PHASES = ("before", "during", "after")


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=float, default=8, help="seconds with Redis up")
    parser.add_argument("--down", type=float, default=10, help="seconds with Redis down")
    parser.add_argument("--after", type=float, default=8, help="seconds after it is back")
    parser.add_argument("--visitors", type=int, default=4, help="visits run side by side")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", rig.DEFAULT_DATABASE_URL)
    )
    return parser.parse_args()


class Redis:
    """A redis-server of this script's own, on a free loopback port, keeping nothing on disk."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        if not self.binary:
            sys.exit("redis-server is not installed: apt-get install -y redis-server")
        self.port = rig.free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        import redis

        self.process = subprocess.Popen(  # noqa: S603 - our arguments
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                client.ping()
                return
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        sys.exit("redis-server did not answer within 10 s")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()


class Visits:
    """Visitors signing in, searching and writing, until `stop`; every step's outcome kept."""

    def __init__(self, port: int, visitors: int, stop: threading.Event):
        self.port, self.stop = port, stop
        self.addresses = rig.loopback_addresses()
        self.lock = threading.Lock()
        self.phase = "before"
        self.visits: Counter[str] = Counter()
        self.failures: Counter[tuple[str, str, str]] = Counter()  # (phase, step, what)
        self.sign_ins: dict[str, list[float]] = {phase: [] for phase in PHASES}
        self.threads = [
            threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(visitors)
        ]
        for thread in self.threads:
            thread.start()

    def _step(self, phase: str, step: str, answer, ok: bool) -> bool:
        if not ok:
            with self.lock:
                self.failures[(phase, step, str(answer.status))] += 1
        return ok

    def _visit(self, number: int, phase: str) -> None:
        with self.lock:
            address = next(self.addresses)
        browser = rig.Browser(self.port, source=address, timeout=15)
        browser.get("/accounts/login/")
        account = rig.SIGN_IN_ACCOUNTS[number % len(rig.SIGN_IN_ACCOUNTS)]
        answer = browser.post("/accounts/login/", {"login": account, "password": rig.DEMO_PASSWORD})
        signed_in = answer.status == 302 and "login" not in answer.location
        if not self._step(phase, "sign in", answer, signed_in):
            return
        with self.lock:
            self.sign_ins[phase].append(answer.seconds)
        answer = browser.get("/directory/?available=on")
        self._step(phase, "directory", answer, answer.status == 200 and "tel:" in answer.body)
        browser.get("/contact/")
        answer = browser.post(
            "/contact/",
            {
                "name": "Bench Visitor",
                "email": f"visitor{number}@bench.invalid",
                "organisation": "Bench PD",
                "message": "Sent by bench/cache_outage while Redis may be down.",
            },
        )
        self._step(phase, "contact form", answer, answer.status == 302)

    def _run(self, number: int) -> None:
        while not self.stop.is_set():
            phase = self.phase
            try:
                self._visit(number, phase)
            except (OSError, http.client.HTTPException) as error:
                with self.lock:
                    self.failures[(phase, "connection", type(error).__name__)] += 1
            with self.lock:
                self.visits[phase] += 1

    def join(self) -> None:
        for thread in self.threads:
            thread.join()


def milliseconds(values: list[float], share: float) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000:.0f}"


def main() -> int:
    args = arguments()
    redis_server = Redis()
    server = None
    stop = threading.Event()
    try:
        env = rig.prepare(args.database_url, redis_server.url)
        server = rig.Server(env, args.workers, args.threads)
        print(f"Redis of this run: {redis_server.url} (pid {redis_server.process.pid})")
        visits = Visits(server.port, args.visitors, stop)
        time.sleep(args.before)
        visits.phase = "during"
        redis_server.kill()
        print(f"Redis killed (SIGKILL); down for {args.down:g} s", flush=True)
        time.sleep(args.down)
        redis_server.start()
        visits.phase = "after"
        print("Redis started again, empty", flush=True)
        time.sleep(args.after)
        stop.set()
        visits.join()
    finally:
        stop.set()
        if server:
            server.stop()
        redis_server.kill()

    print(f"\n{'phase':<8} {'visits':>6} {'failed steps':>12} {'sign-in p50 ms':>15} {'p99 ms':>7}")
    for phase in PHASES:
        failed = sum(n for (where, *_), n in visits.failures.items() if where == phase)
        times = visits.sign_ins[phase]
        median = f"{statistics.median(times) * 1000:.0f}" if times else "-"
        print(
            f"{phase:<8} {visits.visits[phase]:>6} {failed:>12} {median:>15} "
            f"{milliseconds(times, 0.99):>7}"
        )
    for (phase, step, what), count in sorted(visits.failures.items()):
        print(f"  FAILED {phase}: {step} ({what}) x{count}")
    logged = server.error_lines()
    outages = sum("cache unreachable" in line for line in logged)
    errors = sum("ERROR django.request" in line for line in logged)
    print(f"server log: 'cache unreachable' {outages} times (once per worker), {errors} 500s")
    if visits.failures or errors or not all(visits.visits[phase] for phase in PHASES):
        print("FAIL")
        return 1
    print("OK: no step failed while Redis was down")
    return 0


if __name__ == "__main__":
    sys.exit(main())
