from django.contrib import admin

from marketplace.accounts.admin import ReadOnlyAdminMixin

from .models import (
    MarketplaceSegmentBaseline,
    MembershipEvent,
    PartnerMembership,
    VendorDailyStat,
    VendorEndReasonStat,
    VendorSegmentStat,
    VendorStats,
)


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Portfolios change only by the consumer's own action; statistics only by their jobs."""


@admin.register(PartnerMembership)
class PartnerMembershipAdmin(ReadOnlyAdmin):
    list_display = ["consumer", "vendor", "started_at", "ended_at", "end_reason", "muted"]
    list_filter = ["end_reason", "muted"]
    search_fields = ["consumer__email", "vendor__name"]
    list_select_related = ["consumer", "vendor"]


@admin.register(MembershipEvent)
class MembershipEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "vendor", "reason"]
    list_filter = ["kind", "reason"]
    search_fields = ["vendor__name"]
    list_select_related = ["vendor"]


@admin.register(VendorStats)
class VendorStatsAdmin(ReadOnlyAdmin):
    list_display = ["vendor", "current_partners", "partners_ever", "ended_90d", "computed_at"]
    search_fields = ["vendor__name"]
    list_select_related = ["vendor"]


@admin.register(VendorEndReasonStat)
class VendorEndReasonStatAdmin(ReadOnlyAdmin):
    list_display = ["vendor", "reason", "ended_90d", "ended_total", "computed_at"]
    list_filter = ["reason"]
    list_select_related = ["vendor"]


@admin.register(VendorDailyStat)
class VendorDailyStatAdmin(ReadOnlyAdmin):
    list_display = ["vendor", "day", "adds", "ends", "net"]
    list_filter = ["day"]
    list_select_related = ["vendor"]


@admin.register(VendorSegmentStat)
class VendorSegmentStatAdmin(ReadOnlyAdmin):
    list_display = ["vendor", "dimension", "value", "partners", "computed_at"]
    list_filter = ["dimension"]
    list_select_related = ["vendor"]


@admin.register(MarketplaceSegmentBaseline)
class MarketplaceSegmentBaselineAdmin(ReadOnlyAdmin):
    list_display = ["dimension", "value", "consumers", "computed_at"]
    list_filter = ["dimension"]
