"""The asks' e-mails, rendered inside the writing transaction and sent after commit (marketplace.accounts.mail):
a new ask to each recipient vendor (unless it turned them off), a new or revised offer to the consumer (unless
their digest is set to never, or they keep that partner out of their asks), an accepted or lapsed offer to its
vendor. No vendor's message names the consumer; no consumer's message names another vendor's offer."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from marketplace.accounts.mail import mail_send_on_commit
from marketplace.accounts.models import ConsumerProfile, DigestFrequency
from vendors.models import Vendor

from ..models import Ask, AskMute, Offer, VendorAskSettings


def _vendor_address(vendor: Vendor) -> str:
    return vendor.contact_email or vendor.owner.email


def mail_ask_new(*, ask: Ask, vendor_ids: list[int]) -> None:
    off = set(
        VendorAskSettings.objects.filter(vendor_id__in=vendor_ids, email_new_asks=False).values_list(
            "vendor_id", flat=True
        )
    )
    url = settings.SITE_URL + reverse("asks:vendor-ask-detail", args=[ask.pk])
    for vendor in Vendor.objects.filter(pk__in=vendor_ids).select_related("owner").order_by("id"):
        if vendor.pk in off:
            continue
        mail_send_on_commit(
            to=_vendor_address(vendor),
            subject=f"A partner asks: {ask.title}",
            template="asks/ask_new",
            context={"ask": ask, "vendor": vendor, "url": url},
        )


def mail_offer_new(*, offer: Offer, revised: bool) -> None:
    ask = offer.ask
    consumer = ask.consumer
    if consumer is None:
        return
    profile = ConsumerProfile.objects.filter(user=consumer).first()
    if profile is not None and profile.digest_frequency == DigestFrequency.NEVER:
        return
    if AskMute.objects.filter(consumer=consumer, vendor_id=offer.vendor_id).exists():
        return
    mail_send_on_commit(
        to=consumer.email,
        subject=f"{'A revised' if revised else 'A new'} offer on your ask: {ask.title}",
        template="asks/offer_new",
        context={"ask": ask, "revised": revised, "url": settings.SITE_URL + reverse("asks:detail", args=[ask.pk])},
    )


def mail_offer_accepted(*, offer_id: int) -> None:
    offer = Offer.objects.select_related("ask", "vendor__owner").get(pk=offer_id)
    mail_send_on_commit(
        to=_vendor_address(offer.vendor),
        subject=f"Your offer was accepted: {offer.ask.title}",
        template="asks/offer_accepted",
        context={"offer": offer, "ask": offer.ask},
    )


def mail_offers_lapsed(*, offer_ids: list[int]) -> None:
    for offer in Offer.objects.filter(pk__in=offer_ids).select_related("ask", "vendor__owner").order_by("id"):
        mail_send_on_commit(
            to=_vendor_address(offer.vendor),
            subject=f"Your offer lapsed: {offer.ask.title}",
            template="asks/offer_lapsed",
            context={"offer": offer, "ask": offer.ask},
        )
