"""Admin of the vendors layer. Every write here goes through a moderation service, so it is checked and lands
in the audit log: vendors, products, reports and flags are read-only in their forms and change only through
the admin actions below. Vendors apply and manage their catalogue in /sell/."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from marketplace.accounts.admin import ReadOnlyAdminMixin
from marketplace.kernel.errors import DomainError

from .models import Category, ModerationAction, Product, Vendor, VendorFlag, VendorReport
from .moderation import services as moderation


class ReasonActionForm(ActionForm):
    reason = forms.CharField(required=False, max_length=2000, label="Reason / note (the vendor sees it)")


class VendorActionForm(ReasonActionForm):
    new_owner_email = forms.CharField(
        required=False, max_length=254, label="New owner's email (for a transfer of ownership)"
    )


def _refusal(exc: DomainError | ValidationError) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def _bulk(service: Callable[..., Any], *, id_kwarg: str, text_kwarg: str | None, label: str) -> Callable[..., None]:
    """An admin action that calls the moderation service once per row, so each writes its audit row."""

    def action(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        text = {text_kwarg: request.POST.get("reason", "")} if text_kwarg else {}
        done, refused = 0, []
        for obj in queryset:
            try:
                service(moderator=request.user, **{id_kwarg: obj.pk}, **text)
                done += 1
            except (DomainError, ValidationError) as exc:
                refused.append(f"{obj}: {_refusal(exc)}")
        if done:
            modeladmin.message_user(request, f"{label}: {done} done.", messages.SUCCESS)
        for line in refused:
            modeladmin.message_user(request, line, messages.ERROR)

    action.short_description = label  # type: ignore[attr-defined]
    action.__name__ = label.lower().replace(" ", "_")
    return action


@admin.action(description="Transfer ownership of the selected vendor")
def transfer_ownership(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Vendor]) -> None:
    """Calls vendor_owner_transfer for one vendor, with the new owner's email and the reason from the form."""
    vendors = list(queryset[:2])
    if len(vendors) != 1:
        modeladmin.message_user(request, "Select exactly one vendor to transfer.", messages.ERROR)
        return
    vendor = vendors[0]
    try:
        moderation.vendor_owner_transfer(
            moderator=request.user,
            vendor_id=vendor.pk,
            new_owner_email=request.POST.get("new_owner_email", ""),
            reason=request.POST.get("reason", ""),
        )
    except (DomainError, ValidationError) as exc:
        modeladmin.message_user(request, f"{vendor}: {_refusal(exc)}", messages.ERROR)
        return
    modeladmin.message_user(request, f"{vendor}: ownership transferred.", messages.SUCCESS)


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
    # Who runs the vendor (and so reads its buyers' names and addresses), its address and its status change
    # only through the audited services behind the actions, never this form. The logo too: an uploaded image
    # is stored only as vendors.services.catalogue.image_prepare re-encodes it, which this form would skip.
    readonly_fields = [
        "owner",
        "slug",
        "contact_email",
        "logo",
        "status",
        "status_reason",
        "created_at",
        "approved_at",
    ]
    filter_horizontal = ["regions"]
    action_form = VendorActionForm
    actions = [
        _bulk(moderation.vendor_approve, id_kwarg="vendor_id", text_kwarg="reason", label="Approve selected vendors"),
        _bulk(moderation.vendor_reject, id_kwarg="vendor_id", text_kwarg="reason", label="Reject selected vendors"),
        _bulk(moderation.vendor_suspend, id_kwarg="vendor_id", text_kwarg="reason", label="Suspend selected vendors"),
        _bulk(
            moderation.vendor_reinstate, id_kwarg="vendor_id", text_kwarg="reason", label="Reinstate selected vendors"
        ),
        transfer_ownership,
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # vendors apply in /sell/

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deleting would take consumers' partnerships with it; suspend instead


@admin.register(Product)
class ProductAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "vendor", "price", "partner_price", "stock", "active", "created_at"]
    list_filter = ["active", "category"]
    search_fields = ["name", "sku", "vendor__name"]
    list_select_related = ["vendor"]
    action_form = ReasonActionForm
    actions = [
        _bulk(
            moderation.product_deactivate_by_moderator,
            id_kwarg="product_id",
            text_kwarg="reason",
            label="Deactivate selected products",
        ),
    ]


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = ["created_at", "kind", "vendor", "moderator", "reason"]
    list_filter = ["kind", "created_at"]
    search_fields = ["vendor__name", "moderator__email", "reason"]
    list_select_related = ["vendor", "moderator"]


@admin.register(VendorReport)
class VendorReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["vendor", "reporter", "reason", "status", "created_at"]
    list_filter = ["status", "reason"]
    search_fields = ["vendor__name", "reporter__email", "text"]
    list_select_related = ["vendor", "reporter"]
    action_form = ReasonActionForm
    actions = [
        _bulk(moderation.report_resolve, id_kwarg="report_id", text_kwarg="note", label="Resolve selected reports"),
        _bulk(moderation.report_dismiss, id_kwarg="report_id", text_kwarg="note", label="Dismiss selected reports"),
    ]


@admin.register(VendorFlag)
class VendorFlagAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["vendor", "kind", "raised_at", "cleared_at"]
    list_filter = ["kind"]
    search_fields = ["vendor__name"]
    list_select_related = ["vendor"]
    actions = [
        _bulk(moderation.vendor_flag_clear, id_kwarg="flag_id", text_kwarg=None, label="Clear selected flags"),
    ]
