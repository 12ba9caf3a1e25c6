"""The vendor's side of an ask: one offer (revisable once, withdrawable) or a "not interested" answer. Every write
locks the ask's row first, as acceptance does, and checks that the vendor may still answer (eligibility.py), so
no answer lands on an ask that was awarded, cancelled or expired meanwhile, nor from a vendor that lost the right.
Offers are sealed: nothing here returns or reads another vendor's offer."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.accounts.models import User
from marketplace.kernel.errors import ConflictError, NotFoundError
from vendors.models import Vendor

from ..models import INCLUDED_MAX, TEXT_MAX, Ask, LapseReason, Offer, OfferReport, VendorAskSettings
from ._common import clean_text, setting
from .eligibility import vendor_may_answer
from .mail import mail_offer_new
from .stats import ask_stats_refresh_on_commit

PRICE_MAX = Decimal("99999999.99")
VALID_MAX_DAYS = 30


def _ask_for_vendor_locked(*, vendor: Vendor, ask_id: int) -> Ask:
    """The ask, locked, when this vendor may answer it; NotFoundError (404) when it may not even see it, and
    ConflictError when it sees it but the ask no longer takes answers."""
    ask = Ask.objects.select_for_update().filter(pk=ask_id).first()
    if ask is None or not vendor_may_answer(ask=ask, vendor_id=vendor.pk):
        raise NotFoundError(_("No such ask."))
    if ask.state != Ask.State.OPEN or ask.respond_by <= timezone.now():
        raise ConflictError(_("This ask no longer takes answers."))
    return ask


def _daily_limit(vendor: Vendor) -> None:
    """Answers per vendor per 24 hours are bounded (a setting). The vendor's row is locked so two answers at once
    cannot both pass the limit."""
    Vendor.objects.select_for_update().filter(pk=vendor.pk).values_list("pk", flat=True).first()
    limit = setting("ASK_OFFERS_PER_VENDOR_DAY")
    since = timezone.now() - timedelta(hours=24)
    if Offer.objects.filter(vendor=vendor, created_at__gte=since).count() >= limit:
        raise ConflictError(
            _("You have answered %(limit)s asks in the last 24 hours, the most allowed; try again later.")
            % {"limit": limit}
        )


def _offer_fields(*, price: object, included: str, valid_until: datetime | None) -> dict[str, object]:
    errors: dict[str, str] = {}
    amount = None
    try:
        amount = Decimal(str(price)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        errors["price"] = _("Give the price as an amount, such as 2899 or 2899.50.")
    else:
        if not amount.is_finite() or amount <= 0 or amount > PRICE_MAX:
            errors["price"] = _("The price must be more than 0 and at most 99,999,999.99.")
    included = clean_text(included)
    if len(included) > INCLUDED_MAX:
        errors["included"] = _("Keep what is included under %(max)s characters.") % {"max": INCLUDED_MAX}
    now = timezone.now()
    if valid_until is None:
        errors["valid_until"] = _("Say until when the offer holds.")
    elif valid_until <= now:
        errors["valid_until"] = _("The offer must hold until a moment in the future.")
    elif valid_until > now + timedelta(days=VALID_MAX_DAYS):
        errors["valid_until"] = _("An offer may hold at most %(days)s days.") % {"days": VALID_MAX_DAYS}
    if errors:
        raise ValidationError(errors)
    return {"price": amount, "included": included, "valid_until": valid_until}


@transaction.atomic
def offer_make(
    *,
    vendor: Vendor,
    ask_id: int,
    price: object,
    valid_until: datetime | None,
    included: str = "",
    stock_reserved: bool = False,
    promotions_stack: bool = False,
) -> Offer:
    """The vendor's offer on an ask: the first one, or its one revision, or a new one where its offer lapsed
    because the consumer accepted another whose payment then did not complete (the ask open again:
    offer_renewable). A second revision, a revision of a withdrawn or otherwise lapsed offer, or an offer after
    "not interested" is refused (ConflictError). The consumer is told by e-mail after commit (within their digest
    and mute settings)."""
    fields = _offer_fields(price=price, included=included, valid_until=valid_until)
    ask = _ask_for_vendor_locked(vendor=vendor, ask_id=ask_id)
    fields.update(stock_reserved=bool(stock_reserved), promotions_stack=bool(promotions_stack))
    existing = Offer.objects.filter(ask=ask, vendor=vendor).first()
    if existing is None:
        _daily_limit(vendor)
        offer = Offer.objects.create(ask=ask, vendor=vendor, **fields)  # type: ignore[arg-type]
        mail_offer_new(offer=offer, revised=False)
        ask_stats_refresh_on_commit(vendor_ids=[vendor.pk])
        return offer
    if offer_renewable(ask=ask, offer=existing):
        _daily_limit(vendor)
        renewed = Offer.objects.filter(
            pk=existing.pk, state=Offer.State.LAPSED, lapse_reason=LapseReason.ACCEPTED_OTHER
        ).update(state=Offer.State.LIVE, lapse_reason="", revisions=0, updated_at=timezone.now(), **fields)
        if renewed != 1:
            raise ConflictError(_("Your answer to this ask changed meanwhile; open it again."))
        existing.refresh_from_db()
        mail_offer_new(offer=existing, revised=False)
        ask_stats_refresh_on_commit(vendor_ids=[vendor.pk])
        return existing
    if existing.state != Offer.State.LIVE:
        raise ConflictError(
            _("Your answer to this ask is %(state)s; it cannot change.")
            % {"state": existing.get_state_display().lower()}
        )
    updated = Offer.objects.filter(pk=existing.pk, state=Offer.State.LIVE, revisions=0).update(
        revisions=1, updated_at=timezone.now(), **fields
    )
    if updated != 1:
        raise ConflictError(_("An offer may be revised once; yours has been."))
    existing.refresh_from_db()
    mail_offer_new(offer=existing, revised=True)
    return existing


def offer_renewable(*, ask: Ask, offer: Offer | None) -> bool:
    """Whether the vendor may make this ask a new offer over its lapsed one: it lapsed because the consumer
    accepted another offer, that acceptance's payment did not complete and the ask is open again
    (services/award.py). Its vendor's eligibility is checked where the offer is made, as for any offer."""
    return (
        offer is not None
        and offer.state == Offer.State.LAPSED
        and offer.lapse_reason == LapseReason.ACCEPTED_OTHER
        and ask.state == Ask.State.OPEN
        and ask.payment_lapsed_at is not None
    )


