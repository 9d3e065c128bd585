"""Site-wide pages: home (visitors) and landing (signed in), FAQ, membership, policies, the
department poster, manifest, error pages."""

import hashlib

import segno
from django.conf import settings
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from departments.models import peer_quota
from departments.selectors import network_counts
from portal import work
from wnwa.accounts import roles
from wnwa.accounts.access import public, role_required
from wnwa.accounts.roles import Role
from wnwa.context_processors import crisis_lines
from wnwa.lib.urls import reverse_or_none

OFFICER_TILES = [
    ("Find a peer", "Call or text a trained officer from another department.", "peers:directory"),
    ("Professionals", "Vetted clinicians who work with police.", "professionals:directory"),
    ("Resources", "Reading and self-checks for you and your family.", "resources:index"),
    ("Trainings", "Become a peer supporter.", "trainings:list"),
]
FAMILY_TILES = [
    ("Find a peer", "Call or text a trained officer who talks with families.", "peers:directory"),
    ("Professionals", "Vetted clinicians who see officers' families.", "professionals:directory"),
    ("Resources", "Reading and self-checks for families.", "resources:index"),
]


@public
@require_safe
def home(request):
    if request.user.is_authenticated:
        family = roles.family_account_of(request.user)
        tiles = [
            {"title": title, "text": text, "url": reverse_or_none(name)}
            for title, text, name in (FAMILY_TILES if family else OFFICER_TILES)
        ]
        if roles.is_peer_supporter(request.user):  # already one: no call to become one
            tiles[-1]["text"] = "Courses and refreshers for peer supporters."
        return render(
            request,
            "landing.html",
            {
                "is_officer": roles.is_officer(request.user),
                "is_family": roles.is_family_member(request.user),
                "family": family,
                "department": family.department if family else request.user.department,
                "tiles": [tile for tile in tiles if tile["url"]],
                "worklists": work.worklists(request.user),
            },
        )
    return render(request, "home.html", {"counts": network_counts()})


@public
@require_safe
def faq(request):
    return render(
        request,
        "faq.html",
        {
            "counts": network_counts(),
            "quota_months": settings.PEER_QUOTA_MONTHS,
            "first_term_years": settings.FIRST_TERM_YEARS,
        },
    )


# Department sizes for the membership page's worked examples of the peer quota.
QUOTA_EXAMPLES = [10, 25, 50, 100, 250, 500, 1_000, 5_000, 13_000]


@public
@require_safe
def membership(request):
    return render(
        request,
        "membership.html",
        {
            "quota_examples": [(size, *peer_quota(size)) for size in QUOTA_EXAMPLES],
            "quota_months": settings.PEER_QUOTA_MONTHS,
            "first_term_years": settings.FIRST_TERM_YEARS,
        },
    )


@public
@require_safe
def privacy(request):
    return render(
        request,
        "privacy.html",
        {
            "retention_days": settings.RETENTION_DAYS,
            "enquiry_retention_days": settings.ENQUIRY_RETENTION_DAYS,
            "enquiry_window_minutes": settings.ENQUIRY_RATE_WINDOW_SECONDS // 60,
        },
    )


@public
@require_safe
def terms(request):
    return render(request, "terms.html")


@role_required(Role.DEPARTMENT_ADMIN)
@require_safe
def poster(request):
    """A one-page, print-styled poster for the station wall: the network, what it offers, the
    crisis lines and a QR code to the sign-in page. Nothing on it names an officer."""
    path = reverse("account_login")
    if settings.SITE_URL:
        sign_in_url = settings.SITE_URL + path
    else:
        sign_in_url = request.build_absolute_uri(path)
    qr = segno.make(sign_in_url, error="q")
    return render(
        request,
        "poster.html",
        {
            "sign_in_url": sign_in_url,
            "qr_svg": qr.svg_inline(
                scale=8, dark="#000000", light="#ffffff", title="QR code: the sign-in page"
            ),
            "department": request.user.department,
        },
    )


@public
@cache_control(max_age=86400, public=True)
@require_safe
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
                # For launchers that cut icons to their own shape: full-bleed, the heart inside
                # the safe zone (tools/icons.py draws them).
                *(
                    {
                        "src": static(f"icons/icon-maskable-{size}.png"),
                        "sizes": f"{size}x{size}",
                        "type": "image/png",
                        "purpose": "maskable",
                    }
                    for size in (192, 512)
                ),
            ],
            # A long press on the home-screen icon goes straight to the peers.
            "shortcuts": [
                {
                    "name": "Find a peer",
                    "url": "/directory/",
                    "icons": [{"src": icon, "sizes": "192x192"}],
                }
            ],
        },
        content_type="application/manifest+json",
    )


def _offline_page() -> str:
    """The page the service worker shows without a connection: the crisis lines, nothing of the
    person (rendered without the request, so it is the same for everyone)."""
    return render_to_string(
        "offline.html", {"site_name": settings.SITE_NAME, "crisis_lines": crisis_lines()}
    )


@public
@require_safe
def offline(request):
    return HttpResponse(_offline_page())


@public
@cache_control(no_cache=True)
@require_safe
def service_worker(request):
    """sw.js, from the site's root so that it may serve every page's offline fallback. Its
    version follows the offline page and the stylesheet, so a change to either replaces it."""
    stylesheet, icon = static("css/site.css"), static("icons/icon.svg")
    version = hashlib.sha256((_offline_page() + stylesheet).encode()).hexdigest()[:12]
    script = render_to_string(
        "sw.js",
        {
            "version": version,
            "offline_url": reverse("offline"),
            "stylesheet": stylesheet,
            "icon": icon,
        },
    )
    return HttpResponse(script, content_type="text/javascript")


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Standalone: no context processors, so it renders even when the database is down.
    return HttpResponseServerError(render_to_string("500.html", {"crisis_lines": crisis_lines()}))
