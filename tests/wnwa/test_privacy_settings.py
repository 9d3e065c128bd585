"""docs/privacy.md as settings: forbidden apps, ADMINS, sessions, last_login, logging, gunicorn."""

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in

from tests.environment import clean_environment

ROOT = Path(__file__).resolve().parents[2]

FORBIDDEN_APPS = {
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.mfa",
    "django.contrib.sessions",  # the database session table
    "django_otp.plugins.otp_totp",  # stock devices write last_used_at / last_t
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_email",
    "request",
    "django_request",
    "silk",
    "debug_toolbar",
    "analytical",
    "django_user_agents",
    "axes",  # logs every attempt with address and agent
}


def test_no_forbidden_app_is_installed():
    assert FORBIDDEN_APPS.isdisjoint(settings.INSTALLED_APPS)


def test_no_request_logging_middleware_is_installed():
    suspicious = [
        m
        for m in settings.MIDDLEWARE
        if any(
            w in m.lower() for w in ("silk", "request_log", "axes", "debug_toolbar", "useragent")
        )
    ]
    assert suspicious == []


def test_admins_and_managers_are_empty():
    assert settings.ADMINS == [] and settings.MANAGERS == []


def test_sessions_live_in_signed_cookies_only():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.signed_cookies"
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.SESSION_COOKIE_AGE == 30 * 86400
    assert settings.STAFF_SESSION_SECONDS == 12 * 3600


def test_the_user_model_has_no_last_login():
    User = get_user_model()
    assert User.last_login is None
    assert "last_login" not in {field.name for field in User._meta.get_fields()}
    receivers = [str(r) for r in user_logged_in._live_receivers(None)[0]]
    assert not any("update_last_login" in r for r in receivers)


def test_second_factor_devices_keep_no_usage_timestamps():
    from django_otp import devices_for_user  # noqa: F401
    from django_otp.models import Device

    from wnwa.accounts.models import BackupCodeDevice, TOTPDevice

    for model in (TOTPDevice, BackupCodeDevice):
        fields = {field.name for field in model._meta.get_fields()}
        assert issubclass(model, Device)
        assert not fields & {"last_used_at", "last_t", "created_at"}, model


def test_referrer_policy_is_same_origin_not_no_referrer():
    assert settings.SECURE_REFERRER_POLICY == "same-origin"


def test_no_logger_is_request_aware():
    """Every handler carries the privacy filter, and Django's path-bearing loggers are silenced."""
    config = settings.LOGGING
    assert config["loggers"]["django.request"]["level"] == "ERROR"
    assert not logging.getLogger("django.request").isEnabledFor(logging.WARNING)  # "Not Found"
    assert config["loggers"]["django.server"]["handlers"] == []
    assert config["filters"]["privacy"]["()"] == "wnwa.logging.PrivacyFilter"
    for handler in config["handlers"].values():
        assert "privacy" in handler.get("filters", [])
        assert "AdminEmailHandler" not in handler["class"]
    for formatter in config["formatters"].values():
        assert "request" not in formatter["format"] and "addr" not in formatter["format"]


def test_server_error_records_lose_the_path_and_the_exception_message():
    from wnwa.logging import PrivacyFilter

    path, email = (
        "/x/" + "7/",
        "officer" + "@agency.test",
    )  # built so the traceback's source lines lack them
    try:
        raise ValueError(f"duplicate key {email}")
    except ValueError:
        import sys as _sys

        error = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error: %s",
            (path,),
            _sys.exc_info(),
        )
    error.request = object()
    assert PrivacyFilter().filter(error) is True
    text = logging.Formatter().format(error)
    assert path not in text and email not in text
    assert (
        "Internal Server Error" in text and "ValueError" in text and not hasattr(error, "request")
    )


def test_the_privacy_filter_strips_the_request_from_records():
    from wnwa.logging import PrivacyFilter

    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "message", None, None)
    record.request = object()
    assert PrivacyFilter().filter(record) and not hasattr(record, "request")


def test_gunicorn_runs_without_an_access_log_at_error_level():
    namespace: dict = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), namespace)  # noqa: S102 - our own config file
    assert namespace["accesslog"] is None
    assert namespace["loglevel"] == "error"
    assert namespace["logger_class"] == "wnwa.logging.GunicornLogger"
    assert "access" not in (ROOT / "Dockerfile").read_text().lower().replace("accesslog", "")


