"""Every write about money: payments (payments.py), refunds (refunds.py), payees and payouts (payouts.py),
webhook events (webhooks.py) and the reconciliation (reconcile.py)."""

from .payments import (
    payment_abandon,
    payment_confirm,
    payment_create_for_checkout,
    payment_expire,
    payment_start,
    payment_sync,
    payments_expire_due,
)
from .payouts import payee_ensure, payee_onboarding_link_create, payee_sync, payout_release, payouts_release_due
from .reconcile import payments_reconcile
from .refunds import refund_create, refund_execute, refunds_execute_pending
from .webhooks import webhook_event_process, webhook_events_process_pending, webhook_receive

__all__ = [
    "payee_ensure",
    "payee_onboarding_link_create",
    "payee_sync",
    "payment_abandon",
    "payment_confirm",
    "payment_create_for_checkout",
    "payment_expire",
    "payment_start",
    "payment_sync",
    "payments_expire_due",
    "payments_reconcile",
    "payout_release",
    "payouts_release_due",
    "refund_create",
    "refund_execute",
    "refunds_execute_pending",
    "webhook_event_process",
    "webhook_events_process_pending",
    "webhook_receive",
]
