"""Digest e-mails: the partner digest (what a consumer's partners brought since the last one) and the one
sending machinery that every digest, the vendors' weekly digest included, goes through.

The partner digest, by the rules:
- only the consumer's reachable partners (PartnerMembership.objects.reachable(): current and not muted), only
  approved vendors, only active products, only running partners-only promotions delivered to the consumer;
- a promotion in a digest counts against the consumer's weekly cap: a running promotion the consumer is in the
  audience of but was not delivered (they were at their cap when it started) is delivered by the digest, with
  the very audience definition and cap the clock uses (promotions.selectors.audience.audience_consumers);
- nothing goes to a consumer who has not seen and saved the setting once on /account/ (digest_confirmed_at),
  nor to one who chose "never".

Sending happens in two steps, so that no digest is ever sent twice (at most once):
1. record (`partner_digest_record`, one short transaction per consumer): the profile row is locked
   (select_for_update, skip_locked: a second job running at the same time skips it) and checked to be due, the
   digest is composed and rendered, stored as a DigestMail row (pending) and the consumer's watermark
   (digest_sent_at) moved, all in that one transaction. A job that dies before the commit leaves nothing and the
   consumer is still due; after it, the consumer is no longer due, so a second job records nothing new.
2. send (`digest_mail_send_pending`): each pending row is claimed (pending → sending, attempts + 1) and that
   claim committed before the mail server is spoken to; then marked sent. A server that refuses or cannot be
   reached puts the row back to pending (tried again by the next run, at most MAX_ATTEMPTS times, then failed).
   A process that dies between the claim and the mark leaves the row "sending" and it is never sent again:
   the price of never sending twice is that such a digest (rare; its row stays "sending") is lost, not doubled.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from marketplace.accounts.mail import mail_render, recipient_language
from marketplace.accounts.models import ConsumerProfile, DigestFrequency, User
from marketplace.accounts.unsubscribe import unsubscribe_token_make
from portfolios.models import PartnerMembership
from vendors.models import Product, Vendor

from ..models import DigestMail, Promotion, PromotionDelivery
from ..selectors.audience import AudienceSpec, audience_consumers
from .lifecycle import _deliveries_insert

logger = logging.getLogger(__name__)

PERIODS = {DigestFrequency.DAILY: timedelta(days=1), DigestFrequency.WEEKLY: timedelta(days=7)}
# The job runs hourly; a consumer is due a little before a full period has passed, so their digest keeps coming
# at about the same hour instead of drifting an hour later each time.
DUE_SLACK = timedelta(minutes=30)
# Consumers recorded per run: a run stays well inside the task time limit; the rest are due on the next run.
BATCH = 2000
MAX_PRODUCTS = 12
MAX_ATTEMPTS = 3


def site_url(path: str) -> str:
    """An absolute address on this site for a link in an e-mail (settings.SITE_URL)."""
    return f"{settings.SITE_URL}{path}"


def unsubscribe_url(*, profile: ConsumerProfile) -> str:
    return site_url(reverse("account:unsubscribe", args=[unsubscribe_token_make(profile=profile)]))


def _due(now: datetime) -> Q:
    due = Q()
    for frequency, period in PERIODS.items():
        due |= Q(digest_frequency=frequency) & (
            Q(digest_sent_at__isnull=True) | Q(digest_sent_at__lte=now - period + DUE_SLACK)
        )
    return Q(digest_confirmed_at__isnull=False, user__is_active=True) & due


def partner_digest_due_ids(*, now: datetime, limit: int = BATCH) -> list[int]:
    """Consumers due a partner digest now, the longest waiting first (never sent before them)."""
    return list(
        ConsumerProfile.objects.filter(_due(now))
        .order_by(F("digest_sent_at").asc(nulls_first=True), "user_id")
        .values_list("user_id", flat=True)[:limit]
    )


@dataclass
class PartnerDigest:
    """What one consumer's digest tells of: promotions delivered to them and their partners' new products in
    (window_start, window_end]."""

    consumer: User
    frequency: str
    window_start: datetime
    window_end: datetime
    promotions: list[Promotion] = field(default_factory=list)
    products: list[Product] = field(default_factory=list)
    more_products: bool = False
    delivered_now: int = 0

    @property
    def empty(self) -> bool:
        return not self.promotions and not self.products


def _window_start(profile: ConsumerProfile, now: datetime) -> datetime:
    if profile.digest_sent_at is not None:
        return profile.digest_sent_at
    return now - PERIODS.get(profile.digest_frequency, PERIODS[DigestFrequency.WEEKLY])


def _deliver_within_cap(consumer: User, vendor_ids: list[int], now: datetime) -> int:
    """Deliver the running partners-only promotions of these partners that the consumer is in the audience of
    but has not received (they were at their weekly cap), oldest first, each counting those before it against
    the cap. Same INSERT ... SELECT of the same audience as the clock and a new partner's catch-up."""
    undelivered = (
        Promotion.objects.running()
        .filter(kind=Promotion.Kind.PARTNERS, vendor_id__in=vendor_ids, starts_at__lte=now, ends_at__gt=now)
        .exclude(deliveries__consumer=consumer)
        .select_related("segment_region", "segment_interest")
        .order_by("starts_at", "id")
    )
    added = 0
    for promotion in undelivered:
        consumers = audience_consumers(spec=AudienceSpec.of(promotion), now=now).filter(pk=consumer.pk)
        added += _deliveries_insert(promotion=promotion, consumers=consumers, now=now)
    return added


