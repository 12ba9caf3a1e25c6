"""A consumer's own saved delivery addresses."""

from __future__ import annotations

from django.db.models import QuerySet

from marketplace.accounts.models import User

from ..models import SavedAddress


def address_list_for_consumer(*, consumer: User) -> QuerySet[SavedAddress]:
    """The consumer's own addresses, by label, with their regions (one query)."""
    return SavedAddress.objects.filter(consumer=consumer).select_related("region").order_by("label", "id")


def address_get_for_consumer(*, consumer: User, pk: int) -> SavedAddress | None:
    """One of the consumer's own addresses; another consumer's is simply not found."""
    return address_list_for_consumer(consumer=consumer).filter(pk=pk).first()
