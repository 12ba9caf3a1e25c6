"""The database itself refuses what the rules forbid, whatever code path tries it."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from portfolios.models import PartnerMembership
from tests.factories import ProductFactory, VendorFactory


@pytest.mark.django_db
def test_membership_constraint_refuses_second_active_membership(consumer, vendor):
    PartnerMembership.objects.create(consumer=consumer, vendor=vendor, started_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerMembership.objects.create(consumer=consumer, vendor=vendor, started_at=timezone.now())
    assert PartnerMembership.objects.filter(consumer=consumer, vendor=vendor).count() == 1


@pytest.mark.django_db
def test_membership_constraint_allows_history_of_ended_memberships(consumer, vendor):
    now = timezone.now()
    PartnerMembership.objects.create(consumer=consumer, vendor=vendor, started_at=now, ended_at=now, end_reason="price")
    PartnerMembership.objects.create(consumer=consumer, vendor=vendor, started_at=now, ended_at=now, end_reason="other")
    PartnerMembership.objects.create(consumer=consumer, vendor=vendor, started_at=now)
    assert PartnerMembership.objects.filter(consumer=consumer, vendor=vendor).count() == 3


@pytest.mark.django_db
def test_product_constraint_refuses_negative_stock(product):
    from vendors.models import Product

    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=product.pk).update(stock=-1)
    product.refresh_from_db()
    assert product.stock == 10


@pytest.mark.django_db
def test_product_constraint_refuses_zero_price(vendor):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductFactory(vendor=vendor, price=0)


@pytest.mark.django_db
def test_vendor_constraint_refuses_duplicate_slug(vendor):
    with pytest.raises(IntegrityError), transaction.atomic():
        VendorFactory(slug=vendor.slug)
