"""`make backup-check`: the README's backup and restore, done for real and compared.

    BACKUP_CHECK_DATABASE_URL=postgres://postgres@127.0.0.1:5432/wnwa_backup_source \
    BACKUP_CHECK_RESTORE_URL=postgres://postgres@127.0.0.1:5432/wnwa_backup_restore \
    .venv/bin/python bench/backup_check.py

1. Recreates the source database, migrates it and loads seed_demo.
2. `pg_dump --format=custom --no-owner` of it, as the README's Backups section says.
3. Recreates the restore database empty and `pg_restore --no-owner --exit-on-error` into it.
4. Compares every table: row count and a checksum of the rows; every sequence's position (so the
   restored site does not reuse ids); and `migrate --check` on the restored database.
Prints the table and exits 1 on any difference. Both databases are dropped at the end (their
names must contain "backup", "restore", "load" or "bench": they are dropped and recreated).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import psycopg
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


def manage(url: str, *arguments: str) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "1",
        "WNWA_REQUEST_LOG_LEVEL": "ERROR",
    }
    subprocess.run(  # noqa: S603 - our interpreter, our arguments
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,  # seed_demo prints the demo secrets
    )


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
    create(source)
    manage(source, "migrate", "--no-input")
    manage(source, "seed_demo")
    print(f"source {database_name(source)}: migrated, seed_demo loaded")
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
    finally:
        drop(restore)
        drop(source)
    if differences or sequence_differences or not before:
        print("FAIL: the restored database differs from the dumped one")
        return 1
    print("OK: the restore has every row of every table (counts and contents)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
