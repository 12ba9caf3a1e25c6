"""The partner feed a consumer reads on My partners and through the API: promotions their partners sent them,
each with their own feedback on it, kept between visits."""

from __future__ import annotations

from marketplace.accounts.models import User
from marketplace.kernel.caching import kept

from ..shown import SHAPE, PromotionShown, promotion_shown
from .feed import promotion_feed_for_consumer
from .feedback import feedback_by_promotion_for_consumer


@kept(
    "partner-feed",
    shape=SHAPE,
    scopes=lambda consumer_id: (f"consumer:{consumer_id}",),
    rows=lambda feed: {f"vendor:{promo.vendor.pk}" for promo in feed},
)
def partner_feed_shown(*, consumer_id: int) -> tuple[PromotionShown, ...]:
    """promotion_feed_for_consumer, each promotion with the consumer's `my_feedback` (or None)."""
    consumer = User(pk=consumer_id)
    feed = list(promotion_feed_for_consumer(consumer=consumer))
    # One query for the consumer's feedback on the whole feed, attached to each promotion for its form.
    given = feedback_by_promotion_for_consumer(consumer=consumer, promotion_ids=[p.pk for p in feed])
    return tuple(promotion_shown(promo, feedback=given.get(promo.pk)) for promo in feed)


def partner_feed_get(*, consumer: User) -> tuple[PromotionShown, ...]:
    """The consumer's partner feed, kept (marketplace.kernel.caching) until their own scope moves (every change
    to their memberships or feedback and every delivery made for them, in its own transaction) or a scope of a
    vendor it shows does. A promotion's end shows at most the timeout late."""
    return partner_feed_shown.get(consumer_id=consumer.pk)
