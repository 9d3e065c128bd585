"""A password reset answers before any email is sent, so its time tells nobody whether the
address has an account, and it stores nothing to send later."""

import pytest
from django.apps import apps
from django.core import mail
from django.core.handlers.base import BaseHandler
from django.http import HttpResponse
from django.test import RequestFactory

from tests.factories import UserFactory
from wnwa.lib.mail import after_response, run_after

pytestmark = pytest.mark.django_db


def answer(email: str):
    """The response exactly as the WSGI server gets it, before it closes it after the last byte."""
    handler = BaseHandler()
    handler.load_middleware()
    request = RequestFactory().post("/accounts/password/reset/", {"email": email})
    request._dont_enforce_csrf_checks = True
    return handler.get_response(request)


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_the_reset_email_leaves_only_after_the_response_has_gone_out():
    UserFactory(email="known@agency.test")
    rows = row_counts()
    known = answer("known@agency.test")
    assert known.status_code == 302
    assert mail.outbox == []  # the answer is complete, and nothing has been sent
    assert row_counts() == rows  # nor stored to send later
    known.close()
    assert [message.to for message in mail.outbox] == [["known@agency.test"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_an_unknown_address_gets_the_same_answer_and_nothing_after_it():
    UserFactory(email="known@agency.test")
    known, unknown = answer("known@agency.test"), answer("stranger@agency.test")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    unknown.close()
    assert mail.outbox == []


def test_a_failure_after_the_response_is_logged_by_kind_only(caplog):
    request = RequestFactory().get("/")

    def fail():
        raise ConnectionRefusedError("smtp.agency.test refused known@agency.test")

    after_response(request, fail, what="password reset")
    response = run_after(HttpResponse("ok"), request)
    response.close()
    assert [r.getMessage() for r in caplog.records if r.name == "wnwa.mail"] == [
        "password reset not sent: ConnectionRefusedError"
    ]


def test_links_made_by_allauths_own_generator_still_work():
    from allauth.account.forms import EmailAwarePasswordResetTokenGenerator

    from wnwa.accounts.tokens import ResetTokenGenerator

    officer = UserFactory(email="known@agency.test")
    token = EmailAwarePasswordResetTokenGenerator().make_token(officer)  # writes its row
    assert ResetTokenGenerator().check_token(officer, token)
