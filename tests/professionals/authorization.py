"""Authorization rows for the professionals app (see tests/authorization.py)."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from professionals.models import Application, Document, ReconfirmationToken
from tests.authorization import LOGIN, PUBLIC_HELD, row
from tests.factories import ApplicationFactory, ProfessionalFactory

VETTERS = row(403, anonymous=LOGIN, vetter=200, network_admin=200)

EXPECTATIONS: dict[str, dict[str, object]] = {
    # Officers of member departments (department admins and peers are officers too) and vetters.
    # Family members too: those who see officers' families first (docs/product.md, "Families").
    "professionals:directory": row(200, anonymous=LOGIN, trainer=403, family=200),
    "professionals:apply": PUBLIC_HELD,
    "professionals:apply-thanks": PUBLIC_HELD,
    "professionals:reconfirm": PUBLIC_HELD,
    "professionals:queue": VETTERS,
    "professionals:application": VETTERS,
    "professionals:assess": VETTERS,
    "professionals:reopen": VETTERS,
    "professionals:document": VETTERS,
}

MATRIX_TOKEN = "matrix-reconfirmation-token"


def _document() -> dict[str, int]:
    document = Document(
        application=ApplicationFactory(),
        kind=Document.Kind.LICENCE,
        content_type="application/pdf",
        size=9,
        display_name="licence.pdf",
    )
    document.file.save("ignored", ContentFile(b"%PDF-1.7\n"), save=True)
    return {"pk": document.pk}


def _token() -> dict[str, str]:
    ReconfirmationToken.objects.filter(token_hash=ReconfirmationToken.hash(MATRIX_TOKEN)).delete()
    ReconfirmationToken.objects.create(
        professional=ProfessionalFactory(),
        token_hash=ReconfirmationToken.hash(MATRIX_TOKEN),
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    return {"token": MATRIX_TOKEN}


def url_kwargs(name: str, cast) -> dict[str, object]:
    samples = {
        "professionals:application": lambda: {"reference": ApplicationFactory().reference},
        "professionals:assess": lambda: {"reference": ApplicationFactory().reference},
        "professionals:reopen": lambda: {
            "reference": ApplicationFactory(status=Application.Status.DEFERRED).reference
        },
        "professionals:document": _document,
        "professionals:reconfirm": _token,
    }
    return samples[name]() if name in samples else {}
