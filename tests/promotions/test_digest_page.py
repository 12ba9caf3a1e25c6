"""The consumer's digest page (/portfolio/digest/) and API: what their partners sent them, the same content as
the digest e-mail, with its setting; only the signed-in consumer's own, and looking sends or delivers nothing."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from marketplace.accounts.models import ConsumerProfile, DigestFrequency
from portfolios.services import membership_set_muted, membership_start
from promotions.models import DigestMail, PromotionDelivery
from promotions.services import promotion_deliver
from promotions.services.digest import partner_digest_preview
from tests.factories import ProductFactory, UserFactory, VendorFactory
from tests.helpers import delivered_promotion, running_promotion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_url")]

PAGE = "/portfolio/digest/"
API = "/api/v1/portfolio/digest/"


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _api(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_digest_page_shows_what_the_digest_mail_tells_and_sends_nothing(world):
    # Given a consumer whose partner sent a promotion and added a product
    profile_before = ConsumerProfile.objects.get(user=world.consumer)
    # When they open their digest page from My partners
    portfolio = _client(world.consumer).get(reverse("portfolios:portfolio"))
    assert f'href="{PAGE}"'.encode() in portfolio.content
    page = _client(world.consumer).get(PAGE)
    # Then it shows the promotion and the product, as the e-mail would
    assert page.status_code == 200
    text = page.content.decode()
    _subject, mail_text, _digest = partner_digest_preview(consumer=world.consumer)
    for shown in ("Bean There partner week", "Ethiopia Natural"):
        assert shown in text and shown in mail_text
    assert f"/products/{world.product.pk}/" in text
    assert "This comes to you weekly by e-mail" in text
    # And looking sent nothing, recorded nothing and left the watermark where it was
    assert not mail.outbox and not DigestMail.objects.exists()
    assert ConsumerProfile.objects.get(user=world.consumer).digest_sent_at == profile_before.digest_sent_at


def test_digest_page_shows_only_the_consumers_own_partners(world):
    # Given another consumer with a partner of their own
    other = UserFactory(email="someone-else@test.example")
    theirs = VendorFactory(name="Leaf Co", slug="leaf-co")
    membership_start(consumer=other, vendor_id=theirs.pk)
    ProductFactory(vendor=theirs, name="Silver Needle Tea")
    delivered_promotion(theirs, "Leaf Co tea week")
    # When each opens the digest page, each sees only their own partners' news
    mine = _client(world.consumer).get(PAGE).content.decode()
    assert "Silver Needle Tea" not in mine and "Leaf Co tea week" not in mine
    their_page = _client(other).get(PAGE).content.decode()
    assert "Silver Needle Tea" in their_page and "Leaf Co tea week" in their_page
    assert "Ethiopia Natural" not in their_page and "Bean There partner week" not in their_page
    # And the API answers the same way
    data = _api(other).get(API).json()
    assert [p["name"] for p in data["products"]] == ["Silver Needle Tea"]
    assert [p["title"] for p in data["promotions"]] == ["Leaf Co tea week"]


def test_digest_page_leaves_out_muted_partners(world):
    membership_set_muted(consumer=world.consumer, vendor_id=world.vendor.pk, muted=True)
    text = _client(world.consumer).get(PAGE).content.decode()
    assert "Ethiopia Natural" not in text and "Bean There partner week" not in text
    assert "No new products from your partners" in text


def test_digest_page_needs_a_login():
    response = Client().get(PAGE)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert APIClient().get(API).status_code in (401, 403)


def test_digest_page_saves_the_frequency_and_refuses_a_bad_one(world):
    client = _client(world.consumer)
    response = client.post(PAGE, {"digest_frequency": "daily"})
    assert response.status_code == 302 and response["Location"] == PAGE
    profile = ConsumerProfile.objects.get(user=world.consumer)
    assert profile.digest_frequency == DigestFrequency.DAILY
    assert "This comes to you daily by e-mail" in client.get(PAGE).content.decode()
    # A choice that does not exist is explained and changes nothing
    bad = client.post(PAGE, {"digest_frequency": "hourly"})
    assert bad.status_code == 400 and "Select a valid choice" in bad.content.decode()
    assert ConsumerProfile.objects.get(user=world.consumer).digest_frequency == DigestFrequency.DAILY
    # "Never" stops the e-mail but the page still shows the news
    client.post(PAGE, {"digest_frequency": "never"})
    text = client.get(PAGE).content.decode()
    assert "You chose not to get it by e-mail" in text and "Ethiopia Natural" in text


def test_digest_page_says_nothing_is_sent_before_the_consumer_chooses(reference_data):
    consumer = UserFactory()
    text = _client(consumer).get(PAGE).content.decode()
    assert "no digest e-mail is sent until you do" in text
    assert not ConsumerProfile.objects.get(user=consumer).digest_confirmed_at
    data = _api(consumer).get(API).json()
    assert data["confirmed"] is False


def test_digest_api_reads_and_sets_the_frequency(world):
    api = _api(world.consumer)
    data = api.get(API).json()
    assert data["digest_frequency"] == "weekly" and data["confirmed"] is True
    assert [p["title"] for p in data["promotions"]] == ["Bean There partner week"]
    assert data["products"][0]["name"] == "Ethiopia Natural" and data["products"][0]["vendor_name"] == "Bean There"
    assert data["more_products"] is False
    changed = api.patch(API, {"digest_frequency": "never"}, format="json")
    assert changed.status_code == 200 and changed.json()["digest_frequency"] == "never"
    bad = api.patch(API, {"digest_frequency": "hourly"}, format="json")
    assert bad.status_code == 400 and "digest_frequency" in bad.json()
    missing = api.patch(API, {}, format="json")
    assert missing.status_code == 400 and "digest_frequency" in missing.json()
    assert ConsumerProfile.objects.get(user=world.consumer).digest_frequency == DigestFrequency.NEVER


def test_digest_page_delivers_nothing_and_shows_a_held_back_promotion_once_delivered(world):
    # Given a running partners-only promotion not yet delivered (the consumer was at their cap when it started)
    promotion = running_promotion(world.vendor, kind="partners", title="Held back")
    client = _client(world.consumer)
    # When the consumer reads their digest page, it is not there: it was not sent to them
    assert "Held back" not in client.get(PAGE).content.decode()
    # And nothing is delivered by looking
    assert not PromotionDelivery.objects.filter(promotion=promotion).exists()
    # Once delivered (the clock, or the digest e-mail within the cap), the page shows it
    promotion_deliver(promotion=promotion)
    assert "Held back" in client.get(PAGE).content.decode()


def test_digest_page_and_api_run_the_same_queries_for_one_item_or_many(
    world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    client, api = _client(world.consumer), _api(world.consumer)
    client.get(PAGE)
    with CaptureQueriesContext(connection) as page_few:
        client.get(PAGE)
    with CaptureQueriesContext(connection) as api_few:
        api.get(API)
    ConsumerProfile.objects.filter(user=world.consumer).update(weekly_promotion_cap=50)
    for n in range(5):
        vendor = VendorFactory(name=f"Partner {n}", slug=f"partner-{n}")
        membership_start(consumer=world.consumer, vendor_id=vendor.pk)
        delivered_promotion(vendor, f"Offer {n}")
        ProductFactory.create_batch(3, vendor=vendor)
    with django_assert_num_queries(len(page_few)):
        page = client.get(PAGE)
    assert page.content.decode().count("Offer ") == 5
    with django_assert_num_queries(len(api_few)):
        assert len(api.get(API).json()["promotions"]) == 6
