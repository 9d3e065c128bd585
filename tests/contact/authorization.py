"""Authorization rows for the public forms (see tests/authorization.py)."""

from tests.authorization import PUBLIC_HELD

EXPECTATIONS: dict[str, dict[str, object]] = {
    "contact:contact": PUBLIC_HELD,
    "contact:demo": PUBLIC_HELD,
    "contact:member-list": PUBLIC_HELD,
    "contact:thanks": PUBLIC_HELD,
}


def url_kwargs(name: str, cast) -> dict[str, str]:
    return {"kind": "demo"} if name == "contact:thanks" else {}
