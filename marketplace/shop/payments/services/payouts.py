"""Vendors' payout accounts (payees) and the transfers that pay each delivered order out to them.

An order's payout is held from its payment until it is delivered (a cancelled order before shipping is then
simply refunded: nothing to claw back from the vendor), and transferred when it is delivered and the vendor's
account can receive it: at once from the delivery (a task after commit), or by the hourly beat job once the
vendor finishes onboarding.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from marketplace.kernel.enqueue import enqueue_safely
from vendors.models import Vendor

from ...models import Order, OrderPayout, Payee
from ..base import PayeeState, ProviderError
from ..providers import provider_get, provider_name

logger = logging.getLogger(__name__)


def _payee_store(*, payee_id: int, state: PayeeState) -> Payee:
    Payee.objects.filter(pk=payee_id).update(
        details_submitted=state.details_submitted,
        charges_enabled=state.charges_enabled,
        payouts_enabled=state.payouts_enabled,
        requirements=list(state.requirements),
        updated_at=timezone.now(),
    )
    return Payee.objects.get(pk=payee_id)


def payee_ensure(*, vendor: Vendor) -> Payee:
    """The vendor's payout account at the configured provider, opened there once (`vendor-<id>-payee-<provider>`
    keys it, so two clicks open one account). Raises ProviderError when the provider cannot be reached."""
    name = provider_name()
    payee, _ = Payee.objects.get_or_create(vendor=vendor, defaults={"provider": name})
    if payee.provider != name and not payee.ready:
        # The operator changed provider before this vendor finished onboarding: start again at the new one.
        Payee.objects.filter(pk=payee.pk).update(provider=name, provider_ref="", requirements=[])
        payee.refresh_from_db()
    if not payee.provider_ref:
        state = provider_get(payee.provider).payee_create(
            vendor_id=vendor.pk,
            email=vendor.contact_email or vendor.owner.email,
            idempotency_key=f"vendor-{vendor.pk}-payee-{payee.provider}",
        )
        Payee.objects.filter(pk=payee.pk, provider_ref="").update(provider_ref=state.ref)
        payee = _payee_store(payee_id=payee.pk, state=state)
    return payee


def payee_onboarding_link_create(*, vendor: Vendor, return_url: str, refresh_url: str) -> str:
    """Where the vendor's owner gives the provider what it needs to pay them (opening the account first).
    Each link has its own key (`payee-<id>-link-<n>`, n counted in the database). Only the vendor's own
    workspace calls this. Raises ProviderError when the provider cannot be reached."""
    payee = payee_ensure(vendor=vendor)
    with transaction.atomic():
        Payee.objects.filter(pk=payee.pk).update(links_issued=F("links_issued") + 1)
        issued = Payee.objects.values_list("links_issued", flat=True).get(pk=payee.pk)
    return provider_get(payee.provider).payee_onboarding_link(
        payee_ref=payee.provider_ref,
        return_url=return_url,
        refresh_url=refresh_url,
        idempotency_key=f"payee-{payee.pk}-link-{issued}",
    )


def payee_sync(*, payee_id: int) -> Payee:
    """Read the account's onboarding state back from the provider (its account.updated event, the vendor's
    return from onboarding). When it can now receive payouts, the delivered orders held for it are released.
    Idempotent. Raises ProviderError when the provider cannot be reached."""
    payee = Payee.objects.get(pk=payee_id)
    if not payee.provider_ref:
        return payee
    was_ready = payee.ready
    payee = _payee_store(
        payee_id=payee.pk, state=provider_get(payee.provider).payee_status(payee_ref=payee.provider_ref)
    )
    if payee.ready and not was_ready:
        from ..tasks import payouts_release_due_task

        transaction.on_commit(lambda: enqueue_safely(payouts_release_due_task))
    return payee


def payout_release(*, order_id: int) -> OrderPayout | None:
    """Transfer a delivered order's payout (its net: gross less the fee and refunds) to the vendor's account,
    from the checkout's charge (`order-<id>-transfer` keys it, so a retry makes one transfer). A payout whose
    vendor cannot receive payouts yet stays held. Idempotent. Raises ProviderError when the provider cannot
    be reached (beat tries again)."""
    payout = (
        OrderPayout.objects.select_related("order__checkout__payment", "vendor__payee")
        .filter(order_id=order_id)
        .first()
    )
    if payout is None or payout.status != OrderPayout.Status.HELD or payout.order.status != Order.Status.DELIVERED:
        return payout
    payee = getattr(payout.vendor, "payee", None) if hasattr(payout.vendor, "payee") else None
    payment = payout.order.checkout.payment
    if payee is None or not payee.ready or not payee.provider_ref or payee.provider != payment.provider:
        return payout
    net = payout.net_minor
    if net <= 0:
        return payout
    transfer = provider_get(payment.provider).transfer(
        payee_ref=payee.provider_ref,
        amount_minor=net,
        currency=payment.currency,
        source_charge_ref=payment.charge_ref,
        transfer_group=f"checkout-{payment.checkout_id}",
        idempotency_key=f"order-{order_id}-transfer",
        metadata={"order_id": str(order_id), "vendor_id": str(payout.vendor_id)},
    )
    OrderPayout.objects.filter(pk=payout.pk, status=OrderPayout.Status.HELD).update(
        status=OrderPayout.Status.TRANSFERRED, transfer_ref=transfer.ref, transferred_at=timezone.now()
    )
    payout.refresh_from_db()
    return payout


def payouts_release_due(*, limit: int = 500) -> int:
    """Release every delivered order's held payout whose vendor can now receive it (beat, hourly). Returns
    how many were transferred."""
    order_ids = list(
        OrderPayout.objects.filter(
            status=OrderPayout.Status.HELD,
            order__status=Order.Status.DELIVERED,
            vendor__payee__payouts_enabled=True,
            vendor__payee__details_submitted=True,
        )
        .order_by("id")
        .values_list("order_id", flat=True)[:limit]
    )
    released = 0
    for order_id in order_ids:
        try:
            payout = payout_release(order_id=order_id)
        except ProviderError as exc:
            logger.warning("Payout of order %s still held: %s", order_id, exc)
            continue
        released += payout is not None and payout.status == OrderPayout.Status.TRANSFERRED
    return released
