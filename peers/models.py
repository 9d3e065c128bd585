from django.conf import settings
from django.db import models


class PeerListing(models.Model):
    """A certified officer's card in the peer directory. Fields grow with the directory issue."""

    class Reachability(models.TextChoices):
        ALWAYS = "always", "24/7"
        HOURS = "hours", "Weekly hours"
        ON_DEMAND = "on_demand", "When I switch on \u201cavailable now\u201d"

    peer = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="peer_listing"
    )
    shown_name = models.CharField(max_length=120)
    rank = models.CharField(max_length=80, blank=True)
    years_of_service = models.PositiveSmallIntegerField(null=True, blank=True)
    gender = models.CharField(max_length=40, blank=True)
    languages = models.CharField(max_length=200, blank=True, help_text="Comma-separated.")
    bio = models.TextField(max_length=600, blank=True)
    call_number = models.CharField(
        max_length=20, blank=True, help_text="E.164, for example +13125550100."
    )
    text_number = models.CharField(max_length=20, blank=True, help_text="E.164.")
    reachability = models.CharField(
        max_length=10, choices=Reachability.choices, default=Reachability.ALWAYS
    )
    weekly_hours = models.CharField(max_length=200, blank=True)
    available_until = models.DateTimeField(null=True, blank=True)
    paused_until = models.DateField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.shown_name
