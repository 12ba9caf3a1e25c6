"""The e-mails an order's life sends: placed (to the buyer and to the vendor's owner), shipped, delivered and
cancelled (to the buyer). Called by checkout and fulfilment inside their transactions: each message is
rendered there and sent once that transaction commits, one per event (marketplace.accounts.mail)."""

from __future__ import annotations

from marketplace.accounts.mail import mail_send_on_commit

from ..models import Order

STATUS_SUBJECTS = {
    Order.Status.SHIPPED: "Order #{pk} from {vendor} has shipped",
    Order.Status.DELIVERED: "Order #{pk} from {vendor} was delivered",
    Order.Status.CANCELLED: "Order #{pk} from {vendor} was cancelled",
}


def order_mail_placed(*, order: Order) -> None:
    """Tell the buyer their order is placed, and the vendor's owner that it has an order to fulfil. The
    owner's message names no buyer: the delivery details stay on the order page of the workspace."""
    vendor = order.vendor
    mail_send_on_commit(
        to=order.consumer.email if order.consumer else None,
        subject=f"Order #{order.pk} from {vendor.name} is placed",
        template="orders/placed_buyer",
        context={"order": order},
    )
    mail_send_on_commit(
        to=vendor.owner.email,
        subject=f"New order #{order.pk} for {vendor.name}",
        template="orders/placed_vendor",
        context={"order": order},
    )


def order_mail_status(*, order: Order, reason: str = "") -> None:
    """Tell the buyer their order shipped, was delivered, or was cancelled (with the vendor's reason).
    A buyer who closed their account is not written to."""
    if order.status not in STATUS_SUBJECTS or order.consumer is None:
        return
    mail_send_on_commit(
        to=order.consumer.email,
        subject=STATUS_SUBJECTS[order.status].format(pk=order.pk, vendor=order.vendor.name),
        template=f"orders/{order.status}",
        context={"order": order, "reason": reason},
    )
