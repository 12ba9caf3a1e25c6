"""Admin of the shop: read-only. Orders, their lines, checkouts, redemptions, carts and ratings are written
only by the shop's services (checkout locks and decrements stock; cancelling returns it; every order change
refreshes the vendor's sales figures), so the admin shows them and changes nothing. There is no staff
service for moving an order on: the vendor does it in /sell/ (order_fulfil).

Delivery charges are the vendor's to set in /sell/ (shipping_policy_set) and saved addresses the consumer's own:
the admin shows the charges and keeps out of the addresses.

Payments, refunds, payouts, payees and webhook events are read-only too: money moves only through the
provider and the payment services (docs/payments.md); differences are found by the reconciliation job and
shown to moderators as flags."""

from __future__ import annotations

from django.contrib import admin

from marketplace.accounts.admin import ReadOnlyAdminMixin

from .models import (
    CartItem,
    Checkout,
    FakeProviderEvent,
    FakeProviderObject,
    Order,
    OrderLine,
    OrderPayout,
    Payee,
    Payment,
    Redemption,
    Refund,
    ServiceRating,
    ShippingPolicy,
    ShippingRegionRate,
    WebhookEvent,
)


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


@admin.register(ShippingPolicy)
class ShippingPolicyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["vendor", "flat_rate", "free_over", "updated_at"]
    search_fields = ["vendor__name"]
    list_select_related = ["vendor"]


@admin.register(ShippingRegionRate)
class ShippingRegionRateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["vendor", "region", "rate"]
    search_fields = ["vendor__name"]
    list_select_related = ["vendor", "region"]


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


class RefundInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Refund
    extra = 0
    can_delete = False
    fields = ["order", "amount_minor", "fee_minor", "reversal_minor", "reason", "status", "provider_ref", "created_at"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["checkout", "consumer", "provider", "status", "amount_minor", "amount_refunded_minor", "created_at"]
    list_filter = ["status", "provider", "created_at"]
    search_fields = ["provider_ref", "charge_ref", "consumer__email", "checkout__id"]
    list_select_related = ["checkout", "consumer"]
    exclude = ["client_secret"]
    inlines = [RefundInline]


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["order", "amount_minor", "reason", "status", "provider_ref", "created_at"]
    list_filter = ["status", "reason"]
    search_fields = ["provider_ref", "idempotency_key", "order__id"]
    list_select_related = ["order"]


@admin.register(OrderPayout)
class OrderPayoutAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["order", "vendor", "gross_minor", "fee_minor", "refunded_minor", "status", "transferred_at"]
    list_filter = ["status"]
    search_fields = ["vendor__name", "transfer_ref", "order__id"]
    list_select_related = ["order", "vendor"]


@admin.register(Payee)
class PayeeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["vendor", "provider", "provider_ref", "details_submitted", "payouts_enabled", "updated_at"]
    list_filter = ["provider", "payouts_enabled"]
    search_fields = ["vendor__name", "provider_ref"]
    list_select_related = ["vendor"]


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["event_id", "provider", "type", "received_at", "processed_at", "attempts"]
    list_filter = ["provider", "type"]
    search_fields = ["event_id"]


@admin.register(FakeProviderObject)
class FakeProviderObjectAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["ref", "kind", "idempotency_key", "created_at"]
    list_filter = ["kind"]
    search_fields = ["ref", "idempotency_key"]


@admin.register(FakeProviderEvent)
class FakeProviderEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["ref", "type", "created_at", "delivered_at", "attempts"]
    search_fields = ["ref"]
