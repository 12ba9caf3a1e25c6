"""Run by test_embedded_clock.py in a fresh interpreter against the embedded mode's own PostgreSQL (the test's
own process is on the test database). Prints one JSON object.

    python tests/foundation/embedded_probe.py publish SECONDS_AHEAD
        a vendor, five partners and a partners-only promotion published through promotions.services, starting
        SECONDS_AHEAD from now; prints the ids and the state the promotion is in after publishing
    python tests/foundation/embedded_probe.py wait PROMOTION_ID TIMEOUT_SECONDS
        polls until the promotion runs and is delivered to its partners, or the time is up; prints what it saw
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PARTNER_EMAILS = [f"clock-partner{n}@test.example" for n in range(1, 6)]
OWNER_EMAIL = "clock-owner@test.example"
PASSWORD = "a-Test-passw0rd"


def publish(seconds_ahead: int) -> dict[str, object]:
    from django.utils import timezone

    from marketplace.accounts.models import ConsumerProfile, User
    from portfolios.services import membership_start
    from promotions.services import promotion_create, promotion_publish
    from vendors.models import Category, Vendor

    category = Category.objects.create(name="Clock Coffee", slug="clock-coffee")
    owner = User.objects.create_user(OWNER_EMAIL, PASSWORD)
    vendor = Vendor.objects.create(
        owner=owner,
        name="Clockwork Roasters",
        slug="clockwork-roasters",
        category=category,
        status=Vendor.Status.APPROVED,
        approved_at=timezone.now(),
    )
    # A promotion must reach at least K (5) partners to be published.
    partners = [User.objects.create_user(email, PASSWORD) for email in PARTNER_EMAILS]
    # Partners of some standing, the only ones an audience's count includes (marketplace/kernel/privacy.py, "who
    # counts"): accounts a year old whose orders two vendors have delivered.
    User.objects.filter(pk__in=[p.pk for p in partners]).update(date_joined=timezone.now() - timedelta(days=400))
    ConsumerProfile.objects.filter(user__in=partners).update(buyer_since=timezone.now() - timedelta(days=300))
    for partner in partners:
        membership_start(consumer=partner, vendor_id=vendor.pk)
    now = timezone.now()
    promotion = promotion_create(
        vendor=vendor,
        title="Tick tock ten percent",
        discount_value=Decimal("10"),
        starts_at=now + timedelta(seconds=seconds_ahead),
        ends_at=now + timedelta(days=7),
    )
    promotion = promotion_publish(vendor=vendor, promotion_id=promotion.pk)
    return {"promotion_id": promotion.pk, "state": promotion.state}


def wait(promotion_id: int, timeout: float) -> dict[str, object]:
    from promotions.models import Promotion, PromotionDelivery

    started = time.monotonic()
    state, delivered_to = "", []
    while time.monotonic() - started < timeout:
        state = Promotion.objects.get(pk=promotion_id).state
        delivered_to = sorted(
            PromotionDelivery.objects.filter(promotion_id=promotion_id).values_list("consumer__email", flat=True)
        )
        if state == Promotion.State.RUNNING and delivered_to:
            break
        time.sleep(1)
    return {"state": state, "delivered_to": delivered_to, "waited": round(time.monotonic() - started, 1)}


def main(argv: list[str]) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    import django

    django.setup()
    if argv[0] == "publish":
        result = publish(int(argv[1]))
    else:
        result = wait(int(argv[1]), float(argv[2]))
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
