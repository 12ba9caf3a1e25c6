"""The partner feed a consumer reads on My partners and through the API: promotions their partners sent them,
each with their own feedback on it, kept between visits."""

from __future__ import annotations

from marketplace.accounts.models import User
from marketplace.kernel.page_cache import storefront_kept

from ..models import Promotion
from .feed import promotion_feed_for_consumer
from .feedback import feedback_by_promotion_for_consumer


def partner_feed_get(*, consumer: User) -> list[Promotion]:
    """promotion_feed_for_consumer, each promotion with the consumer's `my_feedback` (or None), kept
    (marketplace.kernel.page_cache.storefront_kept) under the consumer's portfolio_version, which every change
    to their memberships or feedback and every delivery made for them bumps in its own transaction
    (marketplace/shop/receivers.py), and under the storefront version, which vendor, product and promotion
    changes bump. A promotion's end and a delivery of a promotion that already runs show at most
    PAGE_CACHE_SECONDS late."""

    def read() -> list[Promotion]:
        feed = list(promotion_feed_for_consumer(consumer=consumer))
        # One query for the consumer's feedback on the whole feed, attached to each promotion for its form.
        given = feedback_by_promotion_for_consumer(consumer=consumer, promotion_ids=[p.pk for p in feed])
        for promo in feed:
            promo.my_feedback = given.get(promo.pk)
        return feed

    return storefront_kept(f"partner-feed:{consumer.pk}:{consumer.portfolio_version}", read)
