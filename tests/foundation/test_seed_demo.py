import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from marketplace.accounts.demo import DEMO_CONSUMER, DEMO_MODERATOR, DEMO_PASSWORD, DEMO_VENDOR
from marketplace.accounts.models import User
from portfolios.models import MembershipEvent, PartnerMembership
from vendors.models import Product, Vendor

SMALL = [
    "--consumers",
    "50",
    "--vendors",
    "10",
    "--products-per-vendor",
    "3",
    "--memberships-per-consumer",
    "2",
    "--seed",
    "7",
    "--no-progress",
]


def _figures() -> dict[str, int]:
    return {
        "consumers": User.objects.filter(email__startswith="consumer", email__endswith="@demo.example").count(),
        "vendors": Vendor.objects.count(),
        "products": Product.objects.count(),
        "memberships": PartnerMembership.objects.count(),
        "events": MembershipEvent.objects.count(),
    }


def _fingerprint() -> list[tuple[str, str, str]]:
    return list(
        PartnerMembership.objects.order_by("consumer__email", "vendor__slug").values_list(
            "consumer__email", "vendor__slug", "end_reason"
        )
    )


@pytest.mark.django_db
def test_seed_demo_creates_the_requested_scale_and_named_accounts():
    call_command("seed_demo", *SMALL, verbosity=0)
    figures = _figures()
    assert figures["consumers"] == 50
    assert figures["vendors"] == 11  # ten generated and the named demo vendor
    assert figures["products"] == 10 * 3 + 10
    assert figures["memberships"] == 50 * 2 + 3  # and three for the demo consumer
    ended = PartnerMembership.objects.filter(ended_at__isnull=False).count()
    assert figures["events"] == figures["memberships"] + ended
    for email in (DEMO_CONSUMER, DEMO_VENDOR, DEMO_MODERATOR):
        assert authenticate(email=email, password=DEMO_PASSWORD) is not None
    assert User.objects.get(email=DEMO_MODERATOR).groups.filter(name="Moderators").exists()
    # Only approved vendors ever receive memberships.
    assert not PartnerMembership.objects.exclude(vendor__status=Vendor.Status.APPROVED).exists()


@pytest.mark.django_db
def test_seed_demo_twice_adds_nothing():
    call_command("seed_demo", *SMALL, verbosity=0)
    first = _figures()
    call_command("seed_demo", *SMALL, verbosity=0)
    assert _figures() == first


@pytest.mark.django_db
def test_seed_demo_same_seed_gives_same_data():
    call_command("seed_demo", *SMALL, verbosity=0)
    first = _fingerprint()
    from marketplace.shop.models import Checkout, Order, Redemption
    from promotions.models import Promotion

    Redemption.objects.all().delete()
    Order.objects.all().delete()
    Checkout.objects.all().delete()
    Promotion.objects.all().delete()
    MembershipEvent.objects.all().delete()
    PartnerMembership.objects.all().delete()
    Product.objects.all().delete()
    Vendor.objects.all().delete()
    User.objects.all().delete()
    call_command("seed_demo", *SMALL, verbosity=0)
    assert _fingerprint() == first


@pytest.mark.django_db
def test_seed_demo_refuses_bad_arguments_and_changes_nothing():
    with pytest.raises(CommandError):
        call_command("seed_demo", "--vendors", "2", "--memberships-per-consumer", "5", "--no-progress", verbosity=0)
    assert Vendor.objects.count() == 0
    with pytest.raises(CommandError):
        call_command("seed_demo", "--consumers", "-3", verbosity=0)
