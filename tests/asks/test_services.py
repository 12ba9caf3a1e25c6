"""Every transition of an ask and its offers, the eligibility rule at each point, the sealed offers and the
limits, through the services as the pages and the API call them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from marketplace.asks import selectors
from marketplace.asks.models import Ask, AskRecipient, Offer
from marketplace.asks.services import (
    ask_audience,
    ask_cancel,
    ask_draft_create,
    ask_mute_set,
    ask_publish,
    asks_expire_due,
    offer_accept,
    offer_make,
    offer_not_interested,
    offer_report,
    offer_withdraw,
    offers_lapse_due,
    vendor_may_answer,
)
from marketplace.kernel.errors import ConflictError, NotFoundError
from marketplace.shop.models import Order, Payment
from portfolios.models import EndReason
from portfolios.services import membership_end
from vendors.models import Vendor

from .conftest import in_days, offer, open_ask

SHIP = {"ship_to_name": "Ada Asker", "ship_to_address": "1 Quay Street\nTaipei"}

pytestmark = pytest.mark.django_db


# --- Writing and publishing ---------------------------------------------------------------------------------


def test_ask_publish_addresses_the_reachable_partners_of_the_category_only(world):
    ask = open_ask(world)
    assert ask.state == Ask.State.OPEN and ask.published_at is not None
    assert set(AskRecipient.objects.filter(ask=ask).values_list("vendor_id", flat=True)) == {
        world.first.pk,
        world.second.pk,
    }
    assert ask.audience_size == 2
    assert ask.pseudonym.startswith("Asker ") and "Ada" not in ask.pseudonym


def test_ask_publish_mails_each_recipient_vendor_and_nobody_else(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        open_ask(world)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([world.first.owner.email, world.second.owner.email])
    assert all("Ada" not in m.body and world.consumer.email not in m.body for m in mail.outbox)


def test_ask_audience_warns_when_one_or_two_partners_would_see_it(world):
    audience = ask_audience(consumer=world.consumer, category_id=world.first.category_id)
    assert audience.partners == 2 and audience.small
    assert not ask_audience(consumer=world.consumer, category_id=world.outsider.category_id + 999).allowed


def test_ask_publish_is_refused_without_a_reachable_partner_in_the_category(world):
    membership_end(consumer=world.consumer, vendor_id=world.first.pk, reason=EndReason.PRICE)
    membership_end(consumer=world.consumer, vendor_id=world.second.pk, reason=EndReason.PRICE)
    draft = ask_draft_create(
        consumer=world.consumer,
        category_id=world.first.category_id,
        title="Anything",
        description="Anything at all",
        respond_by=in_days(2),
    )
    with pytest.raises(ConflictError):
        ask_publish(consumer=world.consumer, ask_id=draft.pk)
    assert Ask.objects.get(pk=draft.pk).state == Ask.State.DRAFT
    assert not AskRecipient.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("respond_by", "past"),
        ("respond_by", "too_far"),
        ("title", ""),
        ("title", "x" * 121),
        ("description", "y" * 2001),
        ("budget", "-5"),
        ("budget", "lots"),
        ("category_id", "nope"),
    ],
)
def test_ask_draft_create_refuses_bad_input_with_field_errors_and_writes_nothing(world, field, value):
    fields: dict[str, object] = {
        "category_id": world.first.category_id,
        "title": "A DVD player",
        "description": "Region-free",
        "respond_by": in_days(2),
    }
    fields[field] = {"past": in_days(-1), "too_far": in_days(15)}.get(value, value)
    with pytest.raises(ValidationError) as caught:
        ask_draft_create(consumer=world.consumer, **fields)
    assert field.removesuffix("_id") in caught.value.error_dict
    assert not Ask.objects.exists()


def test_ask_publish_keeps_open_asks_per_category_within_the_limit(world, settings):
    settings.MARKETPLACE = {**settings.MARKETPLACE, "ASKS_OPEN_PER_CATEGORY": 2}
    open_ask(world, title="One")
    open_ask(world, title="Two")
    with pytest.raises(ConflictError, match="at most 2"):
        open_ask(world, title="Three")
    assert Ask.objects.filter(state=Ask.State.OPEN).count() == 2


def test_ask_publish_twice_is_refused(world):
    ask = open_ask(world)
    with pytest.raises(ConflictError):
        ask_publish(consumer=world.consumer, ask_id=ask.pk)


def test_another_consumer_cannot_publish_cancel_or_accept_my_ask(world, other_consumer):
    ask = open_ask(world)
    made = offer(world.first, ask)
    with pytest.raises(NotFoundError):
        ask_cancel(consumer=other_consumer, ask_id=ask.pk)
    with pytest.raises(NotFoundError):
        offer_accept(consumer=other_consumer, ask_id=ask.pk, offer_id=made.pk, **SHIP)
    assert Ask.objects.get(pk=ask.pk).state == Ask.State.OPEN


# --- Offers: one per vendor, revised once, withdrawn, not interested ----------------------------------------


def test_offer_make_then_revise_once_then_refuse_a_second_revision(world):
    ask = open_ask(world)
    first = offer(world.first, ask, "2899")
    revised = offer(world.first, ask, "2799")
    assert revised.pk == first.pk and revised.price == Decimal("2799.00") and revised.revisions == 1
    with pytest.raises(ConflictError, match="revised once"):
        offer(world.first, ask, "2699")
    assert Offer.objects.get(pk=first.pk).price == Decimal("2799.00")


def test_offer_withdrawn_cannot_be_revised_or_remade(world):
    ask = open_ask(world)
    offer(world.first, ask)
    assert offer_withdraw(vendor=world.first, ask_id=ask.pk).state == Offer.State.WITHDRAWN
    with pytest.raises(ConflictError):
        offer(world.first, ask, "100")
    with pytest.raises(ConflictError):
        offer_withdraw(vendor=world.first, ask_id=ask.pk)


def test_not_interested_costs_nothing_and_is_counted_anonymously(world, settings):
    settings.MARKETPLACE = {**settings.MARKETPLACE, "ASK_OFFERS_PER_VENDOR_DAY": 1}
    ask = open_ask(world)
    offer_not_interested(vendor=world.second, ask_id=ask.pk)
    shown = selectors.ask_get_for_consumer(consumer=world.consumer, pk=ask.pk)
    assert shown.not_interested == 1
    assert selectors.offer_list_for_consumer(ask=shown) == []  # which partner is not said
    with pytest.raises(ConflictError):
        offer(world.second, ask)  # an answer is final


@pytest.mark.parametrize(
    ("field", "value"),
    [("price", "0"), ("price", "abc"), ("price", "100000000"), ("valid_until", "past"), ("included", "z" * 1001)],
)
def test_offer_make_refuses_bad_input_with_field_errors(world, field, value):
    ask = open_ask(world)
    fields: dict[str, object] = {"price": "10", "valid_until": in_days(1), "included": ""}
    fields[field] = in_days(-1) if value == "past" else value
    with pytest.raises(ValidationError) as caught:
        offer_make(vendor=world.first, ask_id=ask.pk, **fields)
    assert field in caught.value.error_dict
    assert not Offer.objects.exists()


def test_offers_per_vendor_per_day_are_bounded(world, settings):
    settings.MARKETPLACE = {**settings.MARKETPLACE, "ASK_OFFERS_PER_VENDOR_DAY": 1}
    one, two = open_ask(world, title="One"), open_ask(world, title="Two")
    offer(world.first, one)
    with pytest.raises(ConflictError, match="24 hours"):
        offer(world.first, two)
    assert Offer.objects.filter(vendor=world.first).count() == 1


def test_new_offer_mails_the_consumer_unless_their_digest_is_never(world, django_capture_on_commit_callbacks):
    ask = open_ask(world)
    with django_capture_on_commit_callbacks(execute=True):
        offer(world.first, ask)
    assert [m.to for m in mail.outbox] == [[world.consumer.email]]
    assert "2899" not in mail.outbox[0].body  # the mail sends to the page; it carries no vendor's terms
    world.consumer.profile.digest_frequency = "never"
    world.consumer.profile.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        offer(world.second, ask)
    assert mail.outbox == []


# --- Eligibility: who sees and answers, to the end --------------------------------------------------------------


def test_a_vendor_that_is_not_a_partner_neither_sees_nor_answers(world):
    ask = open_ask(world)
    assert not selectors.ask_list_for_vendor(vendor=world.outsider).exists()
    with pytest.raises(NotFoundError):
        selectors.ask_get_for_vendor(vendor=world.outsider, pk=ask.pk)
    with pytest.raises(NotFoundError):
        offer(world.outsider, ask)
    with pytest.raises(NotFoundError):
        offer_not_interested(vendor=world.outsider, ask_id=ask.pk)
    # A partner in another category was not addressed either.
    with pytest.raises(NotFoundError):
        offer(world.elsewhere, ask)


def test_ending_the_partnership_lapses_the_live_offer_and_hides_the_ask_for_good(
    world, django_capture_on_commit_callbacks
):
    ask = open_ask(world)
    made = offer(world.first, ask)
    with django_capture_on_commit_callbacks(execute=True):
        membership_end(consumer=world.consumer, vendor_id=world.first.pk, reason=EndReason.BAD_SERVICE)
    made.refresh_from_db()
    assert made.state == Offer.State.LAPSED and "partnership ended" in made.lapse_reason
    with pytest.raises(NotFoundError):
        selectors.ask_get_for_vendor(vendor=world.first, pk=ask.pk)
    # Reinstating does not bring back the asks written meanwhile.
    from portfolios.services import membership_reinstate

    membership_reinstate(consumer=world.consumer, vendor_id=world.first.pk)
    with pytest.raises(NotFoundError):
        selectors.ask_get_for_vendor(vendor=world.first, pk=ask.pk)


def test_a_vendor_the_consumer_ended_never_sees_their_later_asks(world):
    membership_end(consumer=world.consumer, vendor_id=world.first.pk, reason=EndReason.PRICE)
    ask = open_ask(world)
    assert not AskRecipient.objects.filter(ask=ask, vendor=world.first).exists()
    with pytest.raises(NotFoundError):
        offer(world.first, ask)


def test_suspension_lapses_live_offers(world, moderator, django_capture_on_commit_callbacks):
    from vendors.moderation.services import vendor_suspend

    ask = open_ask(world)
    made = offer(world.first, ask)
    with django_capture_on_commit_callbacks(execute=True):
        vendor_suspend(moderator=moderator, vendor_id=world.first.pk, reason="Bait offers")
    made.refresh_from_db()
    assert made.state == Offer.State.LAPSED and "suspended" in made.lapse_reason
    assert not selectors.ask_list_for_vendor(vendor=world.first).exists()


def test_a_suspended_vendor_sees_no_ask_even_where_its_recipient_rows_did_not_lapse(world):
    # The list reads the vendor's status from the vendor row the request read, not per recipient row: a row
    # the suspension's receiver missed (here: the status written behind the services' back) stays hidden.
    ask = open_ask(world)
    assert selectors.ask_list_for_vendor(vendor=world.first).filter(ask_id=ask.pk).exists()
    Vendor.objects.filter(pk=world.first.pk).update(status=Vendor.Status.SUSPENDED)
    suspended = Vendor.objects.get(pk=world.first.pk)
    assert AskRecipient.objects.filter(ask=ask, vendor=suspended, lapsed_at__isnull=True).exists()
    assert not selectors.ask_list_for_vendor(vendor=suspended).exists()
    with pytest.raises(NotFoundError):
        selectors.ask_get_for_vendor(vendor=suspended, pk=ask.pk)
    assert not vendor_may_answer(ask=ask, vendor_id=suspended.pk)


def test_keeping_a_partner_out_of_asks_hides_them_and_lapses_its_offer(world):
    ask = open_ask(world)
    made = offer(world.second, ask)
    ask_mute_set(consumer=world.consumer, vendor_id=world.second.pk, muted=True)
    assert Offer.objects.get(pk=made.pk).state == Offer.State.LAPSED
    with pytest.raises(NotFoundError):
        selectors.ask_get_for_vendor(vendor=world.second, pk=ask.pk)
    assert ask_audience(consumer=world.consumer, category_id=ask.category_id).partners == 1


def test_acceptance_rechecks_eligibility(world):
    ask = open_ask(world)
    made = offer(world.first, ask)
    # The partnership ends without the receiver having run (a lost signal): acceptance still refuses.
    Vendor.objects.filter(pk=world.first.pk).update(status=Vendor.Status.SUSPENDED)
    with pytest.raises(ConflictError, match="no longer one of your partners"):
        offer_accept(consumer=world.consumer, ask_id=ask.pk, offer_id=made.pk, **SHIP)
    assert not Order.objects.exists()
    assert Ask.objects.get(pk=ask.pk).state == Ask.State.OPEN


# --- Sealed offers ------------------------------------------------------------------------------------------


def test_offers_are_sealed_between_vendors(world):
    ask = open_ask(world)
    offer(world.first, ask, "2899")
    offer(world.second, ask, "2500")
    row = selectors.ask_get_for_vendor(vendor=world.first, pk=ask.pk)
    assert row.my_price == Decimal("2899.00")
    assert selectors.offer_get_own(vendor=world.first, ask_id=ask.pk).price == Decimal("2899.00")
    listed = {r.ask_id: r.my_price for r in selectors.ask_list_for_vendor(vendor=world.second)}
    assert listed == {ask.pk: Decimal("2500.00")}


def test_vendor_sees_a_pseudonym_and_the_shared_region_only(world):
    from marketplace.accounts.models import Region

    profile = world.consumer.profile
    profile.region = Region.objects.get(code="london")
    profile.share_region = False
    profile.save()
    hidden = open_ask(world, title="Hidden region")
    profile.share_region = True
    profile.save()
    shared = open_ask(world, title="Shared region")
    rows = {r.ask.title: r.ask for r in selectors.ask_list_for_vendor(vendor=world.first)}
    assert rows["Hidden region"].region is None and rows["Shared region"].region.code == "london"
    assert rows["Hidden region"].pseudonym != rows["Shared region"].pseudonym
    assert hidden.consumer_id == shared.consumer_id


# --- Acceptance, cancellation and the clock ------------------------------------------------------------------


def test_offer_accept_places_an_order_at_the_offered_price_and_lapses_the_rest(
    world, django_capture_on_commit_callbacks
):
    ask = open_ask(world)
    cheap = offer(world.first, ask, "2500")
    dear = offer(world.second, ask, "2899")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = offer_accept(consumer=world.consumer, ask_id=ask.pk, offer_id=dear.pk, **SHIP)
    order = result.orders[0]
    assert (order.vendor_id, order.total, order.status) == (world.second.pk, Decimal("2899.00"), "awaiting_payment")
    assert order.lines.get().unit_price == Decimal("2899.00")
    assert result.checkout.idempotency_key == f"ask-{ask.pk}"
    assert Payment.objects.get(checkout=result.checkout).amount_minor == 289900
    ask.refresh_from_db()
    assert (ask.state, ask.order_id) == (Ask.State.AWARDED, order.pk)
    assert Offer.objects.get(pk=dear.pk).state == Offer.State.ACCEPTED
    assert Offer.objects.get(pk=cheap.pk).state == Offer.State.LAPSED
    told = {m.to[0]: m.subject for m in mail.outbox}
    assert "accepted" in told[world.second.owner.email] and "lapsed" in told[world.first.owner.email]


def test_offer_accept_then_payment_pays_the_order(world):
    from tests.payments import pay

    ask = open_ask(world)
    made = offer(world.first, ask, "120")
    result = pay(offer_accept(consumer=world.consumer, ask_id=ask.pk, offer_id=made.pk, **SHIP))
    assert Order.objects.get(pk=result.orders[0].pk).status == Order.Status.PAID


def test_offer_accept_twice_is_refused_and_makes_one_order(world):
    ask = open_ask(world)
    made = offer(world.first, ask)
    offer_accept(consumer=world.consumer, ask_id=ask.pk, offer_id=made.pk, **SHIP)
    with pytest.raises(ConflictError, match="awarded"):
        offer_accept(consumer=world.consumer, ask_id=ask.pk, offer_id=made.pk, **SHIP)
    assert Order.objects.count() == 1


def test_offer_accept_refuses_a_withdrawn_or_expired_offer(world):
    ask = open_ask(world)
    withdrawn = offer(world.first, ask)
    offer_withdraw(vendor=world.first, ask_id=ask.pk)
    with pytest.raises(ConflictError, match="withdrawn"):
        offer_accept(consumer=world.consumer, ask_id=ask.pk, offer_id=withdrawn.pk, **SHIP)
    stale = offer(world.second, ask)
    Offer.objects.filter(pk=stale.pk).update(valid_until=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ConflictError, match="no longer valid"):
        offer_accept(consumer=world.consumer, ask_id=ask.pk, offer_id=stale.pk, **SHIP)
    assert not Order.objects.exists()


def test_offer_accept_after_the_ask_expired_is_refused(world):
    ask = open_ask(world)
    made = offer(world.first, ask)
    Ask.objects.filter(pk=ask.pk).update(respond_by=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ConflictError, match="expired"):
        offer_accept(consumer=world.consumer, ask_id=ask.pk, offer_id=made.pk, **SHIP)
    assert not Order.objects.exists()


def test_offer_accept_with_bad_delivery_details_changes_nothing(world):
    ask = open_ask(world)
    made = offer(world.first, ask)
    with pytest.raises(ValidationError):
        offer_accept(consumer=world.consumer, ask_id=ask.pk, offer_id=made.pk, ship_to_name="", ship_to_address="")
    assert Ask.objects.get(pk=ask.pk).state == Ask.State.OPEN
    assert Offer.objects.get(pk=made.pk).state == Offer.State.LIVE


def test_ask_cancel_lapses_offers_and_marks_it_for_the_moderators(world):
    ask = open_ask(world)
    made = offer(world.first, ask)
    ask_cancel(consumer=world.consumer, ask_id=ask.pk)
    ask.refresh_from_db()
    assert ask.state == Ask.State.CANCELLED and ask.cancelled_after_offers
    assert Offer.objects.get(pk=made.pk).state == Offer.State.LAPSED
    assert list(selectors.ask_list_cancelled_after_offers()) == [ask]
    with pytest.raises(ConflictError):
        ask_cancel(consumer=world.consumer, ask_id=ask.pk)
    with pytest.raises(ConflictError):
        offer(world.second, ask)


def test_a_draft_can_be_cancelled_and_is_not_marked(world):
    draft = ask_draft_create(
        consumer=world.consumer, category_id=world.first.category_id, title="T", description="D", respond_by=in_days(1)
    )
    assert ask_cancel(consumer=world.consumer, ask_id=draft.pk).state == Ask.State.CANCELLED
    assert not Ask.objects.get(pk=draft.pk).cancelled_after_offers


def test_the_clock_expires_asks_with_offers_and_closes_those_without(world):
    with_offer, without = open_ask(world, title="With"), open_ask(world, title="Without")
    made = offer(world.first, with_offer)
    offer_not_interested(vendor=world.second, ask_id=without.pk)
    Ask.objects.update(respond_by=timezone.now() - timedelta(seconds=1))
    assert asks_expire_due() == 2
    assert Ask.objects.get(pk=with_offer.pk).state == Ask.State.EXPIRED
    assert Ask.objects.get(pk=without.pk).state == Ask.State.CLOSED_NO_OFFERS
    assert Offer.objects.get(pk=made.pk).state == Offer.State.LAPSED
    assert asks_expire_due() == 0  # idempotent


def test_the_clock_lapses_offers_past_their_valid_until(world):
    ask = open_ask(world)
    made, kept = offer(world.first, ask), offer(world.second, ask)
    Offer.objects.filter(pk=made.pk).update(valid_until=timezone.now() - timedelta(seconds=1))
    assert offers_lapse_due() == 1
    assert Offer.objects.get(pk=made.pk).state == Offer.State.LAPSED
    assert Offer.objects.get(pk=kept.pk).state == Offer.State.LIVE
    assert offers_lapse_due() == 0


def test_the_clock_task_runs_both(world):
    from marketplace.asks.tasks import asks_clock_task

    ask = open_ask(world)
    offer(world.first, ask)
    Ask.objects.update(respond_by=timezone.now() - timedelta(seconds=1))
    assert asks_clock_task.delay().get() == {"asks_closed": 1, "offers_lapsed": 0}


def test_offer_report_is_kept_once_for_the_moderators(world, other_consumer):
    ask = open_ask(world)
    made = offer(world.first, ask, "1")
    offer_report(consumer=world.consumer, ask_id=ask.pk, offer_id=made.pk, text="It was never in stock")
    offer_report(consumer=world.consumer, ask_id=ask.pk, offer_id=made.pk, text="again")
    assert [r.text for r in selectors.offer_reports_list()] == ["It was never in stock"]
    with pytest.raises(NotFoundError):
        offer_report(consumer=other_consumer, ask_id=ask.pk, offer_id=made.pk)


@pytest.mark.parametrize(("stack", "discount"), [(False, Decimal("0.00")), (True, Decimal("10.00"))])
def test_the_offered_price_is_final_unless_the_vendor_lets_promotions_stack(world, stack, discount):
    from tests.helpers import running_promotion

    running_promotion(world.first, title="Ten off", discount_value=Decimal("10"))
    ask = open_ask(world)
    made = offer(world.first, ask, "100", promotions_stack=stack)
    order = offer_accept(consumer=world.consumer, ask_id=ask.pk, offer_id=made.pk, **SHIP).orders[0]
    assert (order.subtotal, order.discount, order.total) == (Decimal("100.00"), discount, Decimal("100.00") - discount)
