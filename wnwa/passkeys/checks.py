"""Deploy check: passkeys work only when the relying party and origins fit the site's address."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def passkey_problems() -> list[str]:
    rp_id = settings.OTP_WEBAUTHN_RP_ID
    origins = list(settings.OTP_WEBAUTHN_ALLOWED_ORIGINS)
    site = urlsplit(settings.SITE_URL)
    problems = []
    if not rp_id or _is_ip(rp_id) or rp_id == "localhost":
        problems.append(f"the relying party ID {rp_id!r} is not the site's domain name")
    if not origins:
        problems.append("no origin is allowed")
    for origin in origins:
        parts = urlsplit(origin)
        host = parts.hostname or ""
        if parts.scheme != "https":
            problems.append(f"the origin {origin!r} is not https")
        if rp_id and host != rp_id and not host.endswith("." + rp_id):
            problems.append(f"the origin {origin!r} is not {rp_id!r} or a subdomain of it")
    if site.hostname and f"{site.scheme}://{site.netloc}" not in origins:
        problems.append(f"the site's own address {settings.SITE_URL!r} is not an allowed origin")
    return problems


@register(Tags.security, deploy=True)
def passkey_relying_party(app_configs, **kwargs):
    problems = passkey_problems()
    if not problems:
        return []
    return [
        Warning(
            "Passkeys cannot work: " + "; ".join(problems) + ".",
            hint=(
                "Set WNWA_SITE_URL to the public https address; WNWA_PASSKEY_RP_ID and "
                'WNWA_PASSKEY_ORIGINS override what is read from it (README, "Passkeys").'
            ),
            id="wnwa.W003",
        )
    ]
