"""The directory's HTML: peers' cards and the blank filters, rendered once and kept in the cache.

A card is the same for every officer except for one line, which depends on the clock ("Available
now until 3:00 PM"). The rest of it is kept in Django's cache (Redis, shared by every server)
under the listing's `card_version`, which the database changes whenever anything the card shows
changes (peers.standing): a kept card is never out of date, and nothing has to remember to drop
it. The line of the clock is rendered for each request from the search's own row.

The cache holds listings' public content only, under keyed names (wnwa.lib.cache), for a day; no
entry names who searched or what for. Redis does keep, as every cache does, when each entry was
last read: docs/privacy.md says what that means. While Redis is down the cards are rendered.
"""

import datetime
import hashlib

from django.core.cache import cache
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from peers.directory import Result
from peers.models import ExperienceArea, Language, PeerListing
from peers.schedule import reach_of

CARD_SECONDS = 60 * 60 * 24


def _key(pk: int, version: int) -> str:
    return f"peers:card:{pk}:{version}"


def _render_kept_parts(missing: list[int]) -> dict[int, tuple[str, str, int]]:
    """The top and bottom of each listing's card, with the version they were rendered from."""
    listings = (
        PeerListing.objects.filter(pk__in=missing)
        .select_related("department")
        .prefetch_related(
            Prefetch("areas", queryset=ExperienceArea.objects.order_by("position", "name")),
            Prefetch("languages", queryset=Language.objects.order_by("position", "name")),
        )
    )
    parts = {}
    for listing in listings:
        context = {"listing": listing}
        top = render_to_string("peers/_card_top.html", context)
        bottom = render_to_string("peers/_card_bottom.html", context)
        parts[listing.pk] = (top, bottom, listing.card_version)
    return parts


def cards(results: list[Result], *, now: datetime.datetime) -> SafeString:
    """Every result's card, in order: kept parts from the cache, the rest rendered and kept."""
    keys = {result.pk: _key(result.pk, result.card_version) for result in results}
    kept = cache.get_many(list(keys.values()))
    parts = {pk: kept[key] for pk, key in keys.items() if key in kept}
    missing = [pk for pk in keys if pk not in parts]
    if missing:
        rendered = _render_kept_parts(missing)
        cache.set_many(
            {_key(pk, version): (top, bottom) for pk, (top, bottom, version) in rendered.items()},
            CARD_SECONDS,
        )
        parts.update({pk: (top, bottom) for pk, (top, bottom, _) in rendered.items()})
    shown = [
        {"listing": result, "reach": reach_of(result, now), "parts": parts[result.pk]}
        for result in results
        if result.pk in parts  # not if removed since the search read it
    ]
    return render_to_string("peers/_cards.html", {"cards": shown})


def blank_filters(*, context: dict, choices: tuple) -> SafeString:
    """The filters as they show before any is set: the same for every officer, so kept too,
    under a name made from what they show (the lists on offer and the own-department box)."""
    digest = hashlib.sha256(repr(choices).encode()).hexdigest()[:32]
    key = f"peers:filters:{digest}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("peers/_filters.html", context)
        cache.set(key, html, CARD_SECONDS)
    return mark_safe(html)  # noqa: S308 - an escaping template's output
