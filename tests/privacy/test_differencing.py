"""Finding 3: figures could be differenced. The daily partner total moved 21 → 22 → 21 while that day's adds and
ends were suppressed, so the single add and end showed; the lapsed audience, previewed for 60, 75, 100 … 200
days, shrank one partner per step. Totals are now rounded to a multiple of K, lapsed windows are fixed, and
every preview size is rounded."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from marketplace.accounts.models import Region
from portfolios.models import MembershipEvent, PartnerMembership
from portfolios.selectors.insights import insights_get
from portfolios.services import membership_end, membership_start
from portfolios.services.stats import stats_reconcile_all
from promotions import services as promo
from promotions.models import Promotion
from promotions.selectors import AudienceSpec, audience_preview
from tests.factories import UserFactory, VendorFactory
from tests.helpers import draft, partners

# Expectations here are exact released figures: their noise is off (tests/conftest.py exact_release; noise is
# tested in tests/privacy/test_calibration.py).
pytestmark = pytest.mark.usefixtures("exact_release")


@pytest.fixture
def shop(reference_data):
    return VendorFactory(name="Steady Shop")


def _noon(days_ago: int) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def _backdate(consumer, shop, *, kind: str, days_ago: int) -> None:
    when = _noon(days_ago)
    MembershipEvent.objects.filter(membership__consumer=consumer, vendor=shop, kind=kind).update(created_at=when)
    field = "started_at" if kind == MembershipEvent.Kind.STARTED else "ended_at"
    PartnerMembership.objects.filter(consumer=consumer, vendor=shop).update(**{field: when})


@pytest.mark.django_db
def test_daily_partner_totals_do_not_reveal_one_add_and_one_end(shop, client):
    # Given 21 partners since 10 days ago, one more added 2 days ago, one of them ending yesterday
    consumers = partners(shop, 21)
    for consumer in consumers:
        _backdate(consumer, shop, kind=MembershipEvent.Kind.STARTED, days_ago=10)
    newcomer = UserFactory()
    membership_start(consumer=newcomer, vendor_id=shop.pk)
    _backdate(newcomer, shop, kind=MembershipEvent.Kind.STARTED, days_ago=2)
    membership_end(consumer=consumers[0], vendor_id=shop.pk, reason="price")
    _backdate(consumers[0], shop, kind=MembershipEvent.Kind.ENDED, days_ago=1)
    stats_reconcile_all()

    # When the vendor reads the series (exact totals would be 21, 22, 21, 21 for days -3 … 0)
    insights = insights_get(vendor=shop)
    by_day = dict(zip(insights.days, insights.partners_series, strict=True))
    adds = dict(zip(insights.days, insights.adds_series, strict=True))
    ends = dict(zip(insights.days, insights.ends_series, strict=True))
    day = {n: (timezone.localdate() - timedelta(days=n)).isoformat() for n in range(12)}

    # Then neighbouring published totals are equal: neither the add nor the end can be read from them
    assert [by_day[day[n]] for n in (3, 2, 1, 0)] == [20, 20, 20, 20]
    assert insights.current_partners == 20 and insights.current_partners_text == "20–24"
    # And the days of the add and the end look like any quiet day: no figure, not even a zero
    assert adds[day[2]] is None and ends[day[1]] is None
    assert adds[day[2]] == adds[day[5]] and ends[day[1]] == ends[day[5]]
    # The 21 who joined together are a group of K or more: that day shows, rounded like every count
    assert adds[day[10]] == 20 and by_day[day[11]] is None

    # And the API gives the same rounded series, the page states the rounding
    api = APIClient()
    api.force_authenticate(shop.owner)
    body = api.get("/api/v1/sell/insights/").json()
    assert [body["partners_series"][-n - 1] for n in (3, 2, 1, 0)] == [20, 20, 20, 20]
    assert body["current_partners"] == 20
    client.force_login(shop.owner)
    page = client.get(reverse("sell:insights")).content.decode()
    assert "rounded down to a multiple of 5" in page and "20–24" in page
    assert '"partners": [' in page and "21, 22, 21" not in page and '"rounded_to": 5' in page


@pytest.mark.django_db
def test_end_reasons_on_insights_list_every_reason_so_none_is_told_by_its_row(shop):
    consumers = partners(shop, 6)
    membership_end(consumer=consumers[0], vendor_id=shop.pk, reason="quality")
    stats_reconcile_all()
    rows = insights_get(vendor=shop).end_reasons
    # Every reason a consumer can give is listed, each "fewer than 5", in the fixed order.
    assert [r["reason"] for r in rows] == ["bad_service", "price", "quality", "not_needed", "other"]
    assert {r["ended_total"] for r in rows} == {None} and {r["ended_total_text"] for r in rows} == {"fewer than 5"}


def _promotion_form(**changes: object) -> dict[str, object]:
    start = timezone.localtime() + timedelta(hours=1)
    return {
        "title": "Come back",
        "kind": "partners",
        "audience": "lapsed",
        "lapsed_days": "60",
        "discount_type": "percent",
        "discount_value": "10",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        **changes,
    }


@pytest.mark.django_db
def test_lapsed_window_other_than_the_fixed_ones_is_refused_everywhere(shop, client):
    # The page: a choice, 75 is refused inline and nothing is saved
    client.force_login(shop.owner)
    page = client.get(reverse("sell:promotion-create")).content.decode()
    assert '<select name="lapsed_days"' in page and '<option value="365">365 days</option>' in page
    refused = client.post(reverse("sell:promotion-create"), _promotion_form(lapsed_days="75"))
    assert refused.status_code == 400 and "lapsed_days" in refused.context["form"].errors
    assert not Promotion.objects.exists()
    assert client.post(reverse("sell:promotion-create"), _promotion_form()).status_code == 302

    # The API: 400 with a field error, nothing created
    api = APIClient()
    api.force_authenticate(shop.owner)
    now = timezone.now()
    body = {
        "title": "Come back",
        "audience": "lapsed",
        "discount_value": "10",
        "starts_at": now.isoformat(),
        "ends_at": (now + timedelta(days=1)).isoformat(),
    }
    for bad in (75, 100, 0, -30, "sixty"):
        response = api.post("/api/v1/sell/promotions/", {**body, "lapsed_days": bad}, format="json")
        assert response.status_code == 400 and "lapsed_days" in response.json(), bad
    assert Promotion.objects.count() == 1
    created = api.post("/api/v1/sell/promotions/", {**body, "lapsed_days": 90}, format="json")
    assert created.status_code == 201 and created.json()["lapsed_days"] == 90

    # The service itself (what the admin and scripts use)
    with pytest.raises(ValidationError) as exc:
        draft(shop, audience=Promotion.Audience.LAPSED, lapsed_days=75)
    assert "lapsed_days" in exc.value.message_dict


@pytest.mark.django_db
def test_lapsed_draft_saved_with_an_old_window_is_neither_previewed_nor_published(shop):
    partners(shop, 12)
    now = timezone.now()
    old = Promotion.objects.create(  # written before the windows were fixed
        vendor=shop,
        title="Old draft",
        audience=Promotion.Audience.LAPSED,
        lapsed_days=75,
        discount_value=5,
        starts_at=now,
        ends_at=now + timedelta(days=1),
    )
    preview = audience_preview(spec=AudienceSpec.of(old))
    assert preview.size is None and not preview.publishable and "fixed windows" in preview.text
    with pytest.raises(ValidationError):
        promo.promotion_publish(vendor=shop, promotion_id=old.pk)


@pytest.mark.django_db
def test_lapsed_previews_of_the_fixed_windows_are_rounded_and_cannot_be_stepped(shop):
    # Given 14 partners whose last orders are 40, 50, … 170 days ago (one per 10 days)
    consumers = partners(shop, 14)
    now = timezone.now()
    PartnerMembership.objects.filter(vendor=shop).update(started_at=now - timedelta(days=400))
    for n, consumer in enumerate(consumers):
        PartnerMembership.objects.filter(vendor=shop, consumer=consumer).update(
            last_order_at=now - timedelta(days=40 + 10 * n)
        )

    # When the vendor previews every window it may choose
    sizes = {}
    for window in (30, 60, 90, 180, 365):
        spec = AudienceSpec(vendor_id=shop.pk, audience=Promotion.Audience.LAPSED, lapsed_days=window)
        sizes[window] = audience_preview(spec=spec).size

    # Then each is a multiple of K or suppressed: exact sizes would be 14, 11, 8, 0, 0
    assert sizes == {30: 10, 60: 10, 90: 5, 180: None, 365: None}


@pytest.mark.django_db
def test_segment_previews_side_by_side_differ_only_by_multiples_of_k(shop):
    # Overlap / intersection: London (from the statistics) and London aged 35–44 (a live count) are 7 and 6
    partners(shop, 6, region="london", age_band="35-44")
    partners(shop, 1, region="london", age_band="25-34")
    stats_reconcile_all()
    london = Region.objects.get(code="london")
    whole = AudienceSpec(vendor_id=shop.pk, audience=Promotion.Audience.SEGMENT, segment_region=london)
    part = AudienceSpec(
        vendor_id=shop.pk, audience=Promotion.Audience.SEGMENT, segment_region=london, segment_age_band="35-44"
    )
    # The one London partner who is not 35–44 cannot be read from the difference.
    assert audience_preview(spec=whole).size == audience_preview(spec=part).size == 5
    assert audience_preview(spec=part).source == "live count"
