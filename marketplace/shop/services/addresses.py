"""A consumer's saved delivery addresses: their own only, picked at checkout instead of typing them again."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.accounts.models import Region, User
from marketplace.kernel.errors import ConflictError, NotFoundError

from ..models import SavedAddress

MAX_SAVED_ADDRESSES = 20
LABEL_MAX_LENGTH = 40
NAME_MAX_LENGTH = 120
ADDRESS_MAX_LENGTH = 500


def label_error(label: str) -> str | None:
    """What is wrong with an address's label (already stripped), or None."""
    if len(label) > LABEL_MAX_LENGTH:
        return _("Keep the label under %(most)d characters.") % {"most": LABEL_MAX_LENGTH}
    return None


def address_clean(*, label: str, name: str, address: str, region: str) -> tuple[str, str, str, Region | None]:
    """The fields of an address, stripped and checked; ValidationError naming each bad field. `region` is a
    region's code ("" for none)."""
    label, name, address, region = label.strip(), name.strip(), address.strip(), region.strip()
    errors: dict[str, str] = {}
    if error := label_error(label):
        errors["label"] = error
    if not name:
        errors["name"] = _("Tell us whom to deliver to.")
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = _("Keep the name under %(most)d characters.") % {"most": NAME_MAX_LENGTH}
    if not address:
        errors["address"] = _("Tell us where to deliver.")
    elif len(address) > ADDRESS_MAX_LENGTH:
        errors["address"] = _("Keep the address under %(most)d characters.") % {"most": ADDRESS_MAX_LENGTH}
    found = Region.objects.filter(code=region).first() if region else None
    if region and found is None:
        errors["region"] = _("Choose a region from the list, or none.")
    if errors:
        raise ValidationError(errors)
    return label, name, address, found


def address_save_locked(*, consumer: User, label: str, name: str, address: str, region: Region | None) -> SavedAddress:
    """Save an address already checked (address_clean) inside the caller's transaction, unless the consumer
    saved the same one before (that one is returned). The consumer's row is locked, so two saves at once
    cannot both pass the limit of MAX_SAVED_ADDRESSES (ConflictError past it)."""
    User.objects.select_for_update().filter(pk=consumer.pk).values_list("pk", flat=True).get()
    mine = SavedAddress.objects.filter(consumer=consumer)
    same = mine.filter(name=name, address=address, region=region).first()
    if same is not None:
        return same
    if mine.count() >= MAX_SAVED_ADDRESSES:
        raise ConflictError(
            _("You can keep %(most)d addresses; delete one you no longer use first.") % {"most": MAX_SAVED_ADDRESSES}
        )
    return SavedAddress.objects.create(consumer=consumer, label=label, name=name, address=address, region=region)


@transaction.atomic
def address_save(*, consumer: User, name: str, address: str, label: str = "", region: str = "") -> SavedAddress:
    """Save a delivery address for the consumer (`region`: a region's code or ""). Atomic; bad input raises
    ValidationError naming each field and saves nothing; the same address saved twice is kept once; at most
    MAX_SAVED_ADDRESSES each (ConflictError)."""
    label, name, address, found = address_clean(label=label, name=name, address=address, region=region)
    return address_save_locked(consumer=consumer, label=label, name=name, address=address, region=found)


@transaction.atomic
def address_update(
    *, consumer: User, address_id: int, name: str, address: str, label: str = "", region: str = ""
) -> SavedAddress:
    """Change one of the consumer's own saved addresses (another consumer's is not found). Orders placed with
    it keep the address they were placed with."""
    label, name, address, found = address_clean(label=label, name=name, address=address, region=region)
    saved = SavedAddress.objects.select_for_update().filter(pk=address_id, consumer=consumer).first()
    if saved is None:
        raise NotFoundError(_("No such address."))
    saved.label, saved.name, saved.address, saved.region = label, name, address, found
    saved.save(update_fields=["label", "name", "address", "region"])
    return saved


@transaction.atomic
def address_delete(*, consumer: User, address_id: int) -> None:
    """Delete one of the consumer's own saved addresses (another consumer's is not found)."""
    deleted, _by_model = SavedAddress.objects.filter(pk=address_id, consumer=consumer).delete()
    if not deleted:
        raise NotFoundError(_("No such address."))
