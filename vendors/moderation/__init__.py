"""Moderation: the queue, applications, suspension, reports, early-warning flags and the audit log.

Models stay in vendors.models; this package holds their services, selectors, views and API."""
