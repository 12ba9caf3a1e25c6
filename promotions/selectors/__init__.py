"""Every read of promotions: the partner feed and public ads (feed.py), audiences and their preview (audience.py)."""

from .audience import AudiencePreview, AudienceSpec, audience_consumers, audience_preview
from .feed import promotion_feed_for_consumer, promotion_list_public_ads, promotion_list_public_ads_shown
from .own import promotion_get_for_vendor, promotion_list_for_vendor
from .partner_feed import partner_feed_get

__all__ = [
    "AudiencePreview",
    "AudienceSpec",
    "audience_consumers",
    "audience_preview",
    "partner_feed_get",
    "promotion_feed_for_consumer",
    "promotion_get_for_vendor",
    "promotion_list_for_vendor",
    "promotion_list_public_ads",
    "promotion_list_public_ads_shown",
]
