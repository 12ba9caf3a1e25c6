"""factory-boy factories shared by every test folder."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from marketplace.accounts.models import ConsumerProfile, User
from marketplace.kernel.privacy import counting_rule
from vendors.models import Category, Product, Vendor

TEST_PASSWORD = "a-Test-passw0rd"


# How old a factory account is by default: a consumer of some standing, who counts in vendors' figures
# (marketplace/kernel/privacy.py, "who counts"). A test about accounts made for the purpose passes
# date_joined=timezone.now() (tests/helpers.py `puppets`).
ESTABLISHED_DAYS = 400


class UserFactory(factory.django.DjangoModelFactory):
    """A consumer. By default an established one: an account ESTABLISHED_DAYS old whose orders two vendors have
    delivered (its profile's buyer_since), as most real partners are; an account created less than the
    counting rule's PRIVACY_ACCOUNT_DAYS ago gets no buyer_since, like a new sign-up."""

    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@test.example")
    display_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)
    date_joined = factory.LazyFunction(lambda: timezone.now() - timedelta(days=ESTABLISHED_DAYS))

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]  # noqa: N805
        if create:
            obj.save()
            if obj.date_joined <= counting_rule().account_cutoff:
                ConsumerProfile.objects.filter(user=obj, buyer_since__isnull=True).update(
                    buyer_since=obj.date_joined + timedelta(days=1)
                )


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vendor

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Vendor {n}")
    slug = factory.Sequence(lambda n: f"vendor-{n}")
    description = "A vendor for tests."
    category = factory.SubFactory(CategoryFactory)
    status = Vendor.Status.APPROVED
    approved_at = factory.LazyFunction(timezone.now)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    vendor = factory.SubFactory(VendorFactory)
    category = factory.SelfAttribute("vendor.category")
    name = factory.Sequence(lambda n: f"Product {n}")
    price = Decimal("10.00")
    stock = 10
