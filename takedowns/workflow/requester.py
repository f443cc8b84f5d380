"""The requester's side of a request's life: submit, confirm the address, write, withdraw.

Called by the public form, the public API and the status page. Each is
atomic; a file stored by a step that then fails is deleted again.
"""

from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from attribution.lib.domains import default_publisher_host, host_suffixes
from attribution.models import Article, Citation, SourceURL
from takedowns.files import InspectedFile
from takedowns.mail import confirm_url, duplicate_context, queue_requester_mail
from takedowns.models import (
    OPEN_STATUSES,
    Attachment,
    Message,
    RequestArticle,
    RequestCitation,
    RequestEvent,
    TakedownRequest,
)
from takedowns.workflow import sla
from takedowns.workflow.graph import By
from takedowns.workflow.transition import record_event, transition

Status = TakedownRequest.Status


class RequestClosed(Exception):
    """The requester tried to write to a request that is not open (unconfirmed, or closed)."""


@dataclass
class RequestInput:
    """A validated request, as the form and the API both produce it."""

    fields: dict  # TakedownRequest field values: request_type, requester_name, statements_text, …
    articles: list[Article]
    citations: list[Citation] = field(default_factory=list)
    files: list[InspectedFile] = field(default_factory=list)


@contextmanager
def _remove_files_on_failure():
    """Yield a list to record stored file names in; delete them if the block fails (the rows roll back)."""
    saved: list[str] = []
    try:
        yield saved
    except BaseException:
        storage = Attachment._meta.get_field("file").storage
        for name in saved:
            storage.delete(name)
        raise


def attach_files(takedown, files, saved, *, message=None, user=None, actor_label=By.REQUESTER):
    uploaded_by = Attachment.UploadedBy.STAFF if user else Attachment.UploadedBy.REQUESTER
    for inspected in files:
        attachment = Attachment(
            request=takedown,
            message=message,
            original_name=inspected.original_name,
            content_type=inspected.content_type,
            size=inspected.size,
            sha256=inspected.sha256,
            uploaded_by=uploaded_by,
            uploaded_by_user=user,
        )
        attachment.file.save(inspected.original_name, inspected.upload, save=False)
        saved.append(attachment.file.name)
        attachment.save()
        record_event(
            takedown,
            kind=RequestEvent.Kind.ATTACHMENT,
            actor=user,
            actor_label=actor_label,
            note=inspected.original_name,
            attachment=attachment,
            visible_to_requester=True,
        )


def submit_request(data: RequestInput, *, ip_hash: str, language: str) -> TakedownRequest:
    """Create a request as ``pending_verification`` and queue the confirmation email.

    ``data`` must already be validated (RequestForm, which the API serializer
    uses too). Atomic: the request, its articles, sources, files, first event
    and the outbox row are saved together or not at all (stored files are removed).
    """
    with _remove_files_on_failure() as saved, transaction.atomic():
        takedown = TakedownRequest.objects.create(
            **data.fields, ip_hash=ip_hash, language=language[:16], status=Status.PENDING_VERIFICATION
        )
        RequestArticle.objects.bulk_create(RequestArticle(request=takedown, article=a) for a in data.articles)
        RequestCitation.objects.bulk_create(
            RequestCitation(
                request=takedown,
                citation=citation,
                article_id=citation.article_id,
                source_url_id=citation.source_url_id,
                position=citation.position,
                text_as_written=citation.text_as_written,
            )
            for citation in data.citations
        )
        record_event(
            takedown,
            kind=RequestEvent.Kind.CREATED,
            actor=None,
            actor_label=By.REQUESTER,
            to_status=Status.PENDING_VERIFICATION,
            visible_to_requester=True,
        )
        attach_files(takedown, data.files, saved)
        queue_requester_mail(
            takedown,
            "takedowns/confirm_email",
            {"confirm_url": confirm_url(takedown), "expires_hours": settings.TAKEDOWNS_VERIFICATION_HOURS},
        )
    return takedown


def matching_publisher_host(email: str, sources: Iterable[SourceURL]) -> str:
    """The publisher host the email's domain belongs to (equal, a subdomain, or the same registrable domain), or "".

    ``someone@news.abcnews.go.com`` matches a source whose publisher is
    ``abcnews.go.com``; ``someone@go.com`` does not (a parent is not the outlet).
    """
    domain_suffixes = set(host_suffixes(email.rpartition("@")[2]))
    for source in sources:
        host = source.publisher.host if source.publisher_id else default_publisher_host(source.host)
        if host and host in domain_suffixes:
            return host
    return ""


