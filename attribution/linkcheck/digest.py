"""The daily email telling editors which cited links died, moved, or changed or were corrected since the
last digest (drift: attribution/snapshots/drift.py), by article."""

from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from attribution import outbox
from attribution.models import Citation, LinkCheckDigest, SourceURL

DIGEST_TOPIC = "linkcheck-digest"
DRIFTED = (SourceURL.Drift.CHANGED, SourceURL.Drift.CORRECTED)


def digest_recipients() -> list[str]:
    """LINKCHECK_DIGEST_RECIPIENTS, or else every active staff user with an email address."""
    if settings.LINKCHECK_DIGEST_RECIPIENTS:
        return list(settings.LINKCHECK_DIGEST_RECIPIENTS)
    staff = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    return sorted(set(staff.values_list("email", flat=True)))


@transaction.atomic
def send_digest(*, now=None) -> int:
    """Email links that became dead, redirected, changed or corrected since the last digest. Returns how many it listed.

    Nothing is sent when nothing changed; the digest is still recorded so
    the next one starts from here. The email goes through the outbox, so a
    failing mail server delays it and never loses it.
    """
    now = now or timezone.now()
    last = LinkCheckDigest.objects.select_for_update().order_by("-sent_at").first()
    since = last.sent_at if last else None
    changed = _changed_sources(since, now)
    recipients = digest_recipients()
    if changed and recipients:
        # A staff digest is in the site's language, even when a request in another language set this job off.
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(
                "linkcheck/digest_email.txt",
                {"groups": _by_article(changed), "since": since, "site_url": settings.SITE_URL},
            )
            subject = str(_("Citewatch: %(count)d cited links died, moved or changed") % {"count": len(changed)})
        # Through the outbox, in this transaction: the digest is recorded if and only if its mail is queued.
        outbox.queue_email(
            topic=DIGEST_TOPIC, template="digest", recipients=recipients, context={"subject": subject, "body": body}
        )
    LinkCheckDigest.objects.create(
        sent_at=now, covered_since=since, link_count=len(changed), recipient_count=len(recipients) if changed else 0
    )
    return len(changed)


def _changed_sources(since, now) -> list[SourceURL]:
    dead = Q(status=SourceURL.Status.DEAD, became_dead_at__lte=now)
    moved = Q(status=SourceURL.Status.REDIRECTED, became_redirected_at__lte=now)
    drifted = Q(drift__in=DRIFTED, drift_detected_at__lte=now)
    if since:
        dead &= Q(became_dead_at__gt=since)
        moved &= Q(became_redirected_at__gt=since)
        drifted &= Q(drift_detected_at__gt=since)
    sources = list(SourceURL.objects.filter(dead | moved | drifted).exclude(override=SourceURL.Override.IGNORE))
    for source in sources:
        # Whether the email says how it drifted (a dead link that drifted long ago is listed as dead only).
        detected = source.drift_detected_at
        source.listed_for_drift = source.drift in DRIFTED and detected and (since is None or detected > since)
    return sources


def _by_article(sources: list[SourceURL]) -> list[dict]:
    by_id = {s.pk: s for s in sources}
    groups: dict[int, dict] = defaultdict(lambda: {"article": None, "links": []})
    citations = Citation.objects.filter(source_url_id__in=list(by_id)).select_related("article")
    for citation in citations.order_by("article__headline", "position"):
        group = groups[citation.article_id]
        group["article"] = citation.article
        group["links"].append({"position": citation.position, "source": by_id[citation.source_url_id]})
    return sorted(groups.values(), key=lambda g: g["article"].headline)
