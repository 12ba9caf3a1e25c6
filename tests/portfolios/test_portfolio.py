"""The partner portfolio: only the consumer changes it, ending keeps history, reinstating is the consumer's."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from marketplace.kernel.errors import NotFoundError
from portfolios import services
from portfolios.exceptions import AlreadyPartner, NotAPartner
from portfolios.models import MembershipEvent, PartnerMembership
from promotions.models import Promotion, PromotionDelivery
from promotions.selectors import promotion_feed_for_consumer
from tests.factories import ProductFactory, UserFactory, VendorFactory
from vendors.models import Vendor


@pytest.mark.django_db
def test_membership_end_and_reinstate_keep_history(consumer, vendor):
    services.membership_start(consumer=consumer, vendor_id=vendor.pk)
    services.membership_end(consumer=consumer, vendor_id=vendor.pk, reason="bad_service", comment="late twice")
    services.membership_reinstate(consumer=consumer, vendor_id=vendor.pk)
    rows = list(PartnerMembership.objects.filter(consumer=consumer, vendor=vendor).order_by("started_at"))
    assert [(m.end_reason, m.ended_at is None) for m in rows] == [("bad_service", False), ("", True)]
    assert list(MembershipEvent.objects.filter(vendor=vendor).order_by("id").values_list("kind", flat=True)) == [
        "started",
        "ended",
        "reinstated",
    ]


@pytest.mark.django_db
def test_membership_start_twice_is_refused(consumer, vendor):
    services.membership_start(consumer=consumer, vendor_id=vendor.pk)
    with pytest.raises(AlreadyPartner):
        services.membership_start(consumer=consumer, vendor_id=vendor.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Vendor.Status.PENDING, Vendor.Status.SUSPENDED, Vendor.Status.REJECTED])
def test_membership_start_refuses_vendors_not_approved(consumer, status):
    vendor = VendorFactory(status=status)
    with pytest.raises(NotFoundError):
        services.membership_start(consumer=consumer, vendor_id=vendor.pk)
    assert not PartnerMembership.objects.exists()


@pytest.mark.django_db
def test_membership_end_excludes_vendor_from_feed(consumer, vendor):
    services.membership_start(consumer=consumer, vendor_id=vendor.pk)
    now = timezone.now()
    promotion = Promotion.objects.create(
        vendor=vendor,
        title="For partners",
        kind=Promotion.Kind.PARTNERS,
        discount_value=5,
        starts_at=now - timezone.timedelta(hours=1),
        ends_at=now + timezone.timedelta(days=1),
        state=Promotion.State.RUNNING,
    )
    PromotionDelivery.objects.create(promotion=promotion, consumer=consumer, delivered_at=now)
    assert list(promotion_feed_for_consumer(consumer=consumer)) == [promotion]
    services.membership_set_muted(consumer=consumer, vendor_id=vendor.pk, muted=True)
    assert list(promotion_feed_for_consumer(consumer=consumer)) == []
    services.membership_set_muted(consumer=consumer, vendor_id=vendor.pk, muted=False)
    services.membership_end(consumer=consumer, vendor_id=vendor.pk, reason="price")
    assert list(promotion_feed_for_consumer(consumer=consumer)) == []


@pytest.mark.django_db
def test_membership_end_view_refuses_missing_reason_and_changes_nothing(consumer_client, consumer, vendor):
    services.membership_start(consumer=consumer, vendor_id=vendor.pk)
    response = consumer_client.post(reverse("portfolios:end", args=[vendor.pk]), {"reason": "", "comment": "x"})
    assert response.status_code == 400
    assert PartnerMembership.objects.active().filter(consumer=consumer, vendor=vendor).exists()


@pytest.mark.django_db
def test_portfolio_page_shows_only_own_partners_and_history(consumer_client, consumer, other_consumer):
    mine, theirs = VendorFactory(name="Mine Ltd"), VendorFactory(name="Theirs Ltd")
    services.membership_start(consumer=consumer, vendor_id=mine.pk)
    services.membership_start(consumer=other_consumer, vendor_id=theirs.pk)
    page = consumer_client.get(reverse("portfolios:portfolio")).content.decode()
    assert "Mine Ltd" in page and "Theirs Ltd" not in page


@pytest.mark.django_db
def test_consumer_cannot_end_or_mute_another_consumers_partnership(consumer_client, other_consumer, vendor):
    services.membership_start(consumer=other_consumer, vendor_id=vendor.pk)
    assert consumer_client.get(reverse("portfolios:end", args=[vendor.pk])).status_code == 404
    consumer_client.post(reverse("portfolios:end", args=[vendor.pk]), {"reason": "price"})
    consumer_client.post(reverse("portfolios:mute", args=[vendor.pk]), {"muted": "on"})
    membership = PartnerMembership.objects.get(consumer=other_consumer, vendor=vendor)
    assert membership.ended_at is None and not membership.muted


@pytest.mark.django_db
def test_portfolio_add_with_htmx_swaps_button_without_reload(consumer_client, consumer, vendor):
    response = consumer_client.post(reverse("portfolios:add", args=[vendor.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "One of your partners" in response.content.decode() and "<html" not in response.content.decode()
    assert PartnerMembership.objects.active().filter(consumer=consumer, vendor=vendor).exists()


@pytest.mark.django_db
def test_portfolio_pages_send_anonymous_users_to_login(client, vendor):
    for url in [reverse("portfolios:portfolio"), reverse("shop:cart"), reverse("shop:order-list")]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.post(reverse("portfolios:add", args=[vendor.pk]))
    assert not PartnerMembership.objects.exists()


@pytest.mark.django_db
def test_portfolio_page_runs_constant_queries_whatever_the_number_of_partners(consumer_client, consumer):
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        consumer_client.get(reverse("portfolios:portfolio"))  # a returning visitor: the header's facts cached
        with CaptureQueriesContext(connection) as ctx:
            assert consumer_client.get(reverse("portfolios:portfolio")).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(2):
        v = VendorFactory()
        services.membership_start(consumer=consumer, vendor_id=v.pk)
    few = count()
    for _ in range(8):
        v = VendorFactory()
        services.membership_start(consumer=consumer, vendor_id=v.pk)
        services.membership_end(consumer=consumer, vendor_id=v.pk, reason="other")
        services.membership_start(consumer=consumer, vendor_id=VendorFactory().pk)
    assert count() == few


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_membership_start_two_simultaneous_clicks_make_one_active_membership():
    consumer, vendor = UserFactory(), VendorFactory()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def click() -> None:
        try:
            barrier.wait()
            services.membership_start(consumer=consumer, vendor_id=vendor.pk)
            outcomes.append("added")
        except AlreadyPartner:
            outcomes.append("already")
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["added", "already"]
    assert PartnerMembership.objects.active().filter(consumer=consumer, vendor=vendor).count() == 1


@pytest.mark.django_db
def test_membership_reinstate_needs_an_ended_partnership(consumer, vendor):
    with pytest.raises(NotAPartner):
        services.membership_reinstate(consumer=consumer, vendor_id=vendor.pk)


@pytest.mark.django_db
def test_membership_start_of_an_ended_vendor_is_the_consumers_reinstatement(consumer, vendor):
    """Settled rule: the consumer adding back a vendor they ended is their own reinstatement, logged as one."""
    services.membership_start(consumer=consumer, vendor_id=vendor.pk)
    services.membership_end(consumer=consumer, vendor_id=vendor.pk, reason="price")
    services.membership_start(consumer=consumer, vendor_id=vendor.pk)
    kinds = list(MembershipEvent.objects.filter(vendor=vendor).order_by("id").values_list("kind", flat=True))
    assert kinds == ["started", "ended", "reinstated"]
    history = PartnerMembership.objects.filter(consumer=consumer, vendor=vendor).order_by("started_at")
    assert [m.end_reason for m in history] == ["price", ""]


@pytest.mark.django_db
def test_portfolio_add_of_an_existing_partner_with_htmx_keeps_the_partner_button(consumer_client, consumer, vendor):
    """Decided by the error's type (AlreadyPartner), not by its wording."""
    services.membership_start(consumer=consumer, vendor_id=vendor.pk)
    response = consumer_client.post(reverse("portfolios:add", args=[vendor.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "One of your partners" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [True, False])
def test_portfolio_add_of_a_vendor_that_does_not_exist_answers_404(consumer_client, htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    assert consumer_client.post(reverse("portfolios:add", args=[987654]), **headers).status_code == 404
    assert not PartnerMembership.objects.exists()


@pytest.mark.django_db
def test_domain_errors_answer_by_type_on_pages(consumer_client, other_consumer, product):
    """NotFoundError from a service is a 404 on a page; a refused action is a message where the user was."""
    from marketplace.shop.models import CartItem

    item = CartItem.objects.create(consumer=other_consumer, product=product, quantity=1, unit_price_seen=product.price)
    assert consumer_client.post(reverse("shop:cart-item-remove", args=[item.pk])).status_code == 404
    assert CartItem.objects.filter(pk=item.pk).exists()
    vendor = product.vendor
    response = consumer_client.post(reverse("portfolios:reinstate", args=[vendor.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("portfolios:portfolio")
    assert "no ended partnership" in response.content.decode()


@pytest.mark.django_db
def test_membership_start_refuses_the_vendors_own_owner_and_staff(vendor):
    """Partner counts cannot be farmed: the owner and staff cannot hold the vendor as a partner."""
    from portfolios.exceptions import OwnVendor

    staff = UserFactory(is_staff=True)
    for user in (vendor.owner, staff):
        with pytest.raises(OwnVendor):
            services.membership_start(consumer=user, vendor_id=vendor.pk)
    assert not PartnerMembership.objects.exists()


@pytest.mark.django_db
def test_portfolio_api_refuses_an_owner_adding_their_own_vendor(vendor):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(vendor.owner)
    response = api.post(reverse("api:portfolio-list"), {"vendor_id": vendor.pk}, format="json")
    assert response.status_code == 403 and "owner" in response.json()["detail"]
    assert not PartnerMembership.objects.exists()


@pytest.mark.django_db
def test_my_partners_reads_the_consumers_memberships_once_whatever_their_number(client, consumer, settings):
    from django.test.utils import CaptureQueriesContext

    # What the page costs to read: kept, it reads none of it (tests/scale/test_page_cache.py).
    settings.MARKETPLACE = {**settings.MARKETPLACE, "PAGE_CACHE_SECONDS": 0}

    def grow(count: int) -> None:
        for _ in range(count):
            product = ProductFactory()
            services.membership_start(consumer=consumer, vendor_id=product.vendor_id)
        ended = ProductFactory().vendor
        services.membership_start(consumer=consumer, vendor_id=ended.pk)
        services.membership_end(consumer=consumer, vendor_id=ended.pk, reason="price")

    def page() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("portfolios:portfolio"))
        assert response.status_code == 200
        return len(queries.captured_queries), response.content.decode()

    client.force_login(consumer)
    grow(2)
    page()
    few, _ = page()
    grow(10)
    many, html = page()
    assert many == few
    assert "Current partners (12)" in html and html.count("Reinstate") == 2
