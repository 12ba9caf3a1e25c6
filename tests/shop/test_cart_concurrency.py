"""Carts and checkouts under concurrent use, through the pages, on the database the run uses (the embedded
PostgreSQL on a bare machine, the machine's PostgreSQL in CI): the answers a shopper gets when twenty tabs
add to one cart at once while others buy and the clock moves promotions on. None is a 500, no add is lost and
no stock is oversold."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marketplace.shop.models import CartItem, Order
from promotions.services import promotion_states_advance
from tests.factories import ProductFactory, UserFactory

ADDS = 20


def _in_threads(jobs: list[Callable[[], object]]) -> list[object]:
    """Run each job in a thread of its own, all released at once; what each returned or raised."""
    results: list[object] = [None] * len(jobs)
    barrier = threading.Barrier(len(jobs))

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = jobs[i]()
        except Exception as exc:  # noqa: BLE001 - the test reads what each job got
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _signed_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_simultaneous_add_to_cart_posts_with_checkouts_and_the_clock_running():
    shopper = UserFactory()
    mug = ProductFactory(stock=100, price=Decimal("12.40"))
    tea = ProductFactory(stock=100, price=Decimal("3.10"))
    last_units = ProductFactory(stock=3, price=Decimal("9.99"))
    buyers = [UserFactory() for _ in range(6)]
    buyer_clients = [_signed_in(buyer) for buyer in buyers]
    for client in buyer_clients:
        assert client.post(reverse("shop:cart-add", args=[last_units.pk]), {"quantity": 1}).status_code == 302
    tabs = [_signed_in(shopper) for _ in range(ADDS)]

    def add(tab: Client, product_id: int) -> Callable[[], int]:
        return lambda: tab.post(reverse("shop:cart-add", args=[product_id]), {"quantity": 1}).status_code

    def checkout(client: Client, n: int) -> Callable[[], tuple[int, str]]:
        form = {"ship_to_name": "Sam Shopper", "ship_to_address": "1 High Street, Leeds", "idempotency_key": f"k{n}"}

        def submit() -> tuple[int, str]:
            response = client.post(reverse("shop:checkout"), form)
            return response.status_code, response.content.decode() if response.status_code != 302 else ""

        return submit

    def clock() -> dict[str, int]:
        return promotion_states_advance(now=timezone.now() + timedelta(minutes=1))

    jobs = [add(tab, mug.pk if i % 2 == 0 else tea.pk) for i, tab in enumerate(tabs)]
    jobs += [checkout(client, n) for n, client in enumerate(buyer_clients)]
    jobs += [clock, clock]
    results = _in_threads(jobs)

    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    adds, checkouts = results[:ADDS], results[ADDS : ADDS + len(buyers)]
    assert adds == [302] * ADDS  # every tab was answered with the page it came from, none with a 500
    # Three buyers got the last units; the others were shown the checkout again (409), saying why.
    assert sorted(status for status, _ in checkouts) == [302, 302, 302, 409, 409, 409]
    for status, page in checkouts:
        assert status == 302 or "is out of stock" in page
    # No add was lost: ten of each, in one line per product.
    lines = dict(CartItem.objects.filter(consumer=shopper).values_list("product_id", "quantity"))
    assert lines == {mug.pk: ADDS // 2, tea.pk: ADDS // 2}
    # The last three units went to three buyers, never more.
    last_units.refresh_from_db()
    sold = sum(line.quantity for order in Order.objects.filter(consumer__in=buyers) for line in order.lines.all())
    assert sold == 3 and last_units.stock == 0
