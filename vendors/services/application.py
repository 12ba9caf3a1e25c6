"""Applying to sell: the application, its checks, and resubmitting after a rejection."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify

from marketplace.accounts.models import Region, User
from marketplace.errors import ConflictError, NotFoundError

from ..models import Category, Vendor
from ..signals import vendor_status_changed


def _unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:120] or "vendor"
    slug, n = base, 1
    taken = Vendor.objects.exclude(pk=exclude_pk) if exclude_pk else Vendor.objects.all()
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_application(*, name: str, category: Category | None, contact_email: str) -> None:
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = ["Enter your business name."]
    if category is None:
        errors["category"] = ["Choose the category you sell in."]
    if contact_email:
        try:
            validate_email(contact_email)
        except ValidationError:
            errors["contact_email"] = ["Enter a valid email address."]
    else:
        errors["contact_email"] = ["Enter an email address customers and moderators can reach you at."]
    if errors:
        raise ValidationError(errors)


def _announce_status(vendor_id: int, old_status: str, new_status: str) -> None:
    transaction.on_commit(
        lambda: vendor_status_changed.send(
            sender=Vendor, vendor_id=vendor_id, old_status=old_status, new_status=new_status
        )
    )


@transaction.atomic
def vendor_apply(
    *,
    owner: User,
    name: str,
    description: str,
    category: Category | None,
    regions: Iterable[Region],
    contact_email: str,
) -> Vendor:
    """Apply to sell: creates the owner's vendor, pending until a moderator approves it.

    Atomic. One vendor per owner: a second application is refused (ConflictError); a rejected applicant
    corrects and resubmits with vendor_application_resubmit instead.
    """
    _check_application(name=name, category=category, contact_email=contact_email)
    # Locking the user row serialises two simultaneous submits of the same owner.
    User.objects.select_for_update().filter(pk=owner.pk).first()
    if Vendor.objects.filter(owner=owner).exists():
        raise ConflictError("You have already applied to sell; see your application in your workspace.")
    vendor = Vendor.objects.create(
        owner=owner,
        name=name.strip(),
        slug=_unique_slug(name),
        description=description.strip(),
        category=category,
        contact_email=contact_email.strip(),
        status=Vendor.Status.PENDING,
    )
    vendor.regions.set(list(regions))
    return vendor


@transaction.atomic
def vendor_application_resubmit(
    *,
    owner: User,
    name: str,
    description: str,
    category: Category | None,
    regions: Iterable[Region],
    contact_email: str,
) -> Vendor:
    """Correct a pending or rejected application; a rejected one goes back to pending for moderators.

    Atomic. An approved or suspended vendor cannot resubmit (ConflictError): its status is the moderators'.
    """
    vendor = Vendor.objects.select_for_update().filter(owner=owner).order_by("id").first()
    if vendor is None:
        raise NotFoundError("You have not applied to sell yet.")
    if vendor.status not in (Vendor.Status.PENDING, Vendor.Status.REJECTED):
        raise ConflictError(f"Your vendor is {vendor.get_status_display().lower()}; the application is closed.")
    _check_application(name=name, category=category, contact_email=contact_email)
    old_status = vendor.status
    if vendor.name != name.strip():
        vendor.slug = _unique_slug(name, exclude_pk=vendor.pk)
    vendor.name = name.strip()
    vendor.description = description.strip()
    vendor.category = category  # type: ignore[assignment]
    vendor.contact_email = contact_email.strip()
    vendor.status = Vendor.Status.PENDING
    vendor.status_reason = ""
    vendor.save()
    vendor.regions.set(list(regions))
    if old_status != vendor.status:
        _announce_status(vendor.pk, old_status, vendor.status)
    return vendor
