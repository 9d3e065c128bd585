"""Where applicants' documents live: a folder outside every URL, read back only through a view."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """FileSystemStorage rooted at settings.PRIVATE_MEDIA_ROOT, with no URL at all.

    The root is read on every use (not cached at import) so that tests and operators can move it.
    """

    @property
    def base_location(self) -> Path:
        return Path(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return str(self.base_location.resolve())

    def url(self, name: str | None) -> str:
        raise ValueError("Private documents have no URL; serve them through the document view.")


def private_storage() -> PrivateStorage:
    return PrivateStorage()
