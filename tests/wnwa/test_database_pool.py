"""The PostgreSQL pool tests each connection before a request gets it: Django passes psycopg's
check to the pool when CONN_HEALTH_CHECKS is on. Without it, connections left in the pool across a
PostgreSQL restart would fail requests (bench/faults measures the recovery)."""

import subprocess
import sys
from pathlib import Path

from tests.environment import clean_environment

ROOT = Path(__file__).resolve().parents[2]


def test_production_pool_checks_connections_before_handing_them_out():
    code = (
        "import django; django.setup(); from django.db import connection;"
        "from psycopg_pool import ConnectionPool;"
        "print(connection.pool._check is ConnectionPool.check_connection, connection.pool.timeout)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean_environment(
            DJANGO_SETTINGS_MODULE="wnwa.settings",
            DJANGO_SECRET_KEY="q8Zr-3vTn7@Lp2Wc9Yx5Kd!Hs4Mb6Gf1Jt0Ra8Ue3Io5Pw7Ny2Vl",
            EMAIL_URL="console://",
            DATABASE_URL="postgres://wnwa@db.internal:5432/wnwa",
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "10"]


def test_a_managed_databases_tls_option_is_kept_beside_the_pool():
    code = "import django; django.setup(); from django.conf import settings as s;"
    code += "print(sorted(s.DATABASES['default']['OPTIONS']))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean_environment(
            DJANGO_SETTINGS_MODULE="wnwa.settings",
            DJANGO_SECRET_KEY="q8Zr-3vTn7@Lp2Wc9Yx5Kd!Hs4Mb6Gf1Jt0Ra8Ue3Io5Pw7Ny2Vl",
            EMAIL_URL="console://",
            DATABASE_URL="postgres://wnwa:pw@db.internal:5432/wnwa?sslmode=require",
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["['pool',", "'sslmode']"]
