"""Helpers shared by the test folders: plain functions, classes and constants (fixtures are in the conftest.py
files, which import from here and are never imported themselves).

Sections: the project and its processes (ports, the test database's URL, production settings, a Celery
worker, waiting); the browser; writing data as the services would (promotions, orders, the privacy tests'
small market, a random portfolio history); recounts to check the statistics against; e-mail (Django's
outbox, the SMTP server of the digest tests); Redis made unreachable; image files built in memory; queries.
"""

from __future__ import annotations

import email
import io
import os
import random
import socket
import struct
import subprocess
import sys
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image, PngImagePlugin

from marketplace.accounts.models import AgeBand, ConsumerProfile, DigestFrequency, Interest, Region, User
from marketplace.accounts.services import profile_update
from marketplace.celery import app as celery_app
from marketplace.shop.models import Order
from marketplace.shop.services import cart_add, checkout_place
from portfolios import services as portfolio_services
from portfolios.exceptions import PortfolioError
from portfolios.models import (
    EndReason,
    MembershipEvent,
    PartnerMembership,
    VendorDailyStat,
    VendorEndReasonStat,
    VendorSegmentStat,
    VendorStats,
)
from portfolios.services import membership_start
from promotions import services as promo
from promotions.models import Promotion
from promotions.services import promotion_deliver
from tests.factories import TEST_PASSWORD, ProductFactory, UserFactory
from vendors.models import Product, Vendor

# --- The project and its processes ---------------------------------------------------------------------------

PROJECT_DIR = Path(__file__).resolve().parents[1]
PRODUCTION_SECRET_KEY = "production-tests-only-secret-key-that-is-long-enough-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url_of_test_run() -> str:
    """The URL of the database this test run uses (pytest-django's test database, not DATABASE_URL's)."""
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def production_env(**extra: str) -> dict[str, str]:
    """The process environment with production settings on (DJANGO_DEBUG=0) and what they require."""
    return {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": PRODUCTION_SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        **extra,
    }


def start_celery_worker(queue: str, **env: str) -> subprocess.Popen[bytes]:
    """A real worker process on the Redis broker, consuming only `queue`, using the test database."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "marketplace",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "-n",
            f"{queue}@%h",
            "-Q",
            queue,
        ],
        cwd=PROJECT_DIR,
        env={**os.environ, "DATABASE_URL": database_url_of_test_run(), "CELERY_TASK_DEFAULT_QUEUE": queue, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_until(condition: Any, *, timeout: float, what: str, interval: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {timeout:.0f} s"
        time.sleep(interval)


def run_threads(target: Callable[[int], object], count: int) -> list[object]:
    """target(0) … target(count - 1) in `count` threads released at once; what each returned or raised."""
    results: list[object] = [None] * count
    barrier = threading.Barrier(count)

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = target(i)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each buyer got
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


# --- The browser -----------------------------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


def browser_login(page, base_url: str, email: str, password: str = TEST_PASSWORD) -> None:  # type: ignore[no-untyped-def]
    """Sign in through the real login form."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email:").fill(email)
    page.get_by_label("Password:").fill(password)
    page.get_by_role("button", name="Sign in").click()


# --- Data, written as the services would ------------------------------------------------------------------------


def running_promotion(vendor, *, kind: str = Promotion.Kind.PUBLIC, title: str, **extra) -> Promotion:  # type: ignore[no-untyped-def]
    """A promotion of `vendor` running now (written directly: these tests are about who sees it, not publishing)."""
    now = timezone.now()
    return Promotion.objects.create(
        vendor=vendor,
        title=title,
        kind=kind,
        discount_value=extra.pop("discount_value", Decimal("10")),
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=3),
        state=extra.pop("state", Promotion.State.RUNNING),
        **extra,
    )


def delivered_promotion(vendor: Vendor, title: str, **extra) -> Promotion:  # type: ignore[no-untyped-def]
    """A partners-only promotion of `vendor` running now, delivered to its audience as the clock would."""
    promotion = running_promotion(vendor, kind=Promotion.Kind.PARTNERS, title=title, **extra)
    promotion_deliver(promotion=promotion)
    return promotion


def place_order(consumer, product, *, key: str = "k1", quantity: int = 2) -> Order:  # type: ignore[no-untyped-def]
    """An order placed and paid (the fake provider's test card) through the real cart, checkout and payment: a
    paid order, as a buyer leaves it."""
    from tests.payments import checkout_and_pay

    cart_add(consumer=consumer, product_id=product.pk, quantity=quantity)
    result = checkout_and_pay(consumer, key, ship_to_name="Ada Shopper", ship_to_address="1 Bean Street\nLondon")
    return result.orders[0]


