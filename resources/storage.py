"""Where resource PDFs live: outside every URL, read back only through a role-checked view."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class ResourceFileStorage(FileSystemStorage):
    """A file system storage under settings.RESOURCE_FILES_ROOT with no public URL.

    The location is read from settings on every use (not fixed at import), so tests and operators
    can move it; `url()` refuses, so no template can link to a file past the officer check.
    """

    @property
    def base_location(self):
        return str(settings.RESOURCE_FILES_ROOT)

    @property
    def location(self):
        return str(settings.RESOURCE_FILES_ROOT.resolve())

    def url(self, name):
        raise ValueError("Resource files have no public URL; link to the resources-file view.")


def resource_file_storage() -> ResourceFileStorage:
    return ResourceFileStorage()
