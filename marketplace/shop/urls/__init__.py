from django.urls import path

from ..views import pages
from ..views import payments as payment_views
from ..views import storefront as views

app_name = "shop"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("vendors/", views.VendorListView.as_view(), name="vendor-list"),
    path("vendors/compare/", views.VendorCompareView.as_view(), name="vendor-compare"),
    path("vendors/<slug:slug>/", views.VendorDetailView.as_view(), name="vendor-detail"),
    path("products/<id:pk>/", views.ProductDetailView.as_view(), name="product-detail"),
    path("search/", views.ProductSearchView.as_view(), name="search"),
    path("cart/", views.CartView.as_view(), name="cart"),
    path("cart/add/<id:product_id>/", views.CartAddView.as_view(), name="cart-add"),
    path("cart/items/<id:item_id>/update/", views.CartItemUpdateView.as_view(), name="cart-item-update"),
    path("cart/items/<id:item_id>/remove/", views.CartItemRemoveView.as_view(), name="cart-item-remove"),
    path("cart/accept-prices/", views.CartAcceptPricesView.as_view(), name="cart-accept-prices"),
    path("checkout/", views.CheckoutView.as_view(), name="checkout"),
    path("checkout/<id:pk>/pay/", payment_views.CheckoutPayView.as_view(), name="checkout-pay"),
    path("checkout/<id:pk>/pay/return/", payment_views.CheckoutPayReturnView.as_view(), name="checkout-pay-return"),
    path("checkout/<id:pk>/pay/cancel/", payment_views.CheckoutPayCancelView.as_view(), name="checkout-pay-cancel"),
    path("orders/", views.OrderListView.as_view(), name="order-list"),
    path("orders/<id:pk>/", views.OrderDetailView.as_view(), name="order-detail"),
    path("orders/<id:pk>/rate/", views.OrderRateView.as_view(), name="order-rate"),
    path("orders/<id:pk>/cancel/", payment_views.OrderCancelView.as_view(), name="order-cancel"),
    path("help/", pages.InfoPageView.as_view(template_name="shop/pages/help.html"), name="help"),
    path("terms/", pages.InfoPageView.as_view(template_name="shop/pages/terms.html"), name="terms"),
    path("privacy/", pages.InfoPageView.as_view(template_name="shop/pages/privacy.html"), name="privacy"),
]
