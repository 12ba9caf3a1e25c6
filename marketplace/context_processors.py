"""What every page's header needs. The header's facts (has a shop, moderates, how many items in the cart) join
the accounts, the vendors and the shop, so they are read here, at the wiring above every app, in one query,
kept between a user's pages and renewed by their `account:{id}` scope (a vendor they own saved or handed
over, a group joined or left: cache_scopes.py of the accounts and vendors apps) and their `cart:{id}` scope
(a cart line added, changed or removed, the cart checked out: the shop's cache_scopes.py). A lost bump shows
for a timeout at most; the header's links are only links, and the cart page counts afresh."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from marketplace.accounts.models import MODERATORS_GROUP, User
from marketplace.kernel.caching import kept
from marketplace.shop.models import CartItem
from vendors.models import Vendor


@kept("header-facts", shape=2, scopes=lambda user_id: (f"account:{user_id}", f"cart:{user_id}"))
def header_facts(*, user_id: int) -> tuple[bool, bool, int]:
    """Whether the user has a shop, whether they are a moderator, and how many items (quantities added up) are
    in their cart, in one query."""
    in_cart = (
        CartItem.objects.filter(consumer=OuterRef("pk"))
        .order_by()
        .values("consumer")
        .annotate(items=Sum("quantity"))
        .values("items")
    )
    return (
        User.objects.filter(pk=user_id)
        .values_list(
            Exists(Vendor.objects.filter(owner=OuterRef("pk"))),
            Exists(Group.objects.filter(user=OuterRef("pk"), name=MODERATORS_GROUP)),
            Coalesce(in_cart, Value(0)),
        )
        .get()
    )


def site(request: HttpRequest) -> dict[str, object]:
    """What every page's header needs: the site name, whether the signed-in user has a shop ("Your shop" or
    "Sell"), whether they moderate and how many items their cart holds, read once per request and kept in the
    cache between requests. The header's links are only links: each page checks its own permissions."""
    user = request.user
    has_shop = moderates = False
    cart_count = 0
    if user.is_authenticated:
        facts = getattr(user, "_header_facts", None)
        if facts is None:
            facts = user._header_facts = header_facts.get(user_id=user.pk)
        has_shop, moderates, cart_count = facts[0], user.is_superuser or facts[1], facts[2]
    return {
        "site_name": "Partner Marketplace",
        "user_vendor": has_shop,
        "user_moderates": moderates,
        "cart_count": cart_count,
    }
