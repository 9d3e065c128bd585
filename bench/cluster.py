"""Two app servers behind a proxy, proven on loopback: nothing lives in either server.

    bench/cluster [--database-url postgres://postgres@127.0.0.1:5432/wnwa_bench_cluster]
                  [--redis-url redis://127.0.0.1:6379/13] [--load-threads 3]

Starts, and stops at the end, everything a deployment has (compose.yaml's services, from
Debian's and PyPI's packages): PostgreSQL's database (recreated, with the demo), Redis, a local
S3-compatible store (moto's server), two gunicorn servers (A and B) behind HAProxy (health check
GET /offline/ every 0.5 s; a refused connection is tried on the other server), and the task
worker. A small load (--load-threads officers reading pages through the proxy, no pause) runs
throughout: two cores are shared by all of it. It shows, and prints:

1. a listing paused through A is gone from B's directory on the next request, and back when
   resumed through A;
2. a designation uploaded through A downloads through B byte for byte (the bucket, not a disk);
3. a sign-out through A is refused by B (a copy of the cookie no longer works anywhere);
4. A killed (SIGKILL, mid-load) costs at most the requests in flight, and none once the proxy
   has marked it down; A started again rejoins;
5. a rolling restart of both servers (drain in the proxy, SIGTERM, start, healthy, ready) under
   load costs no request;
6. the worker killed twice mid-way through 2,000 invitations loses none (bench/worker_kill).

Exits 0 only when all hold.
"""

import argparse
import contextlib
import datetime
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import rig, worker_kill  # noqa: E402

BUCKET = "wnwa-cluster"


# --- The services ------------------------------------------------------------------------------


