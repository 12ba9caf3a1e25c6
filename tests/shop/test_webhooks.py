"""The webhook endpoint: signatures (good, tampered, stale, wrong secret), the raw event stored before anything
else and once, a replay changing nothing, events out of order, processing after commit."""

from __future__ import annotations

import json
import time

import pytest
from django.urls import reverse

from marketplace.shop.models import FakeProviderEvent, Order, OrderPayout, Payment, WebhookEvent
from marketplace.shop.payments.base import signature_header_make
from marketplace.shop.payments.fake import CARD_DECLINED, CARD_SUCCEEDS
from marketplace.shop.payments.fake_delivery import fake_event_deliver, fake_events_deliver_pending
from marketplace.shop.payments.services import webhook_events_process_pending
from marketplace.shop.services import cart_add, checkout_place
from tests.payments import SHIP, pay, run_on_commit

URL = "/payments/webhooks/fake/"


def _event_body(event_id: str = "evt_test_1", ref: str = "pi_fake_unknown") -> bytes:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": "payment_intent.succeeded",
            "created": int(time.time()),
            "data": {"object": {"id": ref, "object": "payment_intent", "status": "succeeded"}},
        }
    ).encode()


def _post(client, body: bytes, signature: str):  # type: ignore[no-untyped-def]
    return client.post(URL, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)


@pytest.fixture
def placed(consumer, product):
    cart_add(consumer=consumer, product_id=product.pk)
    with run_on_commit():
        return checkout_place(consumer=consumer, idempotency_key="w1", **SHIP)


def test_webhook_url_is_the_fake_providers():
    assert reverse("payments:webhook", kwargs={"provider": "fake"}) == URL


@pytest.mark.django_db
def test_webhook_with_a_good_signature_is_stored_and_answered_200(client, settings):
    body = _event_body()
    response = _post(client, body, signature_header_make(payload=body, secret=settings.FAKE_PAYMENTS_WEBHOOK_SECRET))
    assert response.status_code == 200
    assert response.json() == {"received": "evt_test_1", "duplicate": False}
    stored = WebhookEvent.objects.get()
    assert (stored.provider, stored.event_id, stored.type, stored.body) == (
        "fake",
        "evt_test_1",
        "payment_intent.succeeded",
        body.decode(),
    )


@pytest.mark.django_db
def test_webhook_with_a_tampered_body_is_refused_and_stores_nothing(client, settings):
    body = _event_body()
    signature = signature_header_make(payload=body, secret=settings.FAKE_PAYMENTS_WEBHOOK_SECRET)
    tampered = body.replace(b"pi_fake_unknown", b"pi_fake_someone")
    response = _post(client, tampered, signature)
    assert response.status_code == 400 and response.json()["code"] == "bad_webhook"
    assert not WebhookEvent.objects.exists()


@pytest.mark.django_db
def test_webhook_with_a_stale_signature_is_refused(client, settings):
    body = _event_body()
    old = int(time.time()) - settings.PAYMENTS_WEBHOOK_TOLERANCE_SECONDS - 60
    response = _post(
        client, body, signature_header_make(payload=body, secret=settings.FAKE_PAYMENTS_WEBHOOK_SECRET, timestamp=old)
    )
    assert response.status_code == 400 and "too old" in response.json()["detail"]
    assert not WebhookEvent.objects.exists()


@pytest.mark.django_db
def test_webhook_signed_with_another_secret_is_refused(client):
    body = _event_body()
    response = _post(client, body, signature_header_make(payload=body, secret="whsec_someone_elses"))
    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["", "t=abc,v1=00", "v1=deadbeef", "t=1700000000", "garbage"])
def test_webhook_with_a_missing_or_malformed_signature_is_refused(client, header):
    response = _post(client, _event_body(), header)
    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


@pytest.mark.django_db
def test_webhook_signed_but_not_an_event_is_refused(client, settings):
    for body in [b"not json", b"[]", b'{"id": "x"}', b'{"id": 5, "type": "x", "data": {"object": {}}}']:
        signature = signature_header_make(payload=body, secret=settings.FAKE_PAYMENTS_WEBHOOK_SECRET)
        assert _post(client, body, signature).status_code == 400
    assert not WebhookEvent.objects.exists()


