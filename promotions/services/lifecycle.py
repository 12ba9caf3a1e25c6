"""Promotions going out: publish, the clock that moves states, delivery to partners, pausing for a suspension
(the design of drafts is in design.py, the discount an order gets in redemption.py).

Every function that takes a vendor looks the promotion up within that vendor, so one vendor never reaches
another vendor's promotions (NotFoundError). Only approved vendors publish; a suspended vendor is told why.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Case, Exists, OuterRef, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.accounts.models import User
from marketplace.kernel import privacy
from marketplace.kernel.caching import changed
from marketplace.kernel.errors import ConflictError, ForbiddenError
from marketplace.kernel.privacy import min_group
from portfolios.models import PartnerMembership
from vendors.models import Vendor

from ..models import Promotion, PromotionDelivery
from ..selectors.audience import AudienceSpec, audience_consumers, audience_count_released, audience_too_small_message
from .design import _check_design, _own_promotion

logger = logging.getLogger(__name__)

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
        reason = locked_vendor.status_reason or _("see the moderators.")
        raise ForbiddenError(_("Your vendor is suspended, so it cannot publish: %(reason)s") % {"reason": reason})
    if locked_vendor.status != Vendor.Status.APPROVED:
        raise ForbiddenError(_("You can publish promotions once a moderator has approved your application."))
    promotion = _own_promotion(locked_vendor, promotion_id)
    if promotion.state != Promotion.State.DRAFT:
        raise ConflictError(
            _("This promotion is already %(state)s.") % {"state": promotion.get_state_display().lower()}
        )
    _check_design(promotion)
    if promotion.ends_at <= now:
        raise ValidationError({"ends_at": [_("The end is in the past; move it to the future before publishing.")]})
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
        raise ConflictError(
            _("A %(state)s promotion cannot be ended.") % {"state": promotion.get_state_display().lower()}
        )
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
    changed(f"vendor:{vendor_id}", "ads")  # its ads leave the pages
    return Promotion.objects.filter(vendor_id=vendor_id, state=Promotion.State.RUNNING).update(
        state=Promotion.State.PAUSED
    )


@transaction.atomic
def promotions_resume_for_vendor(*, vendor_id: int) -> int:
    """Resume the vendor's paused promotions: running again, or ended if their schedule ran out meanwhile.
    Idempotent; returns how many were resumed."""
    now = timezone.now()
    changed(f"vendor:{vendor_id}", "ads")
    return Promotion.objects.filter(vendor_id=vendor_id, state=Promotion.State.PAUSED).update(
        state=Case(
            When(ends_at__lte=now, then=Value(Promotion.State.ENDED)),
            default=Value(Promotion.State.RUNNING),
        )
    )


# --- Running promotions follow the partnership --------------------------------------------------------------


def _deliveries_insert(*, promotion: Promotion, consumers: QuerySet[User], now: datetime) -> int:
    """INSERT ... SELECT one delivery of `promotion` per consumer of `consumers`; ON CONFLICT DO NOTHING. Every
    consumer delivered to has their `consumer:{id}` scope bumped in the same transaction (their feed on My
    partners shows it on their next visit, as the e-mail naming it does)."""
    select_sql, params = consumers.values("pk").query.sql_with_params()
    table = PromotionDelivery._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (promotion_id, consumer_id, delivered_at) "  # noqa: S608 (table from _meta)
            f"SELECT %s, u.id, %s FROM {User._meta.db_table} u WHERE u.id IN ({select_sql}) "
            "ON CONFLICT (promotion_id, consumer_id) DO NOTHING RETURNING consumer_id",
            [promotion.pk, connection.ops.adapt_datetimefield_value(now), *params],
        )
        delivered = [row[0] for row in cursor.fetchall()]
    if delivered:
        changed(*(f"consumer:{consumer_id}" for consumer_id in delivered))
    return len(delivered)


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
    return added
