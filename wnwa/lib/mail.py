"""The one way the portal sends email: templates by name, sent once the transaction commits
(or, where the time of the answer must not tell anything, once the response has gone out).

An email is two templates, `<name>_subject.txt` (one line) and `<name>.txt` (plain text; no
tracking, absolute links from WNWA_SITE_URL), rendered with the site's name and address. Sent
after the commit, a failure never turns a saved change into an error page: it is logged by kind
only (never an address or a name), and the caller's own queue or resend button covers the retry.
"""

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string

logger = logging.getLogger("wnwa.mail")

# (file name, content, MIME type)
Attachment = tuple[str, bytes | str, str]


def email_message(
    *,
    template: str,
    to: list[str],
    context: dict | None = None,
    reply_to: list[str] | None = None,
    attachments: Iterable[Attachment] = (),
) -> EmailMessage:
    """Render `template` into a message; for senders that hold their own connection."""
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **(context or {})}
    # One line, whatever the template or its data hold: no header injection.
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}.txt", context)
    message = EmailMessage(subject, body, to=to, reply_to=reply_to)
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    return message


def email_send(
    *,
    template: str,
    to: list[str],
    context: dict | None = None,
    reply_to: list[str] | None = None,
    attachments: Callable[[], Iterable[Attachment]] | None = None,
    what: str,
) -> None:
    """Render and send `template` once the current transaction commits.

    `what` names the email in the log line of a failure ("listing reminder"). `attachments` is
    a function, so that their content is made after the commit too.
    """

    def send() -> None:
        email_message(
            template=template,
            to=to,
            context=context,
            reply_to=reply_to,
            attachments=attachments() if attachments else (),
        ).send()

    after_commit(send, what=what)


def email_send_batch(
    *,
    build: Callable[[], Iterable[EmailMessage]],
    what: str,
    request: HttpRequest | None = None,
) -> None:
    """Send many messages over one connection once the current transaction commits; given the
    `request`, once its response has gone out too, so that staff telling a full session do not
    wait for the mail server fifty times. `build` makes the messages then, from the committed
    rows. A message that fails is logged by its kind only and the rest still go.
    """

    def send() -> None:
        with get_connection() as connection:
            for message in build():
                message.connection = connection
                try:
                    message.send()
                except Exception as error:  # noqa: BLE001 - the mail server or its network
                    logger.error("%s not sent: %s", what, type(error).__name__)

    if request is None:
        after_commit(send, what=what)
    else:
        after_commit(lambda: after_response(request, send, what=what), what=what)


def after_commit(send: Callable[[], object], *, what: str) -> None:
    """Run `send` after the current transaction commits, logging a failure by its kind only."""

    def run() -> None:
        try:
            send()
        except Exception as error:  # noqa: BLE001 - any failure of the mail server or its network
            logger.error("%s not sent: %s", what, type(error).__name__)

    transaction.on_commit(run)


AFTER_RESPONSE = "_wnwa_after_response"


def after_response(request: HttpRequest, send: Callable[[], object], *, what: str) -> None:
    """Run `send` once the response has gone out: the WSGI server closes a response after its
    last byte, and wnwa.middleware.AfterResponseMiddleware runs `send` then. So how long the
    request takes says nothing about whether anything was sent (a password reset for a known
    address answers as fast as one for an unknown address), and nothing is stored to send later;
    no thread is started. A failure is logged by its kind only. Should the process die in
    between, the email is lost, as one the mail server dropped would be: the person asks again.
    """

    def run() -> None:
        try:
            send()
        except Exception as error:  # noqa: BLE001 - any failure of the mail server or its network
            logger.error("%s not sent: %s", what, type(error).__name__)

    if request.__dict__.get(RESPONSE_GONE):  # queued after the fact (a commit that came later)
        run()
        return
    request.__dict__.setdefault(AFTER_RESPONSE, []).append(run)


RESPONSE_GONE = "_wnwa_response_gone"


def run_after(response: HttpResponseBase, request: HttpRequest) -> HttpResponseBase:
    """Make `response` run what `after_response` queued on `request` when it is closed (and
    what is queued later, at once: the response has gone)."""
    close = response.close

    def close_then_send() -> None:
        request.__dict__[RESPONSE_GONE] = True
        try:
            for run in request.__dict__.pop(AFTER_RESPONSE, []):
                run()
        finally:
            close()  # then Django's own end of the request (database connections and all)

    response.close = close_then_send
    return response
