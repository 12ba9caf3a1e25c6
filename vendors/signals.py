"""Domain signals of the vendors layer, sent after commit."""

from django.dispatch import Signal

# Sent with vendor_id=<int>, old_status=<str>, new_status=<str> after a moderation status change commits.
vendor_status_changed = Signal()
