"""An award whose payment did not complete: the order of an accepted offer was cancelled unpaid (the payment was
not made before the checkout's timeout, or the consumer gave it up). A marketplace does not leave such an ask
"awarded" with nothing bought: the ask goes back to where it would be without that acceptance."""

from __future__ import annotations

from django.utils import timezone

from marketplace.shop.models import Order

from ..models import Ask, AskRecipient, LapseReason, Offer
from .eligibility import recipients_eligible, vendor_may_answer
from .mail import mail_ask_reopened, mail_award_unpaid
from .stats import ask_stats_refresh_on_commit


def ask_award_unpaid(*, order_ids: list[int]) -> int:
    """For each awarded ask whose order is among these (cancelled unpaid, in the caller's transaction: the shop's
    payment lapse sends `order_payment_lapsed` inside it), with the ask's row locked as every move of an ask:

    - the ask opens again when its respond-by is still ahead (its partners may answer, the consumer may accept an
      offer), otherwise it closes as expired; `payment_lapsed_at` says why, and `order` still names the cancelled
      order until the next acceptance;
    - the offer that was accepted is live again when the ask reopened, the offer is within its valid-until and its
      vendor may still answer, so the consumer can accept it and pay once more; otherwise it lapses;
    - that offer's vendor is told by e-mail after commit. The other offers, lapsed at the award and their vendors
      told so, stay lapsed; while the ask is open again their vendors may make it a new offer (their ask page
      says so: offers.offer_renewable), and those that may still answer are told by e-mail that it reopened.

    Idempotent: an ask no longer awarded with that order, or whose order is not cancelled, is left as it is.
    Returns how many asks moved."""
    if not order_ids:
        return 0
    now = timezone.now()
    moved = 0
    awarded = Ask.objects.select_for_update(of=("self",)).filter(
        order_id__in=order_ids, order__status=Order.Status.CANCELLED, state=Ask.State.AWARDED
    )
    for ask in awarded.order_by("id"):
        reopen = ask.respond_by > now
        updated = Ask.objects.filter(pk=ask.pk, state=Ask.State.AWARDED, order_id=ask.order_id).update(
            state=Ask.State.OPEN if reopen else Ask.State.EXPIRED,
            closed_at=None if reopen else now,
            payment_lapsed_at=now,
        )
        if updated != 1:
            continue
        moved += 1
        offer = Offer.objects.filter(ask=ask, state=Offer.State.ACCEPTED).first()
        if offer is None:
            continue
        stands = (
            reopen
            and offer.valid_until is not None
            and offer.valid_until > now
            and vendor_may_answer(ask=ask, vendor_id=offer.vendor_id)
        )
        if stands:
            Offer.objects.filter(pk=offer.pk, state=Offer.State.ACCEPTED).update(state=Offer.State.LIVE, updated_at=now)
        else:
            Offer.objects.filter(pk=offer.pk, state=Offer.State.ACCEPTED).update(
                state=Offer.State.LAPSED, lapse_reason=LapseReason.PAYMENT_LAPSED, updated_at=now
            )
        mail_award_unpaid(offer_id=offer.pk)
        if reopen:
            # The vendors the award lapsed that may still answer: one query, not one eligibility check each.
            lapsed_by_award = Offer.objects.filter(
                ask=ask, state=Offer.State.LAPSED, lapse_reason=LapseReason.ACCEPTED_OTHER
            ).values("vendor_id")
            again = sorted(
                recipients_eligible(AskRecipient.objects.filter(ask=ask, vendor_id__in=lapsed_by_award)).values_list(
                    "vendor_id", flat=True
                )
            )
            if again:
                mail_ask_reopened(ask=ask, vendor_ids=again)
        ask_stats_refresh_on_commit(vendor_ids=[offer.vendor_id])
    return moved
