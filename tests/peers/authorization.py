"""Authorization rows for the peer directory and listings (see tests/authorization.py).

Officers of member departments (department admins included) search the directory; only a
certified officer has a listing; a department admin sees their own department's peers. Network
admins pass every role check but have no department and no certification: a listing page or the
department page refuses them once inside.
"""

from tests.authorization import LOGIN, row

PEER_ONLY = row(403, anonymous=LOGIN, peer=200)
PEER_POST_ONLY = row(403, anonymous=LOGIN, peer=405, network_admin=405)

EXPECTATIONS: dict[str, dict[str, object]] = {
    # Family members find the peers who talk with family members (docs/product.md, "Families").
    "peers:directory": row(200, anonymous=LOGIN, vetter=403, trainer=403, family=200),
    "peers:my-listing": PEER_ONLY,
    "peers:my-listing-edit": PEER_ONLY,
    "peers:my-listing-confirm": PEER_POST_ONLY,
    "peers:my-listing-available": PEER_POST_ONLY,
    "peers:my-listing-pause": PEER_POST_ONLY,
    "peers:my-listing-remove": PEER_ONLY,
    "peers:department": row(403, anonymous=LOGIN, admin_same=200, admin_other=200),
}
