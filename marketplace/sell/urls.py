from django.urls import path

from .views import catalogue, insights, orders, payouts, promotions, shipping

app_name = "sell"

urlpatterns = [
    path("", catalogue.WorkspaceView.as_view(), name="workspace"),
    path("apply/", catalogue.ApplyView.as_view(), name="apply"),
    path("profile/", catalogue.VendorProfileView.as_view(), name="profile"),
    path("products/", catalogue.ProductListView.as_view(), name="product-list"),
    path("products/new/", catalogue.ProductFormView.as_view(), name="product-create"),
    path("products/<id:pk>/edit/", catalogue.ProductFormView.as_view(), name="product-edit"),
    path("products/<id:pk>/stock/", catalogue.ProductStockView.as_view(), name="product-stock"),
    path("products/<id:pk>/active/", catalogue.ProductActiveView.as_view(), name="product-active"),
    path("products/import/", catalogue.CsvImportView.as_view(), name="product-import"),
    path("products/export.csv", catalogue.CsvExportView.as_view(), name="product-export"),
    path("shipping/", shipping.ShippingView.as_view(), name="shipping"),
    path("orders/", orders.SellOrderListView.as_view(), name="order-list"),
    path("orders/<id:pk>/", orders.SellOrderDetailView.as_view(), name="order-detail"),
    path("insights/", insights.InsightsView.as_view(), name="insights"),
    path("payouts/", payouts.PayoutsView.as_view(), name="payouts"),
    path("payouts/onboarding/", payouts.PayoutsOnboardingView.as_view(), name="payouts-onboarding"),
    path("payouts/return/", payouts.PayoutsReturnView.as_view(), name="payouts-return"),
    path("promotions/", promotions.PromotionListView.as_view(), name="promotion-list"),
    path("promotions/new/", promotions.PromotionFormView.as_view(), name="promotion-create"),
    path("promotions/<id:pk>/", promotions.PromotionFormView.as_view(), name="promotion-edit"),
    path("promotions/<id:pk>/results/", orders.PromotionResultsView.as_view(), name="promotion-results"),
    path("promotions/<id:pk>/<slug:action>/", promotions.PromotionActionView.as_view(), name="promotion-action"),
]