@pytest.mark.django_db
def test_webhook_of_a_provider_not_configured_here_is_not_found(client):
    body = _event_body()
    assert client.post("/payments/webhooks/stripe/", data=body, content_type="application/json").status_code == 404
    assert client.post("/payments/webhooks/paypal/", data=body, content_type="application/json").status_code == 404
    assert client.get(URL).status_code == 405


@pytest.mark.django_db
def test_the_same_event_delivered_twice_is_stored_and_processed_once(client, placed, fake_transport):
    fake_transport.hold = True
    pay(placed)  # the provider charged it; its event is held back, and the payment read back as paid
    event = FakeProviderEvent.objects.get(type="payment_intent.succeeded")
    body = event.body.encode()

    responses = []
    for _ in range(2):
        signature = signature_header_make(payload=body, secret=fake_transport_secret())
        with run_on_commit():
            responses.append(_post(client, body, signature))

    assert [r.status_code for r in responses] == [200, 200]
    assert [r.json()["duplicate"] for r in responses] == [False, True]
    stored = WebhookEvent.objects.get(event_id=event.ref)
    assert stored.processed_at is not None and stored.attempts == 1
    assert OrderPayout.objects.count() == 1 and Order.objects.get().status == Order.Status.PAID


def fake_transport_secret() -> str:
    from django.conf import settings

    return settings.FAKE_PAYMENTS_WEBHOOK_SECRET


@pytest.mark.django_db
def test_events_out_of_order_end_in_the_providers_current_state(placed, fake_transport):
    """A declined attempt, then a paid one; the events arrive newest first. Processing re-reads the payment
    from the provider, so the late "payment failed" cannot undo "paid"."""
    fake_transport.hold = True
    pay(placed, card=CARD_DECLINED)
    pay(placed, card=CARD_SUCCEEDS)
    # The buyer's own confirmation read the state back; undo that here, so only the events can tell.
    Payment.objects.update(status=Payment.Status.CREATED, failure_message="", card_last4="")
    Order.objects.update(status=Order.Status.AWAITING_PAYMENT)
    FakeProviderEvent.objects.update(delivered_at=None)
    failed = FakeProviderEvent.objects.get(type="payment_intent.payment_failed")
    succeeded = FakeProviderEvent.objects.get(type="payment_intent.succeeded")

    fake_transport.hold = False
    with run_on_commit():
        assert fake_event_deliver(event_id=succeeded.pk)
    with run_on_commit():
        assert fake_event_deliver(event_id=failed.pk)

    payment = Payment.objects.get()
    assert payment.status == Payment.Status.SUCCEEDED and payment.failure_message == ""
    assert Order.objects.get().status == Order.Status.PAID
    assert WebhookEvent.objects.filter(processed_at__isnull=False).count() == 2


@pytest.mark.django_db
def test_undelivered_events_are_sent_again_by_the_beat_job(placed, fake_transport):
    fake_transport.hold = True
    pay(placed)
    pending = FakeProviderEvent.objects.filter(delivered_at__isnull=True)
    assert pending.count() == 1 and pending.get().last_error == "The endpoint answered 503."

    fake_transport.hold = False
    with run_on_commit():
        assert fake_events_deliver_pending(older_than_seconds=0) == 1
    assert not FakeProviderEvent.objects.filter(delivered_at__isnull=True).exists()
    assert WebhookEvent.objects.get().processed_at is not None


@pytest.mark.django_db
def test_an_event_about_an_unknown_payment_is_kept_for_later_then_set_aside(client, settings):
    body = _event_body(ref="pi_fake_not_here")
    with run_on_commit():
        _post(client, body, signature_header_make(payload=body, secret=settings.FAKE_PAYMENTS_WEBHOOK_SECRET))
    stored = WebhookEvent.objects.get()
    assert stored.processed_at is None and stored.attempts == 1 and "not known" in stored.last_error
    for _ in range(4):
        webhook_events_process_pending(older_than_seconds=0)
    stored.refresh_from_db()
    assert stored.processed_at is not None and stored.attempts == 5
