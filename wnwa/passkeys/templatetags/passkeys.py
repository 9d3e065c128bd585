"""The passkey parts of the sign-in, second-factor and account pages."""

from django import template

from wnwa.passkeys import services
from wnwa.passkeys.views import script_configuration

register = template.Library()


@register.inclusion_tag("passkeys/_sign_in.html", takes_context=True)
def passkey_sign_in(context, label: str = "Sign in with a passkey") -> dict:
    """The button that signs in with a passkey (or, for someone signed in who owes a second
    factor, gives it), and the library's script."""
    request = context["request"]
    return {"passkey_config": script_configuration(request), "label": label}


@register.inclusion_tag("passkeys/_account.html")
def account_passkeys(user) -> dict:
    return {"passkeys": services.passkeys_of(user)}


@register.simple_tag
def has_passkeys(user) -> bool:
    from wnwa.accounts import roles

    return roles.has_passkey(user)
