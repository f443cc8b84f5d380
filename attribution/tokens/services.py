"""Issuing, revoking and checking API tokens: the one path the admin, the command and the API all take."""

import datetime as dt
import hashlib
import re
import secrets

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from attribution.lib import api_sql
from attribution.tokens.models import MAX_DAYS, SHOWN_CHARS, TOKEN_PREFIX, ApiToken

# 32 random bytes, URL-safe base64 without padding: 43 characters.
TOKEN_SHAPE = re.compile(rf"{re.escape(TOKEN_PREFIX)}[A-Za-z0-9_-]{{43}}")
# last_used_at is written at most this often per token, so a busy script costs no write per request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class TokenRefused(Exception):
    """The token cannot be used; ``message`` says why, for the 401 response."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_api_token(*, owner, name: str, days: int, actor) -> tuple[ApiToken, str]:
    """Make a token for ``owner`` valid ``days`` days; return the record and the token (its only appearance).

    Raises ValidationError (keyed by field) for a blank name, days out of 1..MAX_DAYS or an inactive owner;
    nothing is saved then. ``actor`` is who made it (None for the command line).
    """
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Give the token a name saying what it is for.")
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = _("A token lasts from 1 to %(max)d days.") % {"max": MAX_DAYS}
    if not owner.is_active:
        errors["owner"] = _("%(user)s is not an active user.") % {"user": owner.get_username()}
    if errors:
        raise ValidationError(errors)
    random_part = secrets.token_urlsafe(32)
    token = TOKEN_PREFIX + random_part
    record = ApiToken.objects.create(
        owner=owner,
        name=name[:100],
        prefix=random_part[:SHOWN_CHARS],
        digest=token_digest(token),
        expires_at=timezone.now() + dt.timedelta(days=days),
        created_by=actor,
    )
    return record, token


def revoke_api_token(record: ApiToken, *, actor) -> bool:
    """Revoke the token at once. Idempotent: False if it was already revoked (the first revocation stays)."""
    return (
        ApiToken.objects.filter(pk=record.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=actor
        )
        == 1
    )


def authenticate_token(token: str) -> ApiToken:
    """The active token ``token`` is, with its owner loaded; raise TokenRefused saying why it is not usable.

    Records the use in ``last_used_at`` when the stored time is older than LAST_USED_RESOLUTION (one
    conditional UPDATE, so concurrent requests write it once).
    """
    if not TOKEN_SHAPE.fullmatch(token):
        raise TokenRefused(_("This is not a Citewatch API token: they look like %(shape)s.") % {"shape": "cw_…"})
    digest = token_digest(token)
    # The token and its owner in one statement compiled once per connection: building and compiling the
    # select_related() query took more CPU than the rest of the lookup (bench/README.md, "API under load").
    # The digest is unique: one row or none.
    found = api_sql.with_related(
        ("tokens", "by digest"), ApiToken, "owner", lambda: ApiToken.objects.filter(digest=digest).order_by(), [digest]
    )
    if not found:
        raise TokenRefused(_("Unknown API token."))
    record = found[0]
    now = timezone.now()
    state = record.state(now)
    if state == ApiToken.State.REVOKED:
        when = formats.date_format(timezone.localtime(record.revoked_at), "DATETIME_FORMAT")
        raise TokenRefused(_("This API token was revoked on %(when)s; ask for a new one.") % {"when": when})
    if state == ApiToken.State.EXPIRED:
        when = formats.date_format(timezone.localtime(record.expires_at), "DATETIME_FORMAT")
        raise TokenRefused(_("This API token expired on %(when)s; ask for a new one.") % {"when": when})
    if not record.owner.is_active:
        raise TokenRefused(_("The owner of this API token is no longer an active user."))
    if record.last_used_at is None or now - record.last_used_at >= LAST_USED_RESOLUTION:
        stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
        ApiToken.objects.filter(stale, pk=record.pk).update(last_used_at=now)
    return record
