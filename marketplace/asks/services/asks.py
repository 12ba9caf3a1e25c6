"""The consumer's side of an ask: write it (a draft), see whom it would reach, publish it, cancel it, keep a
partner out of one's asks. Only the ask's own consumer calls these."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from marketplace.accounts.models import ConsumerProfile, User
from marketplace.kernel.errors import ConflictError, NotFoundError
from vendors.models import Category

from ..models import TEXT_MAX, TITLE_MAX, Ask, AskMute, AskRecipient, LapseReason, Offer
from ._common import clean_text, setting
from .eligibility import reachable_vendor_ids
from .mail import mail_ask_new, mail_offers_lapsed
from .stats import ask_stats_refresh_on_commit

BUDGET_MAX = Decimal("99999999.99")
# Fewer partners than this learn that an ask came from one of very few consumers: the page warns.
SMALL_AUDIENCE = 3


@dataclass(frozen=True)
class Audience:
    """Whom an ask in a category would reach now: how many partners, and whether so few that each of them
    knows the ask came from one of their few partners."""

    partners: int

    @property
    def allowed(self) -> bool:
        return self.partners > 0

    @property
    def small(self) -> bool:
        return 0 < self.partners < SMALL_AUDIENCE


def ask_audience(*, consumer: User, category_id: int) -> Audience:
    return Audience(partners=len(reachable_vendor_ids(consumer_id=consumer.pk, category_id=category_id)))


def _validated(
    *,
    category_id: object,
    title: str,
    description: str,
    budget: object,
    needed_by: date | None,
    respond_by: datetime | None,
) -> dict[str, object]:
    errors: dict[str, str] = {}
    category = None
    try:
        category = Category.objects.filter(pk=int(str(category_id))).first()
    except (TypeError, ValueError):
        pass
    if category is None:
        errors["category"] = _("Choose a category.")
    title, description = clean_text(title), clean_text(description)
    if not title:
        errors["title"] = _("Say in a few words what you need.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("Keep the title under %(max)s characters.") % {"max": TITLE_MAX}
    if not description:
        errors["description"] = _("Describe what you need.")
    elif len(description) > TEXT_MAX:
        errors["description"] = _("Keep the description under %(max)s characters.") % {"max": TEXT_MAX}
    amount = None
    if budget not in (None, ""):
        try:
            amount = Decimal(str(budget)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            errors["budget"] = _("Give the budget as an amount, such as 3000 or 2999.99.")
        else:
            if not amount.is_finite() or amount <= 0 or amount > BUDGET_MAX:
                errors["budget"] = _("The budget must be more than 0 and at most 99,999,999.99.")
    now = timezone.now()
    days = setting("ASK_RESPOND_MAX_DAYS")
    if respond_by is None:
        errors["respond_by"] = _("Say until when partners may answer.")
    elif respond_by <= now + timedelta(minutes=5):
        errors["respond_by"] = _("The respond-by moment must be in the future.")
    elif respond_by > now + timedelta(days=days):
        errors["respond_by"] = _("The respond-by moment may be at most %(days)s days ahead.") % {"days": days}
    if needed_by is not None and needed_by < timezone.localdate():
        errors["needed_by"] = _("The needed-by date cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    return {"category": category, "title": title, "description": description, "budget": amount}


def ask_draft_create(
    *,
    consumer: User,
    category_id: object,
    title: str,
    description: str,
    respond_by: datetime | None,
    budget: object = None,
    budget_visible: bool = False,
    needed_by: date | None = None,
) -> Ask:
    """A draft ask of this consumer: nobody sees it until it is published. Bad input raises ValidationError
    with field errors and writes nothing."""
    fields = _validated(
        category_id=category_id,
        title=title,
        description=description,
        budget=budget,
        needed_by=needed_by,
        respond_by=respond_by,
    )
    return Ask.objects.create(
        consumer=consumer,
        budget_visible=bool(budget_visible) and fields["budget"] is not None,
        needed_by=needed_by,
        respond_by=respond_by,
        **fields,  # type: ignore[arg-type]
    )


def _pseudonym(ask_id: int) -> str:
    """A name for the vendors that differs per ask, so two asks of one consumer cannot be linked by it."""
    digest = salted_hmac("marketplace.asks.pseudonym", str(ask_id)).digest()
    return "Asker " + base64.b32encode(digest[:5]).decode()[:6]


def _own_ask_locked(*, consumer: User, ask_id: int) -> Ask:
    ask = Ask.objects.select_for_update().filter(pk=ask_id, consumer=consumer).first()
    if ask is None:
        raise NotFoundError(_("No such ask."))
    return ask


@transaction.atomic
def ask_publish(*, consumer: User, ask_id: int) -> Ask:
    """Publish a draft: it is addressed to the consumer's reachable partners in its category (refused when
    there is none), within the limit of open asks per consumer and category, and each recipient vendor is told
    by e-mail (within its settings) after commit. The consumer's row is locked so two publishes at once cannot
    both pass the limit."""
    User.objects.select_for_update().filter(pk=consumer.pk).values_list("pk", flat=True).first()
    ask = _own_ask_locked(consumer=consumer, ask_id=ask_id)
    if ask.state != Ask.State.DRAFT:
        raise ConflictError(_("This ask is already published."))
    now = timezone.now()
    if ask.respond_by <= now + timedelta(minutes=5):
        raise ValidationError({"respond_by": _("The respond-by moment has passed; write the ask again.")})
    limit = setting("ASKS_OPEN_PER_CATEGORY")
    open_asks = Ask.objects.filter(consumer=consumer, category_id=ask.category_id, state=Ask.State.OPEN).count()
    if open_asks >= limit:
        raise ConflictError(
            _(
                "You already have %(open)s open asks in this category (at most %(limit)s); "
                "wait for them to close or cancel one."
            )
            % {"open": open_asks, "limit": limit}
        )
    vendor_ids = reachable_vendor_ids(consumer_id=consumer.pk, category_id=ask.category_id)
    if not vendor_ids:
        raise ConflictError(
            _("None of your partners in this category can receive an ask: add a partner in it, or unmute one.")
        )
    profile = ConsumerProfile.objects.filter(user=consumer).first()
    region_id = profile.region_id if profile is not None and profile.share_region else None
    updated = Ask.objects.filter(pk=ask.pk, state=Ask.State.DRAFT).update(
        state=Ask.State.OPEN,
        published_at=now,
        pseudonym=_pseudonym(ask.pk),
        region_id=region_id,
        audience_size=len(vendor_ids),
    )
    if updated != 1:
        raise ConflictError(_("This ask is already published."))
    AskRecipient.objects.bulk_create(AskRecipient(ask=ask, vendor_id=v, published_at=now) for v in vendor_ids)
    ask.refresh_from_db()
    mail_ask_new(ask=ask, vendor_ids=vendor_ids)
    ask_stats_refresh_on_commit(vendor_ids=vendor_ids)
    return ask


@transaction.atomic
def ask_cancel(*, consumer: User, ask_id: int) -> Ask:
    """Cancel a draft or an open ask; its live offers lapse and their vendors are told. An ask cancelled after
    offers came in is marked for the moderators (a consumer fishing for prices)."""
    ask = _own_ask_locked(consumer=consumer, ask_id=ask_id)
    if ask.state not in (Ask.State.DRAFT, Ask.State.OPEN):
        raise ConflictError(
            _("This ask is %(state)s; it can no longer be cancelled.") % {"state": ask.get_state_display().lower()}
        )
    had_offers = Offer.objects.filter(ask=ask).exclude(state=Offer.State.NOT_INTERESTED).exists()
    Ask.objects.filter(pk=ask.pk, state=ask.state).update(
        state=Ask.State.CANCELLED, closed_at=timezone.now(), cancelled_after_offers=had_offers
    )
    offers_lapse(ask_ids=[ask.pk], reason=LapseReason.CANCELLED)
    ask.refresh_from_db()
    return ask


def offers_lapse(*, ask_ids: list[int], reason: str, vendor_id: int | None = None) -> int:
    """The live offers of these asks (of one vendor, when given) lapse, and their vendors are told after commit.
    In the caller's transaction; a conditional UPDATE, so an offer accepted or withdrawn meanwhile is left."""
    qs = Offer.objects.filter(ask_id__in=ask_ids, state=Offer.State.LIVE)
    if vendor_id is not None:
        qs = qs.filter(vendor_id=vendor_id)
    ids = list(qs.order_by("id").values_list("pk", flat=True))
    if not ids:
        return 0
    count = Offer.objects.filter(pk__in=ids, state=Offer.State.LIVE).update(
        state=Offer.State.LAPSED, lapse_reason=reason[:120], updated_at=timezone.now()
    )
    mail_offers_lapsed(offer_ids=ids)
    return count


@transaction.atomic
def ask_mute_set(*, consumer: User, vendor_id: int, muted: bool) -> bool:
    """Keep a partner out of (or back in) this consumer's asks without ending the partnership. Muting lapses that
    vendor's live offers on the consumer's open asks and hides those asks from it. Idempotent."""
    if muted:
        AskMute.objects.get_or_create(consumer=consumer, vendor_id=vendor_id)
        open_ids = list(
            Ask.objects.filter(consumer=consumer, state=Ask.State.OPEN, recipients__vendor_id=vendor_id).values_list(
                "pk", flat=True
            )
        )
        AskRecipient.objects.filter(ask_id__in=open_ids, vendor_id=vendor_id, lapsed_at__isnull=True).update(
            lapsed_at=timezone.now()
        )
        offers_lapse(ask_ids=open_ids, vendor_id=vendor_id, reason=LapseReason.KEPT_OUT)
    else:
        AskMute.objects.filter(consumer=consumer, vendor_id=vendor_id).delete()
    return muted