# A small marketplace for the privacy tests: partners with shared attributes, promotions, redemptions.


def partners(
    vendor: Vendor,
    n: int,
    *,
    region: str = "london",
    age_band: str = "35-44",
    interest: str | None = None,
    share: bool = True,
    cap: int = 5,
) -> list[User]:
    """`n` new consumers who share region, age band (and an interest, if given) and hold `vendor`."""
    consumers = []
    for _ in range(n):
        consumer = UserFactory()
        profile_update(
            user=consumer,
            region=Region.objects.get(code=region),
            age_band=age_band,
            interests=[Interest.objects.get(slug=interest)] if interest else [],
            share_region=share,
            share_age_band=share,
            share_interests=share and interest is not None,
            weekly_promotion_cap=cap,
        )
        membership_start(consumer=consumer, vendor_id=vendor.pk)
        consumers.append(consumer)
    return consumers


def puppets(
    vendor: Vendor,
    n: int,
    *,
    region: str = "london",
    age_band: str = "35-44",
    interest: str | None = None,
    joined_days_ago: int = 0,
    partner_days_ago: int = 0,
) -> list[User]:
    """`n` accounts the vendor made for the purpose: signed up `joined_days_ago` (today by default), no order
    delivered by two vendors, sharing what the vendor wants to calibrate and holding it since `partner_days_ago`.
    The attacker of docs/privacy.md (issue 29): none of them counts in a figure the vendor reads."""
    now = timezone.now()
    accounts = []
    for _ in range(n):
        account = UserFactory(date_joined=now - timedelta(days=joined_days_ago))
        ConsumerProfile.objects.filter(user=account).update(buyer_since=None)
        profile_update(
            user=account,
            region=Region.objects.get(code=region),
            age_band=age_band,
            interests=[Interest.objects.get(slug=interest)] if interest else [],
            share_region=True,
            share_age_band=True,
            share_interests=interest is not None,
            weekly_promotion_cap=5,
        )
        membership = membership_start(consumer=account, vendor_id=vendor.pk)
        if partner_days_ago:
            started = now - timedelta(days=partner_days_ago)
            PartnerMembership.objects.filter(pk=membership.pk).update(started_at=started)
            MembershipEvent.objects.filter(membership_id=membership.pk).update(created_at=started)
        accounts.append(account)
    return accounts


def draft(vendor: Vendor, *, starts_in: timedelta = timedelta(minutes=-1), **extra: object) -> Promotion:
    now = timezone.now()
    return promo.promotion_create(
        vendor=vendor,
        title=str(extra.pop("title", "Partners 10%")),
        discount_value=Decimal("10"),
        starts_at=now + starts_in,
        ends_at=now + starts_in + timedelta(days=3),
        **extra,  # type: ignore[arg-type]
    )


def buy(consumer: User, product: Product, key: str) -> Order:
    """One order of `product`, placed (not paid: what the privacy figures read is there from checkout on); a
    running promotion delivered to the consumer is redeemed on it. tests.payments.pay pays it."""
    cart_add(consumer=consumer, product_id=product.pk, quantity=1)
    return checkout_place(consumer=consumer, idempotency_key=key, ship_to_name="P", ship_to_address="1 Lane").orders[0]


def product_of(vendor: Vendor) -> Product:
    return ProductFactory(vendor=vendor, price=Decimal("20.00"), stock=500)


def random_history(rng: random.Random, consumers, vendors, steps: int, capture) -> None:  # type: ignore[no-untyped-def]
    """`steps` random portfolio changes (start, end, reinstate, mute, profile), each committed for real."""
    regions = list(Region.objects.all()[:3])
    interests = list(Interest.objects.all()[:3])
    for _ in range(steps):
        consumer, vendor = rng.choice(consumers), rng.choice(vendors)
        action = rng.choice(["start", "start", "end", "reinstate", "mute", "profile"])
        with capture(execute=True):
            try:
                if action == "start":
                    portfolio_services.membership_start(consumer=consumer, vendor_id=vendor.pk)
                elif action == "end":
                    portfolio_services.membership_end(
                        consumer=consumer, vendor_id=vendor.pk, reason=rng.choice(EndReason.values)
                    )
                elif action == "reinstate":
                    portfolio_services.membership_reinstate(consumer=consumer, vendor_id=vendor.pk)
                elif action == "mute":
                    portfolio_services.membership_set_muted(
                        consumer=consumer, vendor_id=vendor.pk, muted=rng.random() < 0.5
                    )
                else:
                    profile_update(
                        user=consumer,
                        region=rng.choice(regions),
                        age_band=rng.choice(AgeBand.values),
                        interests=rng.sample(interests, rng.randint(0, 2)),
                        share_region=rng.random() < 0.8,
                        share_age_band=rng.random() < 0.8,
                        share_interests=rng.random() < 0.8,
                        weekly_promotion_cap=5,
                    )
            except PortfolioError:
                pass  # refused by a rule (already a partner, not a partner): the figures must still hold


