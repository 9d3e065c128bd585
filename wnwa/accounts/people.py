"""Finding a person by what staff know of them: part of a name, a badge number or an email.

The pickers that choose an officer (a training taken elsewhere, for one) are a search, never a
list of everyone: a department may have 13,000 officers, and two of them the same name, so each
match shows its department, badge and email. Each word of the search must match a name's start,
an email's start or a whole badge number; the list is capped, and the query runs on the indexes
of the user table (department with the names; the unique badge and email indexes).
"""

from django.db.models import Q, QuerySet

from wnwa.accounts.models import User

PICKER_LIMIT = 20
MAX_TERMS = 4
MAX_TERM_LENGTH = 60


def search_terms(query: str) -> list[str]:
    """The words of a search, as many as are used and no longer than any name or address."""
    return [term[:MAX_TERM_LENGTH] for term in query.split()[:MAX_TERMS]]


def officer_search(
    *, officers: QuerySet[User], query: str, limit: int = PICKER_LIMIT
) -> tuple[list[User], bool]:
    """At most `limit` of `officers` matching every word of `query`, by last and first name,
    and whether there were more. An empty query finds nobody (it would be everyone)."""
    terms = search_terms(query)
    if not terms:
        return [], False
    for term in terms:
        officers = officers.filter(
            Q(last_name__istartswith=term)
            | Q(first_name__istartswith=term)
            | Q(email__istartswith=term)
            | Q(badge_number__iexact=term)
        )
    found = list(
        officers.select_related("department").order_by("last_name", "first_name", "pk")[: limit + 1]
    )
    return found[:limit], len(found) > limit
