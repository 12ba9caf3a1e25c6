from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    """What every page's header needs: the site name and the signed-in user's vendor, if any."""
    user = request.user
    vendor = None
    if user.is_authenticated:
        vendor = getattr(user, "_cached_vendor", None)
        if vendor is None:
            vendor = user.vendors.first()
            user._cached_vendor = vendor
    return {"site_name": "Partner Marketplace", "user_vendor": vendor}
