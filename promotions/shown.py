"""What pages show of promotions, as values kept in the shared cache (marketplace.kernel.caching) instead of
model rows: the ads beside the directory and search, and a consumer's partner feed with their feedback.
Bump SHAPE when a dataclass here changes (it is part of their keys)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from vendors.shown import VendorRef, vendor_ref

SHAPE = 1


@dataclass(frozen=True)
class FeedbackShown:
    verdict: str
    verdict_display: str
    reason: str
    reason_display: str

    def get_verdict_display(self) -> str:
        return self.verdict_display

    def get_reason_display(self) -> str:
        return self.reason_display


@dataclass(frozen=True)
class PromotionShown:
    pk: int
    vendor: VendorRef
    title: str
    description: str
    kind: str
    discount_type: str
    discount_value: Decimal
    min_order: Decimal | None
    code: str
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    my_feedback: FeedbackShown | None = None

    @property
    def id(self) -> int:
        return self.pk

    @property
    def vendor_id(self) -> int:
        return self.vendor.pk


def feedback_shown(feedback: Any) -> FeedbackShown | None:
    if feedback is None:
        return None
    return FeedbackShown(
        verdict=feedback.verdict,
        verdict_display=feedback.get_verdict_display(),
        reason=feedback.reason,
        reason_display=feedback.get_reason_display() if feedback.reason else "",
    )


def promotion_shown(promotion: Any, *, feedback: Any = None) -> PromotionShown:
    return PromotionShown(
        pk=promotion.pk,
        vendor=vendor_ref(promotion.vendor),
        title=promotion.title,
        description=promotion.description,
        kind=promotion.kind,
        discount_type=promotion.discount_type,
        discount_value=promotion.discount_value,
        min_order=promotion.min_order,
        code=promotion.code,
        starts_at=promotion.starts_at,
        ends_at=promotion.ends_at,
        my_feedback=feedback_shown(feedback),
    )
