"""Who counts in a figure a vendor reads (marketplace/kernel/privacy.py, docs/privacy.md): only partners the vendor
could not have made for the purpose. The rule has two expressions, a queryset filter (PartnerMembership.objects.counted)
and the statistics job's SQL; both must pick the same memberships."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.accounts.models import ConsumerProfile
from marketplace.shop.models import Order
from marketplace.shop.services import cart_add
from marketplace.shop.services.fulfilment import order_fulfil
from portfolios.models import PartnerMembership, VendorSegmentStat, VendorStats
from portfolios.selectors.insights import insights_get
from portfolios.services import membership_end, membership_start
from portfolios.services.stats import stats_reconcile_all
from tests.factories import UserFactory, VendorFactory
from tests.helpers import partners, product_of, puppets
from tests.payments import checkout_and_pay

pytestmark = pytest.mark.usefixtures("exact_release")  # exact figures: this is about who counts, not the noise


@pytest.fixture
def shop(reference_data, settings):
    settings.MARKETPLACE = {**settings.MARKETPLACE, "STATS_MIN_GROUP": 5}
    return VendorFactory(name="Counting Shop")


def _joined(days_ago: int, *, buyer: bool):
    account = UserFactory(date_joined=timezone.now() - timedelta(days=days_ago))
    ConsumerProfile.objects.filter(user=account).update(buyer_since=timezone.now() if buyer else None)
    return account


@pytest.mark.django_db
def test_the_queryset_and_the_statistics_job_count_the_same_partners(shop):
    now = timezone.now()
    counted = [
        _joined(400, buyer=True),  # an established buyer, partner since today
        _joined(31, buyer=True),  # just old enough, with orders from two vendors
        _joined(400, buyer=False),  # no such orders, but a partner for 100 days
    ]
    not_counted = [
        _joined(0, buyer=True),  # a new account, whatever it did
        _joined(29, buyer=True),  # not old enough yet
        _joined(400, buyer=False),  # an old account, partner for only 80 days and no orders from two vendors
    ]
    inactive = _joined(400, buyer=True)
    for account in [*counted, *not_counted, inactive]:
        membership_start(consumer=account, vendor_id=shop.pk)
    PartnerMembership.objects.filter(consumer=counted[2]).update(started_at=now - timedelta(days=100))
    PartnerMembership.objects.filter(consumer=not_counted[2]).update(started_at=now - timedelta(days=80))
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    stats_reconcile_all()

    chosen = set(PartnerMembership.objects.counted().filter(vendor=shop).values_list("consumer_id", flat=True))
    assert chosen == {account.pk for account in counted}
    assert VendorStats.objects.get(vendor=shop).current_partners == len(counted)


@pytest.mark.django_db
def test_puppets_count_once_they_have_waited_out_the_partnership_window(shop):
    # Accounts made for the purpose are not in the figures; held for PRIVACY_PARTNER_DAYS they count like any
    # long-standing partner (the attack then costs a quarter of a year per step, and still meets the noise)
    partners(shop, 4, region="wales")
    puppets(shop, 1, region="wales", joined_days_ago=95, partner_days_ago=10)
    stats_reconcile_all()
    assert not VendorSegmentStat.objects.filter(vendor=shop, value="wales").exists()
    PartnerMembership.objects.filter(vendor=shop).update(started_at=timezone.now() - timedelta(days=91))
    stats_reconcile_all()
    assert VendorSegmentStat.objects.get(vendor=shop, dimension="region", value="wales").partners == 5


def paid_order(buyer, product, key: str) -> Order:  # type: ignore[no-untyped-def]
    """An order of `product`, paid (only a paid order can be shipped and delivered)."""
    cart_add(consumer=buyer, product_id=product.pk, quantity=1)
    return checkout_and_pay(buyer, key).orders[0]


@pytest.mark.django_db
def test_a_second_vendor_delivering_marks_the_buyer_and_the_first_does_not(shop):
    # Given a month-old account that the vendor itself delivers to: one vendor is not enough
    buyer = _joined(40, buyer=False)
    other = VendorFactory(name="Another Shop")
    for vendor in (shop, other):
        membership_start(consumer=buyer, vendor_id=vendor.pk)
    first = paid_order(buyer, product_of(shop), "first")
    for action in ("ship", "deliver"):
        order_fulfil(vendor=shop, order_id=first.pk, action=action)
    assert ConsumerProfile.objects.get(user=buyer).buyer_since is None

    # When another vendor delivers an order of theirs too
    second = paid_order(buyer, product_of(other), "second")
    for action in ("ship", "deliver"):
        order_fulfil(vendor=other, order_id=second.pk, action=action)

    # Then they are a buyer of some standing, and count for both vendors
    assert Order.objects.filter(consumer=buyer, status=Order.Status.DELIVERED).count() == 2
    assert ConsumerProfile.objects.get(user=buyer).buyer_since is not None
    assert PartnerMembership.objects.counted().filter(consumer=buyer).count() == 2


@pytest.mark.django_db
def test_an_ending_counts_by_the_same_rule(shop):
    real, puppet = partners(shop, 5), puppets(shop, 5)
    for consumer in [*real, *puppet]:
        membership_end(consumer=consumer, vendor_id=shop.pk, reason="bad_service")
    stats_reconcile_all()
    insights = insights_get(vendor=shop)
    assert insights.ended_90d == 5 and insights.partners_ever == 5
    assert {row["reason"]: row["ended_90d"] for row in insights.end_reasons}["bad_service"] == 5
