"""What every page's header needs. The header's facts (has a shop, moderates) join the accounts and the vendors,
so they are read here, at the wiring above every app, kept between a user's pages and renewed by their
`account:{id}` scope (a vendor they own saved or handed over, a group joined or left: cache_scopes.py of the
accounts and vendors apps). A lost bump shows for a timeout at most; the header's links are only links."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef
from django.http import HttpRequest

from marketplace.accounts.models import MODERATORS_GROUP, User
from marketplace.kernel.caching import kept
from vendors.models import Vendor


@kept("header-facts", shape=1, scopes=lambda user_id: (f"account:{user_id}",))
def header_facts(*, user_id: int) -> tuple[bool, bool]:
    """Whether the user has a shop and whether they are a moderator, in one query."""
    return (
        User.objects.filter(pk=user_id)
        .values_list(
            Exists(Vendor.objects.filter(owner=OuterRef("pk"))),
            Exists(Group.objects.filter(user=OuterRef("pk"), name=MODERATORS_GROUP)),
        )
        .get()
    )


def site(request: HttpRequest) -> dict[str, object]:
    """What every page's header needs: the site name, whether the signed-in user has a shop ("Your shop" or
    "Sell") and whether they moderate, read once per request and kept in the cache between requests. The
    header's links are only links: each page checks its own permissions."""
    user = request.user
    has_shop = moderates = False
    if user.is_authenticated:
        facts = getattr(user, "_header_facts", None)
        if facts is None:
            facts = user._header_facts = header_facts.get(user_id=user.pk)
        has_shop, moderates = facts[0], user.is_superuser or facts[1]
    return {"site_name": "Partner Marketplace", "user_vendor": has_shop, "user_moderates": moderates}
