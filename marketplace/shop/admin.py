"""Admin of the shop: read-only. Orders, their lines, checkouts, redemptions, carts and ratings are written
only by the shop's services (checkout locks and decrements stock; cancelling returns it; every order change
refreshes the vendor's sales figures), so the admin shows them and changes nothing. There is no staff
service for moving an order on: the vendor does it in /sell/ (order_fulfil)."""

from __future__ import annotations

from django.contrib import admin

from marketplace.accounts.admin import ReadOnlyAdminMixin

from .models import CartItem, Checkout, Order, OrderLine, Redemption, ServiceRating


class OrderLineInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False


@admin.register(Order)
class OrderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["id", "vendor", "consumer", "status", "total", "created_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["id", "vendor__name", "consumer__email"]
    list_select_related = ["vendor", "consumer"]
    inlines = [OrderLineInline]


@admin.register(CartItem)
class CartItemAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["consumer", "product", "quantity", "added_at"]
    search_fields = ["consumer__email", "product__name"]
    list_select_related = ["consumer", "product"]


@admin.register(Checkout)
class CheckoutAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["id", "consumer", "idempotency_key", "created_at"]
    search_fields = ["consumer__email", "idempotency_key"]
    list_select_related = ["consumer"]


@admin.register(Redemption)
class RedemptionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["promotion", "order", "amount", "created_at"]
    list_select_related = ["promotion", "order"]


@admin.register(ServiceRating)
class ServiceRatingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["vendor", "score", "created_at"]
    list_filter = ["score"]
    search_fields = ["vendor__name", "comment"]
    list_select_related = ["vendor"]
