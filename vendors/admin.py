from django.contrib import admin

from .models import Category, ModerationAction, Product, Vendor, VendorFlag, VendorReport


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


@admin.register(VendorFlag)
class VendorFlagAdmin(admin.ModelAdmin):
    list_display = ["vendor", "kind", "raised_at", "cleared_at"]
    list_filter = ["kind"]
    search_fields = ["vendor__name"]
    list_select_related = ["vendor"]
