import logging

import pytest
from django.core import mail
from django.db import transaction

from wnwa.lib.mail import after_commit

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
