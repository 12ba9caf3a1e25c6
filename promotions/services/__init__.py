"""Every write of promotions: design (design.py); publishing, the clock, delivery and suspension (lifecycle.py);
the discount an order gets (redemption.py);
the partner digest (digest.py), whose mails the vendor digest shares; partners' feedback (feedback.py)."""

from .design import promotion_create, promotion_delete, promotion_update
from .digest import (
    PartnerDigest,
    digest_mail_send_pending,
    partner_digest_compose,
    partner_digest_due_ids,
    partner_digest_preview,
    partner_digest_record,
    partner_digest_render,
    partner_digest_send,
    partner_digest_show,
    partner_digest_subject,
    site_url,
    unsubscribe_url,
)
from .feedback import promotion_feedback_delete_for_consumer, promotion_feedback_give
from .lifecycle import (
    AudienceTooSmallError,
    PreviewLimitError,
    promotion_deliver,
    promotion_deliveries_for_new_partner,
    promotion_end,
    promotion_publish,
    promotion_states_advance,
    promotions_pause_for_vendor,
    promotions_resume_for_vendor,
)
from .redemption import promotion_best_for_order, promotion_best_for_orders, promotion_discount_amount

__all__ = [
    "AudienceTooSmallError",
    "PreviewLimitError",
    "PartnerDigest",
    "digest_mail_send_pending",
    "partner_digest_compose",
    "partner_digest_due_ids",
    "partner_digest_preview",
    "partner_digest_record",
    "partner_digest_render",
    "partner_digest_send",
    "partner_digest_show",
    "partner_digest_subject",
    "promotion_best_for_order",
    "promotion_best_for_orders",
    "promotion_create",
    "promotion_delete",
    "promotion_deliver",
    "promotion_deliveries_for_new_partner",
    "promotion_discount_amount",
    "promotion_end",
    "promotion_feedback_delete_for_consumer",
    "promotion_feedback_give",
    "promotion_publish",
    "promotion_states_advance",
    "promotion_update",
    "promotions_pause_for_vendor",
    "promotions_resume_for_vendor",
    "site_url",
    "unsubscribe_url",
]
