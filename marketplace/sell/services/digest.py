"""The vendor's weekly digest: each approved vendor's owner hears, once a week, how its partnerships and running
promotions went, with a link to the insights.

Aggregates only (rule 4, marketplace/kernel/privacy.py): partners gained and ended over the week's days and the end
reasons come from the statistics tables (VendorDailyStat, VendorEndReasonStat, VendorStats); each running
promotion's reach, redemptions and feedback are counted per promotion as its results page counts them. Every
count of consumers is of partners who count and released by marketplace/kernel/privacy.py (noisy, rounded down to a
multiple of K, "fewer than K" under K), under the same figure names as the insights and results pages, so the
e-mail and the pages read alike; redemptions are shown only when at least K distinct buyers redeemed; an end
reason is listed only when its released count shows. No consumer is named, and nothing is per consumer.

It lives in the storefront layer because redemptions are the shop's; recording and sending go through the same
DigestMail machinery as the partner digest (promotions.services.digest): the record and the vendor's watermark
(VendorDigestState) in one transaction, each message sent at most once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from marketplace.accounts.mail import mail_render, recipient_language
from marketplace.kernel.privacy import count_text, min_group, release_count, suppress
from marketplace.shop.models import Redemption
from portfolios.models import EndReason, PartnerMembership, VendorDailyStat, VendorEndReasonStat, VendorStats
from promotions.models import DigestMail, Promotion, PromotionDelivery, VendorDigestState
from promotions.selectors.feedback import FeedbackCounts, feedback_counts_for_promotions
from promotions.services.digest import BATCH, DUE_SLACK, digest_run, site_url
from vendors.models import Vendor

logger = logging.getLogger(__name__)

WEEK = timedelta(days=7)
TOP_REASONS = 3


@dataclass
class PromotionLine:
    promotion: Promotion
    reached: int | None  # released; None under K (and for public ads, which reach everyone browsing)
    redemptions: int | None  # None when fewer than K distinct buyers redeemed
    feedback: FeedbackCounts
    results_url: str

    @property
    def public(self) -> bool:
        return self.promotion.kind == Promotion.Kind.PUBLIC

    @property
    def reached_text(self) -> str:
        return gettext("public ad") if self.public else count_text(self.reached)

    @property
    def redemptions_text(self) -> str:
        if self.redemptions is None:
            return gettext("fewer than %(k)s buyers") % {"k": min_group()}
        return f"{self.redemptions:,}"


@dataclass
class VendorDigest:
    vendor: Vendor
    first_day: date
    last_day: date
    min_group: int
    gained: int | None
    ended: int | None
    current_partners: int | None
    end_reasons: list[tuple[str, int]] = field(default_factory=list)  # (label, rounded), only those shown
    promotions: list[PromotionLine] = field(default_factory=list)

    @property
    def gained_text(self) -> str:
        return count_text(self.gained)

    @property
    def ended_text(self) -> str:
        return count_text(self.ended)

    @property
    def current_partners_text(self) -> str:
        return count_text(self.current_partners)

    @property
    def end_reason_rows(self) -> list[dict[str, str]]:
        return [{"label": label, "text": count_text(n)} for label, n in self.end_reasons]


def _utc_today(now: datetime) -> date:
    return now.astimezone(UTC).date()


def _first_day(vendor: Vendor, last_day: date) -> date:
    """The day after the last digest's, but at most a week back (a vendor that was suspended for a month hears
    of its last week, not of the month): no day is told twice."""
    week_start = last_day - timedelta(days=6)
    state = VendorDigestState.objects.filter(vendor=vendor).first()
    if state is None:
        return week_start
    return max(state.through_day + timedelta(days=1), week_start)


def vendor_digest_compose(*, vendor: Vendor, now: datetime, first_day: date | None = None) -> VendorDigest:
    """The digest of the complete (UTC) days since the last one, up to yesterday: a read, no writes."""
    last_day = _utc_today(now) - timedelta(days=1)
    first_day = first_day or _first_day(vendor, last_day)
    k = min_group()
    week = VendorDailyStat.objects.filter(vendor=vendor, day__gte=first_day, day__lte=last_day).aggregate(
        adds=Sum("counted_adds"), ends=Sum("counted_ends")
    )
    stats = VendorStats.objects.filter(vendor=vendor).first()
    labels = dict(EndReason.choices)

    def released(n: int | None, figure: str) -> int | None:
        return release_count(n, vendor_id=vendor.pk, figure=figure)

    reasons = []
    for stat in VendorEndReasonStat.objects.filter(vendor=vendor):
        label = labels.get(stat.reason, stat.reason)
        if (shown := released(stat.ended_90d, f"ended_90d:{label}")) is not None:
            reasons.append((label, shown))
    # By the released figure, then in the fixed order of the reasons: an order by exact counts would rank ties.
    order = {label: i for i, (_value, label) in enumerate(EndReason.choices)}
    reasons.sort(key=lambda item: (-item[1], order.get(item[0], 99)))
    digest = VendorDigest(
        vendor=vendor,
        first_day=first_day,
        last_day=last_day,
        min_group=k,
        gained=released(week["adds"] or 0, f"adds:digest:{first_day}:{last_day}"),
        ended=released(week["ends"] or 0, f"ends:digest:{first_day}:{last_day}"),
        current_partners=released(stats.current_partners if stats else 0, "partners"),
        end_reasons=reasons[:TOP_REASONS],
    )
    running = list(Promotion.objects.filter(vendor=vendor, state=Promotion.State.RUNNING).order_by("starts_at", "id"))
    ids = [p.pk for p in running]
    counted = PartnerMembership.objects.counted().filter(consumer=OuterRef("consumer"), vendor_id=vendor.pk)
    reached = dict(
        PromotionDelivery.objects.filter(promotion_id__in=ids)
        .filter(Exists(counted))
        .values("promotion_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("promotion_id", "n")
    )
    redeemed = {
        row["promotion_id"]: row
        for row in Redemption.objects.filter(promotion_id__in=ids)
        .values("promotion_id")
        .annotate(n=Count("id"), buyers=Count("consumer", distinct=True))
        .order_by()
    }
    feedback = feedback_counts_for_promotions(promotion_ids=ids)
    for promotion in running:
        row = redeemed.get(promotion.pk, {})
        buyers_shown = suppress(row.get("buyers") or 0) is not None
        digest.promotions.append(
            PromotionLine(
                promotion=promotion,
                reached=released(reached.get(promotion.pk, 0), f"promotion:{promotion.pk}:reach")
                if promotion.kind == Promotion.Kind.PARTNERS
                else None,
                redemptions=(row.get("n") or 0) if buyers_shown else None,
                feedback=feedback[promotion.pk],
                results_url=site_url(reverse("sell:promotion-results", args=[promotion.pk])),
            )
        )
    return digest


def vendor_digest_render(*, digest: VendorDigest) -> tuple[str, str, str]:
    """Subject, text and HTML of the vendor's digest."""
    context = {
        "digest": digest,
        "vendor": digest.vendor,
        "insights_url": site_url(reverse("sell:insights")),
        "promotions_url": site_url(reverse("sell:promotion-list")),
        "site_url": settings.SITE_URL,
    }
    text, html = mail_render(template="digest/vendor", context=context)
    subject = gettext("%(vendor)s: your week on the marketplace (%(first)s – %(last)s)") % {
        "vendor": digest.vendor.name,
        "first": date_format(digest.first_day, gettext("j M")),
        "last": date_format(digest.last_day, gettext("j M")),
    }
    return subject, text, html


