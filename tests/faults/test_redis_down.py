"""Redis is for speed, never correctness: with the cache, the broker and the result store unreachable, every
page and API call a user makes still works and still limits, and what was saved catches up once Redis is back.

The tests commit for real (transaction=True), so the after-commit work (queueing the statistics refresh)
runs inside the request, where a broker failure used to turn a saved change into a 500.
"""

from __future__ import annotations

import logging
import subprocess
import time
from decimal import Decimal

import pytest
import redis
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from marketplace.accounts.services import api_token_create
from marketplace.celery import app as celery_app
from marketplace.shop.models import Order, VendorSalesStats, WebhookEvent
from marketplace.shop.payments.fake_delivery import fake_events_deliver_pending
from marketplace.shop.services import cart_add
from marketplace.shop.tasks import sales_stats_reconcile_task
from portfolios.models import PartnerMembership, StatsDirtyVendor, VendorStats
from portfolios.tasks import stats_refresh_dirty_task
from tests.factories import ProductFactory, VendorFactory
from tests.helpers import DEAD_REDIS, free_port, redis_at

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SHIP = {"ship_to_name": "Sam Shopper", "ship_to_address": "1 High Street, Leeds"}


def _token_client(user) -> APIClient:  # type: ignore[no-untyped-def]
    _, key = api_token_create(user=user, name="faults")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def _queue_failures(caplog, task_name: str) -> list[str]:  # type: ignore[no-untyped-def]
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    return [m for m in messages if f"Could not queue {task_name}" in m]


def test_api_lists_and_partner_add_work_with_redis_down_and_stats_catch_up_after(consumer, vendor, caplog):
    api = _token_client(consumer)
    with redis_at(DEAD_REDIS):
        assert api.get(reverse("api:vendor-list")).status_code == 200
        assert api.get(reverse("api:product-list")).status_code == 200
        added = api.post(reverse("api:portfolio-list"), {"vendor_id": vendor.pk}, format="json")
        assert added.status_code == 201, added.content
        listed = api.get(reverse("api:portfolio-list"))
        assert listed.status_code == 200 and [m["vendor_id"] for m in listed.json()["results"]] == [vendor.pk]
        # The refresh could not be queued (the broker was really tried), but the change and its mark are saved.
        assert _queue_failures(caplog, "portfolios.tasks.stats_refresh_dirty_task")
        assert PartnerMembership.objects.active().filter(consumer=consumer, vendor=vendor).exists()
        assert StatsDirtyVendor.objects.filter(vendor=vendor).exists()
        assert not VendorStats.objects.filter(vendor=vendor, current_partners=1).exists()

    # Redis is back: the refresh that beat runs every 30 seconds picks up the marked vendor and clears its mark.
    stats_refresh_dirty_task.delay()
    assert VendorStats.objects.get(vendor=vendor).current_partners == 1
    assert not StatsDirtyVendor.objects.filter(vendor=vendor).exists()


def test_page_add_partner_works_with_redis_down_with_and_without_htmx(client, consumer, caplog):
    plain, swapped = VendorFactory(name="Plain Page"), VendorFactory(name="Htmx Button")
    client.force_login(consumer)
    with redis_at(DEAD_REDIS):
        page = client.post(reverse("portfolios:add", args=[plain.pk]), follow=True)
        assert page.status_code == 200 and page.redirect_chain[0][1] == 302
        assert "Added to your partners." in page.content.decode()

        button = client.post(reverse("portfolios:add", args=[swapped.pk]), HTTP_HX_REQUEST="true")
        assert button.status_code == 200 and "One of your partners" in button.content.decode()
        assert "errorlist" not in button.content.decode()
    assert _queue_failures(caplog, "portfolios.tasks.stats_refresh_dirty_task")
    assert set(PartnerMembership.objects.active().filter(consumer=consumer).values_list("vendor_id", flat=True)) == {
        plain.pk,
        swapped.pk,
    }
    assert set(StatsDirtyVendor.objects.values_list("vendor_id", flat=True)) >= {plain.pk, swapped.pk}


