"""Issue 29: calibration defeats rounding. A vendor signs up accounts of its own, gives them a region and an age
band, adds itself to their portfolios and re-reads a figure after each one: with exact rounding the step at
which "fewer than 5" turns into "5–9" tells how many real partners are in the group. And rates and averages
computed from exact figures give back the exact count or a single buyer's score.

Each test plays the attacker on the real services with the noise on (as in production) and asserts what the
attacker reads: the same answer at every step (accounts made for the purpose do not count, and the noise is
drawn from the data, not from the read), never a count under K, no exact count from a rate, no score from an
average. The defences: marketplace/kernel/privacy.py, docs/privacy.md.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from marketplace.accounts.models import Region
from marketplace.kernel import privacy
from marketplace.kernel.sql import Scope
from marketplace.sell.selectors import promotion_results
from marketplace.shop.models import Order
from marketplace.shop.services import order_rate
from marketplace.shop.services.stats import sales_stats_refresh
from portfolios.models import PartnerMembership
from portfolios.selectors.insights import insights_get
from portfolios.services.stats import stats_reconcile_all
from promotions import services as promo
from promotions.models import Promotion
from promotions.selectors import AudienceSpec, audience_preview
from promotions.services import promotion_deliveries_for_new_partner
from promotions.services.feedback import promotion_feedback_give
from tests.factories import VendorFactory
from tests.helpers import buy, draft, partners, product_of, puppets

K = 5


@pytest.fixture
def shop(reference_data, settings):
    settings.MARKETPLACE = {**settings.MARKETPLACE, "STATS_MIN_GROUP": K}
    return VendorFactory(name="Curious Roasters")


def _shown_counts_are_never_under_k(*figures: int | None) -> bool:
    """What rule 4 promises whatever the noise: a figure is hidden, or a multiple of K of at least K."""
    return all(f is None or (f >= K and f % K == 0) for f in figures)


@pytest.mark.django_db
def test_puppets_stepping_a_segment_preview_read_the_same_answer_and_cannot_publish_to_one_partner(shop, client):
    # Given 12 real partners in the North, and one real partner in London aged 65+
    partners(shop, 12, region="north", age_band="35-44")
    partners(shop, 1, region="london", age_band="65+")
    london = Region.objects.get(code="london")
    promotion = draft(shop, audience=Promotion.Audience.SEGMENT, segment_region=london, segment_age_band="65+")
    spec = AudienceSpec.of(promotion)
    client.force_login(shop.owner)

    # When the vendor signs up four accounts of its own in London aged 65+, re-reading the preview after each
    read = [audience_preview(spec=spec)]
    for _ in range(K - 1):
        puppets(shop, 1, region="london", age_band="65+")
        read.append(audience_preview(spec=spec))
    page = client.get(reverse("sell:promotion-edit", args=[promotion.pk])).content.decode()

    # Then every step reads the same (before: null, null, null, null, 5 told "exactly one real partner")
    assert len({(p.size, p.too_frequent, p.text) for p in read}) == 1
    assert _shown_counts_are_never_under_k(*(p.size for p in read))
    assert read[0].text in page
    # And the four accounts do not make up K: a promotion to the one real partner cannot be published
    with pytest.raises(promo.AudienceTooSmallError):
        promo.promotion_publish(vendor=shop, promotion_id=promotion.pk)


@pytest.mark.django_db
def test_puppets_stepping_an_insights_segment_after_each_refresh_read_the_same_insights(shop):
    # Given 10 real partners in the North and one real partner in Wales
    partners(shop, 10, region="north")
    partners(shop, 1, region="wales")
    stats_reconcile_all()
    before = insights_get(vendor=shop)

    # When the vendor adds four Welsh accounts of its own, one at a time, and reads insights after each refresh
    read = []
    for _ in range(K - 1):
        puppets(shop, 1, region="wales")
        stats_reconcile_all()
        read.append(insights_get(vendor=shop))

    # Then Wales never shows (before: "5–9" once the fourth account joined), and nothing else moved either
    for insights in read:
        assert "Wales" not in [row.label for row in insights.segments["region"]]
        assert insights.segments == before.segments
        assert (insights.current_partners, insights.reachable_partners, insights.partners_ever) == (
            before.current_partners,
            before.reachable_partners,
            before.partners_ever,
        )
        assert insights.partners_series == before.partners_series and insights.adds_series == before.adds_series
    assert _shown_counts_are_never_under_k(*(row.partners for rows in before.segments.values() for row in rows))


@pytest.mark.django_db
def test_puppets_stepping_a_lapsed_audience_read_the_same_answer(shop):
    # Given 10 partners who ordered last week, and one real partner who has not ordered for 45 days
    now = timezone.now()
    recent = partners(shop, 10)
    lapsed = partners(shop, 1)
    PartnerMembership.objects.filter(vendor=shop).update(started_at=now - timedelta(days=200))
    PartnerMembership.objects.filter(consumer__in=recent).update(last_order_at=now - timedelta(days=7))
    PartnerMembership.objects.filter(consumer__in=lapsed).update(last_order_at=now - timedelta(days=45))
    spec = AudienceSpec(vendor_id=shop.pk, audience=Promotion.Audience.LAPSED, lapsed_days=30)

    # When the vendor adds accounts of its own that waited out the window (signed up and partnered 40 days ago)
    read = [audience_preview(spec=spec)]
    for _ in range(K - 1):
        puppets(shop, 1, joined_days_ago=40, partner_days_ago=40)
        read.append(audience_preview(spec=spec))

    # Then the lapsed preview reads the same at every step, and never a count under K
    assert len({(p.size, p.text) for p in read}) == 1
    assert _shown_counts_are_never_under_k(*(p.size for p in read))


@pytest.mark.django_db
def test_puppets_saying_too_frequent_do_not_move_the_count_of_partners_who_said_it(shop):
    # Given 20 real partners who received a promotion (enough that publishing does not hang on the noise), one of
    # whom said it came too often
    real = partners(shop, 20)
    sent = promo.promotion_publish(vendor=shop, promotion_id=draft(shop).pk)
    promotion_feedback_give(consumer=real[0], promotion_id=sent.pk, verdict="not_for_me", reason="too_frequent")
    spec = AudienceSpec.of(draft(shop, title="Next one"))

    # When four accounts of the vendor's join, receive it and say the same, one after the other
    read = [audience_preview(spec=spec).too_frequent]
    for _ in range(K - 1):
        (account,) = puppets(shop, 1)
        promotion_deliveries_for_new_partner(consumer_id=account.pk, vendor_id=shop.pk)
        promotion_feedback_give(consumer=account, promotion_id=sent.pk, verdict="not_for_me", reason="too_frequent")
        read.append(audience_preview(spec=spec).too_frequent)

    # Then the figure never moves and is never a count under K (before: "5–9" at the fourth: one real partner)
    assert read == [None] * K
    feedback = promotion_results(promotion=sent).feedback
    assert feedback is not None and _shown_counts_are_never_under_k(
        feedback.overall.given, feedback.overall.not_for_me, *(n for _r, _l, n in feedback.overall.reasons)
    )


@pytest.mark.django_db
def test_the_vendors_own_owner_account_never_counts(shop):
    # Given 4 real partners and the vendor's owner, an old account, holding the vendor too (membership_start
    # refuses an owner, so only a row from before that rule, or written by hand, could exist: it still never counts)
    partners(shop, K - 1)
    PartnerMembership.objects.create(consumer=shop.owner, vendor=shop, started_at=timezone.now() - timedelta(days=400))
    stats_reconcile_all()
    assert shop.owner not in [m.consumer for m in PartnerMembership.objects.counted().filter(vendor=shop)]
    assert insights_get(vendor=shop).current_partners is None


def _redeemed_by(buyers, promotion, shop) -> None:
    product = product_of(shop)
    for n, buyer in enumerate(buyers):
        buy(buyer, product, f"calibration-{promotion.pk}-{n}")


@pytest.mark.django_db
def test_the_redemption_rate_does_not_give_back_the_exact_reach(shop, exact_release):
    # Given a promotion delivered to 43 partners, 6 of whom redeemed it (the vendor sees the 6 on its orders)
    consumers = partners(shop, 43)
    promotion = promo.promotion_publish(vendor=shop, promotion_id=draft(shop).pk)
    _redeemed_by(consumers[:6], promotion, shop)
    vendor_api = APIClient()
    vendor_api.force_authenticate(shop.owner)

    # When the vendor divides its 6 buyers by the rate it is shown (page and API)
    rate = vendor_api.get(f"/api/v1/sell/promotions/{promotion.pk}/results/").json()["redemption_rate"]
    assert rate == promotion_results(promotion=promotion).redemption_rate

    # Then the rate is a whole percent of released figures (5 of 40: 12%), and the reaches it fits are not 43
    # (before: 6 / 0.13953... = 43 exactly)
    assert rate == pytest.approx(0.12) and rate == round(rate, 2)
    fits = {reach for reach in range(6, 1000) if round(6 / reach, 2) == rate}
    assert 43 not in fits


@pytest.mark.django_db
def test_the_redemption_rate_is_a_whole_percent_of_released_figures_with_noise(shop):
    consumers = partners(shop, 43)
    promotion = promo.promotion_publish(vendor=shop, promotion_id=draft(shop).pk)
    _redeemed_by(consumers[:6], promotion, shop)
    results = promotion_results(promotion=promotion)
    rate = results.redemption_rate
    assert results.reached is None or results.reached % K == 0
    assert rate is None or (rate == round(rate, 2) and 0 <= rate <= 1)
    # A re-read gives the same figures: reading again draws nothing new
    again = promotion_results(promotion=promotion)
    assert (again.reached, again.redemption_rate) == (results.reached, results.redemption_rate)


def _rate_orders(consumers, shop, scores: list[int]) -> None:
    product = product_of(shop)
    for consumer, score in zip(consumers, scores, strict=True):
        order = buy(consumer, product, f"rating-{consumer.pk}")
        Order.objects.filter(pk=order.pk).update(status=Order.Status.DELIVERED)
        order_rate(consumer=consumer, order_id=order.pk, score=score)
    sales_stats_refresh(scope=Scope.ids([shop.pk]))


@pytest.mark.django_db
def test_one_new_rating_cannot_be_read_from_the_public_average(shop):
    # Given twenty ratings averaging exactly 4.5 (the finding had 10; with 20 the count of ratings is shown
    # whatever its noise, so the average is always there to attack)
    consumers = partners(shop, 21)
    _rate_orders(consumers[:20], shop, [5, 4] * 10)
    api = APIClient()
    before = api.get(f"/api/v1/vendors/{shop.slug}/").json()["facts"]["rating_average"]

    # When one more buyer rates 2 (exact average 4.38), and the vendor reads the average again
    _rate_orders(consumers[20:], shop, [2])
    after = api.get(f"/api/v1/vendors/{shop.slug}/").json()["facts"]["rating_average"]

    # Then both are in half stars, and the vendor's arithmetic (21 × after − 20 × before) does not give the 2
    # (before: 21 × 4.38 − 20 × 4.50 = 1.98)
    assert before is not None and after is not None
    for shown in (Decimal(before), Decimal(after)):
        assert shown % Decimal("0.5") == 0 and Decimal(1) <= shown <= Decimal(5)
    assert round(21 * Decimal(after) - 20 * Decimal(before)) != 2
    # And the page shows the same figure as the API
    page = APIClient().get(shop.get_absolute_url()).content.decode()
    assert f"{Decimal(after):.1f} / 5" in page


@pytest.mark.django_db
def test_a_rating_average_of_fewer_than_k_ratings_is_not_shown_whatever_the_noise(shop):
    consumers = partners(shop, K - 1)
    _rate_orders(consumers, shop, [1] * (K - 1))
    facts = APIClient().get(f"/api/v1/vendors/{shop.slug}/").json()["facts"]
    assert facts["rating_average"] is None and facts["rating_suppressed"] is True


# --- The mechanism itself (no database) ---------------------------------------------------------------------


def test_release_count_is_the_same_on_every_read_and_never_shows_a_count_under_k(settings):
    settings.MARKETPLACE = {**settings.MARKETPLACE, "STATS_MIN_GROUP": K, "PRIVACY_EPSILON": 0.5}
    for n in range(0, 60):
        first = privacy.release_count(n, vendor_id=7, figure="partners")
        assert all(privacy.release_count(n, vendor_id=7, figure="partners") == first for _ in range(3))
        assert _shown_counts_are_never_under_k(first)
        if n < K:
            assert first is None  # rule 4 holds for the exact count too, whatever the draw


def test_the_noise_is_two_sided_geometric_with_the_stated_epsilon(settings):
    # Over many figures, the draws have the distribution docs/privacy.md states: P(0) = (1 - a) / (1 + a) with
    # a = exp(-epsilon), symmetric around 0, and P(|z| >= 3) = 2 a^3 / (1 + a).
    epsilon = 0.5
    alpha = 2.718281828459045 ** (-epsilon)
    draws = [privacy.geometric_noise(epsilon=epsilon, sensitivity=1, identity=("test", i)) for i in range(20_000)]
    zero = sum(1 for z in draws if z == 0) / len(draws)
    wide = sum(1 for z in draws if abs(z) >= 3) / len(draws)
    assert zero == pytest.approx((1 - alpha) / (1 + alpha), abs=0.02)
    assert wide == pytest.approx(2 * alpha**3 / (1 + alpha), abs=0.02)
    assert abs(sum(draws) / len(draws)) < 0.1


def test_a_count_and_the_count_plus_one_are_released_alike(settings):
    # Differential privacy of one figure: whether one more partner counts changes the chance of any answer by at
    # most a factor e^epsilon (here checked over 20,000 vendors, with a margin for sampling).
    settings.MARKETPLACE = {**settings.MARKETPLACE, "STATS_MIN_GROUP": K, "PRIVACY_EPSILON": 0.5}

    def distribution(n: int) -> dict[int | None, float]:
        answers: dict[int | None, float] = {}
        for vendor_id in range(20_000):
            answer = privacy.release_count(n, vendor_id=vendor_id, figure="segment:region:wales")
            answers[answer] = answers.get(answer, 0) + 1 / 20_000
        return answers

    six, seven = distribution(6), distribution(7)
    for answer in set(six) | set(seven):
        p, q = six.get(answer, 0), seven.get(answer, 0)
        if min(p, q) > 0.02:
            assert max(p, q) / min(p, q) < 2.718281828459045**0.5 * 1.15


def test_rates_and_averages_are_coarse(settings):
    settings.MARKETPLACE = {**settings.MARKETPLACE, "STATS_MIN_GROUP": K, "PRIVACY_AVERAGE_EPSILON": 1.0}
    assert privacy.release_share(5, 40) == 0.12 and privacy.release_share(None, 40) is None
    assert privacy.release_share(45, 40) == 1.0
    for vendor_id in range(200):
        shown = privacy.release_average(average=Decimal("4.27"), count=11, vendor_id=vendor_id, figure="rating")
        assert shown is not None and shown % Decimal("0.5") == 0 and 1 <= shown <= 5
    assert privacy.release_average(average=Decimal("4.27"), count=K - 1, vendor_id=1, figure="rating") is None


@pytest.mark.django_db
def test_one_quantity_reads_the_same_on_every_surface_so_surfaces_cannot_be_averaged(shop, client):
    # Given 23 partners (noise on): insights, the vendor page, the API and every point of the trend with the same
    # exact total are one draw of the same figure, not independent draws a vendor could average
    partners(shop, 23)
    stats_reconcile_all()
    insights = insights_get(vendor=shop)
    facts = APIClient().get(f"/api/v1/vendors/{shop.slug}/").json()["facts"]
    vendor_api = APIClient()
    vendor_api.force_authenticate(shop.owner)
    assert insights.current_partners == facts["partner_count"]
    assert vendor_api.get("/api/v1/sell/insights/").json()["current_partners"] == insights.current_partners
    assert insights.partners_series[-1] == insights.current_partners
