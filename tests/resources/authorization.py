"""Authorization rows for resources and the self-checks (see tests/authorization.py)."""

from django.conf import settings

from tests.authorization import LOGIN, PUBLIC_HELD, row
from tests.factories import ResourceFactory

# Officers of active member departments (department admins are officers of their department);
# network staff without a department are not.
OFFICERS_ONLY = row(
    403,
    anonymous=LOGIN,
    officer=200,
    peer=200,
    admin_same=200,
    admin_other=200,
    network_admin=200,
)

EXPECTATIONS: dict[str, dict[str, object]] = {
    # Family members read the resources for families (docs/product.md, "Families"); the sample
    # PDF is for officers, so theirs is not found (tests/resources/test_audience.py).
    "resources:index": {**OFFICERS_ONLY, "family": 200},
    "resources:document": {**OFFICERS_ONLY, "family": 404},
    # Public on purpose: answers never reach the server, so there is nothing to protect, and a
    # sign-in form must not stand between a struggling officer (or their family) and the check.
    "resources:self-checks": PUBLIC_HELD,
    "resources:self-check": PUBLIC_HELD,
}

SAMPLE_PDF = "matrix-sample.pdf"


def _resource_with_a_pdf() -> dict[str, str]:
    root = settings.RESOURCE_FILES_ROOT
    root.mkdir(parents=True, exist_ok=True)
    (root / SAMPLE_PDF).write_bytes(b"%PDF-1.4\n%%EOF\n")  # one small file, overwritten each run
    return {"pk": ResourceFactory(link="", document=SAMPLE_PDF).pk}


def url_kwargs(name: str, cast) -> dict[str, str]:
    if name == "resources:document":
        return _resource_with_a_pdf()
    if name == "resources:self-check":
        return {"slug": "pcl-5"}
    return {}
