"""Demo people: the named accounts (through the ORM, with their group and profile) and the generated
consumers with the profiles and interests they chose to share (written in bulk)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.models import Group
from django.utils import timezone

from marketplace.accounts.demo import DEMO_ADMIN, DEMO_CONSUMER, DEMO_MODERATOR, DEMO_VENDOR, GENERATED_CONSUMER
from marketplace.accounts.models import AgeBand, ConsumerProfile, Interest, Region, User

from .bulk import BATCH, ProgressFactory, batched, insert_rows
from .catalogue import person_name

if TYPE_CHECKING:
    from .seed import DemoResult

NAMED_ACCOUNTS_DAYS = 400
PROFILE_FIELDS = ["user_id", "region_id", "age_band", "share_region", "share_age_band", "share_interests"]


def named_accounts_ensure(password_hash: str) -> dict[str, User]:
    """The accounts the README names, each with the demo password; the moderator in the Moderators group and
    the demo consumer sharing a full profile."""
    accounts: dict[str, User] = {}
    specs = [
        (DEMO_CONSUMER, "Casey Consumer", False, False),
        (DEMO_VENDOR, "Val Vendor", False, False),
        (DEMO_MODERATOR, "Morgan Moderator", True, False),
        (DEMO_ADMIN, "Ada Admin", True, True),
    ]
    # Joined long before their partnerships (the demo consumer's began 120 days ago, partnerships.py).
    joined = timezone.now() - timedelta(days=NAMED_ACCOUNTS_DAYS)
    for email, name, staff, superuser in specs:
        user, _ = User.objects.get_or_create(
            email=email,
            defaults={
                "display_name": name,
                "is_staff": staff,
                "is_superuser": superuser,
                "password": password_hash,
                "date_joined": joined,
            },
        )
        accounts[email] = user
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    accounts[DEMO_MODERATOR].groups.add(moderators)
    profile = accounts[DEMO_CONSUMER].profile
    if not profile.region_id:
        profile.region = Region.objects.get(code="london")
        profile.age_band = AgeBand.A25_34
        profile.share_region = profile.share_age_band = profile.share_interests = True
        profile.save()
        profile.interests.set(Interest.objects.filter(slug__in=["cooking", "cycling", "books"]))
    return accounts


def _joined(now: datetime, n: int) -> datetime:
    """When generated consumer n signed up: before any of their partnerships (which start over the last two
    years, partnerships.py), two to three years ago, as the accounts of real partners are. From n, not the
    random stream, so the rest of the demo data is the same as before accounts had their age."""
    return now - timedelta(days=731 + n % 365)


def consumers_create(
    rng: random.Random, start: int, stop: int, password_hash: str, progress: ProgressFactory, result: DemoResult
) -> list[int]:
    """Generated consumers n = start..stop-1 with their profiles and interests; their ids, in order of n.

    The profile is written here, with the user (a bulk write sends no post_save, so the signal that gives
    every new user a profile does not run)."""
    regions = [r.pk for r in Region.objects.order_by("id")]
    interests = [i.pk for i in Interest.objects.order_by("id")]
    ages = list(AgeBand.values)
    bar = progress(total=stop - start, desc="consumers", unit="row")
    through = ConsumerProfile.interests.through
    now = timezone.now()
    created: list[int] = []
    for batch in batched(range(start, stop), BATCH):
        emails = [GENERATED_CONSUMER.format(n=n) for n in batch]
        insert_rows(
            User,
            ["email", "display_name", "password", "date_joined"],
            [(email, person_name(n), password_hash, _joined(now, n)) for n, email in zip(batch, emails, strict=True)],
        )
        by_email = dict(User.objects.filter(email__in=emails).values_list("email", "id"))
        ids = [by_email[email] for email in emails]
        profiles = []
        links = []
        for user_id in ids:
            profiles.append(
                (
                    user_id,
                    rng.choice(regions),
                    rng.choice(ages),
                    rng.random() < 0.7,
                    rng.random() < 0.6,
                    rng.random() < 0.5,
                )
            )
            links.extend((user_id, interest) for interest in rng.sample(interests, rng.randint(1, 3)))
        insert_rows(ConsumerProfile, PROFILE_FIELDS, profiles)
        insert_rows(through, ["consumerprofile_id", "interest_id"], links)
        created.extend(ids)
        result.consumers_created += len(ids)
        bar.update(len(batch))
    bar.close()
    return created
