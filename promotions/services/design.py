"""A vendor's design of its promotions: create, change, delete drafts, with the rules a design must keep."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.accounts.models import Interest, Region
from marketplace.kernel.errors import ConflictError, ForbiddenError, NotFoundError
from vendors.models import Vendor

from ..models import PROMOTION_DESIGN_FIELDS, Promotion
from ..selectors.own import promotion_get_for_vendor

CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{0,30}$")


# --- Design ----------------------------------------------------------------------------------------------


def _check_design(promotion: Promotion) -> None:
    """Rules about the promotion's own fields; raises ValidationError naming each bad field."""
    errors: dict[str, list[str]] = {}
    try:
        promotion.full_clean(exclude=["vendor", "state"], validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not errors.get("title") and not promotion.title.strip():
        errors["title"] = [_("Give the promotion a title.")]
    if promotion.discount_type == Promotion.DiscountType.PERCENT and promotion.discount_value is not None:
        if promotion.discount_value > 100:
            errors.setdefault("discount_value", []).append("A percent discount is at most 100.")
    if promotion.min_order is not None and promotion.min_order < 0:
        errors.setdefault("min_order", []).append(_("The minimum order cannot be negative."))
    if not CODE_PATTERN.match(promotion.code or ""):
        errors.setdefault("code", []).append(_("Use up to 30 letters, digits, dashes or underscores."))
    if promotion.starts_at and promotion.ends_at and promotion.ends_at <= promotion.starts_at:
        errors.setdefault("ends_at", []).append(_("The end must be after the start."))
    if promotion.kind == Promotion.Kind.PARTNERS:
        if promotion.audience == Promotion.Audience.SEGMENT and not (
            promotion.segment_region_id or promotion.segment_age_band or promotion.segment_interest_id
        ):
            errors.setdefault("audience", []).append(_("Choose a region, an age band or an interest for the segment."))
        if promotion.audience == Promotion.Audience.LAPSED and not promotion.lapsed_days:
            errors.setdefault("lapsed_days", []).append(_("Say after how many days without an order a partner counts."))
    if errors:
        raise ValidationError(errors)


def _normalise_audience(promotion: Promotion) -> None:
    """Keep only the audience fields the chosen kind and audience use, so nothing stale targets anyone."""
    if promotion.kind == Promotion.Kind.PUBLIC:
        promotion.audience = Promotion.Audience.ALL_PARTNERS
    if promotion.kind == Promotion.Kind.PUBLIC or promotion.audience != Promotion.Audience.SEGMENT:
        promotion.segment_region = None
        promotion.segment_age_band = ""
        promotion.segment_interest = None
    if promotion.kind == Promotion.Kind.PUBLIC or promotion.audience != Promotion.Audience.LAPSED:
        promotion.lapsed_days = None
    promotion.code = (promotion.code or "").strip()


def _own_promotion(vendor: Vendor, promotion_id: int, *, lock: bool = True) -> Promotion:
    promotion = promotion_get_for_vendor(vendor=vendor, pk=promotion_id, for_update=lock)
    if promotion is None:
        raise NotFoundError(_("No such promotion."))
    return promotion


@transaction.atomic
def promotion_create(
    *,
    vendor: Vendor,
    title: str,
    discount_value: Decimal,
    starts_at: datetime,
    ends_at: datetime,
    kind: str = Promotion.Kind.PARTNERS,
    audience: str = Promotion.Audience.ALL_PARTNERS,
    description: str = "",
    segment_region: Region | None = None,
    segment_age_band: str = "",
    segment_interest: Interest | None = None,
    lapsed_days: int | None = None,
    discount_type: str = Promotion.DiscountType.PERCENT,
    min_order: Decimal | None = None,
    code: str = "",
    uses_per_consumer: int = 1,
    max_uses: int | None = None,
) -> Promotion:
    """Save a new promotion as a draft of the vendor. Nothing reaches anyone until it is published."""
    if vendor.status in (Vendor.Status.REJECTED,):
        raise ForbiddenError(_("Your application was rejected; promotions open once you are approved."))
    promotion = Promotion(
        vendor=vendor,
        title=title.strip(),
        description=description.strip(),
        kind=kind,
        audience=audience,
        segment_region=segment_region,
        segment_age_band=segment_age_band,
        segment_interest=segment_interest,
        lapsed_days=lapsed_days,
        discount_type=discount_type,
        discount_value=discount_value,
        min_order=min_order,
        code=code,
        uses_per_consumer=uses_per_consumer,
        max_uses=max_uses,
        starts_at=starts_at,
        ends_at=ends_at,
        state=Promotion.State.DRAFT,
    )
    _normalise_audience(promotion)
    _check_design(promotion)
    promotion.save()
    return promotion


@transaction.atomic
def promotion_update(*, vendor: Vendor, promotion_id: int, **changes: Any) -> Promotion:
    """Change a draft of the vendor's (only the fields given). Published promotions are fixed: ConflictError."""
    unknown = set(changes) - set(PROMOTION_DESIGN_FIELDS)
    if unknown:
        raise ValidationError({field: [_("This field cannot be changed.")] for field in sorted(unknown)})
    promotion = _own_promotion(vendor, promotion_id)
    if promotion.state != Promotion.State.DRAFT:
        raise ConflictError(_("Only a draft can be changed; this promotion is already published."))
    for field, value in changes.items():
        setattr(promotion, field, value.strip() if isinstance(value, str) else value)
    _normalise_audience(promotion)
    _check_design(promotion)
    promotion.save()
    return promotion


@transaction.atomic
def promotion_delete(*, vendor: Vendor, promotion_id: int) -> None:
    """Delete a draft of the vendor's. Published promotions stay, for their results."""
    promotion = _own_promotion(vendor, promotion_id)
    if promotion.state != Promotion.State.DRAFT:
        raise ConflictError(_("Only a draft can be deleted; end a published promotion instead."))
    promotion.delete()
