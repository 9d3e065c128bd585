from django.urls import include, path

from portal import views
from wnwa.admin import admin_site

urlpatterns = [
    path("", views.home, name="home"),
    path("faq/", views.faq, name="faq"),
    path("membership/", views.membership, name="membership"),
    path("department/poster/", views.poster, name="poster"),
    path("privacy/", views.privacy, name="privacy"),
    path("terms/", views.terms, name="terms"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("offline/", views.offline, name="offline"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("accounts/", include("wnwa.allauth_urls")),
    path("account/passkeys/", include("wnwa.passkeys.urls")),
    path("account/", include("wnwa.accounts.urls")),
    path("directory/", include("peers.urls")),
    path("professionals/", include("professionals.urls")),
    path("", include("resources.urls")),
    path("contact/", include("contact.urls")),
    path("department/", include("departments.urls")),
    path("trainings/", include("trainings.urls")),
    path("staff/", include("wnwa.staff.urls")),
    path("network-admin/", admin_site.urls),
]

handler403 = "portal.views.forbidden"
handler404 = "portal.views.not_found"
handler500 = "portal.views.server_error"
