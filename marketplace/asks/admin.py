"""Admin of the asks: read-only. Asks and offers move only through their services (eligibility, the ask's row
lock, the clock), so the admin shows them and changes nothing."""

from __future__ import annotations

from django.contrib import admin

from marketplace.accounts.admin import ReadOnlyAdminMixin

from .models import Ask, AskMute, AskRecipient, Offer, OfferReport, VendorAskSettings


class OfferInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Offer
    extra = 0
    can_delete = False
    fields = ["vendor", "state", "price", "valid_until", "revisions", "lapse_reason", "created_at"]
    readonly_fields = fields


@admin.register(Ask)
class AskAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["id", "title", "category", "state", "audience_size", "respond_by", "cancelled_after_offers"]
    list_filter = ["state", "cancelled_after_offers", "category"]
    search_fields = ["id", "title", "consumer__email"]
    list_select_related = ["category"]
    inlines = [OfferInline]


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["id", "ask", "vendor", "state", "price", "valid_until", "created_at"]
    list_filter = ["state"]
    search_fields = ["vendor__name", "ask__title"]
    list_select_related = ["ask", "vendor"]


@admin.register(OfferReport)
class OfferReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["offer", "reporter", "created_at"]
    list_select_related = ["offer", "reporter"]


@admin.register(AskRecipient)
class AskRecipientAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["ask", "vendor", "published_at", "lapsed_at"]
    list_select_related = ["ask", "vendor"]


@admin.register(AskMute)
class AskMuteAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["consumer", "vendor", "created_at"]
    list_select_related = ["consumer", "vendor"]


@admin.register(VendorAskSettings)
class VendorAskSettingsAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["vendor", "email_new_asks"]
    list_select_related = ["vendor"]
