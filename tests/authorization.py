"""The vocabulary of the authorization matrix (tests/test_authorization_matrix.py).

Each app declares its own rows in tests/<app>/authorization.py: a module-level EXPECTATIONS dict
(URL name -> outcome per role) and, when its URLs take arguments, a url_kwargs(name, cast)
function returning them. The matrix gathers every such module, so apps never edit one shared
table.
"""

from tests.conftest import ROLES

LOGIN, TWO_FACTOR, REDIRECT = "login", "two-factor", "redirect"


def row(default, **overrides) -> dict[str, object]:
    """Expectations for every role: `default`, with per-role overrides.

    Unverified staff are held at the second factor everywhere unless a row says otherwise. A
    retiree is allowed what an officer is (docs/product.md, "Retired officers"): unless a row
    names the retiree, their outcome is the officer's, and a row where they differ says so. A
    family member is no officer (docs/product.md, "Families"): their outcome is the row's
    default, and the rows of the pages open to them say so.
    """
    expected = {role: default for role in ROLES}
    expected["unverified_staff"] = TWO_FACTOR
    expected.update(overrides)
    if "retiree" not in overrides:
        expected["retiree"] = expected["officer"]
    return expected


PUBLIC = row(200, unverified_staff=200)
PUBLIC_HELD = row(200)  # public, but a signed-in user owing a second factor is sent to give it
SIGNED_IN = row(200, anonymous=LOGIN)
NETWORK_ADMIN_ONLY = row(403, anonymous=LOGIN, network_admin=200)
