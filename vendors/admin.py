from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from marketplace.errors import DomainError

from .models import Category, ModerationAction, Product, Vendor, VendorFlag, VendorReport
from .moderation import services as moderation


class ReasonActionForm(ActionForm):
    reason = forms.CharField(required=False, max_length=2000, label="Reason / note (the vendor sees it)")


def _bulk(service: Callable[..., Any], *, id_kwarg: str, text_kwarg: str, label: str) -> Callable[..., None]:
    """An admin action that calls the moderation service once per row, so each writes its audit row."""

    def action(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        text = request.POST.get("reason", "")
        done, refused = 0, []
        for obj in queryset:
            try:
                service(moderator=request.user, **{id_kwarg: obj.pk, text_kwarg: text})
                done += 1
            except (DomainError, ValidationError) as exc:
                message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                refused.append(f"{obj}: {message}")
        if done:
            modeladmin.message_user(request, f"{label}: {done} done.", messages.SUCCESS)
        for line in refused:
            modeladmin.message_user(request, line, messages.ERROR)

    action.short_description = label  # type: ignore[attr-defined]
    action.__name__ = label.lower().replace(" ", "_")
    return action


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "category", "status", "created_at", "approved_at"]
    list_filter = ["status", "category", "regions"]
    search_fields = ["name", "slug", "owner__email", "contact_email"]
    list_select_related = ["owner", "category"]
    raw_id_fields = ["owner"]
    # Status changes go through the moderation services (and so the audit log), never this form.
    readonly_fields = ["status", "status_reason", "created_at", "approved_at"]
    filter_horizontal = ["regions"]
    action_form = ReasonActionForm
    actions = [
        _bulk(moderation.vendor_approve, id_kwarg="vendor_id", text_kwarg="reason", label="Approve selected vendors"),
        _bulk(moderation.vendor_reject, id_kwarg="vendor_id", text_kwarg="reason", label="Reject selected vendors"),
        _bulk(moderation.vendor_suspend, id_kwarg="vendor_id", text_kwarg="reason", label="Suspend selected vendors"),
        _bulk(
            moderation.vendor_reinstate, id_kwarg="vendor_id", text_kwarg="reason", label="Reinstate selected vendors"
        ),
    ]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "vendor", "price", "partner_price", "stock", "active", "created_at"]
    list_filter = ["active", "category"]
    search_fields = ["name", "sku", "vendor__name"]
    list_select_related = ["vendor"]
    raw_id_fields = ["vendor"]


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = ["created_at", "kind", "vendor", "moderator", "reason"]
    list_filter = ["kind", "created_at"]
    search_fields = ["vendor__name", "moderator__email", "reason"]
    list_select_related = ["vendor", "moderator"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(VendorReport)
class VendorReportAdmin(admin.ModelAdmin):
    list_display = ["vendor", "reporter", "reason", "status", "created_at"]
    list_filter = ["status", "reason"]
    search_fields = ["vendor__name", "reporter__email", "text"]
    list_select_related = ["vendor", "reporter"]
    readonly_fields = ["status", "resolved_at"]
    action_form = ReasonActionForm
    actions = [
        _bulk(moderation.report_resolve, id_kwarg="report_id", text_kwarg="note", label="Resolve selected reports"),
        _bulk(moderation.report_dismiss, id_kwarg="report_id", text_kwarg="note", label="Dismiss selected reports"),
    ]


@admin.register(VendorFlag)
class VendorFlagAdmin(admin.ModelAdmin):
    list_display = ["vendor", "kind", "raised_at", "cleared_at"]
    list_filter = ["kind"]
    search_fields = ["vendor__name"]
    list_select_related = ["vendor"]
