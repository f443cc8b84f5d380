"""Reinstate: actioned → reinstated (Legal): each article goes back to its snapshot from before the action."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attribution.models import CorrectionNote
from attribution.services import restore_article_status
from takedowns.models import ArticleRevision, RequestEvent, TakedownRequest
from takedowns.workflow import steps
from takedowns.workflow.graph import require_permission
from takedowns.workflow.revisions import save_content, snapshot
from takedowns.workflow.transition import record_event


@transaction.atomic
def reinstate_request(takedown, *, actor, note: str = "", internal_note: str = "") -> TakedownRequest:
    """The current state is snapshotted too (reason ``before_reinstatement``), and the correction notes the
    action added are retracted. The outcome stays, as the record of what had been done."""
    require_permission(actor, "reinstate", takedown)
    moved = steps.decide(takedown, "reinstate", actor=actor, note=note)
    befores = ArticleRevision.objects.filter(request=moved, reason=ArticleRevision.Reason.BEFORE_ACTION)
    for revision in befores.select_related("article").order_by("-created_at", "-id"):
        article = revision.article
        snapshot(article, request=moved, reason=ArticleRevision.Reason.BEFORE_REINSTATEMENT, actor=actor)
        restore_article_status(article, status=revision.status, actor=actor)
        save_content(
            article,
            headline=revision.headline,
            body=revision.body,
            sources=revision.sources,
            origin=f"reinstated by request #{moved.pk}",
        )
        record_event(
            moved,
            kind=RequestEvent.Kind.ACTION,
            actor=actor,
            note=str(_("Article “%(slug)s” restored as it was before the action.") % {"slug": article.slug}),
            visible_to_requester=True,
        )
    CorrectionNote.objects.filter(request_number=moved.pk, retracted_at__isnull=True).update(
        retracted_at=timezone.now()
    )
    steps.add_internal_note(moved, actor, internal_note)
    return moved
