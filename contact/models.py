from django.db import models
from django.utils import timezone


class Enquiry(models.Model):
    """A message from the public site, kept for staff to answer (then purged: enquiries_purge).

    Visitors, not officers, send these: a chief asking about membership, someone asking for a
    demo or for the list of member agencies. Nothing about an officer's use of the portal is here.
    """

    class Kind(models.TextChoices):
        CONTACT = "contact", "Message"
        DEMO = "demo", "Demo request"
        MEMBER_LIST = "member-list", "Member agency list request"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    name = models.CharField(max_length=150)
    email = models.EmailField(max_length=254)
    phone = models.CharField(max_length=40, blank=True, help_text="E.164, for example +13125550100")
    organisation = models.CharField("department or organisation", max_length=200, blank=True)
    role = models.CharField("role or title", max_length=120, blank=True)
    preferred_times = models.CharField(max_length=300, blank=True)
    message = models.TextField(max_length=4000, blank=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    is_handled = models.BooleanField("handled", default=False)

    class Meta:
        ordering = ["-received_at"]
        verbose_name_plural = "enquiries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.name}"
