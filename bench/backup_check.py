"""`make backup-check`: the README's backup and restore, done for real and compared.

    BACKUP_CHECK_DATABASE_URL=postgres://postgres@127.0.0.1:5432/wnwa_backup_source \
    BACKUP_CHECK_RESTORE_URL=postgres://postgres@127.0.0.1:5432/wnwa_backup_restore \
    .venv/bin/python bench/backup_check.py

1. Recreates the source database, migrates it and loads seed_demo.
2. `pg_dump --format=custom --no-owner` of it, as the README's Backups section says.
3. Recreates the restore database empty and `pg_restore --no-owner --exit-on-error` into it.
4. Compares every table: row count and a checksum of the rows; every sequence's position (so the
   restored site does not reuse ids); and `migrate --check` on the restored database.
5. The bucket: the source site keeps its documents in a private bucket (moto's S3-compatible
   server on loopback, started here), with a document attached to the first records of every
   private file field; the bucket is copied object by object into a backup bucket (what
   `aws s3 sync` does) and from it into an empty restore bucket, and the restored site, on the
   restored database and bucket, must open every file its records name with the source's bytes.
Prints the table and exits 1 on any difference. Both databases are dropped at the end (their
names must contain "backup", "restore", "load" or "bench": they are dropped and recreated).
"""

import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import boto3
import psycopg
from moto.server import ThreadedMotoServer
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
SAFE_WORDS = ("backup", "restore", "load", "bench")


def database_name(url: str) -> str:
    name = urllib.parse.urlsplit(url).path.lstrip("/")
    if not any(word in name for word in SAFE_WORDS):
        sys.exit(
            f"Refusing to drop and recreate {name!r}: its name must contain one of {SAFE_WORDS}"
        )
    return name


def maintenance(url: str) -> str:
    return urllib.parse.urlsplit(url)._replace(path="/postgres").geturl()


def drop(url: str) -> None:
    with psycopg.connect(maintenance(url), autocommit=True) as connection:
        name = sql.Identifier(database_name(url))
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def create(url: str) -> None:
    drop(url)
    with psycopg.connect(maintenance(url), autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database_name(url))))


BUCKET_KEYS = {"AWS_ACCESS_KEY_ID": "backup-check", "AWS_SECRET_ACCESS_KEY": "backup-check"}
BUCKETS = ("wnwa-backup-source", "wnwa-backup-copy", "wnwa-backup-restore")
ENDPOINT = ""  # moto's server, once started by main()

# Run by the source site: a document in every private file field of the first three records.
ATTACH = """
import secrets
from django.core.files.base import ContentFile
from wnwa.lib.storage import private_file_fields
for model, field in private_file_fields():
    for record in model._default_manager.order_by("pk")[:3]:
        content = ContentFile(b"%PDF-1.7\\n" + secrets.token_bytes(2048))
        name = field.storage.save(field.generate_filename(record, "backup-check.pdf"), content)
        changes = {field.name: name, **({"link": ""} if hasattr(record, "link") else {})}
        model._default_manager.filter(pk=record.pk).update(**changes)
"""

# Run by each site: every file its records name, with the SHA-256 of what it opens.
FILES = """
import json
from wnwa.lib.storage import checksum, private_file_fields
found = {}
for model, field in private_file_fields():
    names = model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True)
    for name in names:
        key = f"{model._meta.label}.{field.name}:{name}"
        found[key] = checksum(field.storage, name) if field.storage.exists(name) else None
print(json.dumps(found))
"""


def manage(url: str, *arguments: str, bucket: str = BUCKETS[0], capture: bool = False) -> str:
    env = {
        **os.environ,
        **BUCKET_KEYS,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "1",
        "WNWA_REQUEST_LOG_LEVEL": "ERROR",
        "WNWA_STORAGE_URL": f"s3://{bucket}?endpoint_url={ENDPOINT}&region=us-east-1"
        "&addressing_style=path",
    }
    result = subprocess.run(  # noqa: S603 - our interpreter, our arguments
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,  # seed_demo prints secrets
        text=True,
    )
    return result.stdout or ""


def site_files(url: str, bucket: str) -> dict[str, str | None]:
    # The last line: the shell may say first what it imported.
    output = manage(url, "shell", "-c", FILES, bucket=bucket, capture=True)
    return json.loads(output.strip().splitlines()[-1])


def sync(client, source: str, target: str) -> int:
    """Every object of `source` copied into `target`, as `aws s3 sync` would."""
    copied = 0
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=source):
        for item in page.get("Contents", []):
            client.copy_object(
                Bucket=target, Key=item["Key"], CopySource={"Bucket": source, "Key": item["Key"]}
            )
            copied += 1
    return copied


