"""Who may see and answer an ask: the one rule, as a set of vendor ids (publishing), a queryset filter (every
read) and a check on one vendor (every write, and again at acceptance).

A vendor is a reachable partner of the ask's consumer in the ask's category when the consumer holds an active
partnership with it, has not kept it out of their asks (AskMute: "muted for this purpose"), and the vendor is
approved (not suspended) and in that category. A vendor whose partnership ended since publishing, or which was
suspended, has its recipient row lapsed and never sees the ask again (receivers.py)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from portfolios.models import PartnerMembership
from vendors.models import Vendor

from ..models import Ask, AskMute, AskRecipient


def reachable_vendor_ids(*, consumer_id: int, category_id: int) -> list[int]:
    """The vendors an ask of this consumer in this category would be addressed to now, in id order."""
    muted = AskMute.objects.filter(consumer_id=consumer_id, vendor_id=OuterRef("vendor_id"))
    return list(
        PartnerMembership.objects.active()
        .filter(consumer_id=consumer_id, vendor__category_id=category_id, vendor__status=Vendor.Status.APPROVED)
        .exclude(vendor__owner_id=consumer_id)
        .exclude(Exists(muted))
        .order_by("vendor_id")
        .values_list("vendor_id", flat=True)
        .distinct()
    )


def recipients_eligible(qs: QuerySet[AskRecipient], *, vendor: Vendor | None = None) -> QuerySet[AskRecipient]:
    """Recipient rows whose vendor may still see the ask: not lapsed, the vendor approved, the partnership active
    and not kept out of asks. Two EXISTS on indexed pairs, whatever the size of the tables. Given the `vendor`
    (one vendor's own rows, read in this request), its status is checked here, not joined in every row."""
    if vendor is not None:
        if vendor.status != Vendor.Status.APPROVED:
            return qs.none()
        qs = qs.filter(vendor_id=vendor.pk)
        vendor_ref: object = vendor.pk
    else:
        qs = qs.filter(vendor__status=Vendor.Status.APPROVED)
        vendor_ref = OuterRef("vendor_id")
    active = PartnerMembership.objects.filter(
        consumer_id=OuterRef("ask__consumer_id"), vendor_id=vendor_ref, ended_at__isnull=True
    )
    muted = AskMute.objects.filter(consumer_id=OuterRef("ask__consumer_id"), vendor_id=vendor_ref)
    return qs.filter(Q(lapsed_at__isnull=True), Exists(active), ~Exists(muted))


def vendor_may_answer(*, ask: Ask, vendor_id: int) -> bool:
    """Whether this vendor may see and answer this ask now (one query)."""
    return recipients_eligible(AskRecipient.objects.filter(ask=ask, vendor_id=vendor_id)).exists()