def partner_digest_compose(*, profile: ConsumerProfile, now: datetime, deliver: bool = True) -> PartnerDigest:
    """The consumer's digest for the window since their watermark. Writes the deliveries the digest makes (within
    the cap, see `_deliver_within_cap`), so call it inside the transaction that records the digest (or one that
    is rolled back, for a preview). With deliver=False it only reads: what was delivered, and the new products."""
    consumer = profile.user
    start = _window_start(profile, now)
    digest = PartnerDigest(consumer=consumer, frequency=profile.digest_frequency, window_start=start, window_end=now)
    vendor_ids = list(
        PartnerMembership.objects.reachable()
        .filter(consumer=consumer, vendor__status=Vendor.Status.APPROVED)
        .values_list("vendor_id", flat=True)
    )
    if not vendor_ids:
        return digest
    if deliver:
        digest.delivered_now = _deliver_within_cap(consumer, vendor_ids, now)
    delivered = PromotionDelivery.objects.filter(
        consumer=consumer, delivered_at__gt=start, delivered_at__lte=now
    ).values("promotion_id")
    digest.promotions = list(
        Promotion.objects.running()
        .filter(kind=Promotion.Kind.PARTNERS, vendor_id__in=vendor_ids, pk__in=delivered, ends_at__gt=now)
        .select_related("vendor")
        .order_by("vendor__name", "-starts_at", "id")
    )
    products = list(
        Product.objects.purchasable()
        .with_unit_price(partner_vendor_ids=vendor_ids)  # they are all current partners: their price
        .filter(vendor_id__in=vendor_ids, created_at__gt=start, created_at__lte=now)
        .select_related("vendor")
        .order_by("-created_at", "-id")[: MAX_PRODUCTS + 1]
    )
    digest.products, digest.more_products = products[:MAX_PRODUCTS], len(products) > MAX_PRODUCTS
    return digest


def partner_digest_subject(digest: PartnerDigest) -> str:
    parts = []
    if digest.promotions:
        n = len(digest.promotions)
        parts.append(ngettext("%(count)s promotion", "%(count)s promotions", n) % {"count": n})
    if digest.products:
        n = len(digest.products)
        count = f"{n}+" if digest.more_products else str(n)
        parts.append(ngettext("%(count)s new product", "%(count)s new products", n) % {"count": count})
    what = (
        gettext("%(first)s and %(second)s") % {"first": parts[0], "second": parts[1]} if len(parts) == 2 else parts[0]
    )
    if digest.frequency == DigestFrequency.DAILY:
        return gettext("Your partners today: %(what)s") % {"what": what}
    return gettext("Your partners this week: %(what)s") % {"what": what}


