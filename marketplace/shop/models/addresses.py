"""Delivery addresses a consumer saved, to pick at checkout instead of typing them again."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from marketplace.accounts.models import Region


class SavedAddress(models.Model):
    consumer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_addresses")
    label = models.CharField(max_length=40, blank=True, help_text="Home, Work…")
    name = models.CharField(max_length=120)
    address = models.TextField()
    region = models.ForeignKey(Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["label", "id"]
        indexes = [models.Index(fields=["consumer", "label"], name="saved_address_consumer_idx")]

    def __str__(self) -> str:
        return self.label or self.address.splitlines()[0][:40]
