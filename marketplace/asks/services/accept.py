"""Acceptance: the consumer takes one offer and has an order at its price."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.accounts.models import User
from marketplace.kernel.errors import ConflictError, NotFoundError
from marketplace.shop.services import CheckoutResult, checkout_place_quoted

from ..models import Ask, LapseReason, Offer
from .asks import offers_lapse
from .eligibility import vendor_may_answer
from .mail import mail_offer_accepted
from .stats import ask_stats_refresh_on_commit


def ask_order_key(ask_id: int, award: int = 1) -> str:
    """The checkout's idempotency key of an ask's order: one acceptance, one checkout, one payment. The first
    acceptance's key is `ask-<id>`; one after an unpaid award (services/award.py) is `ask-<id>-<n>`."""
    return f"ask-{ask_id}" if award <= 1 else f"ask-{ask_id}-{award}"


@transaction.atomic
def offer_accept(
    *, consumer: User, ask_id: int, offer_id: int, ship_to_name: str, ship_to_address: str
) -> CheckoutResult:
    """Accept one offer of the consumer's open ask, in one transaction with the ask's row locked (every write
    to an ask or its offers takes that lock first): the ask must still be open and before its respond-by, the
    offer live and within its valid-until, and its vendor still a reachable partner in the category. The order is
    placed at the offered price through the shop's checkout (idempotency key `ask_order_key`, its payment recorded
    with it and started by the caller after commit); the ask becomes awarded, the other live offers lapse and
    their vendors, like the winner, are told by e-mail after commit.

    So a double acceptance, an acceptance after expiry and an acceptance racing a withdrawal are impossible: the
    second of two to take the lock finds the ask awarded or the offer withdrawn (ConflictError)."""
    ask = Ask.objects.select_for_update().filter(pk=ask_id, consumer=consumer).first()
    if ask is None:
        raise NotFoundError(_("No such ask."))
    now = timezone.now()
    if ask.state != Ask.State.OPEN:
        raise ConflictError(
            _("This ask is %(state)s; no offer can be accepted.") % {"state": ask.get_state_display().lower()}
        )
    if ask.respond_by <= now:
        raise ConflictError(_("This ask has expired; no offer can be accepted."))
    offer = (
        Offer.objects.select_for_update().filter(pk=offer_id, ask=ask).exclude(state=Offer.State.NOT_INTERESTED).first()
    )
    if offer is None:
        raise NotFoundError(_("No such offer."))
    if offer.state != Offer.State.LIVE:
        raise ConflictError(
            _("This offer is %(state)s; it cannot be accepted.") % {"state": offer.get_state_display().lower()}
        )
    if offer.valid_until is None or offer.valid_until <= now:
        raise ConflictError(_("This offer is no longer valid."))
    if not vendor_may_answer(ask=ask, vendor_id=offer.vendor_id):
        raise ConflictError(_("This vendor is no longer one of your partners for asks; its offer cannot be accepted."))
    assert offer.price is not None
    result = checkout_place_quoted(
        consumer=consumer,
        vendor_id=offer.vendor_id,
        idempotency_key=ask_order_key(ask.pk, ask.awards + 1),
        description=f"{ask.title} (ask #{ask.pk})",
        price=offer.price,
        ship_to_name=ship_to_name,
        ship_to_address=ship_to_address,
        promotions_apply=offer.promotions_stack,
    )
    Offer.objects.filter(pk=offer.pk, state=Offer.State.LIVE).update(state=Offer.State.ACCEPTED, updated_at=now)
    offers_lapse(ask_ids=[ask.pk], reason=LapseReason.ACCEPTED_OTHER)
    Ask.objects.filter(pk=ask.pk, state=Ask.State.OPEN).update(
        state=Ask.State.AWARDED, closed_at=now, order=result.orders[0], awards=ask.awards + 1
    )
    mail_offer_accepted(offer_id=offer.pk)
    ask_stats_refresh_on_commit(vendor_ids=[offer.vendor_id])
    return result
