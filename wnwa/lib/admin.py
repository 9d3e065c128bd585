"""Private files in the Django admin.

A private file's storage has no URL (wnwa.lib.storage): `url()` raises, so nothing can link past
the permission check. Django's admin file widget, and its read-only display of a file, link to
`file.url`, so a change page with a file attached would answer 500. Here the admin links to the
view that serves the file after its own permission check instead; the core does not know the
apps' views, so each app's admin names its view:

    formfield_overrides = {models.FileField: {"widget": PrivateFileInput(url="resources:document")}}

`url` is a URL name reversed with the record's primary key, or a function of the record that
returns the address. A read-only file (an inline that lists documents) is shown with
`private_file_link`, which renders the same markup.
"""

from collections.abc import Callable

from django.contrib.admin.widgets import AdminFileWidget
from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

DownloadUrl = str | Callable[[Model], str]

LABEL = "the file on record"


def download_url(url: DownloadUrl, instance: Model) -> str:
    """The address of the view that serves `instance`'s file."""
    return url(instance) if callable(url) else reverse(url, args=[instance.pk])


def _on_record(value) -> bool:
    """A file already stored for a saved record (not one being uploaded with this form)."""
    return bool(
        isinstance(value, FieldFile)
        and value.name
        and getattr(value.instance, "pk", None) is not None
    )


class _Link:
    """What the admin's file template reads: `url` for the link, `str()` for its text."""

    def __init__(self, url: str, label: str):
        self.url, self.label = url, label

    def __str__(self) -> str:
        return self.label


class PrivateFileInput(AdminFileWidget):
    """The admin's file widget ("Currently: … Clear … Change:"), linking to the download view."""

    def __init__(self, attrs=None, *, url: DownloadUrl, label: str = LABEL):
        super().__init__(attrs)
        self.url, self.label = url, label

    def is_initial(self, value) -> bool:
        # Django's asks for `value.url`, which a private file refuses with a ValueError.
        return _on_record(value)

    def format_value(self, value):
        if _on_record(value):
            return _Link(download_url(self.url, value.instance), self.label)
        return None


def private_file_link(value: FieldFile, url: DownloadUrl, label: str = LABEL) -> SafeString | str:
    """A read-only file as a link to its download view, in the widget's markup; "" when empty."""
    if not _on_record(value):
        return ""
    return format_html(
        '<p class="file-upload"><a href="{}">{}</a></p>', download_url(url, value.instance), label
    )
