"""What an import conflict would change: the article as it is beside the incoming version, field by field."""

import difflib

from django.utils.translation import gettext_lazy as _

from attribution.importing.fields import citation_entry

COMPARED = (("headline", _("Headline")), ("published_on", _("Date")), ("body", _("Body")), ("sources", _("Sources")))


def current_and_incoming(conflict) -> dict[str, tuple[str, str]]:
    """{field: (the article now, the incoming version)} as text, sources one per line."""
    article = conflict.article
    cited = article.citations.order_by("position").values_list("text_as_written", "source_url__url")
    return {
        "headline": (article.headline, conflict.headline),
        "published_on": (article.published_on.isoformat(), conflict.published_on.isoformat()),
        "body": (article.body, conflict.body),
        "sources": ("\n".join(citation_entry(t, u) for t, u in cited), "\n".join(conflict.sources)),
    }


def unified_diff(conflict) -> dict[str, list[str]]:
    """For the API: a unified diff per field that differs (``-`` the article now, ``+`` incoming)."""
    diffs = {}
    for name, (ours, theirs) in current_and_incoming(conflict).items():
        if ours != theirs:
            lines = difflib.unified_diff(ours.splitlines(), theirs.splitlines(), "article", "incoming", lineterm="")
            diffs[name] = list(lines)
    return diffs


def html_diff(conflict) -> list[tuple[str, str]]:
    """For the admin: (label, side-by-side HTML table) per field that differs. difflib escapes the text."""
    tables = []
    compared = current_and_incoming(conflict)
    for name, label in COMPARED:
        ours, theirs = compared[name]
        if ours != theirs:
            table = difflib.HtmlDiff(wrapcolumn=70).make_table(
                ours.splitlines(), theirs.splitlines(), str(_("The article now")), str(_("Incoming version"))
            )
            tables.append((str(label), table))
    return tables