# --- Recounts from the source tables, to check the set-based statistics against -----------------------------------


def expected_vendor(vendor: Vendor) -> dict[str, object]:
    """The figures of the memberships that count (the queryset form of the rule, PartnerMembership.objects
    .counted(); the statistics job applies its SQL form, so agreeing here checks the two agree)."""
    memberships = list(PartnerMembership.objects.counted().filter(vendor=vendor).select_related("consumer__profile"))
    counted_ids = {m.pk for m in memberships}
    since = timezone.now() - timedelta(days=90)
    current = [m for m in memberships if m.ended_at is None]
    k = settings.MARKETPLACE["STATS_MIN_GROUP"]
    segments: Counter[tuple[str, str]] = Counter()
    reachable: Counter[tuple[str, str]] = Counter()
    for m in current:
        profile = m.consumer.profile
        keys = []
        if profile.share_region and profile.region_id:
            keys.append(("region", profile.region.code))
        if profile.share_age_band and profile.age_band:
            keys.append(("age_band", profile.age_band))
        if profile.share_interests:
            keys += [("interest", i.slug) for i in profile.interests.all()]
        for key in keys:
            segments[key] += 1
            reachable[key] += 0 if m.muted else 1
        for dimension in {key[0] for key in keys}:
            segments[(dimension, "*")] += 1
            reachable[(dimension, "*")] += 0 if m.muted else 1
    reasons: dict[str, tuple[int, int]] = {}
    for m in memberships:
        if m.ended_at is not None:
            recent, total = reasons.get(m.end_reason, (0, 0))
            reasons[m.end_reason] = (recent + (m.ended_at >= since), total + 1)
    # Per day: adds, ends (the consumer's verdict) and closings of every membership, then of those that count.
    daily: dict[object, list[int]] = {}
    for e in MembershipEvent.objects.filter(vendor=vendor):
        row = daily.setdefault(e.created_at.date(), [0, 0, 0, 0, 0, 0])
        column = {"started": 0, "reinstated": 0, "ended": 1}.get(e.kind, 2)
        row[column] += 1
        if e.membership_id in counted_ids:
            row[3 + column] += 1
    return {
        "totals": (
            len(current),
            sum(1 for m in current if not m.muted),
            len({m.consumer_id for m in memberships}),
            sum(1 for m in memberships if m.ended_at and m.ended_at >= since),
        ),
        "reasons": reasons,
        "segments": {key: (n, reachable[key]) for key, n in segments.items() if n >= k},
        "daily": {day: (a, e, a - e - c, ca, ce, ca - ce - cc) for day, (a, e, c, ca, ce, cc) in daily.items()},
    }


def stored_vendor(vendor: Vendor) -> dict[str, object]:
    stats = VendorStats.objects.get(vendor=vendor)
    return {
        "totals": (stats.current_partners, stats.reachable_partners, stats.partners_ever, stats.ended_90d),
        "reasons": {r.reason: (r.ended_90d, r.ended_total) for r in VendorEndReasonStat.objects.filter(vendor=vendor)},
        "segments": {
            (s.dimension, s.value): (s.partners, s.reachable) for s in VendorSegmentStat.objects.filter(vendor=vendor)
        },
        "daily": {
            d.day: (d.adds, d.ends, d.net, d.counted_adds, d.counted_ends, d.counted_net)
            for d in VendorDailyStat.objects.filter(vendor=vendor)
        },
    }


# --- E-mail ------------------------------------------------------------------------------------------------------


def outbox_html(message: mail.EmailMessage) -> str:
    """The HTML part of a message in Django's test outbox (every message has one)."""
    alternatives = getattr(message, "alternatives", [])
    assert len(alternatives) == 1 and alternatives[0][1] == "text/html", "every message has an HTML part"
    return alternatives[0][0]


def outbox_to(address: str) -> list[mail.EmailMessage]:
    """The messages in Django's test outbox sent to `address` alone."""
    return [m for m in mail.outbox if m.to == [address]]


# The digest tests: a real SMTP server (aiosmtpd, started by the smtp_server fixture) and the site's address.
SITE = "https://market.test"


