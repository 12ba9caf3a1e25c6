"""Closing a consumer's account. It lives in the top layer because it touches every layer's rows."""

from __future__ import annotations

from django.db import transaction

from marketplace.accounts.models import User
from marketplace.errors import ConflictError
from portfolios.services import membership_anonymise_for_consumer


@transaction.atomic
def account_close(*, user: User) -> None:
    """Delete the user's account in one transaction.

    Partnerships are ended (with their events) and anonymised, so vendors' figures stay true; orders,
    ratings and redemptions stay for the vendors' books with the consumer removed; the cart, profile and
    tokens go with the user. A user who owns a vendor must hand it over first (refused, nothing changed).
    """
    if user.vendors.exists():
        raise ConflictError("You own a vendor on the marketplace; ask the moderators to close it before your account.")
    membership_anonymise_for_consumer(consumer=user)
    user.delete()
