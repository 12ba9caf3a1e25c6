"""Domain signals of the portfolios layer. Sent after commit, with the vendor whose figures changed."""

from django.dispatch import Signal

# Sent with vendor_id=<int> after a membership change has committed.
membership_changed = Signal()
