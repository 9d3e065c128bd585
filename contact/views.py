from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from contact import services
from contact.forms import ContactForm, DemoRequestForm, MemberListRequestForm
from contact.models import Enquiry
from wnwa.accounts.access import public
from wnwa.lib import ratelimit
from wnwa.lib.forms import post_data

PAGES = {
    Enquiry.Kind.CONTACT: (ContactForm, "contact/contact.html"),
    Enquiry.Kind.DEMO: (DemoRequestForm, "contact/demo.html"),
    Enquiry.Kind.MEMBER_LIST: (MemberListRequestForm, "contact/member_list.html"),
}


def _failure_limit() -> dict:
    """Refused submissions count on their own, higher limit (wnwa.lib.ratelimit.spent)."""
    return {
        "scope": "enquiry-failed",
        "limit": settings.ENQUIRY_FAILED_RATE_LIMIT,
        "window_seconds": settings.ENQUIRY_RATE_WINDOW_SECONDS,
    }


def _enquiry_page(request, kind: str):
    form_class, template = PAGES[kind]
    form = form_class(post_data(request))
    if request.method == "POST" and ratelimit.spent(request, **_failure_limit()):
        return render(request, "429.html", status=429)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.allow(
            request,
            scope="enquiry",
            limit=settings.ENQUIRY_RATE_LIMIT,
            window_seconds=settings.ENQUIRY_RATE_WINDOW_SECONDS,
        ):
            # Keep what they typed: the form comes back filled in, with a plain reason.
            form.add_error(
                None,
                "Too many messages from this connection. Please wait a few "
                "minutes and send it again; nothing you typed is lost.",
            )
            return render(request, template, {"form": form}, status=429)
        if not form.is_bot:
            fields = {k: v for k, v in form.cleaned_data.items() if k != "website"}
            services.enquiry_submit(kind=kind, fields=fields)
        return redirect("contact:thanks", kind=kind)
    if request.method == "POST":
        ratelimit.allow(request, **_failure_limit())  # count the refusal
    return render(request, template, {"form": form})


@public
@require_http_methods(["GET", "HEAD", "POST"])
def contact(request):
    return _enquiry_page(request, Enquiry.Kind.CONTACT)


@public
@require_http_methods(["GET", "HEAD", "POST"])
def demo(request):
    return _enquiry_page(request, Enquiry.Kind.DEMO)


@public
@require_http_methods(["GET", "HEAD", "POST"])
def member_list(request):
    return _enquiry_page(request, Enquiry.Kind.MEMBER_LIST)


@public
@require_safe
def thanks(request, kind: str):
    kinds = {value for value, _ in Enquiry.Kind.choices}
    return render(request, "contact/thanks.html", {"kind": kind if kind in kinds else "contact"})
