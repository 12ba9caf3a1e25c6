"""The e-mails an order's life sends: placed (to the buyer and to the vendor's owner), shipped, delivered and
cancelled (to the buyer). Called by checkout and fulfilment inside their transactions: each message is
rendered there and sent once that transaction commits, one per event (marketplace.accounts.mail), each in its
recipient's language (the buyer and the vendor's owner may read different ones)."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_lazy

from marketplace.accounts.mail import mail_send_on_commit, recipient_language

from ..models import Order

STATUS_SUBJECTS = {
    Order.Status.SHIPPED: gettext_lazy("Order #%(pk)s from %(vendor)s has shipped"),
    Order.Status.DELIVERED: gettext_lazy("Order #%(pk)s from %(vendor)s was delivered"),
    Order.Status.CANCELLED: gettext_lazy("Order #%(pk)s from %(vendor)s was cancelled"),
}


def order_mail_placed(*, order: Order) -> None:
    """Tell the buyer their order is placed, and the vendor's owner that it has an order to fulfil. The
    owner's message names no buyer: the delivery details stay on the order page of the workspace."""
    vendor = order.vendor
    names = {"pk": order.pk, "vendor": vendor.name}
    with recipient_language(order.consumer):
        mail_send_on_commit(
            to=order.consumer.email if order.consumer else None,
            subject=gettext("Order #%(pk)s from %(vendor)s is placed") % names,
            template="orders/placed_buyer",
            context={"order": order},
        )
    with recipient_language(vendor.owner):
        mail_send_on_commit(
            to=vendor.owner.email,
            subject=gettext("New order #%(pk)s for %(vendor)s") % names,
            template="orders/placed_vendor",
            context={"order": order},
        )


def order_mail_status(*, order: Order, reason: str = "") -> None:
    """Tell the buyer their order shipped, was delivered, or was cancelled (with the vendor's reason).
    A buyer who closed their account is not written to."""
    if order.status not in STATUS_SUBJECTS or order.consumer is None:
        return
    with recipient_language(order.consumer):
        mail_send_on_commit(
            to=order.consumer.email,
            subject=STATUS_SUBJECTS[order.status] % {"pk": order.pk, "vendor": order.vendor.name},
            template=f"orders/{order.status}",
            context={"order": order, "reason": reason},
        )
