"""The Django admin, for network admins who have verified their second factor this session."""

import inspect
from functools import wraps

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.urls import URLResolver

from wnwa.accounts import roles
from wnwa.lib.uploads import ContentValidator, takes_files


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

    def get_urls(self):
        # Every admin page may take the largest change form's files (the request size
        # middleware reads the limit off the view each URL resolves to).
        urls = super().get_urls()
        for pattern in _patterns(urls):
            if inspect.isfunction(pattern.callback):  # not the bound catch-all redirect
                takes_files(self.largest_files)(pattern.callback)
        return urls

    def largest_files(self) -> int:
        """The most one change form takes in files: of every registered model and its inlines,
        the largest sum of its file fields' size limits (their ContentValidator), so the request
        size middleware lets the biggest resource PDF through and nothing much bigger."""
        largest = 0
        for model, model_admin in self._registry.items():
            related = [inline.model for inline in model_admin.inlines]
            largest = max(largest, sum(_file_limits(m) for m in [model, *related]))
        return largest

    def login(self, request, extra_context=None):
        # One sign-in page for everyone: ours, with its rate limits and second factor.
        if not request.user.is_authenticated:
            return redirect_to_login(request.GET.get("next") or "/network-admin/")
        if not self.has_permission(request):
            raise PermissionDenied
        return redirect("admin:index")


def _patterns(urls):
    for entry in urls:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns)
        else:
            yield entry


def _file_limits(model) -> int:
    total = 0
    for field in model._meta.get_fields():
        if isinstance(field, models.FileField):
            for validator in field.validators:
                if isinstance(validator, ContentValidator):
                    total += validator.limit()
    return total


admin_site = NetworkAdminSite(name="admin")
