from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import ConsumerProfile, User


@receiver(post_save, sender=User, dispatch_uid="accounts_profile_for_new_user")
def profile_for_new_user(sender: type[User], instance: User, created: bool, raw: bool = False, **kwargs: Any) -> None:
    """Every user is a consumer: give each new one an empty profile that shares nothing."""
    if created and not raw:
        ConsumerProfile.objects.get_or_create(user=instance)
