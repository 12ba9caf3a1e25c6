"""Domain signals of the shop, sent after commit."""

from django.dispatch import Signal

# Sent with vendor_id=<int> after an order of that vendor was placed, changed state or was rated.
order_changed = Signal()
