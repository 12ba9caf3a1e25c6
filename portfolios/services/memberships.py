"""Every write to a partner portfolio. Only the consumer's own action calls these (rule 1 of DESIGN.md)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.accounts.models import User
from vendors.models import Vendor

from ..exceptions import AlreadyPartner, NotAPartner, OwnVendor, VendorNotAvailable
from ..models import EndReason, MembershipEvent, PartnerMembership
from ..signals import membership_changed
from .stats import stats_mark_dirty


def _announce(vendor_id: int, consumer_id: int) -> None:
    """Inside the membership's transaction: mark the vendor's statistics dirty (so the change is never lost,
    whatever happens to the broker); after commit: queue the refresh and tell the layers above which vendor
    and which consumer the change was about."""
    from ..tasks import stats_refresh_dirty_enqueue  # the tasks module imports these services

    stats_mark_dirty(vendor_ids=[vendor_id])
    transaction.on_commit(stats_refresh_dirty_enqueue)
    transaction.on_commit(
        lambda: membership_changed.send(sender=PartnerMembership, vendor_id=vendor_id, consumer_id=consumer_id)
    )


def _refuse_own_vendor(consumer: User, vendor: Vendor) -> None:
    if vendor.owner_id == consumer.pk or consumer.is_staff:
        raise OwnVendor(_("A vendor's owner or the marketplace's staff cannot add that vendor as a partner."))


def _membership_open(*, consumer: User, vendor_id: int, reinstating: bool) -> PartnerMembership:
    """A new active membership of an approved vendor, with its event, in one transaction: STARTED, or
    REINSTATED when the consumer ended this vendor before. Two simultaneous clicks make one active membership
    (the partial unique constraint decides, the loser gets AlreadyPartner). `reinstating` refuses a vendor the
    consumer never ended (the portfolio history's button)."""
    try:
        with transaction.atomic():
            vendor = Vendor.objects.filter(pk=vendor_id, status=Vendor.Status.APPROVED).first()
            if vendor is None:
                raise VendorNotAvailable(_("This vendor is not available."))
            _refuse_own_vendor(consumer, vendor)
            ended_before = PartnerMembership.objects.ended().filter(consumer=consumer, vendor=vendor).exists()
            if reinstating and not ended_before:
                raise NotAPartner(_("You have no ended partnership with this vendor to reinstate."))
            kind = MembershipEvent.Kind.REINSTATED if ended_before else MembershipEvent.Kind.STARTED
            now = timezone.now()
            membership = PartnerMembership.objects.create(consumer=consumer, vendor=vendor, started_at=now)
            MembershipEvent.objects.create(membership=membership, vendor=vendor, kind=kind, created_at=now)
            _announce(vendor.pk, consumer.pk)
            return membership
    except IntegrityError as exc:
        raise AlreadyPartner(_("This vendor is already one of your partners.")) from exc


def _active_membership_locked(*, consumer: User, vendor_id: int) -> PartnerMembership:
    """The consumer's active membership of this vendor, locked for the caller's transaction."""
    membership = (
        PartnerMembership.objects.select_for_update()
        .filter(consumer=consumer, vendor_id=vendor_id, ended_at__isnull=True)
        .first()
    )
    if membership is None:
        raise NotAPartner(_("This vendor is not one of your current partners."))
    return membership


def membership_start(*, consumer: User, vendor_id: int) -> PartnerMembership:
    """Add an approved vendor to the consumer's portfolio.

    Atomic; two simultaneous clicks make one active membership. Adding a vendor the consumer ended before is
    the consumer's own decision to take it back (rule 2: only the consumer reinstates), so it is recorded as
    a reinstatement, exactly as membership_reinstate from the portfolio history would; the ended row stays
    in the history.
    """
    return _membership_open(consumer=consumer, vendor_id=vendor_id, reinstating=False)


@transaction.atomic
def membership_end(*, consumer: User, vendor_id: int, reason: str, comment: str = "") -> PartnerMembership:
    """End the consumer's active partnership with a reason. Only the consumer calls this; history is kept."""
    if reason not in EndReason.values:
        raise ValidationError({"reason": _("Choose why you are ending this partnership.")})
    if len(comment) > 2000:
        raise ValidationError({"comment": _("Keep the comment under %(most)d characters.") % {"most": 2000}})
    membership = _active_membership_locked(consumer=consumer, vendor_id=vendor_id)
    now = timezone.now()
    membership.ended_at = now
    membership.end_reason, membership.end_comment = reason, comment
    membership.save(update_fields=["ended_at", "end_reason", "end_comment"])
    MembershipEvent.objects.create(
        membership=membership, vendor_id=vendor_id, kind=MembershipEvent.Kind.ENDED, reason=reason, created_at=now
    )
    _announce(vendor_id, consumer.pk)
    return membership


def membership_reinstate(*, consumer: User, vendor_id: int) -> PartnerMembership:
    """Reinstate a partnership the consumer ended earlier: a new active membership, history kept. Atomic."""
    return _membership_open(consumer=consumer, vendor_id=vendor_id, reinstating=True)


@transaction.atomic
def membership_set_muted(*, consumer: User, vendor_id: int, muted: bool) -> PartnerMembership:
    """Mute or unmute a current partner's promotions without ending the partnership."""
    membership = _active_membership_locked(consumer=consumer, vendor_id=vendor_id)
    membership.muted = muted
    membership.save(update_fields=["muted"])
    _announce(vendor_id, consumer.pk)
    return membership


def membership_record_purchase(*, consumer: User, vendor_id: int) -> None:
    """Note that a current partner bought from the vendor now (called by the shop's checkout, in its transaction)."""
    PartnerMembership.objects.active().filter(consumer=consumer, vendor_id=vendor_id).update(
        last_order_at=timezone.now()
    )


@transaction.atomic
def membership_anonymise_for_consumer(*, consumer: User) -> int:
    """For a consumer closing their account: close their active partnerships and detach every membership
    from them, so vendors' figures stay true and no row names them. A closing is not an ending: it is
    recorded as its own event (Kind.CLOSED) with no end reason, so partner counts drop but no public fact,
    end reason or ending count takes it for the consumer's verdict on the vendor (stats.py leaves out
    memberships ended without a reason). Partnerships the consumer ended earlier keep their reasons.
    Returns how many memberships were anonymised."""
    now = timezone.now()
    active = list(PartnerMembership.objects.select_for_update().filter(consumer=consumer, ended_at__isnull=True))
    for membership in active:
        membership.ended_at, membership.end_reason = now, ""
    PartnerMembership.objects.bulk_update(active, ["ended_at", "end_reason"])
    MembershipEvent.objects.bulk_create(
        MembershipEvent(membership=m, vendor_id=m.vendor_id, kind=MembershipEvent.Kind.CLOSED, created_at=now)
        for m in active
    )
    vendor_ids = set(PartnerMembership.objects.filter(consumer=consumer).values_list("vendor_id", flat=True))
    count = PartnerMembership.objects.filter(consumer=consumer).update(consumer=None, end_comment="")
    for vendor_id in vendor_ids:
        _announce(vendor_id, consumer.pk)
    return count
