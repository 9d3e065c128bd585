from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from peers import cards, schedule, selectors, services
from peers.directory import (
    COUNT_CAP,
    DirectoryFilters,
    directory_page,
    loosening_hints,
)
from peers.forms import AvailabilityForm, DirectoryForm, ListingForm, PauseForm
from peers.models import PeerListing
from wnwa.accounts import roles
from wnwa.accounts.access import role_required
from wnwa.accounts.roles import Role
from wnwa.lib.forms import post_data


def _filters(form: DirectoryForm | None) -> DirectoryFilters:
    """The valid part of what was asked; an invalid filter is reported and left out."""
    if form is None:
        return DirectoryFilters()
    form.is_valid()
    values = {
        name: value
        for name, value in form.cleaned_data.items()
        if name in DirectoryFilters.__dataclass_fields__
    }
    return DirectoryFilters(**values)


def _loosened_url(request, name: str) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    if name == "include_own":
        query["include_own"] = "on"
    else:
        query.pop(name, None)
    return f"?{query.urlencode()}"


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


@role_required(Role.OFFICER, Role.FAMILY)
@require_safe
def directory(request):
    """Read only: nothing about who searched for what is written anywhere (docs/privacy.md).
    A family member finds only the peers who talk with family members."""
    # Blank filters need nothing before the search: their kept entry comes with the cards.
    kept = form = None
    if request.GET:
        kept = cards.filters()
        form = DirectoryForm(
            request.GET,
            areas=kept.choices.areas,
            languages=kept.choices.languages,
            states_with_peers=kept.choices.states,
        )
    filters = _filters(form)
    for_family = roles.is_family_member(request.user) and not roles.is_officer(request.user)
    if for_family:
        filters = replace(filters, families=True)
    own = roles.own_department_id(request.user)
    now = timezone.now()
    page = directory_page(
        filters=filters, own_department_id=own, number=_page_number(request), now=now
    )
    hints = []
    if not page.count:
        hints = [
            (DirectoryForm.LOOSEN[name], _loosened_url(request, name), count)
            for name, count in loosening_hints(filters=filters, own_department_id=own)
        ]
    cards_html, kept = cards.cards(page.listings, now=now, kept=kept)
    active = len(filters.active()) + filters.include_own
    if form is not None and (active or form.errors):
        context = {
            "form": form,
            "has_department": own is not None,
            "active_filters": active,
        }
        filters_html = render_to_string("peers/_filters.html", context)
    else:  # as every officer first sees them: kept
        filters_html = cards.blank_filters(kept, has_department=own is not None)
    return render(
        request,
        "peers/directory.html",
        {
            "filters_form": filters_html,
            "filters": filters,
            "page": page,
            "cards": cards_html,
            "count_cap": f"{COUNT_CAP:,}",
            "hints": hints,
            "is_peer_supporter": roles.is_peer_supporter(request.user),
            "for_family": for_family,
        },
    )


def _own_listing(request) -> PeerListing | None:
    # Network admins pass every role check, but only a certified officer can have a listing.
    if not roles.is_peer_supporter(request.user):
        raise PermissionDenied
    return selectors.listing_of(peer=request.user)


@role_required(Role.PEER_SUPPORTER)
@require_safe
def my_listing(request):
    listing = _own_listing(request)
    if listing is None:
        return redirect("peers:my-listing-edit")
    now = timezone.now()
    return render(
        request,
        "peers/my_listing.html",
        {
            "listing": listing,
            "reach": listing.reach(now),
            "hours": schedule.describe(listing.week, listing.time_zone),
            "live": selectors.listing_is_live(listing=listing),
            "missing": listing.missing(),
            "now": now,
            "today": timezone.localdate(),
            "availability_form": AvailabilityForm(),
            "pause_form": PauseForm(),
        },
    )


@role_required(Role.PEER_SUPPORTER)
@require_http_methods(["GET", "HEAD", "POST"])
def my_listing_edit(request):
    listing = _own_listing(request)
    form = ListingForm(post_data(request), instance=listing, department=request.user.department)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.listing_save(
            peer=request.user, fields=data, languages=data["languages"], areas=data["areas"]
        )
        messages.success(request, "Your listing is saved. Here it is as other officers see it.")
        return redirect("peers:my-listing")
    return render(request, "peers/my_listing_edit.html", {"form": form, "listing": listing})


@role_required(Role.PEER_SUPPORTER)
@require_POST
def my_listing_confirm(request):
    listing = _own_listing(request)
    if listing is None:
        return redirect("peers:my-listing-edit")
    services.listing_confirm(listing=listing)
    messages.success(request, "Thank you. Your listing stays up for another six months.")
    return redirect("peers:my-listing")


@role_required(Role.PEER_SUPPORTER)
@require_POST
def my_listing_available(request):
    listing = _own_listing(request)
    if listing is None:
        return redirect("peers:my-listing-edit")
    if "off" in request.POST:
        services.listing_set_available(listing=listing, hours=None)
        messages.success(request, "\u201cAvailable now\u201d is off.")
        return redirect("peers:my-listing")
    form = AvailabilityForm(request.POST)
    if form.is_valid():
        services.listing_set_available(listing=listing, hours=form.cleaned_data["hours"])
        messages.success(request, "You show as available now. It switches off by itself.")
    else:
        messages.error(request, "Choose between 1 and 12 hours.")
    return redirect("peers:my-listing")


@role_required(Role.PEER_SUPPORTER)
@require_POST
def my_listing_pause(request):
    listing = _own_listing(request)
    if listing is None:
        return redirect("peers:my-listing-edit")
    if "resume" in request.POST:
        services.listing_pause(listing=listing, until=None)
        messages.success(request, "Your listing shows again.")
        return redirect("peers:my-listing")
    form = PauseForm(request.POST)
    if form.is_valid():
        services.listing_pause(listing=listing, until=form.cleaned_data["until"])
        messages.success(request, "Your listing is paused. It comes back by itself.")
        return redirect("peers:my-listing")
    messages.error(request, " ".join(form.errors.get("until", ["Choose a date."])))
    return redirect("peers:my-listing")


@role_required(Role.PEER_SUPPORTER)
@require_http_methods(["GET", "HEAD", "POST"])
def my_listing_remove(request):
    listing = _own_listing(request)
    if listing is None:
        return redirect("peers:my-listing-edit")
    if request.method == "POST":
        services.listing_remove(listing=listing)
        messages.success(request, "Your listing and its phone numbers are deleted.")
        return redirect("home")
    return render(request, "peers/my_listing_remove.html", {"listing": listing})


@role_required(Role.DEPARTMENT_ADMIN)
@require_safe
def department(request):
    """A department's certified officers and their listing states: never anything about calls."""
    if request.user.department is None:
        raise PermissionDenied  # a network admin without a department
    states = selectors.department_peer_states(department=request.user.department)
    counts = {key: 0 for key in selectors.STATE_LABELS}
    for row in states:
        counts[row.state] += 1
    return render(
        request,
        "peers/department.html",
        {
            "department": request.user.department,
            "states": states,
            "counts": [(selectors.STATE_LABELS[key], n) for key, n in counts.items()],
        },
    )
