"""Binding forms in views.

`Form(request.POST or None)` leaves the form unbound on a POST with no fields (an empty QueryDict
is falsy), so an empty submission re-shows the page with no error at all. Bind on the method
instead: every POST is validated and answered with its errors.
"""

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict


def post_data(request: HttpRequest) -> MultiValueDict | None:
    """The submitted fields on a POST, even none; None otherwise (an unbound form)."""
    return request.POST if request.method == "POST" else None


def post_files(request: HttpRequest) -> MultiValueDict | None:
    """The submitted files on a POST, even none; None otherwise."""
    return request.FILES if request.method == "POST" else None
