"""Authorization rows for the site-wide pages and accounts (see tests/authorization.py)."""

from tests.authorization import LOGIN, PUBLIC, PUBLIC_HELD, REDIRECT, SIGNED_IN, row
from tests.factories import UserFactory
from wnwa.accounts.invitations import make_invitation_token

EXPECTATIONS: dict[str, dict[str, object]] = {
    "home": PUBLIC_HELD,
    "privacy": PUBLIC,
    "terms": PUBLIC,
    "manifest": PUBLIC,
    "offline": PUBLIC,
    "service-worker": PUBLIC,
    "faq": PUBLIC_HELD,
    "membership": PUBLIC_HELD,
    # department admins (and network admins, who pass every check); it names no officer
    "poster": row(403, anonymous=LOGIN, admin_same=200, admin_other=200, network_admin=200),
    # django-allauth
    "account_login": row(REDIRECT, anonymous=200),  # signed in: sent home
    "account_logout": row(200, anonymous=REDIRECT, unverified_staff=200),
    "account_inactive": PUBLIC_HELD,
    "account_signup": row(LOGIN),
    "account_reauthenticate": SIGNED_IN,
    "account_change_password": SIGNED_IN,
    "account_reset_password": PUBLIC_HELD,
    "account_reset_password_done": PUBLIC_HELD,
    "account_reset_password_from_key": PUBLIC_HELD,
    "account_reset_password_from_key_done": PUBLIC_HELD,
    # our accounts pages
    "accounts:account": SIGNED_IN,
    "accounts:two-factor-setup": row(REDIRECT, anonymous=LOGIN, unverified_staff=200),
    "accounts:two-factor-verify": row(REDIRECT, anonymous=LOGIN),
    "accounts:two-factor-backup-codes": row(200, anonymous=LOGIN),
    "accounts:two-factor-remove": row(
        200,
        anonymous=LOGIN,
        admin_same=403,
        admin_other=403,
        vetter=403,
        trainer=403,
        network_admin=403,
    ),
    "accounts:sign-out-everywhere": SIGNED_IN,
    # A retiree ends their own access; nobody else ends theirs here (network admins pass every
    # role check, the view refuses them: it is not their access to end).
    # A family member ends their own account here too (docs/product.md, "Families").
    "accounts:end-access": row(403, anonymous=LOGIN, retiree=200, family=200),
    # An officer or retiree invites their family; staff without a department have none here.
    "accounts:family": row(
        200, anonymous=LOGIN, family=403, vetter=403, trainer=403, network_admin=403
    ),
    # The cast's family member was invited by the officer: only the officer withdraws them.
    "accounts:family-withdraw": row(
        404,
        anonymous=LOGIN,
        officer=200,
        retiree=404,
        family=403,
        vetter=403,
        trainer=403,
        network_admin=403,
    ),
    "accounts:invitation": PUBLIC_HELD,
}


def url_kwargs(name: str, cast) -> dict[str, str]:
    samples = {
        "accounts:invitation": lambda: {
            "token": make_invitation_token(UserFactory(department=cast.department_a, password=None))
        },
        "account_reset_password_from_key": lambda: {"uidb36": "1", "key": "set-password"},
        "accounts:family-withdraw": lambda: {"pk": cast.family.pk},
    }
    return samples[name]() if name in samples else {}
