"""Rule 4 of DESIGN.md, in one place: vendors (and the public) see aggregates, never people, and no figure can
be calibrated or differenced down to one person (docs/privacy.md states the model).

Every figure about consumers that leaves the marketplace's own tables for a vendor-facing or public surface
(insights, audience previews, lapsed audiences, promotion results and their rates, feedback counts, lift,
public facts and the rating average; pages, API and e-mail) is released here, so the model is enforced once:

1. Who counts (`counting_rule`): only partners a vendor could not have made for the purpose. A membership
   counts when its consumer's account is active, at least PRIVACY_ACCOUNT_DAYS old and not the vendor's own
   owner, and either the consumer has had orders delivered by two different vendors (ConsumerProfile.
   buyer_since; at least one of them is not the vendor reading the figure) or the partnership began at least
   PRIVACY_PARTNER_DAYS ago. The rule's two expressions, a queryset filter (portfolios.models.MembershipQuerySet
   .counted) and the statistics job's set-based SQL (portfolios/services/stats.py), read their cutoffs here.
2. Noise a re-read does not cancel (`release_count`): a count of fewer than K consumers is never shown; any
   other gets two-sided geometric noise with PRIVACY_EPSILON per figure, is suppressed when the noisy figure is
   under K, and is rounded down to a multiple of K. The noise is deterministic: drawn from an HMAC (a key
   derived from SECRET_KEY) of the figure's identity, the vendor and the exact inputs, so the same question
   about the same data always gets the same answer, and only a change in the data (of partners who count)
   draws again.
3. Derived figures (`release_share`, `release_ratio`): rates, shares, overlap and lift are computed from
   released counts only and rounded (whole percent; lift to a tenth), so they carry nothing the counts do not.
4. Averages (`release_average`): only from K or more ratings, with noise scaled to the average's sensitivity
   (PRIVACY_AVERAGE_EPSILON), in half-star steps.
5. Fresh previews (`preview_ask`): a vendor may ask PREVIEW_DAILY_LIMIT fresh audience questions a day (a
   re-read of one already answered is free); over it, the last answer to that question is shown again.

This module imports no app (tests/foundation/test_layers.py): any layer may use it.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext, ngettext

from marketplace.kernel.caching import counters

NOISE_SALT = "marketplace.kernel.privacy.noise"
RATING_LOW, RATING_HIGH, RATING_STEP = 1, 5, Decimal("0.5")
PREVIEW_MEMORY_SECONDS = 30 * 24 * 3600  # how long an answered preview stays free to re-read, and its last answer


def _setting(name: str, default: Any) -> Any:
    return settings.MARKETPLACE.get(name, default)


def min_group() -> int:
    """K: the smallest group of consumers any shown figure may be about."""
    return max(1, int(settings.MARKETPLACE["STATS_MIN_GROUP"]))


# --- 1. Who counts ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountingRule:
    """The cutoffs of "who counts" at one moment (see the module's docstring, and docs/privacy.md)."""

    now: datetime
    account_days: int
    partner_days: int

    @property
    def account_cutoff(self) -> datetime:
        """A consumer whose account was created after this does not count yet."""
        return self.now - timedelta(days=self.account_days)

    @property
    def partner_cutoff(self) -> datetime:
        """A partnership begun at or before this counts without the delivered-orders condition."""
        return self.now - timedelta(days=self.partner_days)


def counting_rule(now: datetime | None = None) -> CountingRule:
    return CountingRule(
        now=now or timezone.now(),
        account_days=max(0, int(_setting("PRIVACY_ACCOUNT_DAYS", 30))),
        partner_days=max(0, int(_setting("PRIVACY_PARTNER_DAYS", 90))),
    )


# --- 2. Counts: suppression, noise, rounding ---------------------------------------------------------------


def suppress(n: int | None) -> int | None:
    """The first step of every release: a count about fewer than K consumers is not shown (None). Zero too, so
    "fewer than K" never tells "nobody" from "somebody". Not a release on its own: see release_count."""
    if n is None or n < min_group():
        return None
    return n


def round_total(n: int | None) -> int | None:
    """The last step of every release: None under K, else rounded down to a multiple of K, so a figure stands
    for a range of K. Idempotent (a released count rounds to itself). Not a release on its own."""
    kept = suppress(n)
    if kept is None:
        return None
    k = min_group()
    return kept - kept % k


def count_epsilon() -> float | None:
    """Epsilon of each released count; None switches noise off (tests of other rules only; settings.py always
    sets a number)."""
    value = _setting("PRIVACY_EPSILON", 0.5)
    return None if value is None else max(float(value), 1e-3)


def average_epsilon() -> float | None:
    value = _setting("PRIVACY_AVERAGE_EPSILON", 1.0)
    return None if value is None else max(float(value), 1e-3)


def release_settings() -> tuple[int, float | None, float | None]:
    """What every released figure depends on besides its exact data, its vendor and the secret: K and the two
    epsilons. A cache keyed by the exact figures and these holds exactly what the release would give."""
    return min_group(), count_epsilon(), average_epsilon()


def _uniforms(identity: Iterable[object]) -> tuple[float, float]:
    """Two numbers in (0, 1), a deterministic function of `identity` and the server's secret (SECRET_KEY,
    through Django's salted HMAC): unpredictable to anyone without the secret, the same on every read."""
    message = "\x1f".join(str(part) for part in identity)
    digest = salted_hmac(NOISE_SALT, message, algorithm="sha256").digest()
    first, second = int.from_bytes(digest[:8], "big"), int.from_bytes(digest[8:16], "big")
    return (first + 0.5) / 2**64, (second + 0.5) / 2**64


def geometric_noise(*, epsilon: float, sensitivity: float, identity: Iterable[object]) -> int:
    """Two-sided geometric noise (the discrete Laplace mechanism): P(z) is proportional to exp(-epsilon |z| /
    sensitivity). The difference of two geometric draws, each by inverting its distribution function."""
    log_alpha = -epsilon / sensitivity  # log of the ratio alpha = exp(-epsilon / sensitivity), never underflowing
    u, v = _uniforms(identity)
    return math.floor(math.log(u) / log_alpha) - math.floor(math.log(v) / log_alpha)


def release_count(exact: int | None, *, vendor_id: int | None, figure: str, epsilon: float | None = None) -> int | None:
    """A count of consumers as a vendor or the public may see it: None when the exact count is under K; else
    the count plus deterministic noise (see geometric_noise; seeded by vendor, figure and the exact count, so
    the same figure of the same data always reads the same), None when that is under K, rounded down to a
    multiple of K otherwise.

    `figure` names what is counted, the same name wherever the same quantity is shown (insights, the vendor
    page, the digest), so two surfaces never give two independent draws of one number. The exact count is
    the data's state: a figure changes only when the partners who count change."""
    if suppress(exact) is None:
        return None
    assert exact is not None
    eps = count_epsilon() if epsilon is None else epsilon
    noisy = exact
    if eps is not None:
        noisy += geometric_noise(epsilon=eps, sensitivity=1, identity=("count", vendor_id, figure, exact))
    return round_total(noisy)


def release_share(part: int | None, whole: int | None) -> float | None:
    """part / whole of two released counts, at most 1, in whole percent (0.37); None when either is not shown.
    Post-processing of released figures: it reveals nothing they do not."""
    if part is None or not whole:
        return None
    return round(min(1.0, part / whole), 2)


def release_ratio(value: float | None) -> float | None:
    """A ratio of released figures (lift), to one decimal."""
    if value is None:
        return None
    return round(value, 1)


def release_average(
    *, average: Decimal | float | None, count: int | None, vendor_id: int | None, figure: str
) -> Decimal | None:
    """A rating average as the public may see it: None unless at least K ratings make it; else the average plus
    noise of its sensitivity (one rating moves an average of n ratings by at most (5 - 1) / n) at
    PRIVACY_AVERAGE_EPSILON, seeded by the exact average and count like release_count, clamped to 1..5 and
    rounded to half a star. One new rating therefore never tells its score."""
    if average is None or suppress(count) is None:
        return None
    assert count is not None
    exact = Decimal(str(average))
    eps = average_epsilon()
    hundredths = int((exact * 100).to_integral_value())
    if eps is not None:
        sensitivity = (RATING_HIGH - RATING_LOW) * 100 / count
        hundredths += geometric_noise(
            epsilon=eps, sensitivity=sensitivity, identity=("average", vendor_id, figure, exact, count)
        )
    stars = min(Decimal(RATING_HIGH), max(Decimal(RATING_LOW), Decimal(hundredths) / 100))
    steps = (stars / RATING_STEP).to_integral_value()  # half-even: 4.25 -> 4.0, 4.75 -> 5.0
    return (steps * RATING_STEP).quantize(Decimal("0.1"))


def fewer_than_text() -> str:
    return gettext("fewer than %(k)d") % {"k": min_group()}


def count_text(rounded: int | None) -> str:
    """How a released count reads on a page: "fewer than 5", or the range "20–24"."""
    if rounded is None:
        return fewer_than_text()
    k = min_group()
    if k == 1:
        return f"{rounded:,}"
    return f"{rounded:,}–{rounded + k - 1:,}"


def rounding_note() -> str:
    """The sentence each page with released figures shows once, so a reader knows what a figure stands for."""
    k = min_group()
    example = count_text(4 * k)
    return gettext(
        "Counts of consumers are estimates: each has a little random noise added and is shown as a range of %(k)s "
        "(“%(example)s”), and any group under %(k)s as “%(fewer)s”. Only partners of some standing count "
        "(an account a month old with orders from two vendors, or a partner for three months), so no figure is "
        "about one person and neither new accounts nor re-reading can single one out."
    ) % {"k": k, "example": example, "fewer": fewer_than_text()}


# --- Public facts -------------------------------------------------------------------------------------------


def public_facts_from(facts: Mapping[str, Any]) -> dict[str, Any]:
    """`public_facts` of a facts mapping shaped as the shop's selectors return it (vendor_id, partner_count,
    ended_recent, top_end_reasons, rating_average, rating_count, recent_days, joined, computed_at).
    Idempotent: facts already released (they carry `released`) come back unchanged."""
    if facts.get("released"):
        return dict(facts)
    return public_facts(
        vendor_id=facts.get("vendor_id"),
        partner_count=facts.get("partner_count"),
        ended_recent=facts.get("ended_recent"),
        end_reasons=facts.get("top_end_reasons") or (),
        rating_average=facts.get("rating_average"),
        rating_count=facts.get("rating_count"),
        recent_days=facts.get("recent_days", 90),
        joined=facts.get("joined"),
        computed_at=facts.get("computed_at"),
    )


def public_facts(
    *,
    vendor_id: int | None,
    partner_count: int | None,
    ended_recent: int | None = None,
    end_reasons: Iterable[tuple[str, int | None]] = (),
    rating_average: Decimal | float | None = None,
    rating_count: int | None = None,
    recent_days: int = 90,
    joined: datetime | None = None,
    computed_at: datetime | None = None,
    top: int = 3,
) -> dict[str, Any]:
    """The public facts of one vendor as every page and the API may show them, from the exact statistics.

    Partner and ended counts are released counts (None under K, with a `*_suppressed` flag), under the same
    figure names as the vendor's insights, so both read alike; end reasons are listed only when their released
    count is shown, the top ones by that figure; the rating average is released (release_average) only from K
    ratings, so it is never one buyer's score nor tells the last one."""
    k = min_group()
    partners = release_count(partner_count, vendor_id=vendor_id, figure="partners")
    ended = release_count(ended_recent, vendor_id=vendor_id, figure="ended_90d")
    released_reasons = [
        (label, release_count(n, vendor_id=vendor_id, figure=f"ended_90d:{label}")) for label, n in end_reasons
    ]
    reasons = sorted(
        ((label, n) for label, n in released_reasons if n is not None), key=lambda item: (-item[1], item[0])
    )[:top]
    ratings = release_count(rating_count, vendor_id=vendor_id, figure="ratings")
    average = (
        release_average(average=rating_average, count=rating_count, vendor_id=vendor_id, figure="rating")
        if ratings is not None
        else None
    )
    if ended is None:
        reasons_text = gettext("not shown: %(fewer)s partnerships ended") % {"fewer": fewer_than_text()}
    elif not reasons:
        reasons_text = gettext("no single reason given by %(k)d or more") % {"k": k}
    else:
        reasons_text = gettext(", ").join(f"{gettext(label)} ({count_text(n)})" for label, n in reasons)
    if average is None:
        rating_text = gettext("not enough ratings yet")
    else:
        rating_text = ngettext(
            "%(average)s / 5 (%(ratings)s rating)", "%(average)s / 5 (%(ratings)s ratings)", ratings or 0
        ) % {"average": f"{average:.1f}", "ratings": count_text(ratings)}
    return {
        "released": True,
        "vendor_id": vendor_id,
        "min_group": k,
        "partner_count": partners,
        "partner_count_suppressed": partners is None,
        "partner_text": count_text(partners),
        "ended_recent": ended,
        "ended_recent_suppressed": ended is None,
        "ended_text": count_text(ended),
        "recent_days": recent_days,
        "top_end_reasons": reasons,
        "reasons_text": reasons_text,
        "rating_average": average,
        "rating_count": ratings,
        "rating_count_text": count_text(ratings),
        "rating_suppressed": average is None,
        "rating_text": rating_text,
        "joined": joined,
        "computed_at": computed_at,
    }


# --- 5. Fresh previews --------------------------------------------------------------------------------------


def preview_daily_limit() -> int:
    """Fresh audience questions a vendor may ask per UTC day (PREVIEW_DAILY_LIMIT)."""
    return max(0, int(_setting("PREVIEW_DAILY_LIMIT", 20)))


def preview_daily_epsilon(figures_per_preview: int = 2) -> float | None:
    """The budget the limit enforces: each fresh preview releases `figures_per_preview` counts (the audience
    and how many of it said "too frequent") at count_epsilon each."""
    eps = count_epsilon()
    return None if eps is None else preview_daily_limit() * figures_per_preview * eps


def _digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]


