from django.http import Http404
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from resources import selectors
from resources.selfchecks import SELF_CHECKS
from wnwa.accounts import roles
from wnwa.accounts.access import public, role_required
from wnwa.accounts.roles import Role
from wnwa.lib.uploads import private_file_response


def _for_family(request) -> bool:
    return roles.is_family_member(request.user) and not roles.is_officer(request.user)


@role_required(Role.OFFICER, Role.FAMILY)
@require_safe
def index(request):
    """Officers see the resources for officers, family members those for families."""
    categories = selectors.resources_by_category(families=_for_family(request))
    return render(
        request,
        "resources/index.html",
        {"categories": categories, "self_checks": SELF_CHECKS.values()},
    )


@role_required(Role.OFFICER, Role.FAMILY)
@cache_control(private=True, max_age=3600)
@require_safe
def document(request, pk: int):
    resource = selectors.resource_with_document(
        pk,
        include_unpublished=roles.is_network_admin(request.user),
        families=_for_family(request),
    )
    if resource is None:
        raise Http404
    # Opened in the browser's PDF reader and kept a while on the officer's own device.
    return private_file_response(
        resource.document,
        filename=f"{slugify(resource.title) or 'resource'}.pdf",
        content_type="application/pdf",
        as_attachment=False,
        no_store=False,
    )


# The self-checks are public: nothing is sent, so there is nothing to protect, and an officer
# whose session has lapsed, or a family member, should not meet a sign-in form at 3 a.m.
@public
@require_safe
def self_checks(request):
    return render(request, "resources/self_checks.html", {"self_checks": SELF_CHECKS.values()})


@public
@require_safe
def self_check(request, slug: str):
    check = SELF_CHECKS.get(slug)
    if check is None:
        raise Http404
    return render(request, "resources/self_check.html", {"check": check})
