from django.urls import path

from . import sell_views as views

urlpatterns = [
    path("orders/", views.SellOrderListApi.as_view(), name="sell-order-list"),
    path("orders/<int:pk>/", views.SellOrderDetailApi.as_view(), name="sell-order-detail"),
    path("orders/<int:pk>/ship/", views.OrderShipApi.as_view(), name="sell-order-ship"),
    path("orders/<int:pk>/deliver/", views.OrderDeliverApi.as_view(), name="sell-order-deliver"),
    path("orders/<int:pk>/cancel/", views.OrderCancelApi.as_view(), name="sell-order-cancel"),
    path("insights/", views.InsightsApi.as_view(), name="sell-insights"),
    path("promotions/<int:pk>/results/", views.PromotionResultsApi.as_view(), name="sell-promotion-results"),
]
