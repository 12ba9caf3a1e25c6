"""Moderators' changes to a vendor's products and owner."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from marketplace.accounts.mail import SITE_NAME, mail_send_text_on_commit, recipient_language
from marketplace.accounts.models import User
from marketplace.kernel.errors import ConflictError, NotFoundError

from ...models import ModerationAction, Product, Vendor
from ._common import _clean_reason, _notify_owner, _require_moderator, _vendor_for_update

# --- products and ownership -----------------------------------------------------------------------------


@transaction.atomic
def product_deactivate_by_moderator(*, moderator: User, product_id: int, reason: str) -> Product:
    """Take a vendor's product off sale for a reason the vendor sees: hidden from the shop from the next
    request; its orders and history are kept.

    Atomic, product row locked; writes one audit row (on the vendor, naming the product); emails the vendor's
    owner after commit. Only moderators; a reason is required. Raises NotFoundError for an unknown product,
    ConflictError for one already off sale.
    """
    _require_moderator(moderator)
    reason = _clean_reason(reason)
    product = Product.objects.select_for_update().filter(pk=product_id).first()
    if product is None:
        raise NotFoundError(_("No such product."))
    if not product.active:
        raise ConflictError(_("“%(product)s” is already off sale.") % {"product": product.name})
    product.active = False
    product.save(update_fields=["active", "updated_at"])
    vendor = Vendor.objects.select_related("owner").get(pk=product.vendor_id)
    action = ModerationAction.objects.create(
        moderator=moderator,
        vendor=vendor,
        kind=ModerationAction.Kind.PRODUCT_DEACTIVATE,
        reason=f"“{product.name}” (product #{product.pk}): {reason}",
    )
    _notify_owner(vendor=vendor, action=action)
    return product


@transaction.atomic
def vendor_owner_transfer(*, moderator: User, vendor_id: int, new_owner_email: str, reason: str) -> Vendor:
    """Hand a vendor to another existing user (the business was sold, say), for a recorded reason.

    From the commit on the new owner runs the vendor's workspace (catalogue, orders with their buyers' names
    and addresses, insights, promotions) and the previous owner sees none of it. Atomic: the vendor row and
    the new owner's user row are locked (vendor_apply locks that row too), so a user never ends up owning two
    vendors. Writes one audit row naming both owners; emails both after commit. A contact email that was the
    previous owner's own address becomes the new owner's. Only moderators; a reason is required.
    Raises ValidationError on new_owner_email for no such active user, ConflictError for the current owner or
    a user who already owns a vendor, NotFoundError for an unknown vendor.
    """
    _require_moderator(moderator)
    reason = _clean_reason(reason)
    email = (new_owner_email or "").strip().lower()
    if not email:
        raise ValidationError({"new_owner_email": _("Enter the email address of the new owner's account.")})
    vendor = _vendor_for_update(vendor_id)
    new_owner = User.objects.select_for_update().filter(email__iexact=email, is_active=True).first()
    if new_owner is None:
        raise ValidationError({"new_owner_email": _("No active account has this email address; they sign up first.")})
    previous_owner = vendor.owner
    if new_owner.pk == previous_owner.pk:
        raise ConflictError(_("%(email)s already owns %(vendor)s.") % {"email": new_owner.email, "vendor": vendor.name})
    if Vendor.objects.filter(owner=new_owner).exists():
        raise ConflictError(
            _("%(email)s already owns a vendor; an account runs one vendor only.") % {"email": new_owner.email}
        )
    vendor.owner = new_owner
    update_fields = ["owner"]
    if vendor.contact_email.strip().lower() == previous_owner.email.lower():
        vendor.contact_email = new_owner.email
        update_fields.append("contact_email")
    vendor.save(update_fields=update_fields)
    ModerationAction.objects.create(
        moderator=moderator,
        vendor=vendor,
        kind=ModerationAction.Kind.OWNER_TRANSFER,
        reason=f"From {previous_owner.email} to {new_owner.email}: {reason}",
    )
    context = {"vendor": vendor, "reason": reason, "site_name": SITE_NAME}
    # One message each, in each one's language: neither learns the other's address from the headers.
    for recipient in (previous_owner, new_owner):
        with recipient_language(recipient):
            subject = _("%(vendor)s: ownership transferred") % {"vendor": vendor.name}
            body = render_to_string("emails/moderation/owner_transfer.txt", context)
        mail_send_text_on_commit(to=recipient.email, subject=subject, text=body)
    return vendor