def test_checkout_through_page_and_api_works_with_redis_down_and_sales_stats_catch_up(client, consumer, vendor, caplog):
    coffee, tea = ProductFactory(vendor=vendor, price=Decimal("8.00"), stock=5), ProductFactory(stock=5)
    client.force_login(consumer)
    api = _token_client(consumer)
    with redis_at(DEAD_REDIS):
        cart_add(consumer=consumer, product_id=coffee.pk, quantity=2)
        page = client.post(reverse("shop:checkout"), {**SHIP, "idempotency_key": "page-1"}, follow=True)
        assert page.status_code == 200 and "Total to pay: £16.00" in page.content.decode()
        paid = client.post(page.redirect_chain[-1][0], {"card_number": "4242 4242 4242 4242"}, follow=True)
        assert paid.status_code == 200 and "Thank you: 1 order placed and paid." in paid.content.decode()

        cart_add(consumer=consumer, product_id=tea.pk, quantity=1)
        placed = api.post(reverse("api:checkout"), SHIP, format="json", HTTP_IDEMPOTENCY_KEY="api-1")
        assert placed.status_code == 201, placed.content
        confirm = reverse("api:checkout-payment-confirm", args=[placed.json()["checkout"]])
        api_paid = api.post(confirm, {"payment_method": "4242424242424242"}, format="json")
        assert api_paid.status_code == 200 and api_paid.json()["status"] == "succeeded", api_paid.content
    # The first task queued (the provider's event, for delivery) found the broker down; the rest (the sales
    # figures' refresh too) were not even tried for a while. The buyer's own confirmation read the payments back.
    assert _queue_failures(caplog, "marketplace.shop.payments.tasks.fake_event_deliver_task")
    assert sorted(Order.objects.filter(consumer=consumer).values_list("vendor_id", "total", "status")) == sorted(
        [(vendor.pk, Decimal("16.00"), "paid"), (tea.vendor_id, Decimal("10.00"), "paid")]
    )
    coffee.refresh_from_db()
    assert coffee.stock == 3

    # Redis is back: the fake provider's beat job delivers its events; processing them changes nothing more.
    assert fake_events_deliver_pending(older_than_seconds=0) == 2
    assert WebhookEvent.objects.filter(processed_at__isnull=False).count() == 2

    # Redis is back: the hourly reconcile recomputes the sales figures the lost refreshes did not.
    assert not VendorSalesStats.objects.filter(vendor=vendor, orders_total=1).exists()
    sales_stats_reconcile_task.delay()
    assert VendorSalesStats.objects.get(vendor=vendor).orders_total == 1


def test_login_works_with_redis_down_and_failed_logins_are_still_limited(client, consumer, other_consumer, password):
    with redis_at(DEAD_REDIS):
        signed_in = client.post(reverse("account_login"), {"login": consumer.email, "password": password})
        assert signed_in.status_code == 302 and signed_in["Location"] == "/"
        assert client.get(reverse("portfolios:portfolio")).status_code == 200

        # Limits are kept in this process's memory meanwhile, not dropped: five wrong passwords lock the account.
        other = client.__class__()
        for _ in range(5):
            wrong = other.post(reverse("account_login"), {"login": other_consumer.email, "password": "wrong-1"})
            assert wrong.status_code == 200 and "not correct" in wrong.content.decode()
        locked = other.post(reverse("account_login"), {"login": other_consumer.email, "password": password})
        assert "Too many failed login attempts" in locked.content.decode()
        assert other.get(reverse("portfolios:portfolio")).status_code == 302


def test_api_throttle_still_answers_429_with_redis_down(monkeypatch, vendor):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {**AnonRateThrottle.THROTTLE_RATES, "anon": "3/min"})
    api = APIClient()
    with redis_at(DEAD_REDIS):
        statuses = [api.get(reverse("api:vendor-list")).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert int(api.get(reverse("api:vendor-list"))["Retry-After"]) > 0


# --- A real Redis that dies and comes back ---------------------------------------------------------------


def _start_redis(port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port, socket_connect_timeout=0.2)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            return proc
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                proc.kill()
                raise
            time.sleep(0.05)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.kill()
    proc.wait(timeout=10)


def test_portfolio_and_api_keep_working_when_a_real_redis_dies_and_recover_when_it_returns(
    client, consumer, monkeypatch
):
    # Ask Redis again at every call, instead of once per interval, so the test sees the restart at once.
    monkeypatch.setattr("marketplace.kernel.caching.backend.RETRY_AFTER_SECONDS", 0.0)
    monkeypatch.setattr("marketplace.kernel.enqueue.RETRY_AFTER_SECONDS", 0.0)
    first, second, third = VendorFactory(name="First"), VendorFactory(name="Second"), VendorFactory(name="Third")
    port = free_port()
    server = redis.Redis(port=port)
    queue = celery_app.conf.task_default_queue
    api = _token_client(consumer)
    client.force_login(consumer)
    proc = _start_redis(port)
    try:
        with redis_at(f"redis://127.0.0.1:{port}/0"):
            assert api.post(reverse("api:portfolio-list"), {"vendor_id": first.pk}, format="json").status_code == 201
            assert server.llen(queue) == 1  # the statistics refresh, queued on this Redis
            assert server.keys("*throttle*")  # and the API throttle counts here

            _stop(proc)
            ended = client.post(reverse("portfolios:end", args=[first.pk]), {"reason": "price"}, follow=True)
            assert ended.status_code == 200 and "Partnership with First ended." in ended.content.decode()
            assert api.get(reverse("api:portfolio-list")).status_code == 200
            assert api.post(reverse("api:portfolio-list"), {"vendor_id": second.pk}, format="json").status_code == 201
            assert set(StatsDirtyVendor.objects.values_list("vendor_id", flat=True)) >= {first.pk, second.pk}

            proc = _start_redis(port)  # back, empty, on the same address: no restart of this process needed
            assert api.post(reverse("api:portfolio-list"), {"vendor_id": third.pk}, format="json").status_code == 201
            assert server.llen(queue) == 1
            assert server.keys("*throttle*")
    finally:
        _stop(proc)
    active = PartnerMembership.objects.active().filter(consumer=consumer).values_list("vendor_id", flat=True)
    assert set(active) == {second.pk, third.pk}
    assert PartnerMembership.objects.ended().filter(consumer=consumer, vendor=first, end_reason="price").exists()
