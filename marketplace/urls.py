from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("account/tokens/", include("marketplace.accounts.token_urls")),
    path("account/", include("marketplace.shop.urls.account")),
    path("account/", include("marketplace.accounts.urls")),
    path("portfolio/", include("marketplace.shop.urls.portfolio")),
    path("sell/", include("marketplace.sell.urls")),
    path("moderation/", include("vendors.moderation.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include(("marketplace.api_urls", "api"), namespace="api")),
    path("", include("marketplace.shop.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
