"""Tie a certification held by email alone to the account that later takes that email.

A trainee may pass the exam before their department enrolls them. The accounts app sits below
trainings in the dependency graph (docs/architecture.md) and cannot call up into it, so trainings
listens for the account being saved. Enrollment creates accounts in bulk (no signal), but every
officer sets a password through their invitation before they can sign in, and that save is heard.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from trainings.services.certifications import certifications_link
from wnwa.accounts.models import User


@receiver(post_save, sender=User, dispatch_uid="trainings.link_certifications")
def link_certifications(sender, instance: User, created: bool, update_fields=None, **kwargs):
    if kwargs.get("raw"):
        return
    if created or update_fields is None or {"password", "email", "is_active"} & set(update_fields):
        certifications_link(user=instance)
