"""State changes to requests. Views, the API, admin actions, tasks and commands all call these.

Every change of status goes through ``transition``: a conditional UPDATE that
only succeeds from the allowed states, one audit RequestEvent, and the
requester's email queued in the same transaction (sent after commit).
"""

import datetime as dt
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attribution.models import Article, Citation, SourceURL
from attribution.urls_normalise import host_suffixes, publisher_host
from takedowns import sla
from takedowns.files import InspectedFile
from takedowns.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Attachment,
    Message,
    RequestArticle,
    RequestCitation,
    RequestEvent,
    TakedownRequest,
)
from takedowns.notifications import confirm_url, queue_notification, status_url

Status = TakedownRequest.Status
ActorLabel = RequestEvent.ActorLabel
# Timestamps stamped by the transition that reaches these states (first time only).
_SUBMITTED_STATES = {Status.SUBMITTED}
_DECIDED_STATES = {Status.ACCEPTED, Status.REJECTED}


class IllegalTransition(Exception):
    """A request cannot move to ``to_status`` from the state it is in (or someone else moved it first)."""

    def __init__(self, takedown_id: int, current_status: str, to_status: str):
        self.takedown_id = takedown_id
        self.current_status = current_status
        self.to_status = to_status
        self.message = _("Request #%(id)s is “%(current)s” and cannot move to “%(target)s”.") % {
            "id": takedown_id,
            "current": Status(current_status).label if current_status in Status.values else current_status,
            "target": Status(to_status).label,
        }
        super().__init__(str(self.message))


def _actor_label(actor, actor_label: str | None) -> str:
    if actor_label:
        return actor_label
    if actor is None:
        raise ValueError("transition() needs actor_label ('requester' or 'system') when actor is None.")
    return ActorLabel.STAFF


def _timestamps(takedown: TakedownRequest, to_status: str, now) -> dict:
    stamps = {}
    if to_status in _SUBMITTED_STATES and not takedown.submitted_at:
        stamps["submitted_at"] = now
    if to_status in _DECIDED_STATES:
        stamps["decided_at"] = now
    # Closing stamps closed_at (the retention clock); reopening clears it.
    stamps["closed_at"] = now if to_status in CLOSED_STATUSES else None
    return stamps


@transaction.atomic
def transition(
    takedown: TakedownRequest,
    *,
    to_status: str,
    from_statuses: Iterable[str],
    actor,
    actor_label: str | None = None,
    note: str = "",
    visible_to_requester: bool = True,
    notify: str | None = "takedowns/status_changed",
    notify_context: dict | None = None,
    updates: dict | None = None,
) -> TakedownRequest:
    """Move ``takedown`` to ``to_status`` if it is in one of ``from_statuses``; return it refreshed.

    - Guarded: a conditional ``UPDATE … WHERE pk = … AND status = <current>``,
      attempted only if the current status is in ``from_statuses``. If no row
      matched (wrong state, or a concurrent caller moved it first) nothing is
      written and ``IllegalTransition`` is raised, carrying the current status.
      So of two editors clicking at once, exactly one succeeds.
    - ``actor`` is the staff user, or None for the requester or the system, in
      which case ``actor_label`` ("requester" / "system") is required.
    - ``updates`` are extra fields set in the same UPDATE (e.g. ``outcome``,
      ``rejection_reason``, ``duplicate_of``, ``assignee``). ``submitted_at``,
      ``decided_at`` and ``closed_at`` are stamped here from the target state.
    - Writes one RequestEvent (kind ``status_changed``, from, to, note, actor,
      ``visible_to_requester``).
    - ``notify`` names an email template under templates/emails/ (None for no
      mail); the outbox row is written in this transaction and sent after
      commit, with ``to_status``, ``note`` (only if visible) and
      ``notify_context`` in its context.
    Atomic: runs inside the caller's transaction, or its own.
    """
    from_statuses = {str(status) for status in from_statuses}
    label = _actor_label(actor, actor_label)
    now = timezone.now()
    fields = {**(updates or {}), **_timestamps(takedown, to_status, now), "status": to_status, "updated_at": now}
    # Read the current state, then update only if it is still that state: the
    # event records the true "from", and a concurrent mover makes this a no-op.
    current = TakedownRequest.objects.filter(pk=takedown.pk).values_list("status", flat=True).first() or ""
    moved = 0
    if current in from_statuses:
        moved = TakedownRequest.objects.filter(pk=takedown.pk, status=current).update(**fields)
    if moved != 1:
        current = TakedownRequest.objects.filter(pk=takedown.pk).values_list("status", flat=True).first() or ""
        raise IllegalTransition(takedown.pk, current, to_status)
    from_status = current
    takedown.refresh_from_db()
    RequestEvent.objects.create(
        request=takedown,
        actor=actor,
        actor_label=label,
        kind=RequestEvent.Kind.STATUS_CHANGED,
        from_status=from_status,
        to_status=to_status,
        note=note,
        visible_to_requester=visible_to_requester,
    )
    if notify:
        context = {"to_status": to_status, "note": note if visible_to_requester else "", **(notify_context or {})}
        queue_notification(takedown, notify, context)
    return takedown


