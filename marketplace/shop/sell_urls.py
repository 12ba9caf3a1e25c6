from django.urls import path

from . import sell_views as views

app_name = "sell_orders"

urlpatterns = [
    path("orders/", views.SellOrderListView.as_view(), name="order-list"),
    path("orders/<int:pk>/", views.SellOrderDetailView.as_view(), name="order-detail"),
    path("insights/", views.InsightsView.as_view(), name="insights"),
    path("promotions/<int:pk>/results/", views.PromotionResultsView.as_view(), name="promotion-results"),
]
