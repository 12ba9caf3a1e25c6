"""My partners: what the consumer's own portfolio page shows, kept between their visits."""

from __future__ import annotations

from dataclasses import dataclass

from marketplace.accounts.models import User
from marketplace.kernel.page_cache import storefront_kept
from portfolios.models import PartnerMembership
from portfolios.selectors import portfolio_get
from promotions.models import Promotion
from promotions.selectors import promotion_feed_for_consumer
from promotions.selectors.feedback import feedback_by_promotion_for_consumer
from vendors.models import Product


@dataclass(frozen=True)
class MyPartners:
    memberships: list[PartnerMembership]  # current partners, by vendor name
    feed: list[Promotion]  # promotion_feed_for_consumer, each with the consumer's `my_feedback` (or None)
    new_products: list[Product]
    history: list[PartnerMembership]  # ended partnerships, newest first, `has_active` set


def my_partners_get(*, consumer: User) -> MyPartners:
    """The My partners page's data (portfolios.selectors.portfolio_get, the partner feed and the consumer's
    feedback on it), kept (marketplace.kernel.page_cache.storefront_kept) under the consumer's portfolio_version,
    which every change to their memberships or feedback bumps in its own transaction
    (marketplace/shop/receivers.py), and under the storefront version, which vendor, product and promotion
    changes bump: their own changes show on their next visit, and so does what their partners change. Time
    windows (a promotion's end, the 30 days of new products) and a delivery of a promotion that already runs
    show at most PAGE_CACHE_SECONDS late."""

    def read() -> MyPartners:
        feed = list(promotion_feed_for_consumer(consumer=consumer))
        # One query for the consumer's feedback on the whole feed, attached to each promotion for its form.
        given = feedback_by_promotion_for_consumer(consumer=consumer, promotion_ids=[p.pk for p in feed])
        for promo in feed:
            promo.my_feedback = given.get(promo.pk)
        portfolio = portfolio_get(consumer=consumer)
        return MyPartners(
            memberships=portfolio.memberships,
            feed=feed,
            new_products=portfolio.new_products,
            history=portfolio.history,
        )

    return storefront_kept(f"my-partners:{consumer.pk}:{consumer.portfolio_version}", read)
