"""The parts of django-allauth's account app the portal uses, each with its access decision.

Left out on purpose: sign-up (there is none), email management (an officer's address is their
department's to change), login by code, phone, and email confirmation.
"""

from allauth.account import views
from django.urls import path, re_path
from django.views.decorators.http import require_http_methods
from django.views.generic import RedirectView

from wnwa.accounts.access import public, signed_in

urlpatterns = [
    path("login/", public(views.login), name="account_login"),
    path("logout/", public(views.logout), name="account_logout"),
    path("inactive/", public(views.account_inactive), name="account_inactive"),
    path(
        "signup/",
        public(RedirectView.as_view(pattern_name="account_login", permanent=False)),
        name="account_signup",
    ),
    path("reauthenticate/", signed_in(views.reauthenticate), name="account_reauthenticate"),
    path("password/change/", signed_in(views.password_change), name="account_change_password"),
    path("password/reset/", public(views.password_reset), name="account_reset_password"),
    path(
        "password/reset/done/",
        public(views.password_reset_done),
        name="account_reset_password_done",
    ),
    re_path(
        r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        # allauth's view answers any method with its page; only these two do something.
        public(require_http_methods(["GET", "HEAD", "POST"])(views.password_reset_from_key)),
        name="account_reset_password_from_key",
    ),
    path(
        "password/reset/key/done/",
        public(views.password_reset_from_key_done),
        name="account_reset_password_from_key_done",
    ),
]