def _cited_sources(takedown: TakedownRequest) -> list[SourceURL]:
    picked = SourceURL.objects.filter(request_links__request=takedown)
    if not picked.exists():
        # No specific source picked: any source of the requested articles counts.
        picked = SourceURL.objects.filter(citations__article__request_links__request=takedown)
    return list(picked.select_related("publisher").distinct())


def _open_original(takedown: TakedownRequest) -> TakedownRequest | None:
    """An earlier open request with the same verified email, type and at least one same article."""
    return (
        TakedownRequest.objects.filter(
            requester_email=takedown.requester_email,
            request_type=takedown.request_type,
            status__in=OPEN_STATUSES,
            request_articles__article__in=RequestArticle.objects.filter(request=takedown).values("article_id"),
        )
        .exclude(pk=takedown.pk)
        .order_by("created_at")
        .first()
    )


def _record_domain_match(takedown: TakedownRequest) -> None:
    host = matching_publisher_host(takedown.requester_email, _cited_sources(takedown))
    if not host:
        return
    TakedownRequest.objects.filter(pk=takedown.pk).update(domain_match=True, domain_match_host=host)
    takedown.domain_match, takedown.domain_match_host = True, host
    record_event(
        takedown,
        kind=RequestEvent.Kind.DOMAIN_MATCH,
        actor=None,
        actor_label=By.SYSTEM,
        note=str(
            _("The confirmed email address belongs to %(host)s, the publisher of a cited source.") % {"host": host}
        ),
    )


@transaction.atomic
def confirm_request(takedown: TakedownRequest) -> TakedownRequest:
    """The requester confirmed their address (a POST): move to ``submitted`` and compute editors' signals.

    Sends the acknowledgement with the status-page link, or, if the same email
    already has an open request of this type about one of these articles,
    closes this one as a ``duplicate`` linked to it and says so. Raises
    IllegalTransition if the request is not waiting for confirmation.
    """
    # Its notes are shown to the requester and mailed: in the language they filed in, whatever the browser now says.
    with translation.override(takedown.language or settings.LANGUAGE_CODE):
        takedown = transition(
            takedown,
            "confirm",
            actor=None,
            note=str(_("Email address confirmed.")),
            updates=sla.due_dates(timezone.now()),  # the SLA clocks start at confirmation
        )
        _record_domain_match(takedown)
        original = _open_original(takedown)
        if original is None:
            queue_requester_mail(takedown, "takedowns/acknowledgement")
            return takedown
        takedown = transition(
            takedown,
            "detect_duplicate",
            actor=None,
            note=str(
                _("You already have an open request (#%(id)s) about this article; we will handle it there.")
                % {"id": original.pk}
            ),
            notify_context=duplicate_context(takedown, original),
            updates={"duplicate_of": original},
        )
        record_event(
            original,
            kind=RequestEvent.Kind.DUPLICATE_DETECTED,
            actor=None,
            actor_label=By.SYSTEM,
            note=f"#{takedown.pk}",
        )
        return takedown


def add_requester_message(takedown: TakedownRequest, *, body: str, files: list[InspectedFile]) -> Message | None:
    """A message and/or files from the requester's status page; returns the Message (None for files only).

    Only on an open request (RequestClosed otherwise). A reply while the
    request waits for the requester (``needs_info``) returns it to ``in_review``.
    """
    if takedown.status not in OPEN_STATUSES:
        raise RequestClosed
    with _remove_files_on_failure() as saved, transaction.atomic():
        message = None
        if body:
            message = Message.objects.create(request=takedown, direction=Message.Direction.FROM_REQUESTER, body=body)
            record_event(
                takedown,
                kind=RequestEvent.Kind.MESSAGE,
                actor=None,
                actor_label=By.REQUESTER,
                message=message,
                visible_to_requester=True,
            )
        attach_files(takedown, files, saved, message=message)
        if takedown.status == Status.NEEDS_INFO:
            transition(takedown, "requester_reply", actor=None, note=str(_("The requester replied.")))
    return message


def withdraw_request(takedown: TakedownRequest, *, reason: str = "") -> TakedownRequest:
    """The requester withdraws an open request. Raises IllegalTransition if it is not open."""
    return transition(takedown, "withdraw", actor=None, note=reason)
