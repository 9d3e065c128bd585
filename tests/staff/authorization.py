"""Authorization rows for the network admins' staff pages (see tests/authorization.py)."""

from tests.authorization import NETWORK_ADMIN_ONLY
from tests.factories import StaffFactory

EXPECTATIONS: dict[str, dict[str, object]] = {
    "staff:list": NETWORK_ADMIN_ONLY,
    "staff:invite": NETWORK_ADMIN_ONLY,
    "staff:records": NETWORK_ADMIN_ONLY,
    "staff:account": NETWORK_ADMIN_ONLY,
    "staff:role-remove": NETWORK_ADMIN_ONLY,
    "staff:second-factor-reset": NETWORK_ADMIN_ONLY,
    "staff:invitation-resend": NETWORK_ADMIN_ONLY,
}


def url_kwargs(name: str, cast) -> dict[str, object]:
    samples = {
        "staff:account": lambda: {"pk": cast.vetter.pk},
        "staff:role-remove": lambda: {"pk": cast.trainer.pk, "role": "training-staff"},
        "staff:second-factor-reset": lambda: {"pk": cast.vetter.pk},
        "staff:invitation-resend": lambda: {"pk": StaffFactory(is_vetter=True, password=None).pk},
    }
    return samples[name]() if name in samples else {}
