"""Where private uploads live (licences, CVs, certificates, designations, resource PDFs): a
private bucket when the settings name one (`PRIVATE_FILES_BUCKET`, from `WNWA_STORAGE_URL` or
the usual `AWS_*` variables), otherwise a folder outside every URL. Either way they are read back
only through a view that checks permissions first and streams the bytes itself
(`wnwa.lib.uploads.private_file_response`): no private file has a URL, not even a presigned one,
so the storage provider never sees an officer's address or cookie (docs/privacy.md).

A record's file is deleted with the record, and the old one when it is replaced or cleared, once
the transaction commits (django-cleanup, installed last in `INSTALLED_APPS`).

`copy_to_bucket` moves an existing folder into the bucket (`manage.py copy_files_to_bucket`).
"""

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.db import models
from django.utils.deconstruct import deconstructible
from storages.backends.s3 import S3Storage

NO_URL = "Private files have no URL; serve them through a permission-checked view."


class PrivateFolder(FileSystemStorage):
    """FileSystemStorage under a folder named by a setting, read on every use (not fixed at
    import, so tests and operators can move it), with no URL at all."""

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
        raise ValueError(NO_URL)


class PrivateBucket(S3Storage):
    """An S3-compatible bucket, kept private: no ACL is ever sent (objects take the bucket's own,
    private, default), and no URL is ever made."""

    def url(self, name: str | None, parameters=None, expire=None, http_method=None) -> str:
        raise ValueError(NO_URL)


@lru_cache(maxsize=8)
def _bucket(options: tuple, folder: str, overwrite: bool) -> PrivateBucket:
    # One storage (and so one boto3 session per thread) per configuration, not one per file.
    given = dict(options)
    prefix = "/".join(part for part in (given.pop("location", ""), folder) if part)
    return PrivateBucket(
        **given,
        location=prefix,
        default_acl=None,
        querystring_auth=False,
        file_overwrite=overwrite,
        object_parameters={},
    )


@deconstructible
class PrivateStorage(Storage):
    """The private files of one kind: in the bucket when one is configured, else in the folder
    that `root_setting` names. Decided on every use, from the settings of the moment.

    `folder` is the bucket's key prefix standing for that folder (resource PDFs keep their own
    folder, `RESOURCE_FILES_ROOT`, and their own prefix, `resources/`).
    """

    def __init__(self, root_setting: str = "PRIVATE_MEDIA_ROOT", folder: str = ""):
        self.root_setting, self.folder = root_setting, folder

    def local(self) -> PrivateFolder:
        return PrivateFolder(self.root_setting)

    def bucket(self, *, overwrite: bool = False) -> PrivateBucket | None:
        options = settings.PRIVATE_FILES_BUCKET
        if not options:
            return None
        return _bucket(tuple(sorted(options.items())), self.folder, overwrite)

    @property
    def backend(self) -> Storage:
        return self.bucket() or self.local()

    # Everything a FileField and our views ask of a storage, asked of the one in use.
    def open(self, name, mode="rb"):
        return self.backend.open(name, mode)

    def save(self, name, content, max_length=None):
        return self.backend.save(name, content, max_length=max_length)

    def generate_filename(self, filename):
        return self.backend.generate_filename(filename)

    def get_available_name(self, name, max_length=None):
        return self.backend.get_available_name(name, max_length=max_length)

    def delete(self, name):
        return self.backend.delete(name)

    def exists(self, name):
        return self.backend.exists(name)

    def size(self, name):
        return self.backend.size(name)

    def listdir(self, path):
        return self.backend.listdir(path)

    def path(self, name):
        return self.backend.path(name)

    def url(self, name: str | None) -> str:
        raise ValueError(NO_URL)


def private_storage() -> PrivateStorage:
    """For FileField(storage=...): a callable, so migrations name it rather than its folder."""
    return PrivateStorage()


# --- Moving the folder into the bucket ------------------------------------------------------------


@dataclass
class CopyReport:
    copied: int = 0
    already_there: int = 0
    missing: int = 0  # named by a record, absent from the folder
    failed: int = 0  # read back from the bucket with other bytes than the folder's


def private_file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    """Every file field of every installed model whose files are private."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField) and isinstance(field.storage, PrivateStorage)
    ]


def checksum(storage: Storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        for chunk in handle.chunks():
            digest.update(chunk)
    return digest.hexdigest()


def copy_to_bucket() -> CopyReport:
    """Copy every private file a record names from its folder to the bucket under the same name,
    and read each back to compare SHA-256 checksums. Run it again at will: a file already in the
    bucket with the same checksum is left alone; one with other bytes is written again."""
    report = CopyReport()
    for model, field in private_file_fields():
        storage: PrivateStorage = field.storage
        local, bucket = storage.local(), storage.bucket(overwrite=True)
        if bucket is None:
            raise ValueError("No bucket is configured: set WNWA_STORAGE_URL.")
        names = (
            model._default_manager.exclude(**{field.name: ""})
            .values_list(field.name, flat=True)
            .distinct()
            .order_by()
        )
        for name in names.iterator():
            if not local.exists(name):
                report.missing += 1
                continue
            expected = checksum(local, name)
            if bucket.exists(name) and checksum(bucket, name) == expected:
                report.already_there += 1
                continue
            with local.open(name, "rb") as handle:
                bucket.save(name, handle)
            if checksum(bucket, name) == expected:
                report.copied += 1
            else:
                report.failed += 1
    return report
