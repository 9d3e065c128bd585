"""An in-memory mail backend that counts its connections (one per instance)."""

from django.core.mail.backends.locmem import EmailBackend


class CountingBackend(EmailBackend):
    opened = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        CountingBackend.opened += 1
