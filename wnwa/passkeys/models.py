"""A passkey: only what verifying it needs (docs/privacy.md, rules 1 and 4).

django-otp-webauthn's credential also keeps `last_used_at`, `sign_count` and `backup_state`,
written on every sign-in (a sign-in log), and the authenticator's make (`aaguid`), its backup
flags and a discoverability hint. They are removed here; the helper (wnwa.passkeys.helper)
never writes to a passkey after it is added. What stays: the credential's id and public key,
its transports (which let the phone find it), the name the person gave it and the day it was
added. The library's `credential_id_sha256` (a plain hash of the id, for lookups) stays too.
"""

from django.db import models
from django.utils import timezone
from django_otp_webauthn.models import AbstractWebAuthnCredential, as_credential_descriptors


class Passkey(AbstractWebAuthnCredential):
    # Usage, and what verification does not need.
    last_used_at = None
    created_at = None
    sign_count = None
    backup_eligible = None
    backup_state = None
    aaguid = None
    discoverable = None
    credential_type = None

    added_on = models.DateField(default=timezone.localdate, editable=False)

    class Meta(AbstractWebAuthnCredential.Meta):
        verbose_name = "passkey"
        verbose_name_plural = "passkeys"
        indexes = []  # credential_id_sha256 is unique, which indexes it already

    def __str__(self) -> str:
        return self.name or "Passkey"

    @classmethod
    def get_credential_descriptors_for_user(cls, user):
        # The library orders them by last use; there is none to order by.
        return as_credential_descriptors(cls.objects.filter(user=user).order_by("pk"))
