"""The facts of the page header (has a shop, moderates), kept between a user's pages and renewed by their
`account:{id}` scope (a vendor they own saved or handed over, a group joined or left: cache_scopes.py of the
accounts and vendors apps). A lost bump shows for a timeout at most; the header's links are only links."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from marketplace.kernel.caching import kept

from .models import MODERATORS_GROUP, User


@kept("header-facts", shape=1, scopes=lambda user_id: (f"account:{user_id}",))
def header_facts(*, user_id: int) -> tuple[bool, bool]:
    """Whether the user has a shop and whether they are a moderator, in one query."""
    from django.contrib.auth.models import Group

    from vendors.models import Vendor

    return (
        User.objects.filter(pk=user_id)
        .values_list(
            Exists(Vendor.objects.filter(owner=OuterRef("pk"))),
            Exists(Group.objects.filter(user=OuterRef("pk"), name=MODERATORS_GROUP)),
        )
        .get()
    )
