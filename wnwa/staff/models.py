"""The record of what network admins did to staff accounts (docs/privacy.md: "Staff actions on
records ... are the network's own administration, not usage, and may be attributed").

Each row says who did what to which account, and when. Nothing here is written by signing in or
by using the site; the retention purge erases the rows naming an erased officer
(`records_erase`, called by departments' `deactivated_purge`).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

# The role flags of wnwa.accounts.models.ROLE_FIELDS, as the staff pages name them (and as their
# URLs spell them).
ROLE_LABELS = {
    "is_department_admin": "department admin",
    "is_vetter": "vetter",
    "is_training_staff": "training staff",
    "is_network_admin": "network admin",
}
ROLE_SLUGS = {field: label.replace(" ", "-") for field, label in ROLE_LABELS.items()}


class StaffAct(models.Model):
    class Kind(models.TextChoices):
        INVITED = "invited", "Invited"
        ROLE_GIVEN = "role_given", "Role given"
        ROLE_REMOVED = "role_removed", "Role removed"
        SECOND_FACTOR_RESET = "second_factor_reset", "Second factor reset"

    kind = models.CharField(max_length=24, choices=Kind.choices)
    role = models.CharField(
        max_length=24, blank=True, choices=[(field, label) for field, label in ROLE_LABELS.items()]
    )
    # Who did it: kept when they leave (the act still happened), shown as "a former admin".
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_acts"
    )
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-done_at", "-pk"]
        indexes = [models.Index(fields=["subject", "kind", "-done_at"])]

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        text = self.get_kind_display()
        if self.role:
            text += f": {ROLE_LABELS[self.role]}"
        return text
