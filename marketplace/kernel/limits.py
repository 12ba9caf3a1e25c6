"""Bounds on what any form, serializer or import accepts: every number has a range, every text a length,
every list a size; and the two fields that enforce bounds Django and DRF leave open.

They live in the bottom layer so every app may import them (imports point down only). A bound is a promise
to the user (a clear field error) and to the database (no value it cannot store, no page it must carry
that grows without end); the services and models keep their own rules on top.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from rest_framework import serializers

# Ids in bodies and query strings: the largest integer a JavaScript client holds exactly, well inside the
# 64-bit primary keys, so a larger one is a field error and never reaches the database.
ID_MAX = 2**53 - 1

# Money: at least a penny, two decimal places (the form and serializer fields say so), and a ceiling far
# above this marketplace's goods that keeps an order of a thousand lines of 99 units within its 12 digits.
PRICE_MIN = Decimal("0.01")
PRICE_MAX = Decimal("100000.00")

# Units of stock a product may hold, and the largest single change a vendor may make to it.
STOCK_MAX = 1_000_000
STOCK_DELTA_MAX = 1_000_000

# Free text: a product description is what a product page and an API page of 100 products carry.
DESCRIPTION_MAX_LENGTH = 5000
COMMENT_MAX_LENGTH = 2000
EMAIL_MAX_LENGTH = 254
# The longest name an uploaded file may have.
FILE_NAME_MAX_LENGTH = 200
# A multiple choice (regions served, interests) names at most this many; each named one is looked up.
CHOICES_MAX_ITEMS = 50


class IdModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows by id that refuses an id outside 1..ID_MAX as an invalid choice before the
    database sees it (the driver cannot bind an integer past 64 bits), and more than CHOICES_MAX_ITEMS."""

    def _check_values(self, value: Iterable[Any]) -> QuerySet[Any]:
        values = list(value)
        if len(values) > CHOICES_MAX_ITEMS:
            raise ValidationError(f"Choose at most {CHOICES_MAX_ITEMS}.", code="max_items")
        for pk in values:
            try:
                number = int(pk)
            except (TypeError, ValueError):
                continue  # not a number: the field's own check names it
            if not 1 <= number <= ID_MAX:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(values)


class BoundedManyRelatedField(serializers.ManyRelatedField):
    """DRF's many=True relation, refusing more than CHOICES_MAX_ITEMS items before any is looked up (DRF runs
    one query per item, so an unbounded list is an unbounded number of queries)."""

    def to_internal_value(self, data: Any) -> list[Any]:
        if isinstance(data, list | tuple) and len(data) > CHOICES_MAX_ITEMS:
            raise serializers.ValidationError(f"Choose at most {CHOICES_MAX_ITEMS}.", code="max_items")
        return super().to_internal_value(data)
