"""A removal or change request from a rights holder, and the articles and sources it is about.

A TakedownRequest only changes ``status`` through ``takedowns.workflow.transition``
(a guarded conditional UPDATE that also writes a RequestEvent), along the
moves listed in ``takedowns.workflow.graph``. ``outcome`` is what was done
about it, kept apart from the status (froide's Status/Resolution split).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Shared by the form, the API serializer and the model so the three cannot disagree.
MAX_NAME = 200
MAX_EMAIL = 254
MAX_COUNTRY = 100
MAX_PHONE = 40
MAX_ADDRESS = 1000
MAX_URL = 2000
MAX_SHORT_TEXT = 5000
MAX_LONG_TEXT = 20000
MAX_NOTE = 5000


def new_status_token() -> str:
    """192 random bits, URL-safe: the only key to a requester's status page, so it must not be guessable."""
    return secrets.token_urlsafe(24)


class TakedownRequest(models.Model):
    class RequestType(models.TextChoices):
        COPYRIGHT = "copyright", _("Copyright or republication")
        ATTRIBUTION = "attribution", _("Attribution or source correction")
        FACTUAL_CORRECTION = "factual_correction", _("Factual correction")
        PRIVACY = "privacy", _("Privacy")
        OTHER = "other", _("Other")

    class Relationship(models.TextChoices):
        RIGHTS_HOLDER = "rights_holder", _("I am the rights holder")
        AUTHORISED_AGENT = "authorised_agent", _("I am an authorised agent of the rights holder")
        NAMED_PERSON = "named_person", _("I am a person named in the article")
        OTHER = "other", _("Other")

    class Remedy(models.TextChoices):
        REMOVE_ARTICLE = "remove_article", _("Remove the article")
        CHANGE_PASSAGE = "change_passage", _("Change a passage")
        FIX_ATTRIBUTION = "fix_attribution", _("Fix or add attribution")
        UPDATE_LINK = "update_link", _("Update a link")

    class Status(models.TextChoices):
        PENDING_VERIFICATION = "pending_verification", _("Waiting for email confirmation")
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in_review", _("In review")
        NEEDS_INFO = "needs_info", _("Waiting for your reply")
        ACCEPTED = "accepted", _("Accepted")
        ACTIONED = "actioned", _("Actioned")
        REJECTED = "rejected", _("Rejected")
        SPAM = "spam", _("Spam")
        DUPLICATE = "duplicate", _("Duplicate")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        REINSTATED = "reinstated", _("Reinstated")
        EXPIRED = "expired", _("Expired (never confirmed)")

    class Outcome(models.TextChoices):
        REMOVED_ARTICLE = "removed_article", _("Article removed")
        REMOVED_PASSAGE = "removed_passage", _("Passage removed")
        TEXT_CORRECTED = "text_corrected", _("Text corrected")
        ATTRIBUTION_CHANGED = "attribution_changed", _("Attribution changed")
        LINK_UPDATED = "link_updated", _("Link updated")
        NO_ACTION = "no_action", _("No action")

    class RejectionReason(models.TextChoices):
        NOT_RIGHTS_HOLDER = "not_rights_holder", _("Not shown to be the rights holder or their agent")
        INSUFFICIENT_INFORMATION = "insufficient_information", _("Not enough information to act")
        ATTRIBUTION_CORRECT = "attribution_correct", _("The attribution is already correct")
        PERMITTED_USE = "permitted_use", _("The use is permitted (quotation, fair dealing, licence)")
        PUBLIC_INTEREST = "public_interest", _("Publication is in the public interest")
        OUT_OF_SCOPE = "out_of_scope", _("Not something this process handles")
        OTHER = "other", _("Other")

    # The only way in for the requester: /requests/<token>/. Never the pk.
    token = models.CharField(max_length=64, unique=True, default=new_status_token, editable=False)
    # A second secret, only ever emailed: whoever holds the status page (e.g. an
    # API caller) cannot confirm the address without reading the mailbox.
    confirmation_token = models.CharField(max_length=64, unique=True, default=new_status_token, editable=False)
    request_type = models.CharField(max_length=32, choices=RequestType.choices)
    articles = models.ManyToManyField("attribution.Article", through="RequestArticle", related_name="takedown_requests")
    citations = models.ManyToManyField(
        "attribution.Citation", through="RequestCitation", related_name="takedown_requests", blank=True
    )

    # Who is asking.
    relationship = models.CharField(max_length=32, choices=Relationship.choices)
    organisation = models.CharField(max_length=MAX_NAME, blank=True)
    acting_for = models.CharField(max_length=MAX_NAME, blank=True, help_text=_("Whom the requester acts for."))
    requester_name = models.CharField(max_length=MAX_NAME)
    requester_email = models.EmailField(max_length=MAX_EMAIL)
    requester_country = models.CharField(max_length=MAX_COUNTRY)
    requester_phone = models.CharField(max_length=MAX_PHONE, blank=True)
    requester_postal_address = models.TextField(max_length=MAX_ADDRESS, blank=True)
    # Emails to the requester are rendered in the language they used the form in.
    language = models.CharField(max_length=16, default="en")

    # What they want.
    remedy = models.CharField(max_length=32, choices=Remedy.choices)
    passage = models.TextField(max_length=MAX_LONG_TEXT, blank=True)
    proposed_text = models.TextField(max_length=MAX_LONG_TEXT, blank=True)
    original_work_url = models.URLField(max_length=MAX_URL, blank=True)
    original_work_description = models.TextField(max_length=MAX_SHORT_TEXT, blank=True)
    details = models.TextField(max_length=MAX_LONG_TEXT, blank=True, help_text=_("The requester's explanation."))

    # Declarations, with the exact wording agreed to kept as part of the record.
    statement_good_faith = models.BooleanField(default=False)
    statement_accuracy = models.BooleanField(default=False)
    statement_perjury = models.BooleanField(default=False, help_text=_("Required for copyright requests."))
    statements_text = models.TextField(blank=True)
    consent_to_publication = models.BooleanField(default=False)
    signature = models.CharField(max_length=MAX_NAME)

    # Workflow. Status only moves through services.transition; outcome is set by the decision.
    status = models.CharField(
        max_length=32, choices=Status.choices, default=Status.PENDING_VERIFICATION, editable=False
    )
    outcome = models.CharField(max_length=32, choices=Outcome.choices, blank=True)
    rejection_reason = models.CharField(max_length=32, choices=RejectionReason.choices, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_takedown_requests",
    )

    # Signals for editors, computed when the email is confirmed.
    domain_match = models.BooleanField(default=False)
    domain_match_host = models.CharField(max_length=253, blank=True)

    # Keyed HMAC of the client IP (see services.hash_ip); never the raw address.
    ip_hash = models.CharField(max_length=64, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, help_text=_("When the email was confirmed."))
    first_response_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    first_response_due_at = models.DateTimeField(null=True, blank=True)
    decision_due_at = models.DateTimeField(null=True, blank=True)
    # Set by the retention purge once contact details, IP hash and files are gone.
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        indexes = [
            # The editors' queue and the expiry sweep: status, oldest first.
            models.Index(fields=["status", "created_at"], name="takedown_status_created"),
            # Duplicate detection and the per-email rate limit.
            models.Index(fields=["requester_email", "created_at"], name="takedown_email_created"),
            # The per-IP rate limit.
            models.Index(fields=["ip_hash", "created_at"], name="takedown_ip_created"),
            # The retention purge: closed long ago and not yet purged.
            models.Index(fields=["closed_at"], condition=Q(purged_at__isnull=True), name="takedown_to_purge"),
        ]
        # The workflow's permissions; takedowns.workflow.graph says which move needs which.
        permissions = [
            ("triage_request", _("Can triage requests: take, assign, ask, reject, spam, duplicate")),
            ("decide_legal_request", _("Can decide removal, copyright and privacy requests")),
            ("reinstate_request", _("Can reinstate an actioned request")),
        ]

    def __str__(self):
        return f"#{self.pk} {self.get_request_type_display()}"

    def get_absolute_url(self):
        return reverse("takedowns:status", kwargs={"token": self.token})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


