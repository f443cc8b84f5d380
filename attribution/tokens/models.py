"""The API token record. The token itself is never stored: only its SHA-256 digest and a prefix to recognise it."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Every token starts with this, so a leaked one is recognisable (secret scanners, logs).
TOKEN_PREFIX = "cw_"
# Characters of the random part kept in clear to tell tokens apart in the admin (48 bits: enough to
# recognise one, far too few to guess the rest).
SHOWN_CHARS = 8
DEFAULT_DAYS = 90
# A year at most: a script's token is renewed on purpose, not forgotten for ever.
MAX_DAYS = 366


class ApiToken(models.Model):
    class State(models.TextChoices):
        ACTIVE = "active", _("active")
        EXPIRED = "expired", _("expired")
        REVOKED = "revoked", _("revoked")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text=_("The token acts as this user, with this user's permissions at the time of each request."),
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What it is for, e.g. “nightly CMS import”."))
    prefix = models.CharField(max_length=SHOWN_CHARS, editable=False)
    # SHA-256 of the whole token: tokens are 256 random bits, so a fast hash is safe and a lookup is one index hit.
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when made by the create_api_token command."),
    )
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Recorded at most once a minute per token (see services.LAST_USED_RESOLUTION), not on every request.
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.shown_prefix})"

    @property
    def shown_prefix(self) -> str:
        return f"{TOKEN_PREFIX}{self.prefix}…"

    def state(self, now: dt.datetime | None = None) -> str:
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.expires_at <= (now or timezone.now()):
            return self.State.EXPIRED
        return self.State.ACTIVE
