"""The one way the portal sends email: templates by name, sent by the task worker once the
transaction commits (or, for the mail a person asks for on a public page, straight after the
response has gone out, leaving no stored row).

An email is two templates, `<name>_subject.txt` (one line) and `<name>.txt` (plain text; no
tracking, absolute links from WNWA_SITE_URL), rendered with the site's name and address. Rendered
after the commit, each message becomes one task (wnwa.lib.tasks): a failure never turns a saved
change into an error page, the worker retries it, and it is logged by kind only (never an address
or a name). The task's row holds the message until it is sent and is deleted then.
"""

import base64
import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django_tasks import task

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
    """Render `template` once the current transaction commits and queue it for the worker.

    `what` names the email in the log line of a failure ("listing reminder"). `attachments` is
    a function, so that their content is made after the commit too.
    """

    def build() -> Iterable[EmailMessage]:
        yield email_message(
            template=template,
            to=to,
            context=context,
            reply_to=reply_to,
            attachments=attachments() if attachments else (),
        )

    email_send_batch(build=build, what=what)


def email_send_batch(*, build: Callable[[], Iterable[EmailMessage]], what: str) -> None:
    """Queue many messages once the current transaction commits, one task each, so that a worker
    killed mid-batch sends the rest later and at most the one in hand twice. `build` makes them
    then, from the committed rows."""

    def enqueue() -> None:
        with transaction.atomic():  # one commit for the batch's rows
            for message in build():
                send_message.enqueue(message=message_to_json(message), what=what)

    after_commit(enqueue, what=what)


def message_to_json(message: EmailMessage) -> dict:
    return {
        "subject": message.subject,
        "body": message.body,
        "to": list(message.to),
        "reply_to": list(message.reply_to),
        "attachments": [
            [
                name,
                base64.b64encode(content.encode() if isinstance(content, str) else content).decode(
                    "ascii"
                ),
                mimetype,
            ]
            for name, content, mimetype in message.attachments
        ],
    }


def message_from_json(data: dict) -> EmailMessage:
    message = EmailMessage(
        data["subject"], data["body"], to=data["to"], reply_to=data["reply_to"] or None
    )
    for name, content, mimetype in data["attachments"]:
        message.attach(name, base64.b64decode(content), mimetype)
    return message


@task()
def send_message(*, message: dict, what: str) -> None:
    """The worker's side: send one queued message. A failure is logged by kind and raised, so
    the worker tries again later (wnwa.lib.tasks)."""
    try:
        message_from_json(message).send()
    except Exception as error:
        logger.error("%s not sent: %s", what, type(error).__name__)
        raise


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
