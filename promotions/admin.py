from django.contrib import admin

from .models import Promotion, PromotionDelivery


@admin.register(Promotion)
class PromotionAdmin(admin.ModelAdmin):
    list_display = ["title", "vendor", "kind", "audience", "state", "starts_at", "ends_at"]
    list_filter = ["kind", "audience", "state"]
    search_fields = ["title", "vendor__name", "code"]
    list_select_related = ["vendor"]
    raw_id_fields = ["vendor"]


@admin.register(PromotionDelivery)
class PromotionDeliveryAdmin(admin.ModelAdmin):
    list_display = ["promotion", "consumer", "delivered_at"]
    search_fields = ["promotion__title", "consumer__email"]
    list_select_related = ["promotion", "consumer"]
    raw_id_fields = ["promotion", "consumer"]
