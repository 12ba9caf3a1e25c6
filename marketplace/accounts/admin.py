"""Admin of users and consumer profiles.

What a consumer shares, and with it what partners' statistics count, changes only by the consumer's own hand
(profile_update sends the signal that refreshes the figures), so profiles are read-only here. Closing an
account goes through account_close (it anonymises the partnerships first), so users are not deleted here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from .models import ConsumerProfile, Interest, Region, User


class ReadOnlyAdminMixin:
    """For models written only by their services: the admin lists and shows rows, never adds, changes or
    deletes one (a POST to the add or change form answers 403). Admin actions that call a service stay."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ConsumerProfileInline(ReadOnlyAdminMixin, admin.StackedInline):
    model = ConsumerProfile
    can_delete = False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "display_name"]
    inlines = [ConsumerProfileInline]
    fieldsets = (
        (None, {"fields": ("email", "password", "display_name")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ConsumerProfile)
class ConsumerProfileAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "region", "age_band", "share_region", "share_age_band", "share_interests"]
    list_filter = ["region", "age_band", "share_region", "share_age_band", "share_interests"]
    search_fields = ["user__email"]
    list_select_related = ["user", "region"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
