"""``{% robust_link_attributes citation %}``: the Robust Links attributes of a cited link (attribution/snapshots/robust_links.py)."""

from django import template
from django.utils.html import format_html_join

from attribution.snapshots.robust_links import version_attributes

register = template.Library()


@register.simple_tag
def robust_link_attributes(citation) -> str:
    """`` data-versionurl="…" data-versiondate="…"`` (escaped), or "" when no archived copy is known.

    Reads ``citation.first_snapshot_at``, the annotation ArticleQuerySet.with_sources adds, so a
    page makes no query per link; a citation loaded without it counts as having no snapshot.
    """
    attributes = version_attributes(citation.source_url.archive_url, getattr(citation, "first_snapshot_at", None))
    return format_html_join("", ' {}="{}"', attributes.items())
