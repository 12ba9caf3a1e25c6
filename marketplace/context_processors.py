from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    """What every page's header needs: the site name and the signed-in user's vendor, if any."""
    user = request.user
    vendor = None
    if user.is_authenticated:
        if not hasattr(user, "_cached_vendor"):  # once per request, also when the user has no shop
            user._cached_vendor = user.vendors.first()
        vendor = user._cached_vendor
    return {"site_name": "Partner Marketplace", "user_vendor": vendor}
