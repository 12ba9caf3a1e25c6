"""Domain signals of the shop: sent after commit, unless said otherwise."""

from django.dispatch import Signal

# Sent with vendor_id=<int> after an order of that vendor was placed, changed state or was rated.
order_changed = Signal()

# Sent INSIDE the transaction that lapses a checkout's payment (not paid in time, abandoned, cancelled at the
# provider), with order_ids=[<int>, ...]: the orders just cancelled unpaid. A receiver's writes commit or roll back
# with the lapse, so what it keeps about those orders (an awarded ask, marketplace/asks) never disagrees with them.
order_payment_lapsed = Signal()
