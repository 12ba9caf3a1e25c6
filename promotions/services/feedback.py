"""Writes of promotion feedback: a partner says whether a promotion they received was useful (rule 3: the
consumer takes part in the vendor's promotions instead of only receiving them)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.accounts.models import User
from marketplace.kernel.errors import ConflictError, NotFoundError
from portfolios.models import PartnerMembership

from ..models import Promotion, PromotionDelivery, PromotionFeedback


class FeedbackFromEndedPartnerError(ConflictError):
    code = "partnership_ended"


def _check_input(verdict: str, reason: str) -> None:
    errors: dict[str, list[str]] = {}
    if verdict not in PromotionFeedback.Verdict.values:
        errors["verdict"] = [_("Say whether the promotion was useful or not for you.")]
    if reason and reason not in PromotionFeedback.Reason.values:
        errors["reason"] = [_("Choose one of the reasons offered, or none.")]
    elif reason and verdict == PromotionFeedback.Verdict.USEFUL:
        errors["reason"] = ["A reason goes with “Not for me” only."]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def promotion_feedback_give(*, consumer: User, promotion_id: int, verdict: str, reason: str = "") -> PromotionFeedback:
    """Record the consumer's feedback on a promotion they received; a second call updates it (changing one's
    mind), so there is one row per promotion and consumer. Atomic.

    Refuses, changing nothing: bad input (ValidationError naming the field); a promotion that was never
    delivered to this consumer, whoever's it is (NotFoundError, so nobody learns of promotions sent to others);
    a partner the consumer has ended (FeedbackFromEndedPartnerError, a ConflictError): ending is the consumer's
    verdict on the vendor and only reinstating reopens it. A muted partner may still be told what one thinks.
    """
    reason = (reason or "").strip()
    _check_input(verdict, reason)
    promotion = Promotion.objects.select_related("vendor").filter(pk=promotion_id).first()
    if promotion is None or not PromotionDelivery.objects.filter(promotion=promotion, consumer=consumer).exists():
        raise NotFoundError(_("You did not receive this promotion, so there is nothing to give feedback on."))
    if not PartnerMembership.objects.active().filter(consumer=consumer, vendor_id=promotion.vendor_id).exists():
        raise FeedbackFromEndedPartnerError(
            _(
                "You ended your partnership with %(vendor)s, so feedback on its promotions is closed. "
                "Reinstate it from your portfolio history to take part again."
            )
            % {"vendor": promotion.vendor.name}
        )
    feedback, _created = PromotionFeedback.objects.update_or_create(
        promotion=promotion, consumer=consumer, defaults={"verdict": verdict, "reason": reason}
    )
    return feedback


@transaction.atomic
def promotion_feedback_delete_for_consumer(*, consumer: User) -> int:
    """Delete every feedback row of the consumer (their account is closing). Atomic; returns how many."""
    deleted, _by_model = PromotionFeedback.objects.filter(consumer=consumer).delete()
    return deleted
