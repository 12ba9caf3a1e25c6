"""The REST API under /api/v1/ (namespace "api"): each area contributes its own routes.

URL names are prefixed by area (portfolio-, sell-, moderation-, account-) so they never clash.
"""

from django.urls import include, path

from .api_root import ApiRootApi

urlpatterns = [
    path("", ApiRootApi.as_view(), name="root"),
    path("", include("marketplace.shop.api.urls")),
    path("", include("marketplace.asks.api.urls")),
    path("portfolio/", include("promotions.api.urls")),
    path("portfolio/", include("portfolios.api.urls")),
    path("account/tokens/", include("marketplace.accounts.api.token_urls")),
    path("account/", include("marketplace.accounts.api.urls")),
    path("sell/", include("marketplace.sell.api.urls")),
    path("moderation/", include("vendors.moderation.api.urls")),
]
