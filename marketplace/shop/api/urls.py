from django.urls import path

from .views import account as account_views
from .views import addresses as address_views
from .views import payments as payment_views
from .views import reviews as review_views
from .views import storefront as views

urlpatterns = [
    path("vendors/", views.VendorListApi.as_view(), name="vendor-list"),
    path("vendors/compare/", views.VendorCompareApi.as_view(), name="vendor-compare"),
    path("vendors/<slug:slug>/", views.VendorDetailApi.as_view(), name="vendor-detail"),
    path("products/", views.ProductSearchApi.as_view(), name="product-list"),
    path("products/<id:pk>/", views.ProductDetailApi.as_view(), name="product-detail"),
    path("cart/", views.CartApi.as_view(), name="cart-detail"),
    path("cart/items/", views.CartItemAddApi.as_view(), name="cart-item-add"),
    path("cart/items/<id:pk>/", views.CartItemApi.as_view(), name="cart-item"),
    path("cart/accept-prices/", views.CartAcceptPricesApi.as_view(), name="cart-accept-prices"),
    path("checkout/", views.CheckoutApi.as_view(), name="checkout"),
    path("checkouts/<id:pk>/payment/", payment_views.CheckoutPaymentApi.as_view(), name="checkout-payment"),
    path(
        "checkouts/<id:pk>/payment/confirm/",
        payment_views.CheckoutPaymentConfirmApi.as_view(),
        name="checkout-payment-confirm",
    ),
    path(
        "checkouts/<id:pk>/payment/cancel/",
        payment_views.CheckoutPaymentCancelApi.as_view(),
        name="checkout-payment-cancel",
    ),
    path("orders/", views.OrderListApi.as_view(), name="order-list"),
    path("orders/<id:pk>/", views.OrderDetailApi.as_view(), name="order-detail"),
    path("orders/<id:pk>/rating/", views.OrderRatingApi.as_view(), name="order-rating"),
    path("orders/<id:pk>/cancel/", payment_views.OrderCancelApi.as_view(), name="order-cancel"),
    path("account/addresses/", address_views.AddressListApi.as_view(), name="address-list"),
    path("account/addresses/<id:pk>/", address_views.AddressDetailApi.as_view(), name="address-detail"),
    path("account/export/", account_views.AccountExportApi.as_view(), name="account-export"),
    path("account/delete/", account_views.AccountDeleteApi.as_view(), name="account-delete"),
    path("moderation/reviews/<id:pk>/hide/", review_views.ReviewHideApi.as_view(), name="moderation-review-hide"),
]
