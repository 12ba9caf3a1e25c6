"""Writes and rules of promotions: design (draft), publish, the clock that moves states, delivery to partners.

Every function that takes a vendor looks the promotion up within that vendor, so one vendor never reaches
another vendor's promotions (NotFoundError). Only approved vendors publish; a suspended vendor is told why.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from marketplace.accounts.models import Interest, Region, User
from marketplace.accounts.services import portfolio_changed
from marketplace.kernel import privacy
from marketplace.kernel.errors import ConflictError, ForbiddenError, NotFoundError
from marketplace.kernel.page_cache import storefront_changed
from marketplace.kernel.privacy import min_group
from portfolios.models import PartnerMembership
from vendors.models import Vendor

from ..models import PROMOTION_DESIGN_FIELDS, Promotion, PromotionDelivery
from ..selectors.audience import (
    AudienceSpec,
    audience_consumers,
    audience_count_released,
    audience_too_small_message,
)
from ..selectors.own import promotion_get_for_vendor

logger = logging.getLogger(__name__)
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{0,30}$")

CENT = Decimal("0.01")


def promotion_discount_amount(*, promotion: Promotion, subtotal: Decimal) -> Decimal:
    """The discount a promotion gives on an order of this subtotal (never more than the subtotal)."""
    if promotion.min_order is not None and subtotal < promotion.min_order:
        return Decimal("0.00")
    if promotion.discount_type == Promotion.DiscountType.PERCENT:
        amount = (subtotal * promotion.discount_value / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    else:
        amount = promotion.discount_value
    return min(amount, subtotal)


def promotion_best_for_order(
    *, consumer: User, vendor_id: int, subtotal: Decimal, code: str = "", used_up: Iterable[int] = ()
) -> tuple[Promotion | None, Decimal]:
    """The best running promotion this consumer is entitled to on an order from this vendor.

    Partners-only promotions count only when delivered to the consumer and the consumer is still a current,
    unmuted partner (an ended partnership is excluded). Promotions with a code need that code.
    """
    return promotion_best_for_orders(consumer=consumer, subtotals={vendor_id: subtotal}, code=code, used_up=used_up)[
        vendor_id
    ]


def promotion_best_for_orders(
    *, consumer: User, subtotals: Mapping[int, Decimal], code: str = "", used_up: Iterable[int] = ()
) -> dict[int, tuple[Promotion | None, Decimal]]:
    """promotion_best_for_order for several vendors' orders at once (vendor id -> subtotal), in one query:
    the one rule checkout applies and the checkout preview shows. Writes nothing. `used_up` are promotions
    this consumer may not redeem again (their use limits; redemptions are counted by the shop, above)."""
    best: dict[int, tuple[Promotion | None, Decimal]] = {v: (None, Decimal("0.00")) for v in subtotals}
    if not subtotals:
        return best
    entitled_partner = (
        Q(kind=Promotion.Kind.PARTNERS)
        & Q(Exists(PromotionDelivery.objects.filter(promotion=OuterRef("pk"), consumer=consumer)))
        & Q(Exists(PartnerMembership.objects.reachable().filter(consumer=consumer, vendor_id=OuterRef("vendor_id"))))
    )
    code_ok = Q(code="") | Q(code__iexact=code.strip()) if code.strip() else Q(code="")
    candidates = (
        Promotion.objects.running()
        .filter(vendor_id__in=list(subtotals))
        .filter(Q(kind=Promotion.Kind.PUBLIC) | entitled_partner)
        .filter(code_ok)
        .exclude(pk__in=list(used_up))
    )
    for promotion in candidates:
        amount = promotion_discount_amount(promotion=promotion, subtotal=subtotals[promotion.vendor_id])
        if amount > best[promotion.vendor_id][1]:
            best[promotion.vendor_id] = (promotion, amount)
    return best


# --- Design ----------------------------------------------------------------------------------------------


def _check_design(promotion: Promotion) -> None:
    """Rules about the promotion's own fields; raises ValidationError naming each bad field."""
    errors: dict[str, list[str]] = {}
    try:
        promotion.full_clean(exclude=["vendor", "state"], validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not errors.get("title") and not promotion.title.strip():
        errors["title"] = ["Give the promotion a title."]
    if promotion.discount_type == Promotion.DiscountType.PERCENT and promotion.discount_value is not None:
        if promotion.discount_value > 100:
            errors.setdefault("discount_value", []).append("A percent discount is at most 100.")
    if promotion.min_order is not None and promotion.min_order < 0:
        errors.setdefault("min_order", []).append("The minimum order cannot be negative.")
    if not CODE_PATTERN.match(promotion.code or ""):
        errors.setdefault("code", []).append("Use up to 30 letters, digits, dashes or underscores.")
    if promotion.starts_at and promotion.ends_at and promotion.ends_at <= promotion.starts_at:
        errors.setdefault("ends_at", []).append("The end must be after the start.")
    if promotion.kind == Promotion.Kind.PARTNERS:
        if promotion.audience == Promotion.Audience.SEGMENT and not (
            promotion.segment_region_id or promotion.segment_age_band or promotion.segment_interest_id
        ):
            errors.setdefault("audience", []).append("Choose a region, an age band or an interest for the segment.")
        if promotion.audience == Promotion.Audience.LAPSED and not promotion.lapsed_days:
            errors.setdefault("lapsed_days", []).append("Say after how many days without an order a partner counts.")
    if errors:
        raise ValidationError(errors)


def _normalise_audience(promotion: Promotion) -> None:
    """Keep only the audience fields the chosen kind and audience use, so nothing stale targets anyone."""
    if promotion.kind == Promotion.Kind.PUBLIC:
        promotion.audience = Promotion.Audience.ALL_PARTNERS
    if promotion.kind == Promotion.Kind.PUBLIC or promotion.audience != Promotion.Audience.SEGMENT:
        promotion.segment_region = None
        promotion.segment_age_band = ""
        promotion.segment_interest = None
    if promotion.kind == Promotion.Kind.PUBLIC or promotion.audience != Promotion.Audience.LAPSED:
        promotion.lapsed_days = None
    promotion.code = (promotion.code or "").strip()


def _own_promotion(vendor: Vendor, promotion_id: int, *, lock: bool = True) -> Promotion:
    promotion = promotion_get_for_vendor(vendor=vendor, pk=promotion_id, for_update=lock)
    if promotion is None:
        raise NotFoundError("No such promotion.")
    return promotion


@transaction.atomic
def promotion_create(
    *,
    vendor: Vendor,
    title: str,
    discount_value: Decimal,
    starts_at: datetime,
    ends_at: datetime,
    kind: str = Promotion.Kind.PARTNERS,
    audience: str = Promotion.Audience.ALL_PARTNERS,
    description: str = "",
    segment_region: Region | None = None,
    segment_age_band: str = "",
    segment_interest: Interest | None = None,
    lapsed_days: int | None = None,
    discount_type: str = Promotion.DiscountType.PERCENT,
    min_order: Decimal | None = None,
    code: str = "",
    uses_per_consumer: int = 1,
    max_uses: int | None = None,
) -> Promotion:
    """Save a new promotion as a draft of the vendor. Nothing reaches anyone until it is published."""
    if vendor.status in (Vendor.Status.REJECTED,):
        raise ForbiddenError("Your application was rejected; promotions open once you are approved.")
    promotion = Promotion(
        vendor=vendor,
        title=title.strip(),
        description=description.strip(),
        kind=kind,
        audience=audience,
        segment_region=segment_region,
        segment_age_band=segment_age_band,
        segment_interest=segment_interest,
        lapsed_days=lapsed_days,
        discount_type=discount_type,
        discount_value=discount_value,
        min_order=min_order,
        code=code,
        uses_per_consumer=uses_per_consumer,
        max_uses=max_uses,
        starts_at=starts_at,
        ends_at=ends_at,
        state=Promotion.State.DRAFT,
    )
    _normalise_audience(promotion)
    _check_design(promotion)
    promotion.save()
    return promotion


@transaction.atomic
def promotion_update(*, vendor: Vendor, promotion_id: int, **changes: Any) -> Promotion:
    """Change a draft of the vendor's (only the fields given). Published promotions are fixed: ConflictError."""
    unknown = set(changes) - set(PROMOTION_DESIGN_FIELDS)
    if unknown:
        raise ValidationError({field: ["This field cannot be changed."] for field in sorted(unknown)})
    promotion = _own_promotion(vendor, promotion_id)
    if promotion.state != Promotion.State.DRAFT:
        raise ConflictError("Only a draft can be changed; this promotion is already published.")
    for field, value in changes.items():
        setattr(promotion, field, value.strip() if isinstance(value, str) else value)
    _normalise_audience(promotion)
    _check_design(promotion)
    promotion.save()
    return promotion


@transaction.atomic
def promotion_delete(*, vendor: Vendor, promotion_id: int) -> None:
    """Delete a draft of the vendor's. Published promotions stay, for their results."""
    promotion = _own_promotion(vendor, promotion_id)
    if promotion.state != Promotion.State.DRAFT:
        raise ConflictError("Only a draft can be deleted; end a published promotion instead.")
    promotion.delete()


# --- Publishing and the clock ------------------------------------------------------------------------------


def promotion_deliver(*, promotion: Promotion, now: datetime | None = None) -> int:
    """Deliver a partners-only promotion to exactly its audience now, in one set-based INSERT ... SELECT.

    Idempotent: a consumer already holding it is skipped (ON CONFLICT DO NOTHING), so a repeated run adds
    nothing. Runs inside the caller's transaction. Returns how many deliveries were added.
    """
    if promotion.kind != Promotion.Kind.PARTNERS:
        return 0
    now = now or timezone.now()
    return _deliveries_insert(
        promotion=promotion, consumers=audience_consumers(spec=AudienceSpec.of(promotion), now=now), now=now
    )


class AudienceTooSmallError(ConflictError):
    """A partners-only promotion whose audience is under K (rule 4): it is neither published nor started,
    because each redemption of it would name one of a handful of people on the vendor's orders."""

    code = "audience_too_small"


class PreviewLimitError(ConflictError):
    """The vendor has used the day's fresh audience previews (marketplace.kernel.privacy.preview_ask), and publishing
    would answer a new question about an audience: it waits until tomorrow."""

    code = "preview_limit"


def _audience_check(promotion: Promotion, counted: int, *, ration: bool) -> None:
    """Refuse (AudienceTooSmallError) a partners-only audience whose partners who count, `counted`, released as
    the live-count preview releases them (audience_count_released), are under K: so publishing tells the vendor
    no more than that preview, and accounts of its own never make up the K. `ration`: a vendor's own publish
    answers a question about the audience like a preview does, and is one of its fresh previews of the day
    unless answered before (PreviewLimitError over the limit); the clock's start is not the vendor asking."""
    spec = AudienceSpec.of(promotion)
    if ration and not privacy.preview_ask(
        vendor_id=promotion.vendor_id, question=spec.question, state=f"publish:{counted}"
    ):
        raise PreviewLimitError(privacy.preview_limit_text())
    if counted < min_group() or audience_count_released(spec=spec, exact=counted) is None:
        raise AudienceTooSmallError(audience_too_small_message())


def _counted_deliveries(promotion: Promotion, now: datetime) -> int:
    """Of this promotion's deliveries, those to partners who count (PartnerMembership.objects.counted)."""
    counted = PartnerMembership.objects.counted(now).filter(
        consumer=OuterRef("consumer"), vendor_id=promotion.vendor_id, ended_at__isnull=True
    )
    return PromotionDelivery.objects.filter(promotion=promotion).filter(Exists(counted)).count()


def _start(promotion: Promotion, now: datetime, *, ration: bool = False) -> None:
    """Run the promotion and deliver it. A partners-only one whose deliveries reach fewer than K partners who
    count (released: _audience_check) raises AudienceTooSmallError, so the caller's transaction rolls back the
    state and every delivery: the check is the delivery itself, with every delivery rule, so no race between a
    count and the insert lets K-1 through."""
    promotion.state = Promotion.State.RUNNING
    promotion.save(update_fields=["state"])
    promotion_deliver(promotion=promotion, now=now)
    if promotion.kind == Promotion.Kind.PARTNERS:
        _audience_check(promotion, _counted_deliveries(promotion, now), ration=ration)


@transaction.atomic
def promotion_publish(*, vendor: Vendor, promotion_id: int, now: datetime | None = None) -> Promotion:
    """Publish a draft: scheduled until its start, running (and delivered to its audience) from then on.

    Atomic. Only an approved vendor publishes; a suspended one is told why (ForbiddenError). A partners-only
    promotion whose audience now (the live count, with every delivery rule: unmuted current partners in the
    segment, under their weekly cap; of them, those who count, released as the preview releases them) is under K
    is refused with AudienceTooSmallError (409) and nothing changes. The check answers a question about the
    audience, so it is one of the vendor's fresh previews of the day unless answered before (PreviewLimitError,
    409, over the limit).
    """
    now = now or timezone.now()
    locked_vendor = Vendor.objects.select_for_update().get(pk=vendor.pk)
    if locked_vendor.status == Vendor.Status.SUSPENDED:
        raise ForbiddenError(
            f"Your vendor is suspended, so it cannot publish: {locked_vendor.status_reason or 'see the moderators.'}"
        )
    if locked_vendor.status != Vendor.Status.APPROVED:
        raise ForbiddenError("You can publish promotions once a moderator has approved your application.")
    promotion = _own_promotion(locked_vendor, promotion_id)
    if promotion.state != Promotion.State.DRAFT:
        raise ConflictError(f"This promotion is already {promotion.get_state_display().lower()}.")
    _check_design(promotion)
    if promotion.ends_at <= now:
        raise ValidationError({"ends_at": ["The end is in the past; move it to the future before publishing."]})
    if promotion.starts_at <= now:
        _start(promotion, now, ration=True)
    else:
        if promotion.kind == Promotion.Kind.PARTNERS:
            spec = AudienceSpec.of(promotion)
            _audience_check(promotion, audience_consumers(spec=spec, now=now, counted_only=True).count(), ration=True)
        promotion.state = Promotion.State.SCHEDULED
        promotion.save(update_fields=["state"])
    return promotion


@transaction.atomic
def promotion_end(*, vendor: Vendor, promotion_id: int) -> Promotion:
    """End a scheduled, running or paused promotion of the vendor now. Deliveries and results are kept."""
    promotion = _own_promotion(vendor, promotion_id)
    if promotion.state in (Promotion.State.DRAFT, Promotion.State.ENDED):
        raise ConflictError(f"A {promotion.get_state_display().lower()} promotion cannot be ended.")
    promotion.state = Promotion.State.ENDED
    promotion.save(update_fields=["state"])
    return promotion


def promotion_states_advance(*, now: datetime | None = None) -> dict[str, int]:
    """Move promotions on time: scheduled → running at starts_at (delivering partners-only ones), and
    running or paused → ended at ends_at. Called every minute by beat.

    Each promotion moves in its own short transaction, with its row locked and skipped when another
    worker holds it, so two overlapping runs never deliver twice, and a run that dies halfway loses
    nothing: the next run picks up what is left. A promotion that fails to start is logged and skipped
    (its transaction rolled back), so one vendor can never stop the clock for the others. A partners-only
    promotion whose audience at its start is under K (rule 4) is held: nothing is delivered, it stays
    scheduled and starts on a later run once K partners can be reached, or ends unstarted at its end (the
    designer page says why). Returns how many started, ended, failed and were held.
    """
    now = now or timezone.now()
    started = ended = 0
    due_to_end = Promotion.objects.filter(
        state__in=[Promotion.State.RUNNING, Promotion.State.PAUSED, Promotion.State.SCHEDULED], ends_at__lte=now
    )
    for promotion_id in list(due_to_end.values_list("pk", flat=True)):
        with transaction.atomic():
            promotion = due_to_end.select_for_update(skip_locked=True).filter(pk=promotion_id).first()
            if promotion is not None:
                promotion.state = Promotion.State.ENDED
                promotion.save(update_fields=["state"])
                ended += 1
    due_to_start = Promotion.objects.filter(
        state=Promotion.State.SCHEDULED, starts_at__lte=now, ends_at__gt=now, vendor__status=Vendor.Status.APPROVED
    )
    failed = held = 0
    for promotion_id in list(due_to_start.values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                promotion = (
                    Promotion.objects.select_for_update(skip_locked=True)
                    .filter(pk=promotion_id, state=Promotion.State.SCHEDULED)
                    .first()
                )
                if promotion is not None:
                    _start(promotion, now)
                    started += 1
        except AudienceTooSmallError:
            # Rolled back with every delivery: it stays scheduled and is tried again on the next run.
            held += 1
            logger.info("Promotion %s held: its audience is under %s partners", promotion_id, min_group())
        except Exception:  # noqa: BLE001 - isolation: one vendor's broken promotion must not stop the clock
            # Its own transaction rolled back and it stays scheduled; every other promotion still advances.
            failed += 1
            logger.exception("Promotion %s could not start; skipped, the others advance", promotion_id)
    if started or ended or failed or held:
        logger.info("Promotions advanced: %s started, %s ended, %s failed, %s held", started, ended, failed, held)
    return {"started": started, "ended": ended, "failed": failed, "held": held}


# --- Suspension: only moderation pauses a promotion (vendors cannot), so resuming every paused promotion
# of a reinstated vendor restores exactly what suspension paused. -----------------------------------------


@transaction.atomic
def promotions_pause_for_vendor(*, vendor_id: int) -> int:
    """Pause the vendor's running promotions. Idempotent; returns how many were paused."""
    storefront_changed()  # its ads leave the pages
    return Promotion.objects.filter(vendor_id=vendor_id, state=Promotion.State.RUNNING).update(
        state=Promotion.State.PAUSED
    )


@transaction.atomic
def promotions_resume_for_vendor(*, vendor_id: int) -> int:
    """Resume the vendor's paused promotions: running again, or ended if their schedule ran out meanwhile.
    Idempotent; returns how many were resumed."""
    now = timezone.now()
    storefront_changed()
    return Promotion.objects.filter(vendor_id=vendor_id, state=Promotion.State.PAUSED).update(
        state=Case(
            When(ends_at__lte=now, then=Value(Promotion.State.ENDED)),
            default=Value(Promotion.State.RUNNING),
        )
    )


# --- Running promotions follow the partnership --------------------------------------------------------------


def _deliveries_insert(*, promotion: Promotion, consumers: QuerySet[User], now: datetime) -> int:
    """INSERT ... SELECT one delivery of `promotion` per consumer of `consumers`; ON CONFLICT DO NOTHING."""
    select_sql, params = consumers.values("pk").query.sql_with_params()
    table = PromotionDelivery._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (promotion_id, consumer_id, delivered_at) "  # noqa: S608 (table from _meta)
            f"SELECT %s, u.id, %s FROM {User._meta.db_table} u WHERE u.id IN ({select_sql}) "
            "ON CONFLICT (promotion_id, consumer_id) DO NOTHING",
            [promotion.pk, connection.ops.adapt_datetimefield_value(now), *params],
        )
        return cursor.rowcount


@transaction.atomic
def promotion_deliveries_for_new_partner(*, consumer_id: int, vendor_id: int, now: datetime | None = None) -> int:
    """Give a consumer who has just become (or become again) a current, unmuted partner of the vendor, by a
    start, a reinstatement or an unmute, the vendor's running partners-only promotions whose audience they are
    in, at once: what they would have received had they been a partner when each promotion started.

    Guarantees: atomic; idempotent (a promotion the consumer already holds is skipped, ON CONFLICT DO NOTHING)
    and set-based (one INSERT ... SELECT per running promotion of the vendor). Each INSERT selects from the
    very audience delivery at start uses (audience_consumers, narrowed to this consumer), so what the vendor's
    preview counts is who receives it: a consumer who is not a current unmuted partner, is outside the segment
    or at their weekly cap receives nothing. Promotions are given in the order they started, each INSERT
    counting the deliveries made just before it against the cap. Returns how many deliveries were added.
    Called after the membership change has committed (promotions.receivers).
    """
    if not PartnerMembership.objects.reachable().filter(consumer_id=consumer_id, vendor_id=vendor_id).exists():
        return 0
    now = now or timezone.now()
    # Due promotions still marked scheduled are locked too: if the clock is starting one right now, this waits
    # for it and then sees it running. Otherwise a partner who joined while the clock's delivery was being
    # computed would be missed by both.
    due = list(
        Promotion.objects.select_for_update(of=("self",))
        .select_related("segment_region", "segment_interest")
        .filter(
            vendor_id=vendor_id,
            vendor__status=Vendor.Status.APPROVED,
            kind=Promotion.Kind.PARTNERS,
            state__in=[Promotion.State.SCHEDULED, Promotion.State.RUNNING],
            starts_at__lte=now,
            ends_at__gt=now,
        )
        .order_by("starts_at", "id")
    )
    added = 0
    for promotion in due:
        if promotion.state != Promotion.State.RUNNING:
            continue  # the clock delivers it, to this partner too, when it starts
        consumers = audience_consumers(spec=AudienceSpec.of(promotion), now=now).filter(pk=consumer_id)
        added += _deliveries_insert(promotion=promotion, consumers=consumers, now=now)
    if added:  # after the membership change's commit: their feed, kept since, is read afresh
        portfolio_changed(consumer_id=consumer_id)
    return added
