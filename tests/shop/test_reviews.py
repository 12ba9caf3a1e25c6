"""Buyers' reviews: written with the rating of a delivered order, shown on the vendor's page and in the API
(newest first, bounded, no name), hidden by a moderator after a report with an audit row, the kept page renewed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from marketplace.kernel.errors import ConflictError, ForbiddenError, NotFoundError
from marketplace.shop.models import Checkout, Order, ServiceRating
from marketplace.shop.selectors import VENDOR_PAGE_REVIEWS
from marketplace.shop.services import account_close, order_rate, review_hide
from marketplace.shop.services.fulfilment import order_fulfil
from tests.factories import UserFactory
from tests.helpers import outbox_to, place_order
from vendors.models import ModerationAction, VendorReport


def _delivered(consumer, product, key: str = "k1") -> Order:  # type: ignore[no-untyped-def]
    order = place_order(consumer, product, key=key, quantity=1)
    order_fulfil(vendor=product.vendor, order_id=order.pk, action="ship")
    order_fulfil(vendor=product.vendor, order_id=order.pk, action="deliver")
    return order


def _reviews(vendor, texts: list[str]) -> list[ServiceRating]:  # type: ignore[no-untyped-def]
    """Reviews as order_rate leaves them, on delivered orders made directly (the checkout is tested elsewhere)."""
    rows = []
    for text in texts:
        buyer = UserFactory()
        checkout = Checkout.objects.create(consumer=buyer, idempotency_key=f"r-{buyer.pk}")
        order = Order.objects.create(
            checkout=checkout,
            consumer=buyer,
            vendor=vendor,
            status=Order.Status.DELIVERED,
            ship_to_name="B",
            ship_to_address="A",
            subtotal=Decimal("5.00"),
            total=Decimal("5.00"),
        )
        rows.append(order_rate(consumer=buyer, order_id=order.pk, score=4, comment=text))
    return rows


@pytest.mark.django_db
def test_order_rate_with_text_shows_the_review_on_the_vendor_page_newest_first_without_a_name(
    consumer_client, consumer, product
):
    order = _delivered(consumer, product)
    page = consumer_client.get(reverse("shop:order-detail", args=[order.pk])).content.decode()
    assert "Your review (optional)" in page and "without your name" in page
    _reviews(product.vendor, ["Older: slow but fine"])
    response = consumer_client.post(
        reverse("shop:order-rate", args=[order.pk]), {"score": "5", "comment": "Beans arrived fresh."}
    )
    assert response.status_code == 302
    page = consumer_client.get(product.vendor.get_absolute_url()).content.decode()
    reviews = page[page.index('id="reviews-heading"') :].split("</section>")[0]
    assert reviews.index("Beans arrived fresh.") < reviews.index("Older: slow but fine")
    assert "5/5" in reviews
    assert consumer.email not in reviews and "Ada Shopper" not in reviews
    # The buyer's own order page quotes it once, with one full stop after the rating (not “fresh.”.).
    order_page = consumer_client.get(reverse("shop:order-detail", args=[order.pk])).content.decode()
    assert "You rated this service 5/5." in order_page and "”." not in order_page
    export = consumer_client.get(reverse("account_data:export")).json()
    assert export["ratings"][0]["review"] == "shown"


@pytest.mark.django_db
def test_order_rate_without_text_and_older_private_comments_stay_off_the_page(client, consumer, product):
    order = _delivered(consumer, product)
    order_rate(consumer=consumer, order_id=order.pk, score=2)
    old = _reviews(product.vendor, ["Written when comments were private"])[0]
    ServiceRating.objects.filter(pk=old.pk).update(public=False)  # as migration 0008 left the older comments
    page = client.get(product.vendor.get_absolute_url()).content.decode()
    assert "Written when comments were private" not in page
    assert "No reviews yet." in page


@pytest.mark.django_db
def test_vendor_page_shows_the_newest_reviews_only_in_a_constant_number_of_queries(client, vendor):
    _reviews(vendor, ["first", "second"])

    def queries() -> int:  # a first render: each review written renewed the vendor's kept page
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(vendor.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    _reviews(vendor, [f"review {n}" for n in range(VENDOR_PAGE_REVIEWS + 3)])
    after = queries()
    assert after == before
    page = client.get(vendor.get_absolute_url()).content.decode()
    assert page.count('class="review"') == VENDOR_PAGE_REVIEWS
    assert f"review {VENDOR_PAGE_REVIEWS + 2}" in page and "review 0<" not in page


@pytest.mark.django_db
def test_review_hide_after_a_report_takes_it_off_the_kept_page_with_an_audit_row(
    client, consumer_client, consumer, moderator, vendor, django_capture_on_commit_callbacks
):
    kept, rude = _reviews(vendor, ["Lovely service", "The owner is a crook"])
    assert "The owner is a crook" in client.get(vendor.get_absolute_url()).content.decode()  # now kept
    # A shopper reports the review through the report form, which names it.
    form = consumer_client.get(reverse("moderation:report", args=[vendor.slug]) + f"?review={rude.pk}")
    assert f"About review #{rude.pk}: " in form.content.decode()
    consumer_client.post(
        reverse("moderation:report", args=[vendor.slug]),
        {"reason": "review", "text": f"About review #{rude.pk}: insulting"},
    )
    report = VendorReport.objects.get(vendor=vendor)
    assert report.reason == "review"
    client.force_login(moderator)
    reports = client.get(reverse("moderation:reports")).content.decode()
    assert reverse("review-moderation:list") + f"?vendor={vendor.pk}" in reports
    listing = client.get(reverse("review-moderation:list") + f"?vendor={vendor.pk}").content.decode()
    assert "The owner is a crook" in listing and "Lovely service" in listing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("review-moderation:hide", args=[rude.pk]), {"reason": "Insults, not a review"})
    assert response.status_code == 302
    (told,) = outbox_to(rude.consumer.email)
    assert "Insults, not a review" in told.body and "still counts" in told.body
    action = ModerationAction.objects.get(kind=ModerationAction.Kind.REVIEW_HIDE)
    assert action.vendor == vendor and action.moderator == moderator and "Insults, not a review" in action.reason
    rude.refresh_from_db()
    assert rude.hidden_at is not None and rude.hidden_by == action
    client.logout()
    page = client.get(vendor.get_absolute_url()).content.decode()
    assert "The owner is a crook" not in page and "Lovely service" in page
    client.force_login(moderator)
    audit = client.get(reverse("moderation:audit")).content.decode()
    assert "Hid a review" in audit


@pytest.mark.django_db
def test_review_hide_refuses_others_a_missing_reason_and_a_second_time(consumer, moderator, vendor):
    (review,) = _reviews(vendor, ["Meh"])
    with pytest.raises(ForbiddenError):
        review_hide(moderator=consumer, rating_id=review.pk, reason="no")
    with pytest.raises(ValidationError):
        review_hide(moderator=moderator, rating_id=review.pk, reason="  ")
    review.refresh_from_db()
    assert review.hidden_at is None and not ModerationAction.objects.exists()
    review_hide(moderator=moderator, rating_id=review.pk, reason="Spam")
    with pytest.raises(ConflictError):
        review_hide(moderator=moderator, rating_id=review.pk, reason="Spam")
    with pytest.raises(NotFoundError):
        review_hide(moderator=moderator, rating_id=review.pk + 1000, reason="Spam")
    assert ModerationAction.objects.count() == 1


@pytest.mark.django_db
def test_review_pages_are_for_moderators_only(consumer_client, vendor):
    (review,) = _reviews(vendor, ["Fine"])
    assert consumer_client.get(reverse("review-moderation:list")).status_code == 403
    assert consumer_client.post(reverse("review-moderation:hide", args=[review.pk]), {"reason": "x"}).status_code == 403
    review.refresh_from_db()
    assert review.hidden_at is None


@pytest.mark.django_db
def test_api_vendor_detail_lists_reviews_and_moderators_hide_them(api, moderator, vendor):
    shown, hidden = _reviews(vendor, ["Good", "Rude words"])
    data = APIClient().get(reverse("api:vendor-detail", args=[vendor.slug])).json()
    assert [r["text"] for r in data["reviews"]] == ["Rude words", "Good"]
    assert set(data["reviews"][0]) == {"id", "score", "text", "month"}
    url = reverse("api:moderation-review-hide", args=[hidden.pk])
    assert api.post(url, {"reason": "Rude"}, format="json").status_code == 403
    mod = APIClient()
    mod.force_authenticate(moderator)
    response = mod.post(url, {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = mod.post(url, {"reason": "Rude"}, format="json")
    assert response.status_code == 200 and response.json()["audit_action"] is not None
    data = APIClient().get(reverse("api:vendor-detail", args=[vendor.slug])).json()
    assert [r["text"] for r in data["reviews"]] == ["Good"]


@pytest.mark.django_db
def test_account_close_takes_the_buyers_reviews_off_the_pages(client, vendor):
    (review,) = _reviews(vendor, ["Written by someone leaving"])
    assert "Written by someone leaving" in client.get(vendor.get_absolute_url()).content.decode()
    account_close(user=review.consumer)
    assert "Written by someone leaving" not in client.get(vendor.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_moderators_reviews_page_runs_the_same_queries_for_two_reviews_as_for_twenty(client, moderator, vendor):
    client.force_login(moderator)
    url = reverse("review-moderation:list") + f"?vendor={vendor.pk}"

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    review_hide(moderator=moderator, rating_id=_reviews(vendor, ["a", "b"])[0].pk, reason="Spam")
    queries()  # the first visit stores what the header reads
    few = queries()
    review_hide(moderator=moderator, rating_id=_reviews(vendor, [f"r{n}" for n in range(18)])[0].pk, reason="Spam")
    assert queries() == few
    assert client.get(url + "&review=999999999").status_code == 200
    assert client.get(reverse("review-moderation:list") + "?vendor=abc").status_code == 200
