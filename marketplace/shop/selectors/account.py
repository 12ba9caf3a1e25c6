"""The consumer's data export: everything the marketplace keeps about them (the top layer sees every table)."""

from __future__ import annotations

from typing import Any

from marketplace.accounts.models import User
from portfolios.models import PartnerMembership
from promotions.selectors.feedback import feedback_list_for_consumer

from ..models import Order, Payment, ServiceRating
from .addresses import address_list_for_consumer
from .orders import order_list_for_consumer


def _order_payment(order: Order) -> dict[str, Any] | None:
    payment = getattr(order.checkout, "payment", None)  # None for orders placed before payments were recorded
    if payment is None:
        return None
    return {
        "checkout": payment.checkout_id,
        "status": payment.status,
        "amount_of_checkout": str(payment.amount),
        "currency": payment.currency,
        "card_last4": payment.card_last4,
        "paid_at": payment.paid_at.isoformat() if payment.paid_at else None,
    }


def account_export_data(*, user: User) -> dict[str, Any]:
    """Everything the marketplace holds about this consumer, as plain JSON-ready data."""
    profile = getattr(user, "profile", None)
    memberships = PartnerMembership.objects.filter(consumer=user).select_related("vendor").order_by("started_at", "id")
    orders = order_list_for_consumer(consumer=user)
    ratings = ServiceRating.objects.filter(consumer=user).select_related("vendor").order_by("created_at")
    feedback = feedback_list_for_consumer(consumer=user)
    payments = Payment.objects.filter(consumer=user).order_by("created_at", "id")
    return {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "date_joined": user.date_joined.isoformat(),
        },
        "profile": _profile_data(profile),
        "partnerships": [
            {
                "vendor": m.vendor.name,
                "vendor_slug": m.vendor.slug,
                "started_at": m.started_at.isoformat(),
                "ended_at": m.ended_at.isoformat() if m.ended_at else None,
                "end_reason": m.end_reason,
                "end_comment": m.end_comment,
                "muted": m.muted,
            }
            for m in memberships
        ],
        "orders": [
            {
                "id": o.pk,
                "vendor": o.vendor.name,
                "status": o.status,
                "created_at": o.created_at.isoformat(),
                "ship_to_name": o.ship_to_name,
                "ship_to_address": o.ship_to_address,
                "ship_to_region": o.ship_to_region.name if o.ship_to_region else None,
                "subtotal": str(o.subtotal),
                "discount": str(o.discount),
                "shipping": str(o.shipping),
                "total": str(o.total),
                "carrier": o.carrier,
                "tracking_number": o.tracking_number,
                "lines": [
                    {"product": line.product_name, "unit_price": str(line.unit_price), "quantity": line.quantity}
                    for line in o.lines.all()
                ],
                "payment": _order_payment(o),
                "refunds": [
                    {
                        "amount": str(r.amount),
                        "reason": r.reason,
                        "status": r.status,
                        "created_at": r.created_at.isoformat(),
                        "refunded_at": r.refunded_at.isoformat() if r.refunded_at else None,
                    }
                    for r in o.refunds.all()
                ],
            }
            for o in orders
        ],
        "payments": [
            {
                "checkout": p.checkout_id,
                "status": p.status,
                "amount": str(p.amount),
                "amount_refunded": str(p.amount_refunded),
                "currency": p.currency,
                "card_last4": p.card_last4,
                "created_at": p.created_at.isoformat(),
                "paid_at": p.paid_at.isoformat() if p.paid_at else None,
            }
            for p in payments
        ],
        "saved_addresses": [
            {
                "label": a.label,
                "name": a.name,
                "address": a.address,
                "region": a.region.name if a.region else None,
                "created_at": a.created_at.isoformat(),
            }
            for a in address_list_for_consumer(consumer=user)
        ],
        "ratings": [
            {
                "order": r.order_id,
                "vendor": r.vendor.name,
                "score": r.score,
                "comment": r.comment,
                # The review on the vendor's page: shown (without a name), hidden by the moderators, or private.
                "review": ("hidden" if r.hidden_at else "shown") if r.public else "private",
                "created_at": r.created_at.isoformat(),
            }
            for r in ratings
        ],
        "promotion_feedback": [
            {
                "promotion": f.promotion.title,
                "vendor": f.promotion.vendor.name,
                "verdict": f.verdict,
                "reason": f.reason,
                "updated_at": f.updated_at.isoformat(),
            }
            for f in feedback
        ],
    }


def _profile_data(profile: Any) -> dict[str, Any]:
    if profile is None:
        return {}
    return {
        "region": profile.region.name if profile.region else None,
        "age_band": profile.age_band,
        "interests": [i.name for i in profile.interests.all()],
        "share_region": profile.share_region,
        "share_age_band": profile.share_age_band,
        "share_interests": profile.share_interests,
        "weekly_promotion_cap": profile.weekly_promotion_cap,
        "digest_frequency": profile.digest_frequency,
        "digest_confirmed_at": profile.digest_confirmed_at.isoformat() if profile.digest_confirmed_at else None,
        "digest_sent_at": profile.digest_sent_at.isoformat() if profile.digest_sent_at else None,
    }
