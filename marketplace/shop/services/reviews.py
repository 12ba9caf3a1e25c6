"""Moderators' writes to the buyers' reviews shown on vendor pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from marketplace.accounts.mail import mail_send_on_commit, recipient_language
from marketplace.accounts.models import User
from marketplace.kernel.errors import ConflictError, ForbiddenError, NotFoundError
from vendors.models import ModerationAction
from vendors.moderation.services import REASON_MAX_LENGTH

from ..models import ServiceRating


@transaction.atomic
def review_hide(*, moderator: User, rating_id: int, reason: str) -> ServiceRating:
    """Take a buyer's review off the vendor's page, after a report, for a recorded reason.

    Atomic, rating row locked; writes one audit row (ModerationAction `review_hide` on the vendor, naming the
    review) that the review points to. The score stays in the vendor's average: only the text leaves the
    page, and saving the row renews the vendor's kept page (shop/cache_scopes.py). Only moderators; a reason
    is required. Raises NotFoundError for no such review (a rating without text is none), ConflictError for
    one already hidden, ValidationError for a missing or over-long reason. After commit the review's author
    (an account still open) gets one e-mail with the reason.
    """
    if not (moderator.is_authenticated and moderator.is_active and moderator.is_moderator):
        raise ForbiddenError("Only moderators may do this.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give a reason: it is kept in the audit log."})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": f"Keep it under {REASON_MAX_LENGTH} characters."})
    rating = (
        ServiceRating.objects.select_for_update(of=("self",))
        .select_related("vendor", "consumer")
        .filter(pk=rating_id, public=True)
        .first()
    )
    if rating is None:
        raise NotFoundError("No such review.")
    if rating.hidden_at is not None:
        raise ConflictError("This review is already hidden.")
    action = ModerationAction.objects.create(
        moderator=moderator,
        vendor_id=rating.vendor_id,
        kind=ModerationAction.Kind.REVIEW_HIDE,
        reason=f"Review #{rating.pk} of order #{rating.order_id}: {reason}",
    )
    rating.hidden_at = timezone.now()
    rating.hidden_by = action
    rating.save(update_fields=["hidden_at", "hidden_by"])
    with recipient_language(rating.consumer):
        mail_send_on_commit(
            to=rating.consumer.email if rating.consumer else None,
            subject=gettext("Your review of %(vendor)s is no longer shown") % {"vendor": rating.vendor.name},
            template="reviews/hidden",
            context={"rating": rating, "vendor_name": rating.vendor.name, "reason": reason},
        )
    return rating
