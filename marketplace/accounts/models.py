"""Users log in with their email; each has a consumer profile holding what they chose to share."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from marketplace.kernel.languages import Bilingual


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


# The group whose members moderate vendors (made by a data migration; superusers moderate too).
MODERATORS_GROUP = "Moderators"


class User(AbstractUser):
    username = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=80, blank=True)
    # The language they chose (header switcher, account page); blank: the browser's Accept-Language decides.
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, blank=True, default="")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.display_name or self.email

    @cached_property
    def is_moderator(self) -> bool:
        """In the Moderators group (or a superuser). Cached for the request: every page's header asks."""
        return self.is_superuser or self.groups.filter(name=MODERATORS_GROUP).exists()


class Region(Bilingual, models.Model):
    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=60)
    # The name in Traditional Chinese; readers of Chinese see it (marketplace.kernel.languages).
    name_zh_hant = models.CharField("name in Traditional Chinese", max_length=60, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.shown_name


class Interest(Bilingual, models.Model):
    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=60)
    name_zh_hant = models.CharField("name in Traditional Chinese", max_length=60, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.shown_name


class AgeBand(models.TextChoices):
    A18_24 = "18-24", "18–24"
    A25_34 = "25-34", "25–34"
    A35_44 = "35-44", "35–44"
    A45_54 = "45-54", "45–54"
    A55_64 = "55-64", "55–64"
    A65 = "65+", _("65 and over")


class DigestFrequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    NEVER = "never", _("Never")


class ConsumerProfile(models.Model):
    """What the consumer told us, and which parts of it they share with their partners."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile", primary_key=True)
    region = models.ForeignKey(Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    age_band = models.CharField(max_length=5, choices=AgeBand.choices, blank=True)
    interests = models.ManyToManyField(Interest, blank=True, related_name="consumers")
    share_region = models.BooleanField(default=False)
    share_age_band = models.BooleanField(default=False)
    share_interests = models.BooleanField(default=False)
    weekly_promotion_cap = models.PositiveSmallIntegerField(
        default=5, help_text="How many partner promotions a week you accept, across all partners."
    )
    # The partner digest e-mail (promotions.services.digest). Nothing is sent until the consumer has seen the
    # setting on /account/ and saved it once (digest_confirmed_at); digest_sent_at is the watermark: the digest
    # covers what came after it, and the job moves it in the transaction that records the digest.
    digest_frequency = models.CharField(
        max_length=6,
        choices=DigestFrequency.choices,
        default=DigestFrequency.WEEKLY,
        help_text="How often an e-mail with your partners' new products and promotions comes.",
    )
    digest_confirmed_at = models.DateTimeField(null=True, blank=True)
    digest_sent_at = models.DateTimeField(null=True, blank=True)
    # When orders of this consumer had been delivered by two different vendors (set once by the shop's
    # fulfilment, marketplace/shop/services/fulfilment.py): with an account old enough, it makes them count in
    # the figures vendors read (marketplace/kernel/privacy.py, "who counts"). One of the two is always another vendor
    # than the one reading, which cannot make it for accounts of its own by fulfilling their orders itself.
    buyer_since = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["share_region", "region"], name="profile_shared_region_idx"),
            models.Index(fields=["share_age_band", "age_band"], name="profile_shared_age_idx"),
            # The hourly digest job's question: who asked for a digest and is due.
            models.Index(
                fields=["digest_frequency", "digest_sent_at"],
                condition=models.Q(digest_confirmed_at__isnull=False),
                name="profile_digest_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class APIToken(models.Model):
    """A personal API token. Only a SHA-256 hash of the key is stored; the key is shown once, at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=60)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
