"""The address of the visitor behind a request: the one answer every limit that counts visitors reads.

The deployment states how many proxies in front of the site it controls (settings.MARKETPLACE
["TRUSTED_PROXY_COUNT"], from DJANGO_TRUSTED_PROXIES; default 0). Each such proxy appends the address it was
connected from to X-Forwarded-For, so with N trusted proxies the visitor is the N-th entry from the right:
everything to the left of it was written by the visitor and is ignored. With 0 the header is not read at all
and the visitor is REMOTE_ADDR, so a client that connects directly cannot choose its address by forging the
header.

Who reads it: DRF's throttles (marketplace/kernel/throttling.py; NUM_PROXIES is set from the same setting), the
failed-token counter (marketplace/accounts/authentication.py) and django-allauth's login and sign-up limits
(marketplace/accounts/adapter.py, ACCOUNT_ADAPTER). Kernel: imports no app.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def trusted_proxy_count() -> int:
    """How many proxies in front of the site append to X-Forwarded-For (0: the header is ignored)."""
    return max(0, int(settings.MARKETPLACE.get("TRUSTED_PROXY_COUNT", 0)))


def _address(value: str) -> str | None:
    """The address written in `value`, normalised, or None when it is not one (a port or brackets included)."""
    text = value.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:51234"
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The visitor's address: with N trusted proxies the N-th entry from the right of X-Forwarded-For, else
    REMOTE_ADDR. A header with fewer entries than N (the request did not come through every trusted proxy) or
    an entry that is not an address falls back to REMOTE_ADDR, so no header can make two visitors one or
    choose an address a trusted proxy did not write. Never raises; "" only when the server gave no address."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = trusted_proxy_count()
    if proxies == 0:
        return _address(remote) or remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") or ""
    entries = [entry for entry in forwarded.split(",") if entry.strip()]
    if len(entries) < proxies:
        return _address(remote) or remote
    return _address(entries[-proxies]) or _address(remote) or remote
