from django.http import HttpRequest

from marketplace.accounts.header import header_facts


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
