"""Reads of promotion feedback: the consumer's own rows (feed, export), and the counts a vendor may see.

Vendors see feedback only counted (rule 4, marketplace/kernel/privacy.py): of partners who count (no account the vendor
could have made for the purpose), every count released (None under K, noisy and rounded down to a multiple of K),
overall, for each reason, and for each group of partners who share a region or an age band. A group is listed
only when at least K of its partners who count gave feedback and its released count shows. Nothing names a
consumer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from marketplace.accounts.models import AgeBand, User
from marketplace.kernel.privacy import count_text, min_group, release_count
from portfolios.models import PartnerMembership

from ..models import Promotion, PromotionFeedback

Verdict = PromotionFeedback.Verdict
Reason = PromotionFeedback.Reason


def feedback_by_promotion_for_consumer(*, consumer: User, promotion_ids: Iterable[int]) -> dict[int, PromotionFeedback]:
    """The consumer's own feedback on these promotions, by promotion id, in one query."""
    ids = list(promotion_ids)
    if not ids:
        return {}
    return {f.promotion_id: f for f in PromotionFeedback.objects.filter(consumer=consumer, promotion_id__in=ids)}


def feedback_list_for_consumer(*, consumer: User) -> QuerySet[PromotionFeedback]:
    """All the consumer's feedback, oldest change first, with the promotion and vendor (their data export)."""
    return (
        PromotionFeedback.objects.filter(consumer=consumer)
        .select_related("promotion", "promotion__vendor")
        .order_by("updated_at", "id")
    )


@dataclass
class FeedbackCounts:
    """Feedback of one group of partners on one promotion, as a vendor may see it: each count released
    (marketplace/kernel/privacy.py), None under K."""

    label: str
    given: int | None
    useful: int | None
    not_for_me: int | None
    reasons: list[tuple[str, str, int | None]] = field(default_factory=list)  # (reason, label, rounded count)

    @property
    def given_text(self) -> str:
        return count_text(self.given)

    @property
    def useful_text(self) -> str:
        return count_text(self.useful)

    @property
    def not_for_me_text(self) -> str:
        return count_text(self.not_for_me)

    @property
    def reason_rows(self) -> list[dict[str, Any]]:
        return [{"reason": r, "label": label, "count": n, "text": count_text(n)} for r, label, n in self.reasons]


@dataclass
class FeedbackSummary:
    min_group: int
    overall: FeedbackCounts
    segments: dict[str, list[FeedbackCounts]] = field(default_factory=dict)


def _aggregates() -> dict[str, Count]:
    aggregates = {
        "given": Count("id"),
        "useful": Count("id", filter=Q(verdict=Verdict.USEFUL)),
        "not_for_me": Count("id", filter=Q(verdict=Verdict.NOT_FOR_ME)),
    }
    for reason in Reason.values:
        aggregates[f"reason_{reason}"] = Count("id", filter=Q(verdict=Verdict.NOT_FOR_ME, reason=reason))
    return aggregates


def _counted_only(rows: QuerySet[PromotionFeedback], vendor: Any) -> QuerySet[PromotionFeedback]:
    """The feedback of consumers who count in the vendor's figures (a membership of theirs with it counts:
    PartnerMembership.objects.counted). `vendor`: an id, or OuterRef to the row's promotion's vendor."""
    counted = PartnerMembership.objects.counted().filter(consumer=OuterRef("consumer"), vendor_id=vendor)
    return rows.filter(Exists(counted))


def _counts(label: str, row: dict[str, Any], *, vendor_id: int | None, figure: str) -> FeedbackCounts:
    # Every reason is listed, in a fixed order, whatever its count: a row only for the reasons given, or an
    # order by exact counts, would tell that one was given (docs/privacy.md, attack 6).
    def released(name: str) -> int | None:
        return release_count(row.get(name) or 0, vendor_id=vendor_id, figure=f"{figure}:{name}")

    return FeedbackCounts(
        label=label,
        given=released("given"),
        useful=released("useful"),
        not_for_me=released("not_for_me"),
        reasons=[(r, lab, released(f"reason_{r}")) for r, lab in Reason.choices],
    )


# The attributes a figure about a promotion's consumers may be grouped by, each only among consumers who chose
# to share it: (dimension, the value's path, its label's path, the sharing flag's path) from a row's consumer.
SHARED_SEGMENTS = (
    ("Region", "consumer__profile__region__code", "consumer__profile__region__name", "consumer__profile__share_region"),
    ("Age band", "consumer__profile__age_band", "consumer__profile__age_band", "consumer__profile__share_age_band"),
)


def by_shared_segment(rows: QuerySet[Any]) -> Iterable[tuple[str, str, QuerySet[Any]]]:
    """For each shared attribute: (dimension, label path, `rows` of consumers who share it, grouped by its
    value). The caller annotates its counts and applies K; promotion results and feedback both group so."""
    for dimension, value_path, label_path, shared in SHARED_SEGMENTS:
        grouped = (
            rows.filter(**{shared: True})
            .exclude(**{f"{value_path}__isnull": True})
            .exclude(**{value_path: ""})
            .values(value_path, label_path)
        )
        yield dimension, label_path, grouped


def promotion_feedback_summary(*, promotion: Promotion) -> FeedbackSummary:
    """Feedback on one promotion of partners who count, overall and by shared region and age band, every figure
    released and every group whose count of feedback is not shown left out. Three aggregate queries whatever
    the number of partners."""
    k = min_group()
    rows = _counted_only(PromotionFeedback.objects.filter(promotion=promotion), promotion.vendor_id)
    figure = f"feedback:{promotion.pk}"
    overall = _counts("All partners", rows.aggregate(**_aggregates()), vendor_id=promotion.vendor_id, figure=figure)
    summary = FeedbackSummary(min_group=k, overall=overall)
    ages = dict(AgeBand.choices)
    for dimension, label_path, grouped in by_shared_segment(rows):
        groups = grouped.annotate(**_aggregates()).filter(given__gte=k)
        counted = [
            _counts(
                ages.get(g[label_path], g[label_path]),
                g,
                vendor_id=promotion.vendor_id,
                figure=f"{figure}:{dimension}:{g[label_path]}",
            )
            for g in groups
        ]
        counted = [c for c in counted if c.given is not None]
        # By the released figure, then by name: an order by exact counts would rank groups the figures tie.
        counted.sort(key=lambda c: (-(c.given or 0), c.label))
        summary.segments[dimension] = counted
    return summary


def feedback_counts_for_promotions(*, promotion_ids: Iterable[int]) -> dict[int, FeedbackCounts]:
    """Overall feedback of each of these promotions, of partners who count, released as above, in one query
    (the vendor digest)."""
    ids = list(promotion_ids)
    counted = _counted_only(PromotionFeedback.objects.filter(promotion_id__in=ids), OuterRef("promotion__vendor_id"))
    rows = {
        row["promotion_id"]: row
        for row in counted.values("promotion_id", "promotion__vendor_id").annotate(**_aggregates()).order_by()
    }
    return {
        pk: _counts(
            "All partners",
            rows.get(pk, {}),
            vendor_id=rows.get(pk, {}).get("promotion__vendor_id"),
            figure=f"feedback:{pk}",
        )
        for pk in ids
    }


def promotion_get_delivered(*, consumer: User, promotion_id: int) -> Promotion | None:
    """The promotion, when it was delivered to this consumer; None for any other (theirs to give feedback on)."""
    return Promotion.objects.filter(pk=promotion_id, deliveries__consumer=consumer).select_related("vendor").first()
