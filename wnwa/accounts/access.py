"""Decorators that state each view's authorization decision.

Every view of the project carries one of them (a test walks the URL resolver and fails on a view
without one), so that a new page cannot be added without saying who may open it.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from wnwa.accounts.roles import Role, has_role


def _mark(view: Callable, decision: str) -> Callable:
    view.access = decision
    return view


def public(view: Callable) -> Callable:
    """Anyone, signed in or not."""
    return _mark(view, "public")


def signed_in(view: Callable) -> Callable:
    """Any signed-in user, whatever their role."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return _mark(wrapper, "signed in")


def role_required(*allowed: Role) -> Callable[[Callable], Callable]:
    """Signed-in users holding any of `allowed` (network admins always pass); others get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not any(has_role(request.user, role) for role in allowed):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return _mark(wrapper, " or ".join(allowed))

    return decorator
