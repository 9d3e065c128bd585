"""Mixed bounded load on loopback against gunicorn + PostgreSQL + Redis with the demo network.

    bench/load [--seconds 60] [--connections 64] [--workers 3] [--threads 2]
               [--database-url postgres://postgres@127.0.0.1:5432/wnwa_load]
               [--redis-url redis://127.0.0.1:6379/12]

Recreates the database (its name must contain "load"), runs migrate, seed_demo and collectstatic,
starts gunicorn with gunicorn.conf.py and production settings (DEBUG off), and drives sign-ins,
the peer directory (with and without filters), professionals, the officer's pages, trainings and
the public pages at once. Prints requests/s, p50/p99 per kind of page and the errors; exits 1 when
any request failed (non-2xx/3xx, socket error) or a page answered other than 200.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import rig  # noqa: E402


def arguments(description: str, more=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    if more:
        more(parser)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("GUNICORN_WORKERS", 3)))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("GUNICORN_THREADS", 2)))
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", rig.DEFAULT_DATABASE_URL)
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", rig.DEFAULT_REDIS_URL)
    )
    return parser.parse_args()


def main() -> int:
    args = arguments(__doc__.splitlines()[0])
    env = rig.prepare(args.database_url, args.redis_url)
    officer = rig.session_cookie("officer@demo.test")
    server = rig.Server(env, args.workers, args.threads)
    try:
        rig.ensure_pages(server.port, officer)
        cpu_before = server.cpu_seconds()
        load = rig.Load(server, args.connections, args.seconds, officer)
        print(
            f"load: {load.connections} connections for {args.seconds} s ({rig.machine()}) ...",
            flush=True,
        )
        results = load.wait()
        cpu = server.cpu_seconds() - cpu_before
    finally:
        server.stop()
    rig.print_figures(results, args.seconds)
    requests = sum(r.requests for r in results)
    print(
        f"server CPU: {cpu:.1f} s for {requests} requests, {1000 * cpu / max(requests, 1):.1f} ms "
        f"a request on average (sign-ins included); {cpu / args.seconds:.2f} CPUs busy"
    )
    errors = sum(r.errors for r in results)
    wrong = sum(r.not_200 for r in results)
    logged = server.error_lines()
    print(
        f"\nerrors: {errors} (non-2xx/3xx and socket errors); pages not as expected: {wrong}; "
        f"server error log: {len(logged)} lines"
    )
    for line in logged[:20]:
        print("  " + line)
    if errors or wrong or logged:
        print("FAIL: every request must succeed")
        return 1
    print("OK: no errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