def record_event(
    takedown: TakedownRequest, *, kind: str, actor, actor_label: str | None = None, note: str = "", **extra
) -> RequestEvent:
    """Append an audit event that is not a status change (message, attachment, signal…)."""
    return RequestEvent.objects.create(
        request=takedown, kind=kind, actor=actor, actor_label=_actor_label(actor, actor_label), note=note, **extra
    )


def expire_unconfirmed(*, now=None) -> int:
    """Close requests never confirmed within TAKEDOWNS_VERIFICATION_HOURS; returns how many. Idempotent.

    No mail goes out: the address was never shown to belong to the requester.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=settings.TAKEDOWNS_VERIFICATION_HOURS)
    stale = TakedownRequest.objects.filter(status=Status.PENDING_VERIFICATION, created_at__lt=cutoff)
    expired = 0
    for takedown in stale.only("pk", "status", "submitted_at").iterator():
        try:
            transition(
                takedown,
                to_status=Status.EXPIRED,
                from_statuses=[Status.PENDING_VERIFICATION],
                actor=None,
                actor_label=ActorLabel.SYSTEM,
                note=str(_("The email address was not confirmed in time.")),
                notify=None,
            )
            expired += 1
        except IllegalTransition:
            continue  # confirmed a moment ago, or another sweep got there first
    return expired


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


def _attach_files(takedown, files, saved, *, message=None, user=None, actor_label=ActorLabel.REQUESTER):
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

    ``data`` must already be validated (RequestForm or the API serializer).
    Atomic: the request, its articles, sources, files, first event and the
    outbox row are saved together or not at all (stored files are removed).
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
            actor_label=ActorLabel.REQUESTER,
            to_status=Status.PENDING_VERIFICATION,
            visible_to_requester=True,
        )
        _attach_files(takedown, data.files, saved)
        queue_notification(
            takedown,
            "takedowns/confirm_email",
            {"confirm_url": confirm_url(takedown), "expires_hours": settings.TAKEDOWNS_VERIFICATION_HOURS},
        )
    return takedown


def matching_publisher_host(email: str, sources: Iterable[SourceURL]) -> str:
    """The publisher host the email's domain belongs to (equal or a subdomain), or "" if none.

    ``someone@news.abcnews.go.com`` matches a source whose publisher is
    ``abcnews.go.com``; ``someone@go.com`` does not (a parent is not the outlet).
    """
    domain_suffixes = set(host_suffixes(email.rpartition("@")[2]))
    for source in sources:
        host = source.publisher.host if source.publisher_id else publisher_host(source.host)
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
        actor_label=ActorLabel.SYSTEM,
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
    takedown = transition(
        takedown,
        to_status=Status.SUBMITTED,
        from_statuses=[Status.PENDING_VERIFICATION],
        actor=None,
        actor_label=ActorLabel.REQUESTER,
        note=str(_("Email address confirmed.")),
        notify=None,
        updates=sla.due_dates(timezone.now()),  # editorial workflow: SLA due dates start at confirmation
    )
    _record_domain_match(takedown)
    original = _open_original(takedown)
    if original is None:
        queue_notification(takedown, "takedowns/acknowledgement")
        return takedown
    takedown = transition(
        takedown,
        to_status=Status.DUPLICATE,
        from_statuses=[Status.SUBMITTED],
        actor=None,
        actor_label=ActorLabel.SYSTEM,
        note=str(
            _("You already have an open request (#%(id)s) about this article; we will handle it there.")
            % {"id": original.pk}
        ),
        notify="takedowns/duplicate",
        notify_context={"original_id": original.pk, "original_status_url": status_url(original)},
        updates={"duplicate_of": original},
    )
    record_event(
        original,
        kind=RequestEvent.Kind.DUPLICATE_DETECTED,
        actor=None,
        actor_label=ActorLabel.SYSTEM,
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
                actor_label=ActorLabel.REQUESTER,
                message=message,
                visible_to_requester=True,
            )
        _attach_files(takedown, files, saved, message=message)
        if takedown.status == Status.NEEDS_INFO:
            transition(
                takedown,
                to_status=Status.IN_REVIEW,
                from_statuses=[Status.NEEDS_INFO],
                actor=None,
                actor_label=ActorLabel.REQUESTER,
                note=str(_("The requester replied.")),
                notify=None,
            )
    return message


def withdraw_request(takedown: TakedownRequest, *, reason: str = "") -> TakedownRequest:
    """The requester withdraws an open request. Raises IllegalTransition if it is not open."""
    return transition(
        takedown,
        to_status=Status.WITHDRAWN,
        from_statuses=OPEN_STATUSES,
        actor=None,
        actor_label=ActorLabel.REQUESTER,
        note=reason,
    )
