"""Which of the accounts app's tables feed which cache scopes (marketplace.kernel.caching), declared beside them.

- `account:{id}`: the facts of one user's page header (has a shop, moderates). Their shop is a vendor row
  (the vendors app bumps its owner's scope), their groups are here.
- `consumer:{id}` (durable, in the database): what one consumer sees of their own (My partners, their feed,
  the vendors they ended); the portfolios and promotions apps bump it in their writing transactions.
- `reference`: regions and interests, named on many pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group

from marketplace.kernel.caching import feeds, feeds_m2m, scope_kind

from .models import Interest, Region, User

scope_kind("account", models=["accounts.User", "auth.Group"], about="one user's page header")
scope_kind("consumer", durable=True, about="what one consumer sees of their own")
scope_kind("reference", models=["accounts.Region", "accounts.Interest"])
scope_kind("vendor", models=["accounts.Region"])
scope_kind("directory", models=["accounts.Region"])


def _groups(instance: Any, action: str, reverse: bool, pk_set: Any) -> list[str]:
    if not reverse:  # user.groups.add / remove / clear
        return [f"account:{instance.pk}"] if action.startswith("post_") else []
    if action == "pre_clear":  # group.user_set.clear(): its members, before they are gone
        return [f"account:{pk}" for pk in instance.user_set.values_list("pk", flat=True)]
    if action.startswith("post_") and pk_set:  # group.user_set.add / remove
        return [f"account:{pk}" for pk in pk_set]
    return []


def _user(user: User) -> list[str]:
    return [f"account:{user.pk}"]


feeds(User, _user)
feeds(Region, lambda region: ["reference", "directory"])
feeds(Interest, lambda interest: ["reference"])
feeds_m2m(User.groups.through, _groups)
_ = Group