class Inbox:
    """What the SMTP server accepted: each message parsed, with the envelope's recipients."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.port = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


def use_smtp(settings, port: int) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def confirm_digest(user: User, frequency: str = DigestFrequency.WEEKLY) -> ConsumerProfile:
    """The consumer saved their digest choice on /account/ (written as the page's service would)."""
    profile, _ = ConsumerProfile.objects.get_or_create(user=user)
    profile.digest_frequency = frequency
    profile.digest_confirmed_at = timezone.now() - timedelta(days=30)
    profile.save()
    return profile


@dataclass
class World:
    """What the digest tests' `world` fixture makes: a consumer, their partner, its promotion and new product."""

    consumer: User
    vendor: Vendor
    promotion: Promotion
    product: Product


# --- Redis made unreachable ------------------------------------------------------------------------------------

# Nothing listens on port 1: connections are refused at once, as when Redis is down on its host.
DEAD_REDIS = "redis://127.0.0.1:1/0"


def _drop_celery_connections() -> None:
    """Celery keeps its producer pool and its result store from the URLs it first saw; make it look them up
    again for the URLs configured now (kombu keeps one pool per URL, so the old ones stay usable)."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app._backend_cache = None
    celery_app._local.backend = None


@contextmanager
def redis_at(url: str) -> Iterator[None]:
    """Point the cache, the Celery broker and its result store at `url`, with tasks really sent to the broker
    (not run in-process); restore the test settings afterwards ("Redis is back")."""
    conf = celery_app.conf
    saved = {name: conf[name] for name in ("task_always_eager", "broker_url", "result_backend")}
    with override_settings(
        CACHES={"default": {"BACKEND": "marketplace.kernel.caching.backend.RedisCache", "LOCATION": url}}
    ):
        conf.update(task_always_eager=False, broker_url=url, result_backend=url)
        _drop_celery_connections()
        cache.clear()  # the fallback memory of an earlier test must not leak into this one
        try:
            yield
        finally:
            conf.update(saved)
            _drop_celery_connections()


# --- Image files, built in memory: polyglots, pixel bombs, photos with EXIF --------------------------------------

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def image_bytes(mode: str, size: tuple[int, int], image_format: str, colour: object = None, **save: object) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, image_format, **save)
    return buffer.getvalue()


def png_bytes(colour: str = "teal") -> bytes:
    """A small, plain PNG."""
    return image_bytes("RGB", (4, 4), "PNG", colour)


def gif_then_html() -> bytes:
    """A valid GIF with an HTML page after its trailer: Pillow reads the GIF, a browser sniffing it sees HTML."""
    return image_bytes("P", (16, 16), "GIF", 3) + HTML


def png_with_html_chunk() -> bytes:
    """A valid PNG carrying an HTML page in a tEXt chunk."""
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", HTML.decode())
    return image_bytes("RGB", (16, 16), "PNG", "red", pnginfo=text)


def gif_javascript_polyglot() -> bytes:
    """A GIF that is also a script: a logical-screen width of 10799 px is the bytes "/*" after "GIF89a", the
    comment extension closes that comment and assigns, the trailing "*/" closes the last one."""
    data = image_bytes("P", (10799, 1), "GIF", 3, comment=b"*/=alert(document.cookie);/*") + b"*/"
    assert data.startswith(b"GIF89a/*")
    return data


def png_bomb(width: int, height: int) -> bytes:
    """A real, decodable black-and-white PNG of width × height pixels that compresses to almost nothing
    (20000 × 20000 is about 50 KB on disk and 400 MB once Pillow decodes it)."""
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then one bit per pixel
    compressor = zlib.compressobj(9)
    rows_per_step = 256
    compressed = bytearray()
    for start in range(0, height, rows_per_step):
        compressed += compressor.compress(row * min(rows_per_step, height - start))
    compressed += compressor.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", bytes(compressed)) + chunk(b"IEND", b"")


def jpeg_with_exif(size: tuple[int, int] = (40, 20), orientation: int = 6) -> bytes:
    """A JPEG whose EXIF names the camera and says "rotate 90° clockwise to display" (orientation 6)."""
    picture = Image.new("RGB", size, "navy")
    exif = picture.getexif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "SnoopCam"  # Make
    exif[0x0110] = "Model X-Secret"  # Model
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


# --- Queries -------------------------------------------------------------------------------------------------------


def queries_of(client, url: str, params: dict[str, str] | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    """The SQL of one GET (which must answer 200)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.status_code)
    return [q["sql"] for q in ctx.captured_queries]