def preview_ask(*, vendor_id: int, question: str, state: str) -> bool:
    """May the vendor be answered `question` about the data in `state` (the exact inputs)? Yes when it was
    answered before (the answer is the same, so a re-read costs nothing), or when this vendor has asked fewer
    than PREVIEW_DAILY_LIMIT fresh questions today (this one is then counted). Kept in the cache: an outage
    forgets only the count, never lets an answer differ."""
    answered = _digest(question, state)
    if counters.read("privacy-preview-answered", vendor_id, answered):
        return True
    day = datetime.now(UTC).date().isoformat()
    if counters.count_up("privacy-preview-spent", vendor_id, day, timeout=2 * 24 * 3600) > preview_daily_limit():
        return False
    counters.remember("privacy-preview-answered", vendor_id, answered, value=1, timeout=PREVIEW_MEMORY_SECONDS)
    return True


def preview_remember(*, vendor_id: int, question: str, answer: Any) -> None:
    """Keep the last answer given to `question`, to show again once the day's fresh previews are used."""
    counters.remember(
        "privacy-preview-last", vendor_id, _digest(question), value=answer, timeout=PREVIEW_MEMORY_SECONDS
    )


def preview_last(*, vendor_id: int, question: str) -> Any:
    """The last answer given to `question` (preview_remember), or None."""
    return counters.read("privacy-preview-last", vendor_id, _digest(question))


def preview_limit_text() -> str:
    return (
        f"You have asked for {preview_daily_limit()} fresh audience previews today, the most a day allows (so "
        "that re-reading audiences cannot add up to a picture of one partner). Previews you have already seen "
        "still show; new ones come back tomorrow (UTC)."
    )
