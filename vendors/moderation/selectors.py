"""Reads for moderators; each selector owns its joins so every list runs a constant number of queries."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from marketplace.accounts.models import MODERATORS_GROUP, User

from ..models import ModerationAction, Vendor, VendorFlag, VendorReport


def _open_flags() -> QuerySet[VendorFlag]:
    return VendorFlag.objects.filter(cleared_at__isnull=True).order_by("-raised_at", "-id")


def _open_reports() -> QuerySet[VendorReport]:
    return (
        VendorReport.objects.filter(status=VendorReport.Status.OPEN).select_related("reporter").order_by("created_at")
    )


def vendor_list_pending() -> QuerySet[Vendor]:
    """Applications waiting for a decision, oldest first, with what a moderator needs to decide."""
    return (
        Vendor.objects.filter(status=Vendor.Status.PENDING)
        .select_related("owner", "category")
        .with_regions_served()
        .order_by("created_at", "id")
    )


def vendor_page_pending(*, number: Any, per_page: int) -> Page:
    """One page of vendor_list_pending, as Paginator.get_page gives it (a number past the end: the last page).
    Read afresh for each moderator: the queue names the applicants (their e-mail addresses), which are kept in
    no shared cache, and a handful of moderators read it (two indexed queries)."""
    return Paginator(vendor_list_pending(), per_page).get_page(number)


def vendor_list_flagged() -> QuerySet[Vendor]:
    """Vendors with open early-warning flags (in `open_flags`), most recently flagged first."""
    return (
        # Exists, not a join filter: a LEFT JOIN would count vendors with no flag at all (cleared_at is NULL).
        Vendor.objects.filter(Exists(VendorFlag.objects.filter(vendor=OuterRef("pk"), cleared_at__isnull=True)))
        .select_related("owner", "category")
        .prefetch_related(Prefetch("flags", queryset=_open_flags(), to_attr="open_flags"))
        .annotate(open_report_count=Count("reports", filter=Q(reports__status=VendorReport.Status.OPEN), distinct=True))
        .order_by("name", "id")
    )


def vendor_list_with_open_reports() -> QuerySet[Vendor]:
    """Vendors with open reports (in `open_reports`), the most reported first."""
    return (
        Vendor.objects.filter(reports__status=VendorReport.Status.OPEN)
        .annotate(open_report_count=Count("reports", filter=Q(reports__status=VendorReport.Status.OPEN)))
        .select_related("owner", "category")
        .prefetch_related(Prefetch("reports", queryset=_open_reports(), to_attr="open_reports"))
        .order_by("-open_report_count", "name", "id")
    )


def report_list(*, status: str | None = None, vendor_id: int | None = None) -> QuerySet[VendorReport]:
    qs = VendorReport.objects.select_related("vendor", "reporter").order_by("-created_at", "-id")
    if status:
        qs = qs.filter(status=status)
    if vendor_id:
        qs = qs.filter(vendor_id=vendor_id)
    return qs


def flag_list_open() -> QuerySet[VendorFlag]:
    return _open_flags().select_related("vendor")


def vendor_list_for_moderation(*, status: str | None = None, search: str = "") -> QuerySet[Vendor]:
    """Every vendor, with its open reports and flags counted, for finding whom to suspend or reinstate."""
    qs = (
        Vendor.objects.select_related("owner", "category")
        .annotate(
            open_report_count=Count("reports", filter=Q(reports__status=VendorReport.Status.OPEN), distinct=True),
            open_flag_count=Count("flags", filter=Q(flags__cleared_at__isnull=True), distinct=True),
        )
        .order_by("name", "id")
    )
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(slug__icontains=search) | Q(owner__email__icontains=search))
    return qs


def vendor_get_for_moderation(*, vendor_id: int) -> Vendor | None:
    """One vendor with its open flags, open reports and its whole audit history."""
    return (
        Vendor.objects.filter(pk=vendor_id)
        .select_related("owner", "category")
        .prefetch_related(
            "regions",
            Prefetch("flags", queryset=_open_flags(), to_attr="open_flags"),
            Prefetch("reports", queryset=_open_reports(), to_attr="open_reports"),
            Prefetch(
                "moderation_actions",
                queryset=ModerationAction.objects.select_related("moderator").order_by("-created_at", "-id"),
                to_attr="history",
            ),
        )
        .first()
    )


def vendor_get_reportable(*, slug: str) -> Vendor | None:
    """A vendor a signed-in user may report: in the marketplace now, or suspended (partners still hold it)."""
    return Vendor.objects.filter(slug=slug, status__in=(Vendor.Status.APPROVED, Vendor.Status.SUSPENDED)).first()


def moderation_action_list(
    *,
    kind: str | None = None,
    moderator_id: int | None = None,
    vendor_id: int | None = None,
    vendor: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[ModerationAction]:
    """The audit log, newest first, filtered; `vendor` matches the vendor's name or slug."""
    qs = ModerationAction.objects.select_related("vendor", "moderator").order_by("-created_at", "-id")
    if kind:
        qs = qs.filter(kind=kind)
    if moderator_id:
        qs = qs.filter(moderator_id=moderator_id)
    if vendor_id:
        qs = qs.filter(vendor_id=vendor_id)
    if vendor:
        qs = qs.filter(Q(vendor__name__icontains=vendor) | Q(vendor__slug__icontains=vendor))
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    return qs


def moderator_list() -> QuerySet[User]:
    return User.objects.filter(Q(groups__name=MODERATORS_GROUP) | Q(is_superuser=True)).distinct().order_by("email")


# --- early-warning figures ------------------------------------------------------------------------------


def vendor_open_report_counts(*, minimum: int) -> dict[int, int]:
    rows = (
        VendorReport.objects.filter(status=VendorReport.Status.OPEN)
        .values("vendor_id")
        .annotate(count=Count("id"))
        .filter(count__gte=minimum)
    )
    return {row["vendor_id"]: row["count"] for row in rows}


def flag_snoozed_vendor_ids(*, kind: str, since: datetime) -> dict[int, dict[str, Any]]:
    """Vendors whose flag of this kind a moderator cleared since `since`, with the figures it had then."""
    rows = (
        VendorFlag.objects.filter(kind=kind, cleared_at__gte=since, details__has_key="cleared_by")
        .order_by("vendor_id", "-cleared_at")
        .values_list("vendor_id", "details")
    )
    snoozed: dict[int, dict[str, Any]] = {}
    for vendor_id, details in rows:
        snoozed.setdefault(vendor_id, details)
    return snoozed
