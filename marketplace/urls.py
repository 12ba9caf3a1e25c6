import re

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from django.views.static import serve
from drf_spectacular.views import SpectacularSwaggerSplitView

import marketplace.kernel.converters  # noqa: F401  (registers <id:...> before the includes below use it)
import portfolios.urls
import promotions.urls
from marketplace.api_schema import EnglishSchemaView
from marketplace.health import HealthView

urlpatterns = [
    path("health/", HealthView.as_view(), name="health"),
    # The words the scripts write (the insights charts' labels) in the reader's language, from the djangojs
    # catalogue: a script file from this origin, so the CSP's script-src 'self' allows it (no inline script).
    path("jsi18n/", JavaScriptCatalog.as_view(domain="djangojs"), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("account/tokens/", include("marketplace.accounts.token_urls")),
    path("account/", include("marketplace.shop.urls.account")),
    path("account/", include("marketplace.accounts.urls")),
    # My partners (portfolios) and the feedback on its feed (promotions), in one "portfolios" namespace.
    path(
        "portfolio/",
        include((portfolios.urls.urlpatterns + promotions.urls.portfolio_urlpatterns, portfolios.urls.app_name)),
    ),
    # Asks (consumer, vendor and moderator pages under /asks/, /sell/asks/, /moderation/asks/), before the
    # workspace's and the moderators' own includes.
    path("", include("marketplace.asks.urls")),
    path("sell/", include("marketplace.sell.urls")),
    path("moderation/reviews/", include("marketplace.shop.urls.reviews")),
    path("moderation/", include("vendors.moderation.urls")),
    path("payments/", include("marketplace.shop.payments.urls")),
    path("api/schema/", EnglishSchemaView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include(("marketplace.api_urls", "api"), namespace="api")),
    path("", include("marketplace.shop.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
elif settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage":
    # Production without an S3 store: Django serves the uploads itself, image names only, so a file stored
    # under any other name is never handed out (as HTML, say) from this origin. Content type from the name.
    urlpatterns.append(
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.+\.(?i:jpe?g|png|gif|webp))$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
            name="media",
        )
    )
