"""Rule 4 of DESIGN.md, in one place: vendors (and the public) see aggregates, never people.

Every figure about consumers that leaves the marketplace's own tables for a vendor-facing or public surface
(insights, promotion results, the audience preview, the public facts of a vendor page, the API) passes
through here, so the threshold K (settings.MARKETPLACE["STATS_MIN_GROUP"], default 5) is read in one place
and every surface follows it:

- `suppress(n)`: a count of fewer than K consumers is not shown (None). Zero is suppressed too, so "fewer
  than K" never tells "nobody" from "somebody".
- `round_total(n)`: a published total is also rounded down to a multiple of K ("20" stands for 20 to 24),
  so a single partner joining or leaving cannot be read from two neighbouring totals (today and yesterday,
  a window of 60 days and one of 90, a segment and the whole).
- `public_facts(...)`: the transparent facts of a vendor page, with both rules applied.

This module imports no app (tests/foundation/test_layers.py): any layer may use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings


def min_group() -> int:
    """K: the smallest group of consumers any shown figure may be about."""
    return max(1, int(settings.MARKETPLACE["STATS_MIN_GROUP"]))


def suppress(n: int | None) -> int | None:
    """The count itself when it is about at least K consumers, else None ("fewer than K")."""
    if n is None or n < min_group():
        return None
    return n


def round_total(n: int | None) -> int | None:
    """A published total: None under K, else rounded down to a multiple of K (so it stands for n to n + K - 1).

    Idempotent: a rounded total rounds to itself, so applying it twice changes nothing.
    """
    kept = suppress(n)
    if kept is None:
        return None
    k = min_group()
    return kept - kept % k


def fewer_than_text() -> str:
    return f"fewer than {min_group()}"


def count_text(rounded: int | None) -> str:
    """How a suppressed or rounded count reads on a page: "fewer than 5", or the range "20–24"."""
    if rounded is None:
        return fewer_than_text()
    k = min_group()
    if k == 1:
        return f"{rounded:,}"
    return f"{rounded:,}–{rounded + k - 1:,}"


def rounding_note() -> str:
    """The sentence each page with rounded figures shows once, so a reader knows what a figure stands for."""
    k = min_group()
    example = count_text(4 * k)
    return (
        f"Counts of consumers are shown as ranges of {k} (“{example}”) and any group under {k} as "
        f"“{fewer_than_text()}”, so no figure is about one person and one partner joining or leaving cannot "
        "be read from two figures."
    )


def public_facts_from(facts: Mapping[str, Any]) -> dict[str, Any]:
    """`public_facts` of a facts mapping shaped as the shop's selectors return it (partner_count, ended_recent,
    top_end_reasons, rating_average, rating_count, recent_days, joined, computed_at). Idempotent."""
    return public_facts(
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
    """The public facts of one vendor as every page and the API may show them.

    Partner and ended counts are rounded totals (None under K, with a `*_suppressed` flag); end reasons are
    listed only when at least K partnerships ended for that reason (so a reason of a single ending is never
    shown, nor whether it exists); the rating average is shown only when at least K ratings make it, so it is
    never one buyer's score. Idempotent: facts already made public come out unchanged.
    """
    k = min_group()
    partners = round_total(partner_count)
    ended = round_total(ended_recent)
    reasons = [
        (label, rounded)
        for label, rounded in ((label, round_total(n)) for label, n in end_reasons)
        if rounded is not None
    ][:top]
    ratings = round_total(rating_count)
    average = rating_average if ratings is not None and rating_average is not None else None
    if ended is None:
        reasons_text = f"not shown: {fewer_than_text()} partnerships ended"
    elif not reasons:
        reasons_text = f"no single reason given by {k} or more"
    else:
        reasons_text = ", ".join(f"{label} ({count_text(n)})" for label, n in reasons)
    if average is None:
        rating_text = "not enough ratings yet"
    else:
        plural = "" if ratings == 1 else "s"
        rating_text = f"{Decimal(str(average)):.1f} / 5 ({count_text(ratings)} rating{plural})"
    return {
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
