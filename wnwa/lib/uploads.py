"""Uploaded files, checked by what their bytes are, and served back only after a permission check.

The accepted kinds are recognised by their first bytes ("magic numbers"). The signatures are
three well-known constants, so this small check is written here rather than pulled in from
python-magic (which needs the system's libmagic and reports far more types than we accept) or
filetype (which we would still have to narrow). The file's own name and the browser's declared
type are never trusted: a ".pdf" that is really HTML is refused.
"""

import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible

MB = 1024 * 1024


@dataclass(frozen=True)
class Kind:
    label: str  # as people name it: "PDF"
    signature: bytes
    content_type: str
    extension: str


KINDS: dict[str, Kind] = {
    "pdf": Kind("PDF", b"%PDF-", "application/pdf", "pdf"),
    "png": Kind("PNG", b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    "jpeg": Kind("JPEG", b"\xff\xd8\xff", "image/jpeg", "jpg"),
}
DOCUMENT = ("pdf", "png", "jpeg")  # a scan or a photo of a paper document

MESSAGES = {
    "bad_name": (
        "The file name contains folder parts or hidden characters. Rename the file (for example "
        "document.{extension}) and attach it again."
    ),
    "empty": "This file is empty, not a {kinds}. Save it again and attach the saved file.",
    "too_large": (
        "This file is {size}, larger than {limit}. Save a smaller copy and attach it again."
    ),
    "bad_type": (
        "This file is not a {kinds}. Whatever its name says, its content is something else: "
        "save it as a {kinds} and attach that."
    ),
}


def sniff(head: bytes, kinds: Iterable[str] = DOCUMENT) -> Kind | None:
    """The kind the bytes really are, among `kinds`, or None."""
    for name in kinds:
        if head.startswith(KINDS[name].signature):
            return KINDS[name]
    return None


def _size(count: int, *, exact: bool = False) -> str:
    if count >= MB:
        megabytes = f"{count / MB:.1f}"
        return f"{megabytes.removesuffix('.0') if exact else megabytes} MB"
    return f"{count} bytes"


def _labels(kinds: Iterable[str]) -> str:
    labels = [KINDS[name].label for name in kinds]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"


def _bad_name(name: str) -> bool:
    return (
        "/" in name
        or "\\" in name
        or name.startswith(".")
        or any(not character.isprintable() for character in name)
    )


def check_upload(
    upload: UploadedFile,
    *,
    kinds: Iterable[str] = DOCUMENT,
    max_bytes: int,
    messages: Mapping[str, str] | None = None,
) -> Kind:
    """The upload's real kind; ValidationError (with a code) for a hidden or control-character
    name, an empty or oversized file, or content that is none of `kinds`.

    `messages` may reword any of MESSAGES (same codes and {placeholders}) for an app's own voice.
    """
    kinds = tuple(kinds)
    words = {**MESSAGES, **(messages or {})}
    details = {
        "kinds": _labels(kinds),
        "extension": KINDS[kinds[0]].extension,
        "limit": _size(max_bytes, exact=True),
        "size": _size(upload.size or 0),
    }

    def refuse(code: str) -> ValidationError:
        return ValidationError(words[code].format(**details), code=code)

    if _bad_name(upload.name or ""):
        raise refuse("bad_name")
    if not upload.size:
        raise refuse("empty")
    if upload.size > max_bytes:
        raise refuse("too_large")
    position = upload.tell()
    upload.seek(0)
    head = upload.read(16)
    upload.seek(position)
    kind = sniff(head, kinds)
    if kind is None:
        raise refuse("bad_type")
    return kind


@deconstructible
class ContentValidator:
    """Model field validator: `check_upload` on a file as it is uploaded.

    A file already in storage was checked when it came in, so saving the object again does not
    reread it. The size limit is either fixed or read from a setting at validation time.
    """

    def __init__(
        self,
        kinds: Iterable[str] = DOCUMENT,
        max_bytes: int | None = None,
        max_bytes_setting: str | None = None,
    ):
        if (max_bytes is None) == (max_bytes_setting is None):
            raise ValueError("Give the size limit as max_bytes or max_bytes_setting (one of them).")
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes
        self.max_bytes_setting = max_bytes_setting

    def limit(self) -> int:
        """The size limit in bytes, now."""
        if self.max_bytes is not None:
            return self.max_bytes
        return getattr(settings, self.max_bytes_setting)

    def __call__(self, value: FieldFile) -> None:
        if getattr(value, "_committed", False):
            return
        check_upload(value, kinds=self.kinds, max_bytes=self.limit())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ContentValidator) and (
            (self.kinds, self.max_bytes, self.max_bytes_setting)
            == (other.kinds, other.max_bytes, other.max_bytes_setting)
        )


# A file size limit: bytes, the name of a setting holding bytes, or a function giving them.
SizeLimit = int | str | Callable[[], int]
FILES_ATTRIBUTE = "takes_files"


def takes_files(*limits: SizeLimit):
    """View decorator: the route accepts files of at most these sizes, one limit per file field.

    The request size middleware (wnwa.middleware.RequestSizeMiddleware) lets a body through only
    up to the route's largest legitimate request, `request_max_bytes`: a route that declares no
    files takes only what Django accepts of ordinary fields. Give the form's own limits, so the
    two cannot drift apart.
    """

    def decorator(view):
        setattr(view, FILES_ATTRIBUTE, limits)
        return view

    return decorator


def _bytes(limit: SizeLimit) -> int:
    if callable(limit):
        return limit()
    if isinstance(limit, str):
        return getattr(settings, limit)
    return limit


def request_max_bytes(view) -> int:
    """The largest request body `view` legitimately receives: the files it declares with
    `takes_files`, plus what Django accepts of the other fields and the multipart framing
    (DATA_UPLOAD_MAX_MEMORY_SIZE, which Django applies to everything but files)."""
    limits = getattr(view, FILES_ATTRIBUTE, ())
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE + sum(_bytes(limit) for limit in limits)


def random_name(folder: str, extension: str) -> str:
    """A stored file's name: never the uploader's own (it may name a person, or be hostile)."""
    return f"{folder}/{secrets.token_hex(16)}.{extension.lower().lstrip('.')[:4] or 'bin'}"


def display_name(name: str) -> str:
    """An uploader's file name, for showing to staff only: printable and short."""
    cleaned = "".join(ch for ch in name if ch.isprintable()).strip() or "document"
    return cleaned[-120:]


def private_file_response(
    file: FieldFile,
    *,
    filename: str,
    content_type: str | None = None,
    as_attachment: bool = True,
    no_store: bool = True,
) -> FileResponse:
    """A stored private file, sent after the caller's permission check: 404 when it is missing,
    never sniffed by the browser nor (with `no_store`) kept by it.

    Without `content_type`, the type is read from the file's first bytes and `filename` is a stem
    that gets the matching extension.
    """
    try:
        handle = file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The file is missing from storage.") from missing
    if content_type is None:
        kind = sniff(handle.read(16), KINDS)
        handle.seek(0)
        content_type = kind.content_type if kind else "application/octet-stream"
        filename = f"{filename}.{kind.extension if kind else 'bin'}"
    response = FileResponse(
        handle, as_attachment=as_attachment, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    if no_store:
        response["Cache-Control"] = "private, no-store"
    return response
