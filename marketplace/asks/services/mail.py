"""The asks' e-mails, rendered inside the writing transaction and sent after commit (marketplace.accounts.mail):
a new ask to each recipient vendor (unless it turned them off), a new or revised offer to the consumer (unless
their digest is set to never, or they keep that partner out of their asks), an accepted or lapsed offer to its
vendor (lapses unless it turned them off), an accepted offer whose payment did not complete to its vendor, and
the ask open again to the vendors whose offers that acceptance lapsed (unless they turned new asks off).
No vendor's message names the consumer; no consumer's message names another vendor's offer.

Each message is written in its recipient's language: the language the user saved (a vendor's: its owner's), or
the site's default when they saved none (an e-mail has no browser to ask)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from marketplace.accounts.mail import mail_send_on_commit
from marketplace.accounts.models import ConsumerProfile, DigestFrequency, User
from vendors.models import Vendor

from ..models import Ask, AskMute, Offer, VendorAskSettings


def _vendor_address(vendor: Vendor) -> str:
    return vendor.contact_email or vendor.owner.email


def recipient_language(user: User | None) -> str:
    """The language an e-mail to this user is written in."""
    return (user.language if user is not None else "") or settings.LANGUAGE_CODE


def _mail_vendors_of_ask(*, ask: Ask, vendor_ids: list[int], subject: str, template: str) -> None:
    """One e-mail about this ask to each of these vendors, in its owner's language, unless the vendor turned new
    asks' e-mails off. `subject` is translated here, with the ask's title."""
    off = set(
        VendorAskSettings.objects.filter(vendor_id__in=vendor_ids, email_new_asks=False).values_list(
            "vendor_id", flat=True
        )
    )
    url = settings.SITE_URL + reverse("asks:vendor-ask-detail", args=[ask.pk])
    for vendor in Vendor.objects.filter(pk__in=vendor_ids).select_related("owner").order_by("id"):
        if vendor.pk in off:
            continue
        with translation.override(recipient_language(vendor.owner)):
            mail_send_on_commit(
                to=_vendor_address(vendor),
                subject=_(subject) % {"title": ask.title},
                template=template,
                context={"ask": ask, "vendor": vendor, "url": url},
            )


def mail_ask_new(*, ask: Ask, vendor_ids: list[int]) -> None:
    _mail_vendors_of_ask(
        ask=ask, vendor_ids=vendor_ids, subject=gettext_noop("A partner asks: %(title)s"), template="asks/ask_new"
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
    with translation.override(recipient_language(consumer)):
        subject = _("A revised offer on your ask: %(title)s") if revised else _("A new offer on your ask: %(title)s")
        mail_send_on_commit(
            to=consumer.email,
            subject=subject % {"title": ask.title},
            template="asks/offer_new",
            context={"ask": ask, "revised": revised, "url": settings.SITE_URL + reverse("asks:detail", args=[ask.pk])},
        )


def mail_offer_accepted(*, offer_id: int) -> None:
    offer = Offer.objects.select_related("ask", "vendor__owner").get(pk=offer_id)
    with translation.override(recipient_language(offer.vendor.owner)):
        mail_send_on_commit(
            to=_vendor_address(offer.vendor),
            subject=_("Your offer was accepted: %(title)s") % {"title": offer.ask.title},
            template="asks/offer_accepted",
            context={"offer": offer, "ask": offer.ask},
        )


def mail_offers_lapsed(*, offer_ids: list[int]) -> None:
    """Tell each offer's vendor that it lapsed and why, unless the vendor turned these e-mails off."""
    offers = (
        Offer.objects.filter(pk__in=offer_ids, state=Offer.State.LAPSED)
        .exclude(vendor__ask_settings__email_offer_lapses=False)
        .select_related("ask", "vendor__owner")
        .order_by("id")
    )
    for offer in offers:
        with translation.override(recipient_language(offer.vendor.owner)):
            mail_send_on_commit(
                to=_vendor_address(offer.vendor),
                subject=_("Your offer lapsed: %(title)s") % {"title": offer.ask.title},
                template="asks/offer_lapsed",
                context={"offer": offer, "ask": offer.ask},
            )


def mail_award_unpaid(*, offer_id: int) -> None:
    """Tell the vendor whose accepted offer was not paid in time what became of its offer: live again (the
    consumer may accept it once more) or lapsed. Always sent, like the acceptance it follows."""
    offer = Offer.objects.select_related("ask", "vendor__owner").get(pk=offer_id)
    with translation.override(recipient_language(offer.vendor.owner)):
        mail_send_on_commit(
            to=_vendor_address(offer.vendor),
            subject=_("The order for your offer was not paid: %(title)s") % {"title": offer.ask.title},
            template="asks/award_unpaid",
            context={
                "offer": offer,
                "ask": offer.ask,
                "url": settings.SITE_URL + reverse("asks:vendor-ask-detail", args=[offer.ask_id]),
            },
        )


def mail_ask_reopened(*, ask: Ask, vendor_ids: list[int]) -> None:
    """Tell these vendors, whose offers lapsed when the consumer accepted another that was then not paid, that the
    ask is open again and they may make it a new offer (offers.offer_renewable); like a new ask, unless the vendor
    turned new asks' e-mails off."""
    _mail_vendors_of_ask(
        ask=ask,
        vendor_ids=vendor_ids,
        subject=gettext_noop("An ask is open again: %(title)s"),
        template="asks/ask_reopened",
    )
