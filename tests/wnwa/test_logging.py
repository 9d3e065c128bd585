"""No log line, from any logger, carries a path, a query string, an address or an account
(docs/privacy.md, rule 5). These read what the configured handlers actually write, Django's and
gunicorn's, not what reaches a logger."""

import io
import logging
import runpy

import pytest
from django.conf import settings
from django.test import Client
from gunicorn.config import Config

from tests.factories import UserFactory
from wnwa.accounts.invitations import make_invitation_token

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.91"


def test_a_refused_post_to_an_invitation_logs_neither_the_token_nor_the_path(log_output):
    officer = UserFactory(email="invited.log@alpha.test", password=None)
    token = make_invitation_token(officer)
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR=ADDRESS)
    response = client.post(
        f"/account/invitation/{token}/?from=mail", {"new_password1": "x", "new_password2": "x"}
    )
    assert response.status_code == 403
    output = log_output.getvalue()
    assert "django.security.csrf" in output and "Forbidden" in output  # still says what happened
    for secret in [token, "/account/invitation/", "from=mail", ADDRESS, officer.email]:
        assert secret not in output


def test_a_refused_post_to_a_reset_link_logs_neither_the_key_nor_the_path(log_output):
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR=ADDRESS)
    path = "/accounts/password/reset/key/2b-d0e4c1-7f3a9b2c8e1d44aa/"
    assert client.post(path, {"password1": "x", "password2": "x"}).status_code == 403
    output = log_output.getvalue()
    assert "Forbidden" in output
    for secret in ["7f3a9b2c8e1d44aa", "/password/reset/key/", ADDRESS]:
        assert secret not in output


def test_a_disallowed_host_is_logged_without_the_host_or_the_path(log_output):
    response = Client().get("/account/invitation/some-token-9f/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    output = log_output.getvalue()
    assert "DisallowedHost" in output
    assert "evil.example" not in output and "some-token-9f" not in output


def test_a_server_error_keeps_its_kind_but_not_its_message(log_output, settings):
    logger = logging.getLogger("some.library")
    # Built at run time: a traceback shows the source line, and it should show no data.
    data = " ".join(
        [
            "user",
            "officer" + "@alpha.test",
            "at",
            "198.51.100" + ".7",
            "opened",
            "/dir" + "ectory/?q=x",
        ]
    )
    try:
        raise RuntimeError(data)
    except RuntimeError:
        logger.exception("failed for %s", "officer@alpha.test")
    logging.getLogger("other.library").error(
        "pre-formatted: officer@alpha.test from 2001:db8::1 on /account/invitation/abc/"
    )
    output = log_output.getvalue()
    assert "RuntimeError" in output and "failed for …" in output
    for secret in ["officer@alpha.test", "198.51.100.7", "/directory/", "2001:db8::1", "abc/"]:
        assert secret not in output


def test_gunicorns_own_error_log_is_filtered_too():
    config = Config()
    for name, value in runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py")).items():
        if name in config.settings:
            config.set(name, value)
    logger_class = config.logger_class
    log = logger_class(config)
    buffer = io.StringIO()
    for handler in log.error_log.handlers:
        handler.setStream(buffer)
    path = "/account/invitation/" + "tok" + "-123/"  # built: the traceback shows source lines
    try:
        raise ValueError(f"bad request line {path}")
    except ValueError:
        log.exception("Error handling request %s", path + "?a=1")
    log.error("Invalid request from ip=%s: %s", ADDRESS, "Invalid HTTP request line: 'GET /x'")
    output = buffer.getvalue()
    assert "Error handling request …" in output and "ValueError" in output
    for secret in ["tok-123", "/account/invitation/", ADDRESS, "GET /x"]:
        assert secret not in output
    assert log.access_log.handlers == []  # and there is no access log at all
