import logging

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends import locmem
from django.db import transaction

from wnwa.lib.mail import after_commit, email_send_batch

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_mail_goes_out_only_after_the_commit():
    with transaction.atomic():
        after_commit(lambda: mail.send_mail("s", "b", None, ["a@b.test"]), what="test mail")
        assert mail.outbox == []
    assert len(mail.outbox) == 1


def test_a_rolled_back_change_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        after_commit(lambda: mail.send_mail("s", "b", None, ["a@b.test"]), what="test mail")
        raise RuntimeError
    assert mail.outbox == []


def test_a_mail_server_failure_is_logged_by_kind_only_and_does_not_raise(caplog):
    def broken():
        raise ConnectionRefusedError("smtp.example.org refused officer@agency.test")

    with caplog.at_level(logging.ERROR, logger="wnwa.mail"), transaction.atomic():
        after_commit(broken, what="invitation")
    assert [r.getMessage() for r in caplog.records] == [
        "invitation not sent: ConnectionRefusedError"
    ]


class RefusingOneBackend(locmem.EmailBackend):
    def send_messages(self, messages):
        if any("refused@agency.test" in message.to for message in messages):
            raise ConnectionResetError("refused@agency.test dropped")
        return super().send_messages(messages)


def test_a_batch_is_one_task_per_message_so_one_failure_spares_the_rest(caplog, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingOneBackend"
    addresses = ["a@agency.test", "refused@agency.test", "b@agency.test"]

    def build():
        return [EmailMessage("s", "b", to=[address]) for address in addresses]

    with caplog.at_level(logging.ERROR, logger="wnwa.mail"), transaction.atomic():
        email_send_batch(build=build, what="session change notice")
        assert mail.outbox == []
    assert [message.to for message in mail.outbox] == [["a@agency.test"], ["b@agency.test"]]
    assert [r.getMessage() for r in caplog.records] == [
        "session change notice not sent: ConnectionResetError"
    ]
