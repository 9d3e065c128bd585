"""The Django admin, for network admins who have verified their second factor this session."""

from functools import wraps

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from wnwa.accounts import roles


class NetworkAdminSite(admin.AdminSite):
    site_header = "WeNeverWalkAlone network administration"
    site_title = "WNWA administration"
    index_title = "Network records"

    def has_permission(self, request) -> bool:
        user = request.user
        return roles.is_network_admin(user) and user.is_verified()

    def admin_view(self, view, cacheable=False):
        """Decide at once: anonymous to our sign-in, other roles 403 (not the admin's own login)."""
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def gate(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return gate

    def login(self, request, extra_context=None):
        # One sign-in page for everyone: ours, with its rate limits and second factor.
        if not request.user.is_authenticated:
            return redirect_to_login(request.GET.get("next") or "/network-admin/")
        if not self.has_permission(request):
            raise PermissionDenied
        return redirect("admin:index")


admin_site = NetworkAdminSite(name="admin")
