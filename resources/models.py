import uuid

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, URLValidator
from django.db import models
from django.db.models import Q

from wnwa.lib.storage import PrivateStorage
from wnwa.lib.uploads import ContentValidator


def document_storage() -> PrivateStorage:
    """Resource PDFs are for signed-in officers: private, under their own folder (or prefix)."""
    return PrivateStorage("RESOURCE_FILES_ROOT", folder="resources")


def document_name(resource: "Resource", filename: str) -> str:
    # The uploaded file's own name may say more than the title does; a random one says nothing.
    return f"{uuid.uuid4().hex}.pdf"


class Category(models.Model):
    name = models.CharField(max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Categories are shown in this order (then by name)."
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Audience(models.TextChoices):
    OFFICERS = "officers", "Officers"
    FAMILIES = "families", "Families"
    BOTH = "both", "Officers and families"


class Resource(models.Model):
    """A piece of reading staff recommend to officers, families or both: a link to another site,
    or a PDF."""

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="resources")
    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=600, help_text="One or two sentences: what it is for.")
    link = models.URLField(
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["https", "http"])],
        help_text="A page on another site. Give a link or a PDF, not both.",
    )
    document = models.FileField(
        "PDF",
        upload_to=document_name,
        storage=document_storage,
        blank=True,
        validators=[
            FileExtensionValidator(["pdf"]),
            ContentValidator(["pdf"], max_bytes_setting="RESOURCE_FILE_MAX_BYTES"),
        ],
        help_text="Shown to signed-in officers only, never under a public address.",
    )
    audience = models.CharField(
        max_length=10,
        choices=Audience.choices,
        default=Audience.OFFICERS,
        help_text="Who sees it: officers, officers' family members, or both.",
    )
    is_published = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Resources are shown in this order within their category."
    )

    class Meta:
        ordering = ["position", "title"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(link="") & ~Q(document="")) | (~Q(link="") & Q(document="")),
                name="resource_has_a_link_or_a_pdf",
                violation_error_message="Give a link or a PDF, not both.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if bool(self.link) == bool(self.document):
            raise ValidationError("Give a link or a PDF, not both and not neither.")
