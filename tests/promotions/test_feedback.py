"""Promotion feedback: given from the feed (page and API) on a promotion one received, refused otherwise; counted
for the vendor with every group under K suppressed; the consumer's own data, exported and deleted with them."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from marketplace.sell.selectors import promotion_results
from marketplace.shop.services import account_close
from portfolios.services import membership_end, membership_set_muted
from promotions import services as promo
from promotions.models import Promotion, PromotionFeedback
from promotions.selectors import AudienceSpec, audience_preview
from promotions.services.feedback import promotion_feedback_give
from tests.factories import UserFactory, VendorFactory
from tests.helpers import draft, partners, running_promotion

# Expectations here are exact released figures: their noise is off (tests/conftest.py exact_release; noise is
# tested in tests/privacy/test_calibration.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_url", "exact_release")]


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def _feedback_path(promotion) -> str:
    return reverse("portfolios:feedback", args=[promotion.pk])


def _api_path(promotion) -> str:
    return f"/api/v1/portfolio/feed/{promotion.pk}/feedback/"


def test_feedback_from_the_feed_without_javascript_is_saved_and_a_change_of_mind_updates_it(world, client):
    client.force_login(world.consumer)
    feed = client.get(reverse("portfolios:portfolio")).content.decode()
    assert f'id="promotion-{world.promotion.pk}"' in feed and "Was “Bean There partner week” useful to you?" in feed

    saved = client.post(_feedback_path(world.promotion), {"verdict": "useful", "reason": "price"})
    assert saved.status_code == 302 and saved["Location"].endswith(f"/portfolio/#promotion-{world.promotion.pk}")
    # A reason goes with "not for me" only: the page's stray choice is dropped
    row = PromotionFeedback.objects.get(consumer=world.consumer)
    assert (row.verdict, row.reason) == ("useful", "")
    assert "Your feedback: <strong>Useful</strong>" in client.get(reverse("portfolios:portfolio")).content.decode()

    client.post(_feedback_path(world.promotion), {"verdict": "not_for_me", "reason": "too_frequent"})
    row = PromotionFeedback.objects.get(consumer=world.consumer)
    assert (row.verdict, row.reason) == ("not_for_me", "too_frequent")


def test_feedback_with_htmx_swaps_the_form_in_place(world, client):
    client.force_login(world.consumer)
    response = client.post(
        _feedback_path(world.promotion), {"verdict": "not_for_me", "reason": "price"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.startswith(f'<div id="feedback-{world.promotion.pk}"')
    assert "Your feedback: <strong>Not for me</strong> (the price)" in html and "<html" not in html


def test_feedback_with_bad_input_is_refused_with_field_errors_and_changes_nothing(world, client):
    client.force_login(world.consumer)
    page = client.post(_feedback_path(world.promotion), {"verdict": "maybe"})
    assert page.status_code == 400 and "Select a valid choice" in page.content.decode()
    api = _api(world.consumer)
    assert api.post(_api_path(world.promotion), {"verdict": "maybe"}, format="json").status_code == 400
    body = api.post(_api_path(world.promotion), {"verdict": "useful", "reason": "price"}, format="json").json()
    assert body == {"reason": ["A reason goes with “Not for me” only."]}
    bad_reason = api.post(_api_path(world.promotion), {"verdict": "not_for_me", "reason": "bored"}, format="json")
    assert bad_reason.status_code == 400 and "reason" in bad_reason.json()
    assert not PromotionFeedback.objects.exists()


def test_feedback_through_the_api_is_saved_and_updated(world):
    api = _api(world.consumer)
    first = api.post(_api_path(world.promotion), {"verdict": "not_for_me", "reason": "price"}, format="json")
    assert first.status_code == 200
    assert first.json()["verdict"] == "not_for_me" and first.json()["reason"] == "price"
    second = api.post(_api_path(world.promotion), {"verdict": "useful"}, format="json")
    assert second.json()["verdict"] == "useful" and second.json()["reason"] == ""
    assert PromotionFeedback.objects.filter(consumer=world.consumer).count() == 1


def test_feedback_on_a_promotion_never_received_is_refused_page_and_api(world, client):
    other_vendor = VendorFactory(name="Elsewhere")
    not_sent = running_promotion(world.vendor, kind=Promotion.Kind.PARTNERS, title="Sent to nobody")
    foreign = running_promotion(other_vendor, kind=Promotion.Kind.PARTNERS, title="Someone else's")
    client.force_login(world.consumer)
    api = _api(world.consumer)
    for promotion in (not_sent, foreign):
        assert client.post(_feedback_path(promotion), {"verdict": "useful"}).status_code == 404
        response = api.post(_api_path(promotion), {"verdict": "useful"}, format="json")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert (
        api.post("/api/v1/portfolio/feed/99999999/feedback/", {"verdict": "useful"}, format="json").status_code == 404
    )
    assert not PromotionFeedback.objects.exists()


def test_feedback_from_an_ended_partner_is_refused_page_and_api_but_a_muted_one_may_give_it(world, client):
    membership_set_muted(consumer=world.consumer, vendor_id=world.vendor.pk, muted=True)
    api = _api(world.consumer)
    assert api.post(_api_path(world.promotion), {"verdict": "useful"}, format="json").status_code == 200

    membership_end(consumer=world.consumer, vendor_id=world.vendor.pk, reason="bad_service")
    refused = api.post(_api_path(world.promotion), {"verdict": "not_for_me", "reason": "price"}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "partnership_ended"
    client.force_login(world.consumer)
    page = client.post(_feedback_path(world.promotion), {"verdict": "not_for_me"}, follow=True)
    assert "You ended your partnership with Bean There" in page.content.decode()
    row = PromotionFeedback.objects.get(consumer=world.consumer)
    assert (row.verdict, row.reason) == ("useful", "")


@pytest.fixture
def results_shop(reference_data):
    """A promotion delivered to 7 London partners aged 35–44 and 2 Wales partners."""
    shop = VendorFactory(name="Feedback Shop")
    london = partners(shop, 7)
    wales = partners(shop, 2, region="wales")
    promotion = promo.promotion_publish(vendor=shop, promotion_id=draft(shop).pk)
    return shop, promotion, london, wales


def test_promotion_results_show_feedback_counts_and_reasons_with_groups_under_k_suppressed(results_shop, client):
    shop, promotion, london, wales = results_shop
    for consumer in london[:5]:
        promotion_feedback_give(consumer=consumer, promotion_id=promotion.pk, verdict="useful")
    for consumer in (*london[5:], *wales):
        promotion_feedback_give(consumer=consumer, promotion_id=promotion.pk, verdict="not_for_me", reason="price")

    feedback = promotion_results(promotion=promotion).feedback
    assert (feedback.overall.given, feedback.overall.useful, feedback.overall.not_for_me) == (5, 5, None)
    assert [(label, n) for _r, label, n in feedback.overall.reasons] == [
        ("The price", None),
        ("Not relevant to me", None),
        ("Too frequent", None),
        ("Something else", None),
    ]
    # London's 7 are listed (useful 5, the rest suppressed); Wales' 2 are not listed at all
    assert [g.label for g in feedback.segments["Region"]] == ["London"]
    london_row = feedback.segments["Region"][0]
    assert (london_row.given, london_row.useful, london_row.not_for_me) == (5, 5, None)
    assert [g.label for g in feedback.segments["Age band"]] == ["35–44"]

    client.force_login(shop.owner)
    page = client.get(reverse("sell:promotion-results", args=[promotion.pk])).content.decode()
    section = page[page.index('id="feedback"') :]
    assert 'id="feedback-given">5–9<' in section and 'id="feedback-useful">5–9<' in section
    assert 'id="feedback-not-for-me">fewer than 5<' in section
    assert "<td>The price</td><td>fewer than 5</td>" in section
    assert "Wales" not in section and ">4<" not in section and ">2<" not in section


def test_audience_preview_says_how_many_of_the_audience_found_promotions_too_frequent(results_shop, client):
    shop, promotion, london, wales = results_shop
    next_one = draft(shop, title="Next offer")
    for consumer in london[:4]:
        promotion_feedback_give(
            consumer=consumer, promotion_id=promotion.pk, verdict="not_for_me", reason="too_frequent"
        )
    assert audience_preview(spec=AudienceSpec.of(next_one)).too_frequent is None

    promotion_feedback_give(consumer=london[4], promotion_id=promotion.pk, verdict="not_for_me", reason="too_frequent")
    preview = audience_preview(spec=AudienceSpec.of(next_one))
    assert preview.too_frequent == 5 and preview.too_frequent_text == "5–9"
    client.force_login(shop.owner)
    page = client.get(reverse("sell:promotion-edit", args=[next_one.pk])).content.decode()
    assert "Said your promotions come too often (feedback, last 90 days): 5–9 of this audience." in page

    # Partners who since muted the vendor are no longer in the audience, so no longer counted
    membership_set_muted(consumer=london[0], vendor_id=shop.pk, muted=True)
    assert audience_preview(spec=AudienceSpec.of(next_one)).too_frequent is None


def test_feedback_is_in_the_consumers_export_and_goes_with_their_account(results_shop, client):
    shop, promotion, london, _wales = results_shop
    for consumer in london[:5]:
        promotion_feedback_give(consumer=consumer, promotion_id=promotion.pk, verdict="useful")
    leaving = london[0]

    client.force_login(leaving)
    export = json.loads(client.get(reverse("account_data:export")).content)
    [mine] = export["promotion_feedback"]
    assert mine["promotion"] == promotion.title and mine["vendor"] == "Feedback Shop" and mine["verdict"] == "useful"
    assert export["profile"]["digest_frequency"] == "weekly"

    assert promotion_results(promotion=promotion).feedback.overall.useful == 5
    account_close(user=leaving)
    assert not PromotionFeedback.objects.filter(consumer_id=leaving.pk).exists()
    assert PromotionFeedback.objects.filter(promotion=promotion).count() == 4
    assert promotion_results(promotion=promotion).feedback.overall.useful is None
    assert UserFactory._meta.model.objects.filter(pk=leaving.pk).count() == 0
