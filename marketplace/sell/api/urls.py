"""The vendor workspace API under /api/v1/sell/ (names prefixed "sell-" in the "api" namespace)."""

from django.urls import path

from .views import catalogue, insights, orders, payouts, promotions, shipping

urlpatterns = [
    path("application/", catalogue.ApplicationApi.as_view(), name="sell-application"),
    path("profile/", catalogue.VendorProfileApi.as_view(), name="sell-profile"),
    path("products/", catalogue.ProductListCreateApi.as_view(), name="sell-product-list"),
    path("products/import/", catalogue.CatalogueImportApi.as_view(), name="sell-product-import"),
    path("products/<id:pk>/", catalogue.ProductDetailApi.as_view(), name="sell-product-detail"),
    path("products/<id:pk>/stock/", catalogue.ProductStockApi.as_view(), name="sell-product-stock"),
    path("shipping/", shipping.ShippingApi.as_view(), name="sell-shipping"),
    path("orders/", orders.SellOrderListApi.as_view(), name="sell-order-list"),
    path("orders/<id:pk>/", orders.SellOrderDetailApi.as_view(), name="sell-order-detail"),
    path("orders/<id:pk>/ship/", orders.OrderShipApi.as_view(), name="sell-order-ship"),
    path("orders/<id:pk>/deliver/", orders.OrderDeliverApi.as_view(), name="sell-order-deliver"),
    path("orders/<id:pk>/cancel/", orders.OrderCancelApi.as_view(), name="sell-order-cancel"),
    path("insights/", insights.InsightsApi.as_view(), name="sell-insights"),
    path("payouts/", payouts.PayoutSummaryApi.as_view(), name="sell-payouts"),
    path("payouts/orders/", payouts.PayoutListApi.as_view(), name="sell-payout-list"),
    path("payouts/onboarding/", payouts.PayoutOnboardingApi.as_view(), name="sell-payouts-onboarding"),
    path("promotions/", promotions.PromotionListCreateApi.as_view(), name="sell-promotion-list"),
    path("promotions/<id:pk>/", promotions.PromotionDetailApi.as_view(), name="sell-promotion-detail"),
    path("promotions/<id:pk>/preview/", promotions.PromotionPreviewApi.as_view(), name="sell-promotion-preview"),
    path("promotions/<id:pk>/publish/", promotions.PromotionPublishApi.as_view(), name="sell-promotion-publish"),
    path("promotions/<id:pk>/end/", promotions.PromotionEndApi.as_view(), name="sell-promotion-end"),
    path("promotions/<id:pk>/results/", orders.PromotionResultsApi.as_view(), name="sell-promotion-results"),
]
