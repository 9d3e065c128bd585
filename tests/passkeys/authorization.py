"""Authorization rows for passkeys (see tests/authorization.py).

Anyone signed in manages their own passkeys; adding one first asks for the password again when
the last proof is minutes old (the matrix's sessions have none: REDIRECT). A passkey's pages are
its owner's (the cast's officer here); anyone else gets 404. The JSON endpoints take a POST only;
the sign-in ones are public, and open to staff who owe a second factor, who give it there.
"""

from tests.authorization import LOGIN, REDIRECT, row

# The retiree keeps their own passkeys (passkeys:add); another person's is a 404 to them too.
OWNER_ONLY = row(404, anonymous=LOGIN, officer=200, retiree=404, unverified_staff=404)
POST_ONLY_SIGNED_IN = row(405, anonymous=LOGIN, unverified_staff=405)
POST_ONLY_PUBLIC = row(405, unverified_staff=405)

EXPECTATIONS: dict[str, dict[str, object]] = {
    "passkeys:add": row(REDIRECT, anonymous=LOGIN, unverified_staff=REDIRECT),
    "passkeys:name": OWNER_ONLY,
    "passkeys:remove": row(404, anonymous=LOGIN, officer=200, retiree=404),
    "passkeys:add-begin": POST_ONLY_SIGNED_IN,
    "passkeys:add-complete": POST_ONLY_SIGNED_IN,
    "passkeys:sign-in-begin": POST_ONLY_PUBLIC,
    "passkeys:sign-in-complete": POST_ONLY_PUBLIC,
}


def url_kwargs(name: str, cast) -> dict[str, int]:
    if name in {"passkeys:name", "passkeys:remove"}:
        from tests.factories import PasskeyFactory

        return {"pk": PasskeyFactory(user=cast.officer).pk}
    return {}
