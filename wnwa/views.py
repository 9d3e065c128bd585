"""Site-wide pages: home (visitors) and landing (signed in), policies, manifest, error pages."""

from django.conf import settings
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views.decorators.cache import cache_control

from departments.selectors import network_counts
from wnwa.accounts import roles
from wnwa.accounts.access import public
from wnwa.lib.urls import reverse_or_none

OFFICER_TILES = [
    ("Find a peer", "Call or text a trained officer from another department.", "peers:directory"),
    ("Professionals", "Vetted clinicians who work with police.", "professionals:directory"),
    ("Resources", "Reading and self-checks for you and your family.", "resources"),
    ("Trainings", "Become a peer supporter.", "trainings:list"),
]


@public
def home(request):
    if request.user.is_authenticated:
        tiles = [
            {"title": title, "text": text, "url": reverse_or_none(name)}
            for title, text, name in OFFICER_TILES
        ]
        return render(
            request,
            "landing.html",
            {
                "is_officer": roles.is_officer(request.user),
                "department": request.user.department,
                "tiles": [tile for tile in tiles if tile["url"]],
            },
        )
    return render(request, "home.html", {"counts": network_counts()})


@public
def privacy(request):
    return render(request, "privacy.html")


@public
def terms(request):
    return render(request, "terms.html")


@public
@cache_control(max_age=86400, public=True)
def manifest(request):
    icon = static("icons/icon-192.png")
    return JsonResponse(
        {
            "name": settings.SITE_NAME,
            "short_name": "WNWA",
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#10212f",
            "icons": [
                {"src": icon, "sizes": "192x192", "type": "image/png"},
                {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {"src": static("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            ],
        },
        content_type="application/manifest+json",
    )


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Standalone: no context processors, so it renders even when the database is down.
    return HttpResponseServerError(
        render_to_string("500.html", {"crisis_lines": settings.CRISIS_LINES})
    )