def partner_digest_render(*, digest: PartnerDigest, profile: ConsumerProfile) -> tuple[str, str, str, str]:
    """Subject, text, HTML and the one-click unsubscribe address of the digest."""
    unsubscribe = unsubscribe_url(profile=profile)
    context = {
        "digest": digest,
        "consumer": digest.consumer,
        "site_url": settings.SITE_URL,
        "portfolio_url": site_url(reverse("portfolios:portfolio")),
        "account_url": site_url(reverse("account:profile")),
        "unsubscribe_url": unsubscribe,
        "frequency_label": dict(DigestFrequency.choices).get(digest.frequency, digest.frequency).lower(),
    }
    text, html = mail_render(template="digest/partner", context=context)
    return partner_digest_subject(digest), text, html, unsubscribe


def partner_digest_record(*, consumer_id: int, now: datetime | None = None) -> DigestMail | None:
    """Step 1 for one consumer: compose and record their digest and move their watermark, in one transaction.

    Guarantees: atomic; the profile row is locked and skipped when another job holds it, and re-checked to be
    due under the lock, so two jobs never record two digests for one window. A digest with nothing in it is not
    recorded (nobody gets an empty e-mail), but the watermark still moves. Returns the pending DigestMail, or
    None when the consumer was not due, was being handled by another job, or had nothing new."""
    now = now or timezone.now()
    with transaction.atomic():
        profile = (
            ConsumerProfile.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("user")
            .filter(_due(now), user_id=consumer_id)
            .first()
        )
        if profile is None:
            return None
        digest = partner_digest_compose(profile=profile, now=now)
        mail = None
        if not digest.empty:
            with recipient_language(profile.user):
                subject, text, html, unsubscribe = partner_digest_render(digest=digest, profile=profile)
            mail = DigestMail.objects.create(
                kind=DigestMail.Kind.PARTNER,
                recipient=profile.user,
                to=profile.user.email,
                subject=subject,
                text=text,
                html=html,
                unsubscribe_url=unsubscribe,
                window_start=digest.window_start,
                window_end=digest.window_end,
                promotion_ids=[p.pk for p in digest.promotions],
                product_ids=[p.pk for p in digest.products],
            )
        profile.digest_sent_at = now
        profile.save(update_fields=["digest_sent_at", "updated_at"])
    return mail


def _message(mail: DigestMail) -> EmailMultiAlternatives:
    headers = {}
    if mail.unsubscribe_url:
        # RFC 8058 one-click: the mail client POSTs "List-Unsubscribe=One-Click" to this address.
        headers = {
            "List-Unsubscribe": f"<{mail.unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    message = EmailMultiAlternatives(subject=mail.subject, body=mail.text, to=[mail.to], headers=headers)
    message.attach_alternative(mail.html, "text/html")
    return message


def _close_quietly(connection: BaseEmailBackend) -> None:
    try:
        connection.close()
    except (smtplib.SMTPException, OSError):
        logger.warning("Closing the mail connection failed; messages already accepted stay sent", exc_info=True)


def _send(connection: BaseEmailBackend, mail: DigestMail) -> bool:
    """True once the mail server accepted the message. The connection is opened here (kept open across the
    batch) and closed apart, so a failure while saying goodbye is not taken for a refusal of the message."""
    try:
        connection.open()
        return connection.send_messages([_message(mail)]) == 1
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send digest %s to %s", mail.pk, mail.to)
        _close_quietly(connection)
        return False


def _claim(pk: int) -> DigestMail | None:
    with transaction.atomic():
        mail = (
            DigestMail.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, status=DigestMail.Status.PENDING)
            .first()
        )
        if mail is None:
            return None
        mail.status = DigestMail.Status.SENDING
        mail.attempts += 1
        mail.save(update_fields=["status", "attempts"])
    return mail