def _due(now: datetime) -> Q:
    return Q(status=Vendor.Status.APPROVED, owner__is_active=True) & (
        Q(digest_state__isnull=True) | Q(digest_state__sent_at__lte=now - WEEK + DUE_SLACK)
    )


def vendor_digest_record(*, vendor_id: int, now: datetime | None = None) -> DigestMail | None:
    """Record one vendor's weekly digest and move its watermark, in one transaction.

    Guarantees: atomic; the vendor row is locked and skipped when another job holds it, and re-checked to be
    due under the lock, so two jobs never record two digests for one week; the watermark's days follow on from
    the last digest's, so no day is told twice or skipped. Returns the pending DigestMail, or None when the
    vendor was not due or was being handled elsewhere."""
    now = now or timezone.now()
    with transaction.atomic():
        vendor = (
            Vendor.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("owner")
            .filter(_due(now), pk=vendor_id)
            .first()
        )
        if vendor is None:
            return None
        digest = vendor_digest_compose(vendor=vendor, now=now)
        if digest.first_day > digest.last_day:
            return None
        with recipient_language(vendor.owner):
            subject, text, html = vendor_digest_render(digest=digest)
        start = datetime.combine(digest.first_day, time.min, tzinfo=UTC)
        mail = DigestMail.objects.create(
            kind=DigestMail.Kind.VENDOR,
            recipient=vendor.owner,
            vendor=vendor,
            to=vendor.owner.email,
            subject=subject,
            text=text,
            html=html,
            window_start=start,
            window_end=datetime.combine(digest.last_day + timedelta(days=1), time.min, tzinfo=UTC),
            promotion_ids=[line.promotion.pk for line in digest.promotions],
        )
        VendorDigestState.objects.update_or_create(
            vendor=vendor, defaults={"through_day": digest.last_day, "sent_at": now}
        )
    return mail


def vendor_digest_send(*, now: datetime | None = None, limit: int = BATCH) -> dict[str, int]:
    """The hourly job ("vendor-weekly-digest"): record the digest of every vendor due one (a week after its last),
    then send the pending vendor digests, each at most once. Safe to run twice or concurrently."""
    now = now or timezone.now()
    due = list(
        Vendor.objects.filter(_due(now))
        .order_by(F("digest_state__sent_at").asc(nulls_first=True), "id")
        .values_list("pk", flat=True)[:limit]
    )
    return digest_run(
        kind=DigestMail.Kind.VENDOR,
        due_ids=due,
        record=lambda vendor_id: vendor_digest_record(vendor_id=vendor_id, now=now),
        limit=limit,
    )


def vendor_digest_preview(*, vendor: Vendor, now: datetime | None = None) -> tuple[str, str, VendorDigest]:
    """Subject and text of the vendor's next digest, as the job would make it now; writes nothing."""
    now = now or timezone.now()
    last_day = _utc_today(now) - timedelta(days=1)
    first_day = min(_first_day(vendor, last_day), last_day)
    digest = vendor_digest_compose(vendor=vendor, now=now, first_day=first_day)
    subject, text, _html = vendor_digest_render(digest=digest)
    return subject, text, digest
