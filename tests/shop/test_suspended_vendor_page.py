"""No dead ends: a suspended vendor's partners and past buyers are told what happens next on its page; anyone
else, and every visitor of a pending vendor, finds nothing there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from marketplace.shop.services.fulfilment import order_fulfil
from portfolios.services import membership_start
from tests.factories import UserFactory, VendorFactory
from tests.helpers import place_order
from vendors.models import Vendor
from vendors.moderation import services as moderation

# --- A suspended vendor's page ------------------------------------------------------------------------------


@pytest.fixture
def suspended_with_order(consumer, product, moderator):  # type: ignore[no-untyped-def]
    vendor = product.vendor
    membership_start(consumer=consumer, vendor_id=vendor.pk)
    order = place_order(consumer, product)
    moderation.vendor_suspend(moderator=moderator, vendor_id=vendor.pk, reason="Selling counterfeit beans")
    return vendor, order


@pytest.mark.django_db
def test_vendor_page_suspended_tells_a_partner_what_happens_to_their_order(consumer_client, suspended_with_order):
    vendor, order = suspended_with_order
    response = consumer_client.get(reverse("shop:vendor-detail", args=[vendor.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bean There is suspended by the marketplace's moderators." in page
    assert "Bean There can still ship and deliver them, or cancel them" in page
    assert f'href="{order.get_absolute_url()}"' in page and f"Order #{order.pk}" in page
    assert "stays in" in page and reverse("portfolios:end", args=[vendor.pk]) in page
    assert reverse("moderation:report", args=[vendor.slug]) in page
    # The moderators' reason is for the vendor, not for the public.
    assert "counterfeit" not in page
    assert "Add to cart" not in page


@pytest.mark.django_db
def test_vendor_page_suspended_for_a_past_buyer_who_is_no_partner(client, product, moderator):
    buyer = UserFactory(email="buyer@test.example")
    order = place_order(buyer, product)
    order_fulfil(vendor=product.vendor, order_id=order.pk, action="ship")
    order_fulfil(vendor=product.vendor, order_id=order.pk, action="deliver")
    moderation.vendor_suspend(moderator=moderator, vendor_id=product.vendor.pk, reason="Fraud")
    client.force_login(buyer)
    response = client.get(reverse("shop:vendor-detail", args=[product.vendor.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "You have no open orders from Bean There" in page
    assert "End partnership" not in page


@pytest.mark.django_db
def test_vendor_page_suspended_is_not_found_for_strangers_and_anonymous_visitors(client, suspended_with_order):
    vendor, _ = suspended_with_order
    url = reverse("shop:vendor-detail", args=[vendor.slug])
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(email="stranger@test.example"))
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_vendor_page_of_a_pending_vendor_stays_not_found_even_for_its_would_be_partner(consumer_client):
    pending = VendorFactory(status=Vendor.Status.PENDING, approved_at=None)
    assert consumer_client.get(reverse("shop:vendor-detail", args=[pending.slug])).status_code == 404