@transaction.atomic
def offer_withdraw(*, vendor: Vendor, ask_id: int) -> Offer:
    """Withdraw the vendor's live offer. Serialised with acceptance on the ask's row: an offer being accepted
    cannot be withdrawn, and a withdrawn one cannot be accepted."""
    ask = _ask_for_vendor_locked(vendor=vendor, ask_id=ask_id)
    offer = Offer.objects.filter(ask=ask, vendor=vendor).first()
    if offer is None:
        raise NotFoundError(_("You have made no offer on this ask."))
    updated = Offer.objects.filter(pk=offer.pk, state=Offer.State.LIVE).update(
        state=Offer.State.WITHDRAWN, updated_at=timezone.now()
    )
    if updated != 1:
        raise ConflictError(
            _("Your offer is %(state)s; it cannot be withdrawn.") % {"state": offer.get_state_display().lower()}
        )
    offer.refresh_from_db()
    return offer


@transaction.atomic
def offer_not_interested(*, vendor: Vendor, ask_id: int) -> Offer:
    """Answer "not interested": it costs the vendor nothing (not counted in the daily limit) and the consumer
    sees only how many partners answered so, never which."""
    ask = _ask_for_vendor_locked(vendor=vendor, ask_id=ask_id)
    if Offer.objects.filter(ask=ask, vendor=vendor).exists():
        raise ConflictError(_("You have already answered this ask."))
    answer = Offer.objects.create(ask=ask, vendor=vendor, state=Offer.State.NOT_INTERESTED)
    ask_stats_refresh_on_commit(vendor_ids=[vendor.pk])
    return answer


@transaction.atomic
def offer_report(*, consumer: User, ask_id: int, offer_id: int, text: str = "") -> OfferReport:
    """The ask's consumer reports an offer as bait (a price the vendor would not honour); moderators see it.
    Reporting the same offer twice keeps the first report."""
    offer = (
        Offer.objects.filter(pk=offer_id, ask_id=ask_id, ask__consumer=consumer)
        .exclude(state=Offer.State.NOT_INTERESTED)
        .first()
    )
    if offer is None:
        raise NotFoundError(_("No such offer."))
    text = clean_text(text)
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": _("Keep the report under %(max)s characters.") % {"max": TEXT_MAX}})
    report, _created = OfferReport.objects.get_or_create(offer=offer, reporter=consumer, defaults={"text": text})
    return report


def vendor_ask_settings_set(*, vendor: Vendor, email_new_asks: bool, email_offer_lapses: bool) -> VendorAskSettings:
    """Save the vendor's e-mail settings for asks (an accepted offer is always e-mailed: it is an order)."""
    row, _created = VendorAskSettings.objects.update_or_create(
        vendor=vendor, defaults={"email_new_asks": email_new_asks, "email_offer_lapses": email_offer_lapses}
    )
    return row
