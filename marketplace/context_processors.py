from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.http import HttpRequest

from marketplace.accounts.header import HEADER_FACTS_SECONDS, header_facts_key


def _header_facts(user_id: int) -> tuple[bool, bool]:
    """Whether the user has a shop and whether they are a moderator, in one query, kept in the cache."""
    facts = cache.get(header_facts_key(user_id))
    if facts is None:
        from django.contrib.auth.models import Group

        from marketplace.accounts.models import MODERATORS_GROUP
        from vendors.models import Vendor

        facts = (
            get_user_model()
            .objects.filter(pk=user_id)
            .values_list(
                Exists(Vendor.objects.filter(owner=OuterRef("pk"))),
                Exists(Group.objects.filter(user=OuterRef("pk"), name=MODERATORS_GROUP)),
            )
            .get()
        )
        cache.set(header_facts_key(user_id), facts, timeout=HEADER_FACTS_SECONDS)
    return facts


def site(request: HttpRequest) -> dict[str, object]:
    """What every page's header needs: the site name, whether the signed-in user has a shop ("Your shop" or
    "Sell") and whether they moderate, read once per request and kept in the cache between requests. The
    header's links are only links: each page checks its own permissions."""
    user = request.user
    has_shop = moderates = False
    if user.is_authenticated:
        facts = getattr(user, "_header_facts", None)
        if facts is None:
            facts = user._header_facts = _header_facts(user.pk)
        has_shop, moderates = facts[0], user.is_superuser or facts[1]
    return {"site_name": "Partner Marketplace", "user_vendor": has_shop, "user_moderates": moderates}
