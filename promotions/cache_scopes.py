"""Which of the promotions app's tables feed which cache scopes (marketplace.kernel.caching), declared beside them.

- `vendor:{id}`: a vendor's promotions once they leave the draft (a draft is seen by its vendor alone).
- `ads`: the running public ads beside the directory and search.
- `consumer:{id}` (durable): a delivery to a consumer or their feedback on a promotion.
"""

from __future__ import annotations

from marketplace.kernel.caching import feeds, scope_kind

from .models import Promotion, PromotionDelivery, PromotionFeedback

scope_kind("vendor", models=["promotions.Promotion"])
scope_kind(
    "ads",
    models=["promotions.Promotion", "vendors.Vendor", "vendors.Category"],
    global_scope=True,
    about="running public ads",
)
scope_kind("consumer", models=["promotions.Promotion", "promotions.PromotionDelivery", "promotions.PromotionFeedback"])


def _promotion(promotion: Promotion) -> list[str]:
    if promotion.state == Promotion.State.DRAFT:
        return []
    scopes = [f"vendor:{promotion.vendor_id}"]
    if promotion.kind == Promotion.Kind.PUBLIC:
        scopes.append("ads")
    return scopes


feeds(Promotion, _promotion)
feeds(PromotionDelivery, lambda d: [f"consumer:{d.consumer_id}"])
feeds(PromotionFeedback, lambda f: [f"consumer:{f.consumer_id}"] if f.consumer_id else [])
