"""Abuse controls for the public endpoints: client IP hashing and rate limits.

Limits are counted in the database (requests created in the last hour per IP
hash and per email), so every web process and machine sees the same count
without a shared cache. Concurrent posts can overshoot a limit by the number
racing at that instant, which is acceptable for a courtesy limit.
"""

import datetime as dt
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Min
from django.utils import timezone
from django.utils.crypto import salted_hmac

from takedowns.models import Message, TakedownRequest

WINDOW = dt.timedelta(hours=1)


@dataclass
class RateLimited(Exception):
    """Too many submissions; ``retry_at`` is when the oldest counted one leaves the window."""

    retry_at: dt.datetime
    limit: int

    @property
    def retry_after_seconds(self) -> int:
        return max(1, int((self.retry_at - timezone.now()).total_seconds()) + 1)

    @property
    def retry_after_minutes(self) -> int:
        return max(1, -(-self.retry_after_seconds // 60))


def client_ip(request) -> str:
    """The client address: the socket peer, or behind TAKEDOWNS_TRUSTED_PROXIES proxies, from X-Forwarded-For."""
    hops = settings.TAKEDOWNS_TRUSTED_PROXIES
    if hops:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops and _is_ip(forwarded[-hops]):
            # Each trusted proxy appends the address it saw; anything further left is client-controlled.
            # Not an address (a proxy misconfigured, or fewer of them than configured): the socket peer,
            # since the login lockout stores it in an address column, which refuses anything else.
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def hash_ip(ip: str) -> str:
    """Keyed HMAC-SHA256 of an IP address: comparable for rate limits, not reversible without the key."""
    return salted_hmac(
        "takedowns.ip", ip or "unknown", secret=settings.TAKEDOWNS_IP_HASH_KEY, algorithm="sha256"
    ).hexdigest()


def _check(queryset, limit: int, now) -> None:
    recent = queryset.filter(created_at__gte=now - WINDOW)
    summary = recent.aggregate(oldest=Min("created_at"))
    if summary["oldest"] is not None and recent.count() >= limit:
        raise RateLimited(retry_at=summary["oldest"] + WINDOW, limit=limit)


def check_ip_limit(ip_hash: str, *, now=None) -> None:
    """Raise RateLimited if this IP created TAKEDOWNS_RATE_PER_IP_PER_HOUR requests in the last hour."""
    now = now or timezone.now()
    _check(TakedownRequest.objects.filter(ip_hash=ip_hash), settings.TAKEDOWNS_RATE_PER_IP_PER_HOUR, now)


def check_email_limit(email: str, *, now=None) -> None:
    """Raise RateLimited if this address was given TAKEDOWNS_RATE_PER_EMAIL_PER_HOUR times in the last hour.

    This protects the address's owner from being mail-bombed with confirmation links.
    """
    now = now or timezone.now()
    requests = TakedownRequest.objects.filter(requester_email=email.strip().lower())
    _check(requests, settings.TAKEDOWNS_RATE_PER_EMAIL_PER_HOUR, now)


def check_message_limit(takedown: TakedownRequest, *, now=None) -> None:
    now = now or timezone.now()
    messages = Message.objects.filter(request=takedown, direction=Message.Direction.FROM_REQUESTER)
    _check(messages, settings.TAKEDOWNS_MESSAGES_PER_HOUR, now)
