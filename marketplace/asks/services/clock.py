"""What the clock (Celery beat, marketplace.asks.tasks.asks_clock_task) and the partnership and suspension
receivers move on. Each is idempotent: conditional UPDATEs on the expected state, so a job that runs twice, or
dies halfway and runs again, changes each row once."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from vendors.models import Vendor

from ..models import Ask, AskRecipient, LapseReason, Offer
from .asks import offers_lapse
from .eligibility import recipients_eligible
from .mail import mail_offers_lapsed

BATCH = 500


def asks_expire_due(*, limit: int = BATCH) -> int:
    """Open asks past their respond-by close: "expired" when an offer was made, "closed with no offers"
    otherwise; their live offers lapse. Each ask in a transaction of its own with its row locked (skipping one
    that an acceptance holds: it is awarded or, on the next tick, expired). Returns how many closed."""
    now = timezone.now()
    ids = list(
        Ask.objects.filter(state=Ask.State.OPEN, respond_by__lte=now)
        .order_by("respond_by")
        .values_list("pk", flat=True)[:limit]
    )
    closed = 0
    for ask_id in ids:
        with transaction.atomic():
            ask = Ask.objects.select_for_update(skip_locked=True).filter(pk=ask_id, state=Ask.State.OPEN).first()
            if ask is None or ask.respond_by > timezone.now():
                continue
            offered = Offer.objects.filter(ask=ask).exclude(state=Offer.State.NOT_INTERESTED).exists()
            state = Ask.State.EXPIRED if offered else Ask.State.CLOSED_NO_OFFERS
            closed += Ask.objects.filter(pk=ask.pk, state=Ask.State.OPEN).update(state=state, closed_at=now)
            offers_lapse(ask_ids=[ask.pk], reason=LapseReason.ASK_EXPIRED)
    return closed


def offers_lapse_due(*, limit: int = BATCH) -> int:
    """Live offers past their valid-until lapse, and their vendors are told by e-mail after commit (within their
    settings). The batch's rows are locked (skipping any an acceptance holds) and moved by a conditional UPDATE, so
    each offer lapses, and its vendor hears of it, once: on the next tick it is no longer live. An offer accepted
    meanwhile stays accepted, and acceptance itself refuses an offer past its valid-until."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Offer.objects.select_for_update(skip_locked=True)
            .filter(state=Offer.State.LIVE, valid_until__lte=now)
            .order_by("valid_until", "id")
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return 0
        count = Offer.objects.filter(pk__in=ids, state=Offer.State.LIVE).update(
            state=Offer.State.LAPSED, lapse_reason=LapseReason.VALID_UNTIL, updated_at=now
        )
        mail_offers_lapsed(offer_ids=ids)
    return count


@transaction.atomic
def ask_recipients_recheck(*, vendor_id: int, consumer_id: int | None = None) -> int:
    """After a partnership ended or changed, or the vendor's status changed: the vendor's recipient rows of open
    asks (of that consumer, when given) that are no longer eligible lapse for good, and its live offers on them
    lapse. Returns how many recipient rows lapsed."""
    mine = AskRecipient.objects.filter(vendor_id=vendor_id, lapsed_at__isnull=True, ask__state=Ask.State.OPEN)
    if consumer_id is not None:
        mine = mine.filter(ask__consumer_id=consumer_id)
    still = set(recipients_eligible(mine).values_list("pk", flat=True))
    gone = [(pk, ask_id) for pk, ask_id in mine.values_list("pk", "ask_id") if pk not in still]
    if not gone:
        return 0
    AskRecipient.objects.filter(pk__in=[pk for pk, _ in gone]).update(lapsed_at=timezone.now())
    suspended = Vendor.objects.filter(pk=vendor_id, status=Vendor.Status.SUSPENDED).exists()
    reason = LapseReason.SUSPENDED if suspended else LapseReason.PARTNERSHIP_ENDED
    offers_lapse(ask_ids=[ask_id for _, ask_id in gone], vendor_id=vendor_id, reason=reason)
    return len(gone)
