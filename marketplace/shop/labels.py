"""The shop's choice labels, marked for the catalogue (marketplace.kernel.labels says why here)."""

from django.utils.translation import gettext_noop

LABELS = (
    # Order.Status and Payment.Status
    gettext_noop("Awaiting payment"),
    gettext_noop("Paid"),
    gettext_noop("Shipped"),
    gettext_noop("Delivered"),
    gettext_noop("Cancelled"),
    gettext_noop("Waiting for your confirmation"),
    gettext_noop("Processing"),
    gettext_noop("Failed"),
    gettext_noop("Lapsed"),
    # Refund.Status and Refund.Reason
    gettext_noop("Being refunded"),
    gettext_noop("Refunded"),
    gettext_noop("Refund failed"),
    gettext_noop("Cancelled by the vendor"),
    gettext_noop("Cancelled by you"),
    gettext_noop("Paid after the order had lapsed"),
)