def digest_mail_send_pending(*, kind: str | None = None, limit: int = BATCH) -> dict[str, int]:
    """Step 2: send the pending digests (of one kind, or all), oldest first, each at most once (see the module).

    Must run outside a transaction of the caller's, so each claim commits before its message leaves. Returns how
    many were sent, put back for a retry, and given up on."""
    pending = DigestMail.objects.filter(status=DigestMail.Status.PENDING)
    if kind:
        pending = pending.filter(kind=kind)
    ids = list(pending.order_by("id").values_list("pk", flat=True)[:limit])
    counts = {"sent": 0, "retry": 0, "failed": 0}
    if not ids:
        return counts
    connection = get_connection(fail_silently=False)
    try:
        for pk in ids:
            mail = _claim(pk)
            if mail is None:
                continue  # another job has it
            claimed = DigestMail.objects.filter(pk=mail.pk, status=DigestMail.Status.SENDING)
            if _send(connection, mail):
                claimed.update(status=DigestMail.Status.SENT, sent_at=timezone.now())
                counts["sent"] += 1
            elif mail.attempts < MAX_ATTEMPTS:
                claimed.update(status=DigestMail.Status.PENDING)
                counts["retry"] += 1
            else:
                claimed.update(status=DigestMail.Status.FAILED)
                counts["failed"] += 1
    finally:
        _close_quietly(connection)
    return counts


def digest_run(
    *, kind: str, due_ids: list[int], record: Callable[[int], DigestMail | None], limit: int
) -> dict[str, int]:
    """The shape of every digest job: record the digest of each recipient due one (`record`, one transaction
    each: step 1), then send every pending digest of this kind (step 2). One recipient's broken digest is
    logged and stays due; it never stops the others. Returns how many were recorded and had nothing new, and
    the send counts."""
    recorded = quiet = 0
    for recipient_id in due_ids:
        try:
            mail = record(recipient_id)
        except Exception:  # noqa: BLE001 - isolation: one recipient's broken digest must not stop the others
            logger.exception("The %s digest of %s could not be recorded; it stays due", kind, recipient_id)
            continue
        if mail is None:
            quiet += 1
        else:
            recorded += 1
    sent = digest_mail_send_pending(kind=kind, limit=max(limit, 1))
    result = {"recorded": recorded, "nothing_new": quiet, **sent}
    if recorded or sent["sent"] or sent["failed"]:
        logger.info("%s digests: %s", kind.capitalize(), result)
    return result


def partner_digest_send(*, now: datetime | None = None, limit: int = BATCH) -> dict[str, int]:
    """The hourly job: record a digest for every consumer who is due (step 1, one transaction each), then send
    every pending partner digest (step 2). Safe to run twice or at the same time as itself: nobody is sent the
    same digest twice (module docstring). Returns how many consumers were recorded, had nothing new, and the
    send counts."""
    now = now or timezone.now()
    return digest_run(
        kind=DigestMail.Kind.PARTNER,
        due_ids=partner_digest_due_ids(now=now, limit=limit),
        record=lambda consumer_id: partner_digest_record(consumer_id=consumer_id, now=now),
        limit=limit,
    )


def partner_digest_show(*, consumer: User, now: datetime | None = None) -> tuple[PartnerDigest, ConsumerProfile]:
    """What the consumer's partners sent them since their last digest, with their profile (its digest settings),
    for their own digest page and API: the digest e-mail's promotions and new products, read only. Reading sends
    nothing, delivers nothing and leaves the watermark where it was; a promotion held back by the weekly cap
    shows once it is delivered (by the clock or the next digest), so the page runs the same queries whatever it
    shows."""
    now = now or timezone.now()
    profile = ConsumerProfile.objects.select_related("user").filter(user=consumer).first()
    if profile is None:  # every account gets a profile when created; one made by a bulk load may lack it
        profile = ConsumerProfile(user=consumer)
    return partner_digest_compose(profile=profile, now=now, deliver=False), profile


def partner_digest_preview(*, consumer: User, now: datetime | None = None) -> tuple[str, str, PartnerDigest]:
    """The subject and text of the consumer's next digest, as the job would make it now, without sending it,
    moving the watermark, or keeping a delivery it would make: composed in a transaction that is rolled back."""
    now = now or timezone.now()
    with transaction.atomic():
        profile, _ = ConsumerProfile.objects.select_related("user").get_or_create(user=consumer)
        digest = partner_digest_compose(profile=profile, now=now)
        subject, text, _html, _url = partner_digest_render(digest=digest, profile=profile)
        transaction.set_rollback(True)
    return subject, text, digest
