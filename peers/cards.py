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
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from peers.directory import Choices, Result, directory_choices
from peers.forms import DirectoryForm
from peers.models import ExperienceArea, Language, PeerListing
from peers.schedule import Reach, reach_of

CARD_SECONDS = 60 * 60 * 24


# The kept parts' shape: a change to what `_render_kept_parts` keeps changes it, so that no server
# reads parts kept in the old shape.
PARTS_SHAPE = 2


def _key(pk: int, version: int) -> str:
    return f"peers:card:{PARTS_SHAPE}:{pk}:{version}"


def _render_kept_parts(missing: list[int]) -> dict[int, tuple[str, str, int]]:
    """The card of each listing but its line of the clock, as the HTML before that line and the
    HTML after it, with the version they were rendered from."""
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
        top = format_html(
            '<article class="card peer-card" aria-labelledby="peer-{}">{}',
            listing.pk,
            render_to_string("peers/_card_top.html", context),
        )
        bottom = render_to_string("peers/_card_bottom.html", context) + "</article>"
        # Kept as plain text (an escaping template's output): joined without SafeString's checks.
        parts[listing.pk] = (str(top), str(bottom), listing.card_version)
    return parts


def cards(
    results: list[Result], *, now: datetime.datetime, kept: "Filters | None" = None
) -> tuple[SafeString, "Filters"]:
    """Every result's card, in order: kept parts from the cache, the rest rendered and kept;
    and the filters' kept entry (`filters`), read in the same trip to the cache unless the
    caller has it already."""
    keys = {result.pk: _key(result.pk, result.card_version) for result in results}
    read = cache.get_many([*keys.values(), *([] if kept else [FILTERS_KEY])])
    kept = kept or read.get(FILTERS_KEY) or _kept_filters()
    parts = {pk: read[key] for pk, key in keys.items() if key in read}
    missing = [pk for pk in keys if pk not in parts]
    if missing:
        rendered = _render_kept_parts(missing)
        cache.set_many(
            {_key(pk, version): (top, bottom) for pk, (top, bottom, version) in rendered.items()},
            CARD_SECONDS,
        )
        parts.update({pk: (top, bottom) for pk, (top, bottom, _) in rendered.items()})
    html = mark_safe(  # noqa: S308 - kept parts are an escaping template's output
        "".join(
            parts[result.pk][0] + reach_line(reach_of(result, now)) + parts[result.pk][1]
            for result in results
            if result.pk in parts  # not if removed since the search read it
        )
    )
    return html, kept


def reach_line(reach: Reach) -> SafeString:
    """The card's line of the clock (peers.schedule.Reach), rendered for each request, never
    kept. Built here rather than in a template: twenty of them a page, and a template's include
    costs more than the rest of the card's assembly (the peer's own page uses it too, through
    the `reach_line` tag)."""
    if reach.group == 0:
        return format_html(
            '<p class="peer-reach now"><strong>Available now</strong> until {}</p>', reach.until
        )
    if reach.always:
        return mark_safe(
            '<p class="peer-reach now"><strong>Reachable now</strong> · day and night</p>'
        )
    hours = format_html('<span class="peer-hours"> · {}</span>', reach.hours) if reach.hours else ""
    if reach.group == 1:
        return format_html(
            '<p class="peer-reach now"><strong>Reachable now</strong> · until {}{}</p>',
            reach.until,
            hours,
        )
    if reach.next:
        return format_html(
            '<p class="peer-reach"><strong>Next reachable {}</strong>{}</p>', reach.next, hours
        )
    if reach.hours:
        return format_html('<p class="peer-reach">Hours: {}</p>', reach.hours)
    return mark_safe(
        '<p class="peer-reach">Not switched on right now; leave a message or a text.</p>'
    )


FILTERS_SECONDS = 60
FILTERS_KEY = "peers:filters"


@dataclass(frozen=True)
class Filters:
    """What the filters offer (`directory_choices`), and their markup as they show before any is
    set (the same for every officer but for the own-department box): `blank[True]` for someone
    with a department, `blank[False]` for someone without. Kept together for a minute, so a new
    experience area shows in the filters within it; a card names its own lists."""

    choices: Choices
    blank: dict[bool, str]


def filters() -> Filters:
    return cache.get(FILTERS_KEY) or _kept_filters()


def _kept_filters() -> Filters:
    """The filters' entry, built afresh and kept."""
    choices = directory_choices()
    form = DirectoryForm(
        areas=choices.areas, languages=choices.languages, states_with_peers=choices.states
    )
    blank = {
        has_department: render_to_string(
            "peers/_filters.html",
            {"form": form, "has_department": has_department, "active_filters": 0},
        )
        for has_department in (True, False)
    }
    kept = Filters(choices=choices, blank=blank)
    cache.set(FILTERS_KEY, kept, FILTERS_SECONDS)
    return kept


def blank_filters(kept: Filters, *, has_department: bool) -> SafeString:
    return mark_safe(kept.blank[has_department])  # noqa: S308 - an escaping template's output
