from django import template
from django.utils.timezone import now

from peers import cards, selectors
from wnwa.accounts import roles
from wnwa.lib import phones

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """A stored E.164 number as people read it: (312) 555-0142, or +44 20 7946 0958 abroad."""
    return phones.display(value) if value else ""


@register.inclusion_tag("peers/_account_listing.html")
def own_listing(user) -> dict:
    """On the account page: a certified officer's link to their listing, with its state.
    Costs nothing for staff, one query for other officers, two for peer supporters."""
    if not roles.is_peer_supporter(user):
        return {"state": None}
    state = selectors.own_listing_state(peer=user)
    if state.listing and state.listing.available_until and state.listing.available_until > now():
        state.available_until = state.listing.available_until
    return {"state": state}


@register.simple_tag
def reach_line(reach):
    """The card's line of the clock, as the directory draws it (peers.cards.reach_line)."""
    return cards.reach_line(reach)
