"""Every write of the portfolios layer: memberships (memberships.py), statistics (stats.py), early-warning
flags from the statistics (flags.py). Only the consumer's own action changes a membership (rule 1)."""

from .memberships import (
    membership_anonymise_for_consumer,
    membership_end,
    membership_record_purchase,
    membership_reinstate,
    membership_set_muted,
    membership_start,
)

__all__ = [
    "membership_anonymise_for_consumer",
    "membership_end",
    "membership_record_purchase",
    "membership_reinstate",
    "membership_set_muted",
    "membership_start",
]
