"""Admin of promotions: read-only. A promotion reaches only the partners its audience selects, and only the
promotions services (publish, the clock, delivery) move its state or deliver it, so nothing is added, changed
or deleted here. Moderators may end promotions through the action below, which calls promotion_end and
records who did it in the admin's history."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from marketplace.accounts.admin import ReadOnlyAdminMixin
from marketplace.kernel.errors import DomainError

from . import services
from .models import Promotion, PromotionDelivery


@admin.register(Promotion)
class PromotionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "vendor", "kind", "audience", "state", "starts_at", "ends_at"]
    list_filter = ["kind", "audience", "state"]
    search_fields = ["title", "vendor__name", "code"]
    list_select_related = ["vendor"]
    actions = ["end_selected_promotions"]

    def has_end_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and getattr(request.user, "is_moderator", False))

    @admin.action(description="End selected promotions", permissions=["end"])
    def end_selected_promotions(self, request: HttpRequest, queryset: QuerySet[Promotion]) -> None:
        """Ends each through promotions.services.promotion_end (deliveries and results kept); each end is
        logged in the admin history under the moderator who did it."""
        ended, refused = 0, []
        for promotion in queryset.select_related("vendor"):
            try:
                with transaction.atomic():  # the end and its history row commit together
                    services.promotion_end(vendor=promotion.vendor, promotion_id=promotion.pk)
                    self.log_change(request, promotion, "Ended by a moderator through the admin.")
            except DomainError as exc:
                refused.append(f"{promotion}: {exc}")
                continue
            ended += 1
        if ended:
            self.message_user(request, f"End selected promotions: {ended} done.", messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.ERROR)


@admin.register(PromotionDelivery)
class PromotionDeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["promotion", "consumer", "delivered_at"]
    search_fields = ["promotion__title", "consumer__email"]
    list_select_related = ["promotion", "consumer"]