def _production_env(**extra) -> dict:
    env = clean_environment(
        DJANGO_SECRET_KEY="q8Zr-3vTn7@Lp2Wc9Yx5Kd!Hs4Mb6Gf1Jt0Ra8Ue3Io5Pw7Ny2Vl",
        DJANGO_ALLOWED_HOSTS="portal.weneverwalkalone.org",
        EMAIL_URL="smtp://mailer:secret@smtp.example.org:587",
        DATABASE_URL="postgres://wnwa:secret@db.example.org:5432/wnwa",
        REDIS_URL="redis://127.0.0.1:6379/15",
        WNWA_SITE_URL="https://portal.weneverwalkalone.org",
        WNWA_STORAGE_URL="s3://wnwa-documents?region=us-east-1",
    )
    env.update(extra)
    return env


def test_production_settings_pass_check_deploy_without_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "check_id"),
    [
        ("REDIS_URL", "wnwa.W001"),
        ("WNWA_SITE_URL", "wnwa.W002"),
        ("WNWA_STORAGE_URL", "wnwa.W004"),
        ("DATABASE_URL", "wnwa.W005"),  # SQLite, the default
    ],
)
def test_check_deploy_warns_without_a_shared_cache_address_bucket_or_database(missing, check_id):
    env = _production_env()
    del env[missing]
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0
    assert check_id in result.stderr + result.stdout


def test_missing_secret_key_stops_start_up_with_one_line():
    env = _production_env()
    del env["DJANGO_SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert result.stderr.startswith("DJANGO_SECRET_KEY is not set")


@pytest.mark.parametrize(
    ("url", "engine"),
    [
        ("sqlite:////tmp/x.sqlite3", "django.db.backends.sqlite3"),
        ("postgres://wnwa@db.internal:5432/wnwa", "django.db.backends.postgresql"),
    ],
)
def test_database_url_selects_the_engine_and_postgres_gets_a_pool(url, engine):
    code = (
        "from django.conf import settings as s; d = s.DATABASES['default'];"
        "print(d['ENGINE']); print('pool' in d.get('OPTIONS', {}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django, os; django.setup(); {code}"],
        cwd=ROOT,
        env=_production_env(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="wnwa.settings"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    engine_line, pool_line = result.stdout.split()
    assert engine_line == engine
    assert pool_line == str(engine.endswith("postgresql"))


def _bucket_settings(**env) -> dict | None:
    environment = _production_env(DJANGO_SETTINGS_MODULE="wnwa.settings")
    del environment["WNWA_STORAGE_URL"]
    environment.update(env)
    code = "from django.conf import settings as s; print(json.dumps(s.PRIVATE_FILES_BUCKET))"
    result = subprocess.run(
        [sys.executable, "-c", f"import django, json; django.setup(); {code}"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_storage_url_names_the_bucket_its_endpoint_and_region():
    options = _bucket_settings(
        WNWA_STORAGE_URL="s3://wnwa-docs/portal?endpoint_url=https://s3.example.org&region=eu-1",
        AWS_ACCESS_KEY_ID="key-id",
        AWS_SECRET_ACCESS_KEY="secret",
    )
    assert options == {
        "bucket_name": "wnwa-docs",
        "location": "portal",
        "endpoint_url": "https://s3.example.org",
        "region_name": "eu-1",
        "addressing_style": None,
        "access_key": "key-id",
        "secret_key": "secret",
    }


def test_the_usual_aws_variables_name_a_bucket_too_and_none_means_the_folder():
    options = _bucket_settings(AWS_STORAGE_BUCKET_NAME="wnwa-docs", AWS_S3_REGION_NAME="us-east-2")
    assert (options["bucket_name"], options["region_name"]) == ("wnwa-docs", "us-east-2")
    assert "access_key" not in options  # boto3's own chain: an instance role, a profile
    assert _bucket_settings() is None


def test_a_malformed_storage_url_stops_start_up():
    environment = _production_env(WNWA_STORAGE_URL="https://bucket.example.org/?acl=public-read")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0 and "WNWA_STORAGE_URL" in result.stderr