class Store:
    """moto's S3 server, in a process of its own, with the private bucket made."""

    def __init__(self) -> None:
        self.port = rig.free_port()
        self.process = subprocess.Popen(  # noqa: S603 - our interpreter, our arguments
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        import boto3

        deadline = time.monotonic() + 30
        while True:
            try:
                client = boto3.client(
                    "s3",
                    endpoint_url=self.url,
                    region_name="us-east-1",
                    aws_access_key_id="cluster",
                    aws_secret_access_key="cluster",  # noqa: S106 - moto's, on loopback
                )
                client.create_bucket(Bucket=BUCKET)
                break
            except Exception:  # noqa: BLE001 - not listening yet
                if time.monotonic() > deadline:
                    sys.exit("moto's S3 server did not start within 30 s")
                time.sleep(0.3)
        self.client = client

    def environment(self) -> dict[str, str]:
        return {
            "WNWA_STORAGE_URL": f"s3://{BUCKET}?endpoint_url={self.url}&region=us-east-1",
            "AWS_ACCESS_KEY_ID": "cluster",
            "AWS_SECRET_ACCESS_KEY": "cluster",
        }

    def objects(self) -> int:
        return self.client.list_objects_v2(Bucket=BUCKET).get("KeyCount", 0)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


class Proxy:
    """HAProxy in front of A and B, with its runtime socket for drain and state."""

    def __init__(self, work: Path, ports: dict[str, int]) -> None:
        self.port = rig.free_port()
        self.socket = work / "haproxy.sock"
        servers = "\n".join(
            f"    server {name} 127.0.0.1:{port} check" for name, port in ports.items()
        )
        config = work / "haproxy.cfg"
        # No `log` line: HAProxy logs nothing at all (docs/privacy.md, rule 5).
        config.write_text(
            f"""global
    stats socket {self.socket} mode 600 level admin
    maxconn 512
defaults
    mode http
    timeout connect 5s
    timeout client 35s
    timeout server 35s
    timeout check 2s
    retries 2
    option redispatch 1
    retry-on conn-failure empty-response
frontend web
    bind 127.0.0.1:{self.port}
    default_backend app
backend app
    balance roundrobin
    option httpchk
    http-check send meth GET uri /offline/ ver HTTP/1.1 hdr Host 127.0.0.1
    default-server inter 500ms fall 2 rise 2
{servers}
"""
        )
        check = subprocess.run(["haproxy", "-c", "-q", "-f", str(config)], check=False)  # noqa: S603, S607
        if check.returncode:
            sys.exit("haproxy refused its configuration")
        self.process = subprocess.Popen(["haproxy", "-db", "-f", str(config)])  # noqa: S603, S607
        for name in ports:
            self.wait_for(name, "UP")

    def command(self, line: str) -> str:
        with socket.socket(socket.AF_UNIX) as connection:
            connection.connect(str(self.socket))
            connection.sendall(line.encode() + b"\n")
            chunks = []
            while chunk := connection.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def status(self, name: str) -> str:
        for row in self.command("show stat").splitlines():
            fields = row.split(",")
            if len(fields) > 17 and fields[0] == "app" and fields[1] == name:
                return fields[17]  # UP, DOWN, DRAIN, "UP 1/2" while rising ...
        return "?"

    def sessions(self, name: str) -> int:
        for row in self.command("show stat").splitlines():
            fields = row.split(",")
            if len(fields) > 4 and fields[0] == "app" and fields[1] == name:
                return int(fields[4] or 0)  # scur
        return 0

    def wait_for(self, name: str, status: str, timeout: float = 60) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.status(name) == status:
                    return time.monotonic()
            except OSError:
                pass  # the socket is not there yet
            time.sleep(0.05)
        sys.exit(f"server {name} did not become {status} within {timeout:.0f} s")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


# --- The load ----------------------------------------------------------------------------------


class Readers:
    """Officers reading pages through the proxy, one request after another: every answer is
    kept with its time, so each phase counts its own errors."""

    PATHS = ["/directory/", "/privacy/", "/resources/", "/directory/?page=2"]

    def __init__(self, port: int, cookie: str, threads: int) -> None:
        self.port, self.cookie = port, cookie
        self.answers: list[tuple[float, bool]] = []  # (time, ok)
        self.lock = threading.Lock()
        self.running = True
        self.threads = [threading.Thread(target=self.read, args=(n,)) for n in range(threads)]
        for thread in self.threads:
            thread.start()

    def read(self, number: int) -> None:
        browser = rig.Browser(self.port, cookie=self.cookie, timeout=40)
        step = number
        while self.running:
            path = self.PATHS[step % len(self.PATHS)]
            step += 1
            try:
                ok = browser.get(path).status == 200
            except OSError:
                ok = False
            with self.lock:
                self.answers.append((time.monotonic(), ok))

    def between(self, start: float, end: float) -> tuple[int, int]:
        with self.lock:
            window = [ok for at, ok in self.answers if start <= at < end]
        return len(window), window.count(False)

    def stop(self) -> None:
        self.running = False
        for thread in self.threads:
            thread.join()


# --- The checks --------------------------------------------------------------------------------


def multipart(fields: dict[str, str], file_field: str, file_name: str, content: bytes):
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
            f'filename="{file_name}"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def listing_check(a: int, b: int, officer: str) -> tuple[bool, str]:
    from peers.models import PeerListing

    listing = PeerListing.objects.select_related("peer").get(peer__email="peer@demo.test")
    name = (
        f'href="tel:{listing.call_number}"'  # the card's Call link (the search box echoes a name)
    )
    search = f"/directory/?q={urllib.parse.quote(listing.shown_name)}"
    peer = rig.Browser(a, cookie=rig.session_cookie("peer@demo.test"))
    reader = rig.Browser(b, cookie=officer)
    before = name in reader.get(search).body
    peer.get("/directory/my-listing/")  # the CSRF cookie
    until = (datetime.date.today() + datetime.timedelta(days=7)).isoformat()
    pause = peer.post("/directory/my-listing/pause/", {"until": until})
    paused = pause.status == 302 and pause.location.endswith("/directory/my-listing/")
    gone = name not in reader.get(search).body
    resume = peer.post("/directory/my-listing/pause/", {"resume": "1"})
    resumed = resume.status == 302 and resume.location.endswith("/directory/my-listing/")
    back = name in reader.get(search).body
    ok = before and paused and gone and resumed and back
    return ok, (
        f"listed on B {before}; paused through A ({pause.status} to {pause.location}), gone "
        f"from B's next page {gone}; resumed through A ({resume.status}), back on B {back}"
    )


def upload_check(a: int, b: int, store: Store) -> tuple[bool, str]:
    from departments.demo import DEMO_DESIGNATION

    admin = rig.session_cookie("deptadmin@demo.test", second_factor=True)
    through_a = rig.Browser(a, cookie=admin)
    through_a.get("/department/compliance/designation/upload/")  # the CSRF cookie
    # The demo's PDF with random bytes in a comment: a document no earlier run uploaded.
    content = DEMO_DESIGNATION.replace(
        b"%%EOF", b"% " + secrets.token_hex(2048).encode() + b"\n%%EOF"
    )
    objects_before = store.objects()
    body, content_type = multipart(
        {"signed_by": "Chief Drill", "signed_on": datetime.date.today().isoformat()},
        "document",
        "designation.pdf",
        content,
    )
    uploaded = through_a.request(
        "POST", "/department/compliance/designation/upload/", body, content_type
    )
    through_b = rig.Browser(b, cookie=admin)
    download = through_b.get("/department/compliance/designation/")
    same = download.status == 200 and download.raw == content
    in_bucket = store.objects() >= objects_before  # replaced: the old object goes after commit
    ok = uploaded.status == 302 and same and in_bucket
    return ok, (
        f"uploaded through A ({uploaded.status}, {len(content):,} bytes), downloaded through B "
        f"({download.status}, {len(download.raw):,} bytes): byte for byte {same}"
    )


def sign_out_check(a: int, b: int) -> tuple[bool, str]:
    officer = rig.Browser(a)
    officer.get("/accounts/login/")
    signed_in = officer.post(
        "/accounts/login/", {"login": "officer@demo.test", "password": rig.DEMO_PASSWORD}
    )
    copy = "; ".join(f"{key}={value}" for key, value in officer.cookies.items())
    on_b = rig.Browser(b, cookie=copy).get("/account/").status
    signed_out = officer.post("/accounts/logout/", {}).status
    after = rig.Browser(b, cookie=copy).get("/account/")
    refused = after.status == 302 and "/accounts/login/" in after.location
    ok = signed_in.status == 302 and on_b == 200 and signed_out == 302 and refused
    return ok, (
        f"signed in through A, the cookie works on B ({on_b}); signed out through A "
        f"({signed_out}); the same cookie on B: {after.status} to {after.location or '-'}"
    )


def kill(server: rig.Server) -> None:
    for pid in [*server.worker_pids(), server.process.pid]:
        with contextlib.suppress(ProcessLookupError):  # a worker gone with its master
            os.kill(pid, signal.SIGKILL)
    server.process.wait()


# --- The run -----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/wnwa_bench_cluster"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--load-threads", type=int, default=3)
    args = parser.parse_args()
    import shutil

    if not shutil.which("haproxy"):
        sys.exit("haproxy is not installed: apt-get install -y haproxy")
    work = Path(tempfile.mkdtemp(prefix="wnwa-cluster-"))
    results: list[tuple[str, bool, str]] = []
    store = Store()
    os.environ.update(store.environment())
    servers: dict[str, rig.Server] = {}
    proxy = readers = worker = None
    try:
        env = {**rig.prepare(args.database_url, args.redis_url), **store.environment()}
        print(f"store: moto's S3 server on {store.url}, bucket {BUCKET}, {store.objects()} objects")
        for name in ("a", "b"):
            servers[name] = rig.Server(env, workers=1, threads=4)
        ports = {name: server.port for name, server in servers.items()}
        # The worker that sends what the servers queue (the designation's notice to the network
        # admins, say); the drill at the end runs its own, to kill them.
        worker = worker_kill.start_worker(env, subprocess.DEVNULL)
        proxy = Proxy(work, ports)
        print(
            f"proxy: HAProxy on 127.0.0.1:{proxy.port} in front of A {ports['a']}, B {ports['b']}"
        )
        officer = rig.session_cookie("officer@demo.test")
        readers = Readers(proxy.port, officer, args.load_threads)
        time.sleep(2)

        for label, check in (
            ("listing", lambda: listing_check(ports["a"], ports["b"], officer)),
            ("document", lambda: upload_check(ports["a"], ports["b"], store)),
            ("sign-out", lambda: sign_out_check(ports["a"], ports["b"])),
        ):
            ok, text = check()
            results.append((label, ok, text))
            print(f"{'ok  ' if ok else 'FAIL'} {label}: {text}", flush=True)

        # 4. A killed mid-load, marked down, started again.
        time.sleep(2)
        killed = time.monotonic()
        kill(servers["a"])
        down = proxy.wait_for("a", "DOWN")
        time.sleep(3)
        servers["a"] = rig.Server(env, workers=1, threads=4, port=ports["a"])
        up = proxy.wait_for("a", "UP")
        time.sleep(2)
        after_up = time.monotonic()
        sent, failed_in_flight = readers.between(killed, down)
        sent_down, failed_down = readers.between(down, after_up)
        ok = failed_down == 0 and failed_in_flight <= args.load_threads
        text = (
            f"SIGKILL A; marked down {down - killed:.2f} s later: {failed_in_flight} of {sent} "
            f"requests failed meanwhile (at most the {args.load_threads} in flight), "
            f"{failed_down} of {sent_down} after it was marked down; A up again "
            f"{up - down:.1f} s after"
        )
        results.append(("kill", ok, text))
        print(f"{'ok  ' if ok else 'FAIL'} kill: {text}", flush=True)

        # 5. A rolling restart: each server drained, stopped, started, healthy, ready.
        began = time.monotonic()
        for name in ("a", "b"):
            proxy.command(f"set server app/{name} state drain")
            deadline = time.monotonic() + 10
            while proxy.sessions(name) and time.monotonic() < deadline:
                time.sleep(0.05)
            servers[name].stop()
            servers[name] = rig.Server(env, workers=1, threads=4, port=ports[name])
            proxy.command(f"set server app/{name} state ready")
            proxy.wait_for(name, "UP")
        time.sleep(1)
        sent, failed = readers.between(began, time.monotonic())
        ok = failed == 0 and sent > 0
        text = f"both servers restarted one after the other: {failed} of {sent} requests failed"
        results.append(("rolling restart", ok, text))
        print(f"{'ok  ' if ok else 'FAIL'} rolling restart: {text}", flush=True)

        readers.stop()
        total, errors = readers.between(0, time.monotonic())
        print(f"load: {total:,} requests through the proxy in all, {errors} failed")
        readers = None

        # 6. The worker killed mid-way through invitations.
        worker.terminate()  # SIGTERM: it finishes the task in hand
        worker.wait(timeout=30)
        worker = None
        problems = worker_kill.drill(env, invitations=2000, kills=2)
        ok = not problems
        results.append(("worker", ok, "; ".join(problems) or "none lost"))
        print(f"{'ok  ' if ok else 'FAIL'} worker: {'; '.join(problems) or 'none lost'}")
        logged = [line for s in servers.values() for line in s.error_lines()]
        print(f"server error logs: {sum('ERROR' in line for line in logged)} error lines")
    finally:
        if readers is not None:
            readers.stop()
        if proxy is not None:
            proxy.stop()
        if worker is not None:
            worker.kill()
        for server in servers.values():
            server.stop()
        store.stop()
    failed = [label for label, ok, _ in results if not ok]
    if failed or len(results) < 6:
        print(f"FAIL: {', '.join(failed) or 'not every check ran'}")
        return 1
    print(f"OK: all 6 hold ({rig.machine()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
