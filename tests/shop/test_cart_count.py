"""The header's cart link counts the items in the cart, read with the header's other facts (one query, kept)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.shop.services import cart_add, cart_item_remove, cart_item_update
from tests.factories import ProductFactory
from tests.payments import checkout_and_pay


def _cart_link(client) -> str:  # type: ignore[no-untyped-def]
    page = client.get(reverse("shop:vendor-list")).content.decode()
    link = re.search(r'<a href="/cart/" class="cart-link">(.*?)</a>', page, re.S)
    assert link is not None
    return re.sub(r"<[^>]+>", "", link.group(1))


@pytest.mark.django_db
def test_the_cart_link_counts_items_added_changed_removed_and_checked_out(consumer_client, consumer, product):
    assert _cart_link(consumer_client) == "Cart"

    consumer_client.post(reverse("shop:cart-add", args=[product.pk]), {"quantity": 2})
    assert _cart_link(consumer_client) == "Cart (2 items)"

    item = cart_add(consumer=consumer, product_id=ProductFactory().pk)
    assert _cart_link(consumer_client) == "Cart (3 items)"
    cart_item_update(consumer=consumer, item_id=item.pk, quantity=4)
    assert _cart_link(consumer_client) == "Cart (6 items)"
    cart_item_remove(consumer=consumer, item_id=item.pk)
    assert _cart_link(consumer_client) == "Cart (2 items)"

    checkout_and_pay(consumer)
    assert _cart_link(consumer_client) == "Cart"


@pytest.mark.django_db
def test_the_cart_count_costs_no_query_per_line_nor_any_on_a_returning_visit(consumer_client, consumer):
    for _ in range(5):
        cart_add(consumer=consumer, product_id=ProductFactory().pk)
    _cart_link(consumer_client)  # read and kept
    with CaptureQueriesContext(connection) as ctx:
        assert _cart_link(consumer_client) == "Cart (5 items)"
    assert not [q for q in ctx.captured_queries if "shop_cartitem" in q["sql"]]


@pytest.mark.django_db
def test_one_consumers_cart_never_counts_in_anothers_header(client, consumer, other_consumer, product):
    cart_add(consumer=other_consumer, product_id=product.pk, quantity=3)
    client.force_login(consumer)
    assert _cart_link(client) == "Cart"
    client.force_login(other_consumer)
    assert _cart_link(client) == "Cart (3 items)"
