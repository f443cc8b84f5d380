"""Deciding an import conflict: accept the incoming version (through the import service) or dismiss it.

Both claim the conflict with a conditional UPDATE, so a double click or two
editors at once resolve it once; the loser gets ConflictNotOpen.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attribution.importing.models import ImportConflict
from attribution.models import Article
from attribution.parsing import ArticleInput
from attribution.services import save_accepted_version


class ConflictNotOpen(ValueError):
    """The conflict was already accepted or dismissed (perhaps by someone else a moment ago)."""


def _claim(conflict: ImportConflict, status: str, actor) -> ImportConflict:
    claimed = ImportConflict.objects.filter(pk=conflict.pk, status=ImportConflict.Status.OPEN).update(
        status=status, resolved_at=timezone.now(), resolved_by=actor
    )
    if claimed != 1:
        raise ConflictNotOpen(_("This import conflict was already resolved."))
    conflict.refresh_from_db()
    return conflict


@transaction.atomic
def accept_conflict(conflict: ImportConflict, *, actor) -> Article:
    """Apply the held version to its article through the import service; returns the article.

    The article keeps its slug; the version becomes the last imported one, so
    importing it again changes nothing. Raises ConflictNotOpen, or ValueError
    for a removed article (reinstate it through the request workflow first);
    nothing is saved then.
    """
    conflict = _claim(conflict, ImportConflict.Status.ACCEPTED, actor)
    article = conflict.article
    if article.status == Article.Status.REMOVED:
        raise ValueError(_("The article was removed; reinstate it through the request workflow first."))
    incoming = ArticleInput(
        headline=conflict.headline,
        published_on=conflict.published_on,
        body=conflict.body,
        sources=tuple(conflict.sources),
        slug=article.slug,
        origin=f"import conflict #{conflict.pk} ({conflict.origin})"[:500],
    )
    article, _outcome = save_accepted_version(incoming, actor=actor)
    return article


@transaction.atomic
def dismiss_conflict(conflict: ImportConflict, *, actor) -> ImportConflict:
    """Keep the article as it is; the same incoming content is never raised again. Raises ConflictNotOpen."""
    return _claim(conflict, ImportConflict.Status.DISMISSED, actor)
