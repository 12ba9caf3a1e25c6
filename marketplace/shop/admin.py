from django.contrib import admin

from .models import CartItem, Checkout, Order, OrderLine, Redemption, ServiceRating


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    readonly_fields = ["product", "product_name", "unit_price", "quantity"]
    can_delete = False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["id", "vendor", "consumer", "status", "total", "created_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["id", "vendor__name", "consumer__email"]
    list_select_related = ["vendor", "consumer"]
    raw_id_fields = ["checkout", "consumer", "vendor"]
    inlines = [OrderLineInline]


@admin.register(CartItem)
class CartItemAdmin(admin.ModelAdmin):
    list_display = ["consumer", "product", "quantity", "added_at"]
    search_fields = ["consumer__email", "product__name"]
    list_select_related = ["consumer", "product"]
    raw_id_fields = ["consumer", "product"]


@admin.register(Checkout)
class CheckoutAdmin(admin.ModelAdmin):
    list_display = ["id", "consumer", "idempotency_key", "created_at"]
    search_fields = ["consumer__email", "idempotency_key"]
    raw_id_fields = ["consumer"]


@admin.register(Redemption)
class RedemptionAdmin(admin.ModelAdmin):
    list_display = ["promotion", "order", "amount", "created_at"]
    list_select_related = ["promotion", "order"]
    raw_id_fields = ["promotion", "order", "consumer"]


@admin.register(ServiceRating)
class ServiceRatingAdmin(admin.ModelAdmin):
    list_display = ["vendor", "score", "created_at"]
    list_filter = ["score"]
    search_fields = ["vendor__name", "comment"]
    list_select_related = ["vendor"]
    raw_id_fields = ["order", "vendor", "consumer"]
