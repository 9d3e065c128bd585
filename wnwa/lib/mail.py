"""Email sent once a transaction has committed, never turning a saved change into an error page."""

import logging
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger("wnwa.mail")


def send_after_commit(send: Callable[[], object], *, what: str) -> None:
    """Run `send` after the current transaction commits.

    The change is already saved when mail goes out, so a mail server that is down must not show
    the person an error page: the failure is logged by kind only (never an address or a name),
    and the caller's own queue or resend button covers the retry.
    """

    def run() -> None:
        try:
            send()
        except Exception as error:  # noqa: BLE001 - any failure of the mail server or its network
            logger.error("%s not sent: %s", what, type(error).__name__)

    transaction.on_commit(run)