def contents(url: str) -> tuple[dict[str, tuple[int, str]], dict[str, int]]:
    """{table: (rows, md5 of the rows in a fixed order)}, {sequence: last value}."""
    tables, sequences = {}, {}
    with psycopg.connect(url) as connection:
        names = connection.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
        for (name,) in names:
            query = sql.SQL(
                "SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') "
                "FROM {} AS t"
            ).format(sql.Identifier(name))
            rows, digest = connection.execute(query).fetchone()
            tables[name] = (rows, digest)
        for name, value in connection.execute(
            "SELECT sequencename, coalesce(last_value, 0) FROM pg_sequences "
            "WHERE schemaname = 'public'"
        ):
            sequences[name] = value
    return tables, sequences


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        sys.exit(f"{name} is not installed (the PostgreSQL client tools, the server's version)")
    return path


def main() -> int:
    source = os.environ.get(
        "BACKUP_CHECK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wnwa_backup_source"
    )
    restore = os.environ.get(
        "BACKUP_CHECK_RESTORE_URL", "postgres://postgres@127.0.0.1:5432/wnwa_backup_restore"
    )
    if database_name(source) == database_name(restore):
        sys.exit("the source and the restore database must differ")
    started = time.perf_counter()
    global ENDPOINT
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    ENDPOINT = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=ENDPOINT,
        region_name="us-east-1",
        aws_access_key_id=BUCKET_KEYS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=BUCKET_KEYS["AWS_SECRET_ACCESS_KEY"],
    )
    for bucket in BUCKETS:
        client.create_bucket(Bucket=bucket)
    create(source)
    manage(source, "migrate", "--no-input")
    manage(source, "seed_demo")
    manage(source, "shell", "-c", ATTACH)
    print(f"source {database_name(source)}: migrated, seed_demo loaded, documents attached")
    try:
        with tempfile.TemporaryDirectory(prefix="wnwa-backup-") as work:
            dump = Path(work) / "wnwa.dump"
            subprocess.run(  # noqa: S603
                [tool("pg_dump"), "--format=custom", "--no-owner", f"--file={dump}", source],
                check=True,
            )
            print(f"pg_dump --format=custom: {dump.stat().st_size / 1024:.0f} KiB")
            create(restore)
            subprocess.run(  # noqa: S603
                [
                    tool("pg_restore"),
                    "--no-owner",
                    "--exit-on-error",
                    f"--dbname={restore}",
                    str(dump),
                ],
                check=True,
            )
            print(f"pg_restore into the fresh database {database_name(restore)}")
        before, before_sequences = contents(source)
        after, after_sequences = contents(restore)
        manage(restore, "migrate", "--check")  # exits non-zero on an unapplied migration
        print("migrate --check on the restored database: no migration missing\n")

        differences = 0
        print(f"{'table':48} {'source':>8} {'restored':>8}  contents")
        for name in sorted(set(before) | set(after)):
            rows_before, digest_before = before.get(name, (None, None))
            rows_after, digest_after = after.get(name, (None, None))
            same = (rows_before, digest_before) == (rows_after, digest_after)
            differences += not same
            verdict = "same" if same else "DIFFERENT"
            print(f"{name:48} {rows_before!s:>8} {rows_after!s:>8}  {verdict}")
        sequence_differences = [
            name
            for name in sorted(set(before_sequences) | set(after_sequences))
            if before_sequences.get(name) != after_sequences.get(name)
        ]
        total = sum(rows for rows, _ in before.values())
        print(
            f"\n{len(before)} tables, {total} rows; {len(before_sequences)} sequences, "
            f"{len(sequence_differences)} different; {differences} tables different "
            f"({time.perf_counter() - started:.1f} s)"
        )
        for name in sequence_differences:
            print(f"  sequence {name}: {before_sequences.get(name)} != {after_sequences.get(name)}")

        backed_up = sync(client, BUCKETS[0], BUCKETS[1])
        restored = sync(client, BUCKETS[1], BUCKETS[2])
        files_before = site_files(source, BUCKETS[0])
        files_after = site_files(restore, BUCKETS[2])
        file_differences = sum(
            files_before[key] is None or files_after.get(key) != files_before[key]
            for key in files_before
        ) + len(set(files_after) - set(files_before))
        print(
            f"bucket: {backed_up} objects backed up, {restored} restored; the restored site opens "
            f"{sum(value is not None for value in files_after.values())} of the "
            f"{len(files_before)} files its records name; {file_differences} different"
        )
    finally:
        drop(restore)
        drop(source)
        server.stop()
    if differences or sequence_differences or not before or file_differences or not files_before:
        print("FAIL: the restored database or bucket differs from the backed-up one")
        return 1
    print("OK: the restore has every row of every table and every file (counts and contents)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
