"""Payments and vendor payouts of the shop: the provider interface (base.py), the fake provider (fake.py),
Stripe Connect (stripe_provider.py), their services, selectors, tasks and the webhook endpoint.
docs/payments.md describes the whole."""
