"""The versions of the durable scopes (a consumer's own pages), in their own table: bumped by an upsert in
the transaction that writes the change, so no cache outage loses a bump and no save of another row (a whole
user row saved from an older object) writes an old version back."""

from __future__ import annotations

from django.db import models


class ScopeVersion(models.Model):
    scope = models.CharField(max_length=100, primary_key=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "cache scope version"

    def __str__(self) -> str:
        return f"{self.scope} v{self.version}"
