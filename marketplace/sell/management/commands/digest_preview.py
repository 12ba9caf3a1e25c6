"""Print a digest e-mail as it would go out now, without sending it or moving any watermark.

manage.py digest_preview --email consumer@example.com      the partner digest of a consumer (text)
manage.py digest_preview --vendor-email owner@example.com  the weekly digest of the vendor(s) this user owns
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from marketplace.accounts.models import User
from promotions.services.digest import partner_digest_preview
from vendors.models import Vendor

from ...services.digest import vendor_digest_preview


class Command(BaseCommand):
    help = "Print the partner digest (--email) or the vendor weekly digest (--vendor-email) without sending it."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--email", help="The consumer whose partner digest to print.")
        group.add_argument("--vendor-email", help="The vendor owner whose weekly digest to print.")

    def handle(self, *args: Any, **options: Any) -> None:
        address = (options.get("email") or options.get("vendor_email") or "").strip().lower()
        user = User.objects.filter(email__iexact=address).first()
        if user is None:
            raise CommandError(f"No user with the e-mail address {address!r}.")
        if options.get("email"):
            subject, text, digest = partner_digest_preview(consumer=user)
            if digest.empty:
                self.stderr.write("Nothing new from this consumer's partners: the job would send no digest now.")
            self.stdout.write(f"To: {user.email}\nSubject: {subject}\n\n{text}")
            return
        vendors = list(Vendor.objects.filter(owner=user).order_by("id"))
        if not vendors:
            raise CommandError(f"{address} owns no vendor.")
        for vendor in vendors:
            subject, text, _digest = vendor_digest_preview(vendor=vendor)
            self.stdout.write(f"To: {user.email}\nSubject: {subject}\n\n{text}\n")
