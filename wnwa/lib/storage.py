"""Where private uploads live: a folder outside every URL, read back only through a view that
checks permissions first (licences, certificates, designations, resource PDFs)."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """FileSystemStorage under a folder named by a setting (PRIVATE_MEDIA_ROOT unless told), with
    no URL at all: `url()` raises, so no template can link past the permission check.

    The folder is read from settings on every use (not fixed at import), so tests and operators
    can move it.
    """

    def __init__(self, root_setting: str = "PRIVATE_MEDIA_ROOT"):
        self.root_setting = root_setting
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:
        return str(getattr(settings, self.root_setting))

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL; serve them through a permission-checked view.")


def private_storage() -> PrivateStorage:
    """For FileField(storage=...): a callable, so migrations name it rather than its folder."""
    return PrivateStorage()
