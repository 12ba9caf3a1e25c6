"""Anonymous storefront pages come from the page cache, yet every change a visitor could see shows at once,
and signed-in visitors never get a cached page or another visitor's card."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from marketplace.shop.services import cart_add, checkout_place
from portfolios.services import membership_end, membership_start
from tests.factories import ProductFactory, UserFactory, VendorFactory
from vendors.moderation import services as moderation
from vendors.services import catalogue
from vendors.services.catalogue_csv import catalogue_import_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    vendor = VendorFactory(name="Harbour Coffee", description="Roasters by the sea")
    ProductFactory(vendor=vendor, name="Harbour espresso", price=Decimal("9.50"), stock=4, sku="ESP")
    return vendor


def _get(client, url: str):  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def test_a_second_anonymous_visit_is_served_from_the_cache(client, shop):
    url = reverse("shop:vendor-detail", args=[shop.slug])
    assert _get(client, url)["X-Page-Cache"] == "miss"
    again = _get(client, url)
    assert again["X-Page-Cache"] == "hit"
    assert "Harbour espresso" in again.content.decode()


def test_a_price_stock_or_name_change_shows_on_the_next_anonymous_visit(client, shop):
    product = shop.products.get()
    pages = [reverse("shop:vendor-detail", args=[shop.slug]), product.get_absolute_url(), "/search/?q=espresso"]
    for url in pages:
        _get(client, url), _get(client, url)

    catalogue.product_update(vendor=shop, product_id=product.pk, price=Decimal("7.25"), name="Harbour ristretto")
    for url in pages[:2]:
        assert "7.25" in _get(client, url).content.decode(), url
    assert "Harbour ristretto" in _get(client, "/search/?q=ristretto").content.decode()

    catalogue.product_stock_adjust(vendor=shop, product_id=product.pk, delta=-4)  # an UPDATE, no save signal
    assert "Out of stock" in _get(client, product.get_absolute_url()).content.decode()


def test_a_suspended_vendor_leaves_the_cached_directory_at_once(client, shop, reference_data):
    moderator = UserFactory()
    moderator.groups.add(Group.objects.get(name="Moderators"))
    assert "Harbour Coffee" in _get(client, "/vendors/").content.decode()
    assert _get(client, "/vendors/")["X-Page-Cache"] == "hit"

    moderation.vendor_suspend(moderator=moderator, vendor_id=shop.pk, reason="Unsafe goods")
    assert "Harbour Coffee" not in _get(client, "/vendors/").content.decode()
    assert "Harbour espresso" not in _get(client, "/search/?q=espresso").content.decode()


def test_a_csv_import_and_a_checkout_show_on_the_next_anonymous_visit(client, shop):
    url = reverse("shop:vendor-detail", args=[shop.slug])
    _get(client, url), _get(client, url)
    csv = io.StringIO(
        "sku,name,description,price,partner_price,stock,category,active\nMUG,Harbour mug,Stoneware,12.00,,3,,true\n"
    )
    catalogue_import_csv(vendor=shop, file=csv)
    assert "Harbour mug" in _get(client, url).content.decode()

    mug = shop.products.get(sku="MUG")
    buyer = UserFactory()
    cart_add(consumer=buyer, product_id=mug.pk, quantity=3)
    checkout_place(consumer=buyer, idempotency_key="k1", ship_to_name="B", ship_to_address="1 Quay")
    assert "Out of stock" in _get(client, mug.get_absolute_url()).content.decode()


def test_signed_in_visitors_get_their_own_page_and_cards(client, shop, consumer, other_consumer):
    anonymous = _get(client, "/vendors/")
    _get(client, "/vendors/")
    membership_start(consumer=consumer, vendor_id=shop.pk)

    client.force_login(consumer)
    mine = _get(client, "/vendors/")
    assert "X-Page-Cache" not in mine
    assert "Log out" in mine.content.decode() and "Log out" not in anonymous.content.decode()
    assert '<span class="badge">Partner</span>' in mine.content.decode()

    client.force_login(other_consumer)
    theirs = _get(client, "/vendors/").content.decode()
    assert '<span class="badge">Partner</span>' not in theirs  # the partner's cached card is not theirs

    # An ended partnership: the card carries the note and a working Reinstate form with this visitor's token.
    client.force_login(consumer)
    membership_end(consumer=consumer, vendor_id=shop.pk, reason="price")
    page = _get(client, "/vendors/?q=harbour").content.decode()
    assert "You ended this partnership" in page and 'name="csrfmiddlewaretoken"' in page


def test_a_card_follows_the_public_facts_of_the_statistics(client, shop):
    from portfolios.services.stats import stats_reconcile_all

    _get(client, "/vendors/")
    for _ in range(6):
        membership_start(consumer=UserFactory(), vendor_id=shop.pk)
    stats_reconcile_all()
    client.cookies.load({"sessionid": "x"})  # a visitor with a session: no whole-page cache, cards only
    page = _get(client, "/vendors/").content.decode()
    assert "fewer than" not in page.split("Harbour Coffee", 1)[1].split("</article>", 1)[0]


def test_a_page_with_a_message_or_a_fresh_session_is_neither_served_nor_stored(client, shop):
    url = reverse("shop:vendor-detail", args=[shop.slug])
    client.cookies.load({"messages": "anything"})
    assert "X-Page-Cache" not in _get(client, url)
    assert "X-Page-Cache" not in _get(client, url)


def test_with_redis_down_pages_answer_fresh_and_nothing_is_kept_in_one_process_memory(client, shop):
    from tests.faults.conftest import DEAD_REDIS, redis_at

    url = reverse("shop:vendor-detail", args=[shop.slug])
    with redis_at(DEAD_REDIS):
        first = client.get(url)
        assert first.status_code == 200 and "X-Page-Cache" not in first
        product = shop.products.get()
        catalogue.product_update(vendor=shop, product_id=product.pk, price=Decimal("6.10"))
        again = client.get(url)
        assert again.status_code == 200 and "X-Page-Cache" not in again
        assert "6.10" in again.content.decode()


def test_add_to_cart_from_a_cached_product_card_carries_each_visitors_own_token(shop, consumer, other_consumer):
    import re

    from django.test import Client

    from marketplace.shop.models import CartItem

    product = shop.products.get()
    for shopper in (consumer, other_consumer):  # the second one is served the first one's cached card
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(shopper)
        page = _get(browser, reverse("shop:vendor-detail", args=[shop.slug])).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        added = browser.post(
            reverse("shop:cart-add", args=[product.pk]),
            {"quantity": "1", "next": "/", "csrfmiddlewaretoken": token},
        )
        assert added.status_code == 302, added.status_code
        assert CartItem.objects.filter(consumer=shopper, product=product).exists()


def test_a_page_about_to_be_kept_is_rendered_from_the_primary_even_when_a_replica_was_chosen(rf):
    from django.http import HttpResponse

    from marketplace import db_router
    from marketplace.page_cache import cache_anonymous_page

    read_from = []

    @cache_anonymous_page
    def page(request):  # type: ignore[no-untyped-def]
        read_from.append(db_router.request_replica())
        return HttpResponse("<p>vendors</p>")

    token = db_router._request_replica.set("replica_0")  # what ReplicaReadsMiddleware does for a browse page
    try:
        assert page(rf.get("/vendors/"))["X-Page-Cache"] == "miss"
        assert page(rf.get("/vendors/"))["X-Page-Cache"] == "hit"
        assert db_router.request_replica() == "replica_0"  # the rest of the request keeps its replica
    finally:
        db_router._request_replica.reset(token)
    assert read_from == [None]  # rendered once, from the primary
