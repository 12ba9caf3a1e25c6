from typing import Any

from django.db.models.signals import post_save
from django.dispatch import Signal, receiver

from .models import ConsumerProfile, User

# Sent with user_id=<int> after a change to what a consumer shares has committed; the statistics of
# that consumer's partners are refreshed by a listener in a higher layer.
profile_changed = Signal()


@receiver(post_save, sender=User, dispatch_uid="accounts_profile_for_new_user")
def profile_for_new_user(sender: type[User], instance: User, created: bool, raw: bool = False, **kwargs: Any) -> None:
    """Every user is a consumer: give each new one an empty profile that shares nothing."""
    if created and not raw:
        ConsumerProfile.objects.get_or_create(user=instance)