Status = TakedownRequest.Status
# In the editors' hands: duplicates are looked for among these, and the
# requester can still withdraw or write.
OPEN_STATUSES = frozenset({Status.SUBMITTED, Status.IN_REVIEW, Status.NEEDS_INFO, Status.ACCEPTED})
CLOSED_STATUSES = frozenset(
    {
        Status.ACTIONED,
        Status.REJECTED,
        Status.SPAM,
        Status.DUPLICATE,
        Status.WITHDRAWN,
        Status.REINSTATED,
        Status.EXPIRED,
    }
)


class RequestArticle(models.Model):
    request = models.ForeignKey(TakedownRequest, on_delete=models.CASCADE, related_name="request_articles")
    # Articles are never deleted (removal is a status), so PROTECT keeps the record whole.
    article = models.ForeignKey("attribution.Article", on_delete=models.PROTECT, related_name="request_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "article"], name="request_article_unique")]

    def __str__(self):
        return f"#{self.request_id} → {self.article_id}"


class RequestCitation(models.Model):
    """A specific cited source the request is about.

    A re-import may delete a Citation, so the position, text and source URL
    are copied here and the link to the Citation itself is allowed to go.
    """

    request = models.ForeignKey(TakedownRequest, on_delete=models.CASCADE, related_name="request_citations")
    citation = models.ForeignKey(
        "attribution.Citation", null=True, blank=True, on_delete=models.SET_NULL, related_name="request_links"
    )
    article = models.ForeignKey("attribution.Article", on_delete=models.PROTECT, related_name="+")
    source_url = models.ForeignKey("attribution.SourceURL", on_delete=models.PROTECT, related_name="request_links")
    position = models.PositiveIntegerField()
    text_as_written = models.TextField()

    class Meta:
        ordering = ["article_id", "position"]
        constraints = [models.UniqueConstraint(fields=["request", "citation"], name="request_citation_unique")]

    def __str__(self):
        return f"#{self.request_id} → {self.position}/ {self.text_as_written}"
