"""Applying to sell: the application, its checks, and resubmitting after a rejection; once approved, the
vendor's own profile (description, regions served, logo)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import NotRequired, TypedDict, Unpack

from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from marketplace.accounts.models import Region, User
from marketplace.kernel.enqueue import enqueue_safely
from marketplace.kernel.errors import ConflictError, NotFoundError

from ..models import Category, Vendor
from ..signals import vendor_status_changed
from .catalogue import image_prepare


def _unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:120] or "vendor"
    slug, n = base, 1
    taken = Vendor.objects.exclude(pk=exclude_pk) if exclude_pk else Vendor.objects.all()
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class ApplicationFields(TypedDict):
    """What an applicant writes to apply to sell, and again to correct the application."""

    name: str
    description: str
    category: Category | None
    regions: Iterable[Region]
    contact_email: str
    # The same in Traditional Chinese, optional (docs/i18n.md): readers of Chinese see them instead.
    name_zh_hant: NotRequired[str]
    description_zh_hant: NotRequired[str]


def _check_application(application: ApplicationFields) -> None:
    errors: dict[str, list[str]] = {}
    if not application["name"].strip():
        errors["name"] = [_("Enter your business name.")]
    if len(application.get("name_zh_hant", "").strip()) > Vendor._meta.get_field("name_zh_hant").max_length:
        errors["name_zh_hant"] = [_("Keep the name under %(max)s characters.") % {"max": 120}]
    if len(application.get("description_zh_hant", "").strip()) > PROFILE_DESCRIPTION_MAX_LENGTH:
        errors["description_zh_hant"] = [
            _("Keep the description under %(max)s characters.") % {"max": PROFILE_DESCRIPTION_MAX_LENGTH}
        ]
    if application["category"] is None:
        errors["category"] = [_("Choose the category you sell in.")]
    if contact_email := application["contact_email"]:
        try:
            validate_email(contact_email)
        except ValidationError:
            errors["contact_email"] = [_("Enter a valid email address.")]
    else:
        errors["contact_email"] = [_("Enter an email address customers and moderators can reach you at.")]
    if errors:
        raise ValidationError(errors)


def _application_write(vendor: Vendor, application: ApplicationFields) -> None:
    """Put a checked application on the (new or pending) vendor, pending for moderators, and save it."""
    name = application["name"].strip()
    if vendor.pk is None or vendor.name != name:
        vendor.slug = _unique_slug(name, exclude_pk=vendor.pk)
    vendor.name = name
    vendor.name_zh_hant = application.get("name_zh_hant", "").strip()
    vendor.description = application["description"].strip()
    vendor.description_zh_hant = application.get("description_zh_hant", "").strip()
    vendor.category = application["category"]  # type: ignore[assignment]
    vendor.contact_email = application["contact_email"].strip()
    vendor.status, vendor.status_reason = Vendor.Status.PENDING, ""
    vendor.save()
    vendor.regions.set(list(application["regions"]))


def _announce_status(vendor_id: int, old_status: str, new_status: str) -> None:
    transaction.on_commit(
        lambda: vendor_status_changed.send(
            sender=Vendor, vendor_id=vendor_id, old_status=old_status, new_status=new_status
        )
    )


@transaction.atomic
def vendor_apply(*, owner: User, **application: Unpack[ApplicationFields]) -> Vendor:
    """Apply to sell: creates the owner's vendor, pending until a moderator approves it.

    Atomic. One vendor per owner: a second application is refused (ConflictError); a rejected applicant
    corrects and resubmits with vendor_application_resubmit instead.
    """
    _check_application(application)
    # Locking the user row serialises two simultaneous submits of the same owner.
    User.objects.select_for_update().filter(pk=owner.pk).first()
    if Vendor.objects.filter(owner=owner).exists():
        raise ConflictError(_("You have already applied to sell; see your application in your workspace."))
    vendor = Vendor(owner=owner)
    _application_write(vendor, application)
    return vendor


@transaction.atomic
def vendor_application_resubmit(*, owner: User, **application: Unpack[ApplicationFields]) -> Vendor:
    """Correct a pending or rejected application; a rejected one goes back to pending for moderators.

    Atomic. An approved or suspended vendor cannot resubmit (ConflictError): its status is the moderators'.
    """
    vendor = Vendor.objects.select_for_update().filter(owner=owner).order_by("id").first()
    if vendor is None:
        raise NotFoundError(_("You have not applied to sell yet."))
    if vendor.status not in (Vendor.Status.PENDING, Vendor.Status.REJECTED):
        raise ConflictError(
            _("Your vendor is %(status)s; the application is closed.") % {"status": vendor.get_status_display().lower()}
        )
    _check_application(application)
    old_status = vendor.status
    _application_write(vendor, application)
    if old_status != vendor.status:
        _announce_status(vendor.pk, old_status, vendor.status)
    return vendor


PROFILE_DESCRIPTION_MAX_LENGTH = 4000
# How much of the previous description the audit entry keeps: enough for a moderator to see what changed.
AUDIT_EXCERPT_LENGTH = 300


def _regions_text(regions: Iterable[Region]) -> str:
    return ", ".join(sorted(r.name for r in regions)) or "none"


def _logo_thumbnails_enqueue(vendor_id: int) -> None:
    # Imported here: the task module imports the services. A task lost to a broker outage costs only speed:
    # the logo template falls back to sorl-thumbnail, which makes a missing thumbnail on the first page.
    from ..tasks import vendor_logo_thumbnails_generate_task

    enqueue_safely(vendor_logo_thumbnails_generate_task, vendor_id)


def vendor_profile_update(
    *,
    owner: User,
    description: str | None = None,
    regions: Iterable[Region] | None = None,
    logo: UploadedFile | None = None,
    remove_logo: bool = False,
    description_zh_hant: str | None = None,
) -> Vendor:
    """Change the public profile of the owner's approved vendor: its description (in either language or both:
    `description_zh_hant` is what readers of Traditional Chinese see instead), the regions it serves and
    its logo (only the fields given; None leaves a field as it is; `remove_logo` takes the logo down). Name and
    category stay as the moderators approved them. A pending or rejected vendor corrects its application
    instead, and a suspended one waits for the moderators (ConflictError); NotFoundError when the user has no
    vendor. A logo is stored only as image_prepare re-encodes it, decoded before the transaction opens.

    Atomic, vendor row locked. A change writes one audit entry, by the owner, in Django's change log (the
    vendor's history in the admin): which fields changed, with the previous regions and the start of the
    previous description. A save that changes nothing writes none.
    """
    if logo is not None and remove_logo:
        raise ValidationError({"logo": [_("Upload a new logo or remove the current one, not both.")]})
    too_long: dict[str, list[str]] = {}
    for field, text in (("description", description), ("description_zh_hant", description_zh_hant)):
        if text is not None and len(text.strip()) > PROFILE_DESCRIPTION_MAX_LENGTH:
            too_long[field] = [
                _("Keep the description under %(max)s characters.") % {"max": PROFILE_DESCRIPTION_MAX_LENGTH}
            ]
    if too_long:
        raise ValidationError(too_long)
    if description is not None:
        description = description.strip()
    if description_zh_hant is not None:
        description_zh_hant = description_zh_hant.strip()
    stored_logo = image_prepare(image=logo, field="logo")
    with transaction.atomic():
        vendor = Vendor.objects.select_for_update().filter(owner=owner).order_by("id").first()
        if vendor is None:
            raise NotFoundError(_("You have not applied to sell yet."))
        if vendor.status == Vendor.Status.SUSPENDED:
            raise ConflictError(_("Your vendor is suspended; its profile stays until the moderators reinstate it."))
        if vendor.status != Vendor.Status.APPROVED:
            raise ConflictError(_("Your application is not approved yet; correct it in the application form instead."))
        changes: list[str] = []
        update_fields: list[str] = []
        if description is not None and description != vendor.description:
            previous = vendor.description[:AUDIT_EXCERPT_LENGTH]
            ellipsis = "…" if len(vendor.description) > AUDIT_EXCERPT_LENGTH else ""
            changes.append(f"description (was: “{previous}{ellipsis}”)")
            vendor.description = description
            update_fields.append("description")
        if description_zh_hant is not None and description_zh_hant != vendor.description_zh_hant:
            previous = vendor.description_zh_hant[:AUDIT_EXCERPT_LENGTH]
            ellipsis = "…" if len(vendor.description_zh_hant) > AUDIT_EXCERPT_LENGTH else ""
            changes.append(f"description in Traditional Chinese (was: “{previous}{ellipsis}”)")
            vendor.description_zh_hant = description_zh_hant
            update_fields.append("description_zh_hant")
        if stored_logo is not None:
            changes.append("logo (a new image)")
            vendor.logo = stored_logo  # type: ignore[assignment]
            vendor.logo_thumbnails = {}  # the old logo's; the task stores the new one's
            update_fields += ["logo", "logo_thumbnails"]
            transaction.on_commit(partial(_logo_thumbnails_enqueue, vendor.pk))
        elif remove_logo and vendor.logo:
            changes.append("logo (removed)")
            vendor.logo = ""  # type: ignore[assignment]
            vendor.logo_thumbnails = {}
            update_fields += ["logo", "logo_thumbnails"]
        if update_fields:
            vendor.save(update_fields=update_fields)
        if regions is not None:
            new_regions = list(regions)
            old_regions = list(vendor.regions.all())
            if {r.pk for r in new_regions} != {r.pk for r in old_regions}:
                changes.append(f"regions served (was: {_regions_text(old_regions)}; now: {_regions_text(new_regions)})")
                vendor.regions.set(new_regions)
        if changes:
            LogEntry.objects.log_actions(
                user_id=owner.pk,
                queryset=[vendor],
                action_flag=CHANGE,
                change_message=f"Profile changed by the owner: {'; '.join(changes)}.",
                single_object=True,
            )
    return vendor
